//! The translation memory: tokens, match scores, and the index that finds
//! every unit above a score threshold without scanning them all.

pub mod index;
pub mod score;
pub mod tmx;
pub mod tokenize;

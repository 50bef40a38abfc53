//! File formats read and written from plain data: TMX for translation
//! memories, TBX and CSV/TSV for glossaries. They know nothing of the
//! workspace; the store and the capabilities above call them.

pub mod glossary_table;
pub mod tbx;
pub mod tmx;

//! Interlinea's engine: importing Italian news articles, segmenting them
//! into sentences and keeping the translation work in a workspace database.
//!
//! The engine knows nothing of the desktop shell or the command line; both
//! call the same functions. See `ARCHITECTURE.md` for the map.

#![deny(missing_docs)]

pub mod diagnostics;
pub mod document;
pub mod export;
pub mod facts;
pub mod formats;
pub mod glossary;
pub mod import;
pub mod mt;
pub mod predict;
pub mod qa;
pub mod review;
pub mod revision;
pub mod segment;
pub mod session;
pub mod spelling;
pub mod stats;
pub mod store;
pub mod style;
pub mod sync;
pub mod team;
pub mod termbase;
pub mod text;
pub mod tm;

#[cfg(test)]
mod testing;

pub use document::{Block, BlockKind, Document, SourceFormat, Translatable};
pub use import::{import_bytes, ImportError, SAMPLE_ARTICLE, SAMPLE_ARTICLE_NAME};
pub use segment::Segmenter;
pub use store::{Status, StoreError, Workspace};

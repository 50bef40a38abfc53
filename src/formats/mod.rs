//! File formats read and written from plain data: TMX for translation
//! memories, TBX and CSV/TSV for glossaries, XLIFF 1.2 / 2.0 and the
//! bilingual review DOCX for documents. They know nothing of the
//! workspace; the store and the capabilities above call them.

pub mod docx;
pub mod glossary_table;
pub mod tbx;
pub mod tmx;
pub mod xliff;

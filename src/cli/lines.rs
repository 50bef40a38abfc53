//! What every command reads and prints: the lines of its input, and its
//! answer as text or as one JSON object per line.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use crate::Format;

/// The one text given, or else every line of standard input.
pub fn text_or_stdin_lines(text: Option<String>) -> anyhow::Result<Vec<String>> {
    match text {
        Some(text) => Ok(vec![text]),
        None => io::stdin()
            .lines()
            .collect::<Result<_, _>>()
            .context("reading standard input"),
    }
}

/// The file's name without its extension, or `default`: the TM or
/// glossary a file is imported into unless told.
pub fn file_stem_or(file: &Path, default: &str) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| default.into())
}

/// Prints one line per row: `text`'s, or the JSON of the row's `line`, the
/// struct that is the command's JSON contract.
pub fn print_rows<'a, R, L: Serialize>(
    out: &mut impl Write,
    format: Format,
    rows: &'a [R],
    line: impl Fn(&'a R) -> L,
    mut text: impl FnMut(&'a R) -> String,
) -> anyhow::Result<()> {
    for row in rows {
        match format {
            Format::Text => writeln!(out, "{}", text(row))?,
            Format::Jsonl => writeln!(out, "{}", serde_json::to_string(&line(row))?)?,
        }
    }
    Ok(())
}

/// [`print_rows`] under a header line in text.
pub fn print_table<'a, R, L: Serialize>(
    out: &mut impl Write,
    format: Format,
    header: &str,
    rows: &'a [R],
    line: impl Fn(&'a R) -> L,
    text: impl FnMut(&'a R) -> String,
) -> anyhow::Result<()> {
    if let Format::Text = format {
        writeln!(out, "{header}")?;
    }
    print_rows(out, format, rows, line, text)
}

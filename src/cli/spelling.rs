//! `interlinea spelling`: the user's spelling dictionary, words ignored in
//! a document, a text's misspellings and a word's suggestions.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use crate::{open_session, print_rows, DbArg, Format};

#[derive(Subcommand)]
pub enum SpellingCommand {
    /// Add words to the user's dictionary: no document flags them any more
    Add {
        #[arg(required = true)]
        words: Vec<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove a word from the user's dictionary
    Remove {
        word: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Ignore words in one document only
    Ignore {
        doc: i64,
        #[arg(required = true)]
        words: Vec<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the user's dictionary, a word a line
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Check English TEXT as document DOC's (its names, its ignored words):
    /// a misspelt word a line with its character offsets and suggestions
    Check {
        doc: i64,
        text: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Serialize)]
struct MisspellingLine {
    word: String,
    start: usize,
    end: usize,
    suggestions: Vec<String>,
}

pub fn run(out: &mut impl Write, command: SpellingCommand) -> anyhow::Result<()> {
    match command {
        SpellingCommand::Add { words, db } => {
            let session = open_session(&db)?;
            let mut open = session.lock();
            for word in &words {
                open.add_spelling_word(word)?;
            }
            writeln!(out, "{} added to the spelling dictionary", words.join(", "))?;
        }
        SpellingCommand::Remove { word, db } => {
            open_session(&db)?.lock().remove_spelling_word(&word)?;
            writeln!(out, "{word} removed from the spelling dictionary")?;
        }
        SpellingCommand::Ignore { doc, words, db } => {
            let session = open_session(&db)?;
            let mut open = session.lock();
            for word in &words {
                open.ignore_spelling_word(doc, word)?;
            }
            writeln!(out, "{} ignored in document {doc}", words.join(", "))?;
        }
        SpellingCommand::List { db } => {
            for word in open_session(&db)?.lock().spelling_words()? {
                writeln!(out, "{word}")?;
            }
        }
        SpellingCommand::Check {
            doc,
            text,
            format,
            db,
        } => {
            let session = open_session(&db)?;
            let mut open = session.lock();
            let rows = open
                .misspellings(doc, &text)?
                .into_iter()
                .map(|m| {
                    Ok(MisspellingLine {
                        suggestions: open.spelling_suggestions(&m.word)?,
                        word: m.word,
                        start: m.start,
                        end: m.end,
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            print_rows(
                out,
                format,
                &rows,
                |row| row,
                |row| {
                    format!(
                        "{}\t{}-{}\t{}",
                        row.word,
                        row.start,
                        row.end,
                        row.suggestions.join(" ")
                    )
                },
            )?;
        }
    }
    Ok(())
}

//! The spelling commands: a segment's misspelt words while the translator
//! types, suggestions, and the user's dictionary.

use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::{lock, AppState, Result};

/// A word of the English that may be misspelt.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MisspellingDto {
    /// Start in UTF-16 code units of the English as sent (as the UI's
    /// strings count), each inline code one unit.
    pub start: u32,
    /// End (exclusive), in UTF-16 code units.
    pub end: u32,
    pub word: String,
}

/// The words of `english`, a segment's English of document `doc_id` as
/// typed, that may be misspelt.
#[tauri::command]
#[specta::specta]
pub fn misspellings(
    state: State<'_, AppState>,
    doc_id: i64,
    english: String,
) -> Result<Vec<MisspellingDto>> {
    // The engine counts characters; UTF-16 units before each one.
    let units: Vec<u32> = std::iter::once(0)
        .chain(english.chars().scan(0, |n, c| {
            *n += c.len_utf16() as u32;
            Some(*n)
        }))
        .collect();
    Ok(lock(&state)
        .misspellings(doc_id, &english)?
        .into_iter()
        .map(|m| MisspellingDto {
            start: units[m.start],
            end: units[m.end],
            word: m.word,
        })
        .collect())
}

/// The dictionary's suggestions for a misspelt word, best first.
#[tauri::command]
#[specta::specta]
pub fn spelling_suggestions(state: State<'_, AppState>, word: String) -> Result<Vec<String>> {
    Ok(lock(&state).spelling_suggestions(&word)?)
}

/// Adds a word to the user's dictionary.
#[tauri::command]
#[specta::specta]
pub fn add_spelling_word(state: State<'_, AppState>, word: String) -> Result<()> {
    Ok(lock(&state).add_spelling_word(&word)?)
}

/// Stops flagging a word in one document.
#[tauri::command]
#[specta::specta]
pub fn ignore_spelling_word(state: State<'_, AppState>, doc_id: i64, word: String) -> Result<()> {
    Ok(lock(&state).ignore_spelling_word(doc_id, &word)?)
}

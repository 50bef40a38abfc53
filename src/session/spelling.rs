//! Spell checking of the English: a segment's words as the translator
//! types, suggestions, and the user's dictionary.

use std::collections::HashSet;

use super::{Error, Open, Result};
use crate::spelling::{proper_nouns, Checker, Lexicon, Misspelling};
use crate::store::settings::EnglishVariant;

/// How many suggestions a misspelt word gets.
pub const SUGGESTIONS: usize = 6;

/// What the spelling check builds once and keeps: the lexicon (until a
/// glossary or the user's dictionary changes) and the names of the last
/// document checked (until its segments change).
#[derive(Default)]
pub(super) struct Kept {
    pub(super) lexicon: Option<Lexicon>,
    names: Option<(i64, (i64, i64), HashSet<String>)>,
}

impl Open {
    /// The English variant the dictionary spells, as the settings say.
    pub fn english_variant(&self) -> Result<EnglishVariant> {
        Ok(self.ws.settings()?.english_variant)
    }

    /// Builds what the check of document `doc_id` needs and is kept.
    pub(super) fn prepare_spelling(&mut self, doc_id: i64) -> Result<()> {
        if self.spelling.lexicon.is_none() {
            let words = self.ws.spelling_words()?;
            let entries = self.ws.glossary_entries(None, true)?;
            self.spelling.lexicon = Some(Lexicon::new(&words, &entries));
        }
        let fingerprint = self.ws.segments_fingerprint(doc_id)?;
        let fresh =
            matches!(&self.spelling.names, Some((d, f, _)) if *d == doc_id && *f == fingerprint);
        if !fresh {
            let blocks = self.ws.blocks(doc_id)?;
            let names = proper_nouns(
                blocks
                    .iter()
                    .flat_map(|b| b.segments.iter().map(|s| s.source.as_str())),
            );
            self.spelling.names = Some((doc_id, fingerprint, names));
        }
        Ok(())
    }

    /// A checker of document `doc_id`'s English, once [`Open::prepare_spelling`]
    /// has built what it needs.
    pub(super) fn spelling_checker(&self, doc_id: i64) -> Result<Checker<'_>> {
        let lexicon = self.spelling.lexicon.as_ref().expect("prepared");
        let (_, _, names) = self.spelling.names.as_ref().expect("prepared");
        Ok(Checker::new(
            &self.ws,
            self.english_variant()?,
            lexicon,
            names,
            doc_id,
        )?)
    }

    /// The words of `english` (a segment's English of document `doc_id`,
    /// as typed, with its inline codes) that may be misspelt.
    pub fn misspellings(&mut self, doc_id: i64, english: &str) -> Result<Vec<Misspelling>> {
        self.prepare_spelling(doc_id)?;
        Ok(self.spelling_checker(doc_id)?.misspellings(english)?)
    }

    /// The dictionary's suggestions for a misspelt word, best first.
    pub fn spelling_suggestions(&self, word: &str) -> Result<Vec<String>> {
        let dictionary = crate::spelling::dictionary(self.english_variant()?);
        Ok(crate::spelling::suggest(dictionary, word, SUGGESTIONS))
    }

    /// The user's dictionary, sorted.
    pub fn spelling_words(&self) -> Result<Vec<String>> {
        Ok(self.ws.spelling_words()?)
    }

    /// Adds a word to the user's dictionary: it is no longer flagged in
    /// any document.
    pub fn add_spelling_word(&mut self, word: &str) -> Result<()> {
        self.ws.add_spelling_word(checked_word(word)?)?;
        self.spelling.lexicon = None;
        Ok(())
    }

    /// Removes a word from the user's dictionary.
    pub fn remove_spelling_word(&mut self, word: &str) -> Result<()> {
        let word = word.trim();
        if !self.ws.remove_spelling_word(word)? {
            return Err(Error::NotFound(format!(
                "`{word}` is not in the spelling dictionary"
            )));
        }
        self.spelling.lexicon = None;
        Ok(())
    }

    /// Stops flagging a word in one document.
    pub fn ignore_spelling_word(&mut self, doc_id: i64, word: &str) -> Result<()> {
        Ok(self.ws.ignore_spelling_word(doc_id, checked_word(word)?)?)
    }
}

/// A word as the user's dictionary keeps it: one word, trimmed.
fn checked_word(word: &str) -> Result<&str> {
    let word = word.trim();
    if word.is_empty() || word.contains(char::is_whitespace) {
        return Err(Error::Invalid(format!(
            "`{word}` is not one word; add words one at a time"
        )));
    }
    Ok(word)
}

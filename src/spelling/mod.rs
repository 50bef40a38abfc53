//! Spell checking of the English with Hunspell dictionaries (en-GB and
//! en-US, compiled in from `dictionaries/`), read by `spellbook`.
//!
//! A word the dictionary rejects is still not flagged when the workspace
//! vouches for it: the user's dictionary, a glossary's English terms, a
//! word ignored in this document, a capitalised word of the article's
//! Italian (its names), or a word an imported TM's English uses. Numbers,
//! words with digits, acronyms, addresses and e-mail addresses are never
//! checked.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use spellbook::Dictionary;

use crate::store::settings::EnglishVariant;
use crate::store::{StoreError, Workspace};
use crate::termbase::Entry;
use crate::text::codes;
use crate::text::fold_typography;
use crate::text::tokenize::{tokenize, TokenKind};

/// The variant's dictionary, parsed once per process on first use.
pub fn dictionary(variant: EnglishVariant) -> &'static Dictionary {
    static GB: OnceLock<Dictionary> = OnceLock::new();
    static US: OnceLock<Dictionary> = OnceLock::new();
    let (cell, aff, dic) = match variant {
        EnglishVariant::Gb => (
            &GB,
            include_str!("../../dictionaries/en-GB/index.aff"),
            include_str!("../../dictionaries/en-GB/index.dic"),
        ),
        EnglishVariant::Us => (
            &US,
            include_str!("../../dictionaries/en-US/index.aff"),
            include_str!("../../dictionaries/en-US/index.dic"),
        ),
    };
    cell.get_or_init(|| Dictionary::new(aff, dic).expect("the shipped dictionary parses"))
}

/// The words the workspace vouches for whatever the dictionary says: the
/// user's dictionary and the enabled glossaries' English terms, lower-cased.
/// Built once and kept until either changes.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: HashSet<String>,
}

impl Lexicon {
    /// The lexicon of the user's words and the glossary entries' English.
    pub fn new(user_words: &[String], entries: &[Entry]) -> Lexicon {
        let mut words = HashSet::new();
        let terms = entries
            .iter()
            .flat_map(|e| e.english.iter().map(|t| t.text.as_str()));
        for text in user_words.iter().map(String::as_str).chain(terms) {
            for token in tokenize(&fold_typography(text)) {
                if token.kind == TokenKind::Word {
                    words.insert(token.text.to_lowercase());
                }
            }
        }
        Lexicon { words }
    }

    fn knows(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }
}

/// The capitalised words of an article's Italian: its names, which the
/// English keeps as they are.
pub fn proper_nouns<'a>(italian: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut names = HashSet::new();
    for source in italian {
        let plain = codes::strip(source);
        for token in tokenize(&fold_typography(&plain)) {
            if token.kind != TokenKind::Word {
                continue;
            }
            // "dell'Onu": the name is what follows the elision.
            let elided = token.text.rsplit_once('\'').map(|(_, after)| after);
            for word in [Some(token.text), elided].into_iter().flatten() {
                if word.starts_with(char::is_uppercase) {
                    names.insert(possessive_stem(word).to_string());
                }
            }
        }
    }
    names
}

/// A word of the English that may be misspelt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelling {
    /// Start, in characters of the text as given (inline codes count as
    /// one character each).
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// The word as written, without codes.
    pub word: String,
}

/// The checker for one document: a dictionary, the workspace's lexicon,
/// the document's names and ignored words, and the imported TMs' English
/// (asked once per word).
pub struct Checker<'a> {
    dictionary: &'static Dictionary,
    lexicon: &'a Lexicon,
    names: &'a HashSet<String>,
    ignored: HashSet<String>,
    ws: &'a Workspace,
    tm_answers: RefCell<HashMap<String, bool>>,
}

impl<'a> Checker<'a> {
    /// A checker of document `doc_id`'s English in `variant`.
    pub fn new(
        ws: &'a Workspace,
        variant: EnglishVariant,
        lexicon: &'a Lexicon,
        names: &'a HashSet<String>,
        doc_id: i64,
    ) -> Result<Checker<'a>, StoreError> {
        let ignored = ws
            .spelling_ignored(doc_id)?
            .into_iter()
            .map(|w| w.to_lowercase())
            .collect();
        Ok(Checker {
            dictionary: dictionary(variant),
            lexicon,
            names,
            ignored,
            ws,
            tm_answers: RefCell::default(),
        })
    }

    /// The words of `target` (which may hold inline codes) that may be
    /// misspelt, left to right.
    pub fn misspellings(&self, target: &str) -> Result<Vec<Misspelling>, StoreError> {
        let folded = fold_typography(target);
        let skipped = addresses(&folded);
        let mut found = Vec::new();
        // Characters before each token, counted as the loop goes.
        let (mut chars_before, mut bytes_seen) = (0, 0);
        for token in tokenize(&folded) {
            if token.kind != TokenKind::Word {
                continue;
            }
            chars_before += folded[bytes_seen..token.start].chars().count();
            bytes_seen = token.start;
            if skipped.iter().any(|r| r.contains(&token.start)) {
                continue;
            }
            let word = token.written();
            if self.is_misspelt(&word)? {
                let start = chars_before;
                found.push(Misspelling {
                    start,
                    end: start + token.text.chars().count(),
                    word: word.into_owned(),
                });
            }
        }
        Ok(found)
    }

    fn is_misspelt(&self, word: &str) -> Result<bool, StoreError> {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let capitals = word.chars().filter(|c| c.is_uppercase()).count();
        // One letter, a code ("A4", "G7"), an acronym ("NATO"), a dotted
        // abbreviation or a bare domain ("U.S", "corriere.it").
        if letters < 2 || word.chars().any(|c| c.is_numeric() || c == '.') || capitals == letters {
            return Ok(false);
        }
        if self.dictionary.check(word) {
            return Ok(false);
        }
        let stem = possessive_stem(word);
        if self.names.contains(word) || self.names.contains(stem) {
            return Ok(false);
        }
        let lower = stem.to_lowercase();
        if self.lexicon.knows(&lower)
            || self.lexicon.knows(&word.to_lowercase())
            || self.ignored.contains(&lower)
            || self.ignored.contains(&word.to_lowercase())
        {
            return Ok(false);
        }
        if stem != word && self.dictionary.check(stem) {
            return Ok(false);
        }
        if let Some(&known) = self.tm_answers.borrow().get(&lower) {
            return Ok(!known);
        }
        let known = self.ws.tm_english_has_word(stem)?;
        self.tm_answers.borrow_mut().insert(lower, known);
        Ok(!known)
    }

    /// The dictionary's suggestions for a word, best first (at most
    /// `limit`).
    pub fn suggest(&self, word: &str, limit: usize) -> Vec<String> {
        suggest(self.dictionary, word, limit)
    }
}

/// The dictionary's suggestions for a word, best first (at most `limit`).
pub fn suggest(dictionary: &Dictionary, word: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    dictionary.suggest(&fold_typography(word), &mut out);
    out.truncate(limit);
    out
}

/// "Meloni's" → "Meloni"; any other word as it is.
fn possessive_stem(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix('\''))
        .filter(|s| !s.is_empty())
        .unwrap_or(word)
}

/// Byte ranges of web addresses and e-mail addresses, whose words are not
/// English.
fn addresses(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let chunk = &text[s..i];
                let email = chunk
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
                let web = chunk.contains("://") || chunk.to_ascii_lowercase().starts_with("www.");
                if email || web {
                    ranges.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests;

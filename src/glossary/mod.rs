//! Glossaries (termbases): recognition of the Italian terms of concept
//! entries (`src/termbase.rs`) in segments, and term checks of targets.
//! Storage is in `src/store/glossary.rs`; the CSV/TSV and TBX files are in
//! `src/formats/`.

pub mod qa;
pub mod recognize;

use recognize::{Recognizer, RecognizerBuilder};

use crate::termbase::{Entry, Term};

/// A term found in a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit<'g> {
    /// First character (not byte) of the match.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The entry whose term it is.
    pub entry: &'g Entry,
    /// The Italian term matched.
    pub term: &'g Term,
}

/// The entries of the enabled glossaries, ready to recognize their terms.
#[derive(Debug)]
pub struct TermMatcher {
    entries: Vec<Entry>,
    /// Recognizer term index → (entry, Italian term).
    terms: Vec<(usize, usize)>,
    recognizer: Recognizer,
}

impl TermMatcher {
    /// Builds the matcher over `entries`' Italian terms. Forbidden Italian
    /// terms are recognized too: the source is what it is.
    pub fn new(entries: Vec<Entry>) -> TermMatcher {
        let mut builder = RecognizerBuilder::new();
        let mut terms = Vec::new();
        for (e, entry) in entries.iter().enumerate() {
            for (t, term) in entry.italian.iter().enumerate() {
                if builder.add(&term.text, term.case_sensitive, terms.len()) {
                    terms.push((e, t));
                }
            }
        }
        TermMatcher {
            entries,
            terms,
            recognizer: builder.build(),
        }
    }

    /// The terms in `text`, left to right, longest first.
    pub fn find(&self, text: &str) -> Vec<TermHit<'_>> {
        self.recognizer
            .find(text)
            .into_iter()
            .map(|hit| {
                let (e, t) = self.terms[hit.term];
                TermHit {
                    start: hit.start,
                    end: hit.end,
                    entry: &self.entries[e],
                    term: &self.entries[e].italian[t],
                }
            })
            .collect()
    }

    /// The entries it recognizes.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

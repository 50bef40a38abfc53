//! Predictive typing: the English phrases a segment's translation is likely
//! to hold (the glossary's terms for the Italian's terms, its names and
//! numbers the English way, the TM matches' and MT suggestion's English),
//! and the completions of what the translator is typing, best first.
//!
//! The phrases are worked out once per segment; completing is a scan of a
//! few dozen short strings, cheap enough for every keystroke. The editor
//! runs the same completion rules on its side (`ui/src/lib/predict.ts`) so
//! a keystroke needs no call to the engine; the tests of both run the
//! cases of one file (`tests/fixtures/predict/completions.json`), so the
//! two cannot drift apart.

use crate::glossary::TermMatcher;
use crate::text::tokenize::{tokenize, TokenKind};
use crate::text::{codes, fold_typography, numbers};

/// Where a phrase comes from, in the order completions are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhraseKind {
    /// An English term of a glossary entry whose Italian term is in the
    /// segment.
    Glossary,
    /// A name of the Italian, in its English form when it has one.
    Name,
    /// A number of the Italian, written the English way.
    Number,
    /// The English of a TM match.
    Tm,
    /// A machine translation of the segment.
    Mt,
}

impl PhraseKind {
    /// Whether the phrase is a whole sentence, of which a completion offers
    /// only the next few words.
    fn is_sentence(self) -> bool {
        matches!(self, PhraseKind::Tm | PhraseKind::Mt)
    }
}

/// An English phrase the translation may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The phrase, without inline codes.
    pub text: String,
    /// Where it comes from.
    pub kind: PhraseKind,
}

/// What may follow the caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The characters to insert at the caret.
    pub text: String,
    /// Where it comes from.
    pub kind: PhraseKind,
}

/// How many words after the one being typed a sentence's completion offers.
const SENTENCE_WORDS: usize = 3;
/// How many characters of a word must be typed before it is completed
/// without the words before it agreeing (a digit is enough for a number).
const MIN_TYPED: usize = 2;
/// Completions offered at most.
pub const MAX_COMPLETIONS: usize = 5;

/// The phrases of a segment whose Italian is `italian` (with or without
/// codes): its glossary terms' English, its names, its numbers, then the
/// English of `tm` matches and `mt` suggestions; each phrase once.
pub fn phrases(terms: &TermMatcher, italian: &str, tm: &[&str], mt: &[&str]) -> Vec<Phrase> {
    let italian = codes::strip(italian);
    let mut found: Vec<Phrase> = Vec::new();
    let mut add = |text: &str, kind: PhraseKind| {
        let text = codes::strip(text);
        let text = text.trim();
        if !text.is_empty() && !found.iter().any(|p| p.text == text) {
            found.push(Phrase {
                text: text.to_string(),
                kind,
            });
        }
    };
    for hit in terms.find(&italian) {
        for term in hit.entry.targets() {
            add(&term.text, PhraseKind::Glossary);
        }
    }
    for entity in crate::facts::entities(terms, &italian) {
        // Milano is offered as Milan; a name with no English form as written.
        let english: Vec<&String> = entity
            .renderings
            .iter()
            .filter(|r| **r != entity.italian)
            .collect();
        if english.is_empty() {
            add(&entity.italian, PhraseKind::Name);
        }
        for rendering in english {
            add(rendering, PhraseKind::Name);
        }
    }
    for token in tokenize(&italian) {
        if token.kind == TokenKind::Number {
            if let Some(number) = numbers::parse_italian(token.text) {
                add(&numbers::format_english(&number), PhraseKind::Number);
            }
        }
    }
    for text in tm {
        add(text, PhraseKind::Tm);
    }
    for text in mt {
        add(text, PhraseKind::Mt);
    }
    found
}

/// A word compared as the translator means it: without case or
/// typographic variants (’ and ' alike).
fn fold(word: &str) -> String {
    fold_typography(word).to_lowercase()
}

/// A word with its byte range in its text.
struct Word<'a> {
    text: &'a str,
    start: usize,
}

/// The words of `text`: runs between white space and inline codes.
fn words(text: &str) -> Vec<Word<'_>> {
    let mut found = Vec::new();
    let mut start = None;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let apart = c.is_whitespace() || codes::is_code(c);
        match (apart, start) {
            (false, None) => start = Some(at),
            (true, Some(from)) => {
                found.push(Word {
                    text: &text[from..at],
                    start: from,
                });
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// Whether a sentence's completion stops after `word` (it closes a clause).
fn ends_clause(word: &str) -> bool {
    word.ends_with([',', ';', ':', '.', '!', '?', ')'])
}

/// The completions of the English typed so far, `before` being the text
/// before the caret: for each phrase where the word being typed begins one
/// of its words (or, after a space, where the words typed last are its
/// words), the rest of that word and what follows it — the whole phrase
/// for a term, a name or a number, a few words of a sentence. At least
/// [`MIN_TYPED`] characters of the word must be typed unless the word
/// before agrees with the phrase or the word is a number.
///
/// Ranked glossary first, then names, numbers, TM and MT; within a kind,
/// the one agreeing with more of the words typed before, then the longest.
/// Each text once, at most [`MAX_COMPLETIONS`].
pub fn complete(phrases: &[Phrase], before: &str) -> Vec<Completion> {
    let typed = words(before);
    let ends_apart = before
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || codes::is_code(c));
    let (partial, earlier) = match typed.split_last() {
        Some((last, earlier)) if !ends_apart => (last.text, earlier),
        _ => ("", &typed[..]),
    };
    // An opening quote or bracket is not part of the word being typed.
    let partial = partial.trim_start_matches(|c: char| !c.is_alphanumeric());
    let partial_folded = fold(partial);
    let n_partial = partial.chars().count();
    // (kind, words agreeing, length, text).
    let mut ranked: Vec<(PhraseKind, usize, usize, String)> = Vec::new();
    for phrase in phrases {
        let phrase_words = words(&phrase.text);
        let mut best: Option<(usize, String)> = None;
        for (i, word) in phrase_words.iter().enumerate() {
            if !fold(word.text).starts_with(&partial_folded) {
                continue;
            }
            let agreeing = (1..=i.min(earlier.len()))
                .take_while(|k| {
                    fold(earlier[earlier.len() - k].text) == fold(phrase_words[i - k].text)
                })
                .count();
            let digit = partial.starts_with(|c: char| c.is_ascii_digit());
            let enough = agreeing > 0 || (n_partial > 0 && (n_partial >= MIN_TYPED || digit));
            if !enough {
                continue;
            }
            let start = word.start
                + word
                    .text
                    .char_indices()
                    .nth(n_partial)
                    .map_or(word.text.len(), |(at, _)| at);
            let end = if phrase.kind.is_sentence() {
                let last = phrase_words[i..]
                    .iter()
                    .take(SENTENCE_WORDS + 1)
                    .position(|w| ends_clause(w.text))
                    .map_or((i + SENTENCE_WORDS).min(phrase_words.len() - 1), |k| i + k);
                phrase_words[last].start + phrase_words[last].text.len()
            } else {
                phrase.text.len()
            };
            let text = &phrase.text[start..end];
            // A completion adds at least two characters: one is no help.
            if text.chars().count() < 2 {
                continue;
            }
            if best.as_ref().is_none_or(|(a, _)| agreeing > *a) {
                best = Some((agreeing, text.to_string()));
            }
        }
        if let Some((agreeing, text)) = best {
            ranked.push((phrase.kind, agreeing, text.chars().count(), text));
        }
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let mut completions: Vec<Completion> = Vec::new();
    for (kind, _, _, text) in ranked {
        if completions.len() == MAX_COMPLETIONS {
            break;
        }
        if !completions.iter().any(|c| c.text == text) {
            completions.push(Completion { text, kind });
        }
    }
    completions
}

#[cfg(test)]
mod tests;

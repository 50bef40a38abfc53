//! Italian and English text tools shared by every module above: tokens,
//! numbers, the match score, month names, edit distance, counts with their
//! noun, and typographic variants folded to one form (below). It imports nothing of the crate.
//!
//! Folding: text written with curly apostrophes, guillemets, dashes or
//! non-breaking spaces compares equal to the same text typed on a plain
//! keyboard. Italian news sites write ’ « » – and non-breaking spaces; most
//! TMs and glossaries write ' " - and spaces. Every comparison that should
//! not care (TM match keys, glossary words, concordance queries, QA,
//! repetitions) folds through here. Folding maps one character to one
//! character, so character offsets into the folded text are offsets into
//! the original.

pub mod codes;
pub mod dates;
pub mod distance;
pub mod months;
pub mod numbers;
pub mod score;
pub mod tokenize;

use std::borrow::Cow;

/// The plain form of a typographic character; any other character as is.
pub fn fold_char(c: char) -> char {
    match c {
        // Apostrophes and single quotes: right and left single quotation
        // marks, the modifier letter apostrophe, low and reversed quotes.
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{201A}' | '\u{201B}' => '\'',
        // Double quotes: curly, low, reversed, and guillemets.
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '«' | '»' => '"',
        // Hyphens and dashes: hyphen, non-breaking hyphen, figure, en and em
        // dashes, horizontal bar.
        '\u{2010}'..='\u{2015}' => '-',
        // No-break, figure and narrow no-break spaces.
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
        _ => c,
    }
}

/// `text` with every typographic variant folded by [`fold_char`]; borrowed
/// when there is nothing to fold, as in most text.
pub fn fold_typography(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| fold_char(c) != c) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().map(fold_char).collect())
    }
}

/// `n` and its noun in the right number: "1 entry", "3 entries".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests;

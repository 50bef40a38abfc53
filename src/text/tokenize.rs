//! Tokens for matching: Unicode words, numbers and punctuation marks
//! (whitespace is not a token), each with the key it is compared by.
//! Inline codes are not tokens: a segment is cut as if it had none, and the
//! score compares codes apart (`score.rs`).

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use crate::text::codes;
use crate::text::{fold_char, fold_typography};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with digits or inner apostrophes ("l’asse").
    Word,
    /// Digits with optional group and decimal marks ("1.234,5").
    Number,
    /// A punctuation mark or symbol.
    Punct,
}

/// One token of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written; a code inside it ("Ro<b>ma") stays in this
    /// text but counts in neither its key nor its kind.
    pub text: &'a str,
    /// Byte offset in the segment.
    pub start: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
}

/// Key shared by every number: numbers differ only by a small penalty.
pub const NUMBER_KEY: &str = "\u{1}0";
/// Key shared by every punctuation mark: marks differ only by a small penalty.
pub const PUNCT_KEY: &str = "\u{1}.";

impl<'a> Token<'a> {
    /// The form the base similarity compares: words lower-cased with their
    /// typography folded ("L’asse" is "l'asse"), every number alike, every
    /// punctuation mark alike.
    pub fn key(&self) -> Cow<'a, str> {
        match self.kind {
            // ASCII, as most words: no code, nothing to fold, ASCII's case.
            TokenKind::Word if self.text.is_ascii() => {
                if self.text.bytes().any(|b| b.is_ascii_uppercase()) {
                    self.text.to_ascii_lowercase().into()
                } else {
                    self.text.into()
                }
            }
            TokenKind::Word => {
                let folded = match self.written() {
                    Cow::Borrowed(text) => fold_typography(text),
                    Cow::Owned(text) => fold_typography(&text).into_owned().into(),
                };
                if folded.chars().any(char::is_uppercase) {
                    folded.to_lowercase().into()
                } else {
                    folded
                }
            }
            TokenKind::Number => NUMBER_KEY.into(),
            TokenKind::Punct => PUNCT_KEY.into(),
        }
    }

    /// The token as written, without any code inside it.
    pub fn written(&self) -> Cow<'a, str> {
        if may_hold_codes(self.text) {
            codes::sanitize(self.text)
        } else {
            self.text.into()
        }
    }
}

/// Whether `text` may hold a code: code characters take three bytes in
/// UTF-8, the first 0xEE or 0xEF. A byte test, cheaper than decoding.
pub(crate) fn may_hold_codes(text: &str) -> bool {
    text.bytes().any(|b| b & 0xFE == 0xEE)
}

fn kind_of(piece: &str) -> TokenKind {
    let mut has_digit = false;
    let mut has_letter = false;
    for c in piece.chars() {
        if c.is_numeric() {
            has_digit = true;
        } else if c.is_alphabetic() {
            has_letter = true;
        }
    }
    if has_digit && !has_letter {
        TokenKind::Number
    } else if has_letter || has_digit {
        TokenKind::Word
    } else {
        TokenKind::Punct
    }
}

/// Splits `text` into tokens (UAX #29 word boundaries, whitespace dropped).
///
/// The cuts are made in the text with its typography folded, since the
/// variants cut differently: "poʼ" is one word and "po'" a word and a mark;
/// "10 000" is one token with a narrow no-break space and two with a space.
/// Each token keeps the text as written, so a variant still differs from
/// its plain form by a mark.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    if may_hold_codes(text) && codes::has_codes(text) {
        return tokenize_around_codes(text);
    }
    let folded = match fold_typography(text) {
        Cow::Borrowed(_) => return tokenize_folded(text),
        Cow::Owned(folded) => folded,
    };
    // Folding maps a character to one character, so the folded text's
    // character boundaries are the original's, at other byte offsets.
    let mut original_at = vec![0; folded.len() + 1];
    let mut folded_at = 0;
    for (at, c) in text.char_indices() {
        original_at[folded_at] = at;
        folded_at += fold_char(c).len_utf8();
    }
    original_at[folded.len()] = text.len();
    tokenize_folded(&folded)
        .into_iter()
        .map(|token| {
            let start = original_at[token.start];
            Token {
                text: &text[start..original_at[token.start + token.text.len()]],
                start,
                kind: token.kind,
            }
        })
        .collect()
}

/// The tokens of `text` cut as if it had no codes, so a code never splits
/// or adds a token; each token's text and offset are in `text`.
fn tokenize_around_codes(text: &str) -> Vec<Token<'_>> {
    let (plain, offsets) = codes::plain_with_offsets(text);
    tokenize(&plain)
        .into_iter()
        .map(|token| {
            let start = offsets[token.start];
            // The byte after the token's last one: codes inside stay in.
            let end = offsets[token.start + token.text.len() - 1] + 1;
            Token {
                text: &text[start..end],
                start,
                kind: token.kind,
            }
        })
        .collect()
}

fn tokenize_folded(text: &str) -> Vec<Token<'_>> {
    if text.is_ascii() || text.chars().all(|c| c.is_ascii() || is_latin_letter(c)) {
        return tokenize_latin(text);
    }
    text.split_word_bound_indices()
        .filter(|(_, piece)| !piece.chars().all(char::is_whitespace))
        .map(|(start, piece)| Token {
            text: piece,
            start,
            kind: kind_of(piece),
        })
        .collect()
}

/// The letters of Latin-1 Supplement and Latin Extended-A and B (à, È, ß,
/// ł …): UAX #29 cuts around them as around ASCII letters.
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}') && c != '×' && c != '÷'
}

/// The same cuts as UAX #29 for text of ASCII and Latin letters (a TM's
/// Italian and English almost always), without its table lookups: letters,
/// digits and `_` join; `:` `.` `'` join two letters, `,` `;` `.` `'` two
/// digits; every other mark stands alone. Every byte beyond ASCII belongs
/// to a Latin letter, so it is taken for a letter, and a cut never falls
/// inside a character.
fn tokenize_latin(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let letter = |b: u8| b.is_ascii_alphabetic() || !b.is_ascii();
    let joins = |b: u8| letter(b) || b.is_ascii_digit() || b == b'_';
    // Words and marks average more than four bytes with their spaces.
    let mut tokens = Vec::with_capacity(bytes.len() / 4 + 1);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let (end, kind) = if joins(b) {
            let (mut has_letter, mut has_digit) = (letter(b), b.is_ascii_digit());
            let mut j = i + 1;
            loop {
                if j < bytes.len() && joins(bytes[j]) {
                    has_letter |= letter(bytes[j]);
                    has_digit |= bytes[j].is_ascii_digit();
                    j += 1;
                } else if j + 1 < bytes.len() {
                    let (before, mid, after) = (bytes[j - 1], bytes[j], bytes[j + 1]);
                    let letters =
                        letter(before) && letter(after) && matches!(mid, b':' | b'.' | b'\'');
                    let digits = before.is_ascii_digit()
                        && after.is_ascii_digit()
                        && matches!(mid, b',' | b';' | b'.' | b'\'');
                    if letters || digits {
                        j += 2;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let kind = match (has_letter, has_digit) {
                (true, _) => TokenKind::Word,
                (false, true) => TokenKind::Number,
                // `_` alone, or joining only other `_`.
                (false, false) => TokenKind::Punct,
            };
            (j, kind)
        } else {
            (i + 1, TokenKind::Punct)
        };
        tokens.push(Token {
            text: &text[i..end],
            start: i,
            kind,
        });
        i = end;
    }
    tokens
}

#[cfg(test)]
mod tests;

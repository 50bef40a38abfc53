//! Tokens for matching: Unicode words, numbers and punctuation marks
//! (whitespace is not a token), each with the key it is compared by.

use unicode_segmentation::UnicodeSegmentation;

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
    /// The token as written.
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
    /// The form the base similarity compares: words lower-cased, every
    /// number alike, every punctuation mark alike.
    pub fn key(&self) -> std::borrow::Cow<'a, str> {
        match self.kind {
            TokenKind::Word => {
                if self.text.chars().any(char::is_uppercase) {
                    self.text.to_lowercase().into()
                } else {
                    self.text.into()
                }
            }
            TokenKind::Number => NUMBER_KEY.into(),
            TokenKind::Punct => PUNCT_KEY.into(),
        }
    }
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
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    text.split_word_bound_indices()
        .filter(|(_, piece)| !piece.chars().all(char::is_whitespace))
        .map(|(start, piece)| Token {
            text: piece,
            start,
            kind: kind_of(piece),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_marks() {
        let tokens = tokenize("L’asse Mosca-Pyongyang: 1.234,5 euro!");
        let texts: Vec<(&str, TokenKind)> = tokens.iter().map(|t| (t.text, t.kind)).collect();
        assert_eq!(
            texts,
            [
                ("L’asse", TokenKind::Word),
                ("Mosca", TokenKind::Word),
                ("-", TokenKind::Punct),
                ("Pyongyang", TokenKind::Word),
                (":", TokenKind::Punct),
                ("1.234,5", TokenKind::Number),
                ("euro", TokenKind::Word),
                ("!", TokenKind::Punct),
            ]
        );
        assert_eq!(tokens[0].key(), "l’asse");
        assert_eq!(tokens[5].key(), NUMBER_KEY);
        assert_eq!(tokens[4].key(), tokens[7].key());
    }
}

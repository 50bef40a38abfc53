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
    if text.is_ascii() {
        return tokenize_ascii(text);
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

/// The same cuts as UAX #29 for ASCII text, which most TM text is, without
/// its table lookups: letters, digits and `_` join; `:` `.` `'` join two
/// letters, `,` `;` `.` `'` two digits; every other mark stands alone.
fn tokenize_ascii(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let joins = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end = if b.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if joins(b) {
            let mut j = i + 1;
            loop {
                if j < bytes.len() && joins(bytes[j]) {
                    j += 1;
                } else if j + 1 < bytes.len() {
                    let (before, mid, after) = (bytes[j - 1], bytes[j], bytes[j + 1]);
                    let letters = before.is_ascii_alphabetic()
                        && after.is_ascii_alphabetic()
                        && matches!(mid, b':' | b'.' | b'\'');
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
            j
        } else {
            i + 1
        };
        let piece = &text[i..end];
        tokens.push(Token {
            text: piece,
            start: i,
            kind: kind_of(piece),
        });
        i = end;
    }
    tokens
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

    /// The ASCII path must cut exactly where UAX #29 does.
    #[test]
    fn ascii_path_agrees_with_unicode_word_boundaries() {
        let alphabet = b"abZ09_ .,;:'\"-()!?/\t\n\r$%&+=@#*";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            let text: String = (0..len)
                .map(|k| {
                    let r = state.rotate_left(5 * k as u32) ^ (k as u64).wrapping_mul(0x9E37_79B9);
                    alphabet[(r % alphabet.len() as u64) as usize] as char
                })
                .collect();
            let unicode: Vec<(usize, &str)> = text
                .split_word_bound_indices()
                .filter(|(_, piece)| !piece.chars().all(char::is_whitespace))
                .collect();
            let ascii: Vec<(usize, &str)> = tokenize_ascii(&text)
                .iter()
                .map(|t| (t.start, t.text))
                .collect();
            assert_eq!(ascii, unicode, "{text:?}");
        }
        for text in [
            "l'asse",
            "1.234,5",
            "e.g. U.S.A.",
            "a:b 1;2 x_1 _a 3'000 A1b2",
        ] {
            let unicode: Vec<&str> = text
                .split_word_bounds()
                .filter(|p| !p.trim().is_empty())
                .collect();
            let ascii: Vec<&str> = tokenize_ascii(text).iter().map(|t| t.text).collect();
            assert_eq!(ascii, unicode, "{text:?}");
        }
    }
}

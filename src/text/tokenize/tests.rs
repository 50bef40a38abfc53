//! Token cuts and keys, and the ASCII path against UAX #29.

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
    assert_eq!(tokens[0].key(), "l'asse");
    assert_eq!(tokens[5].key(), NUMBER_KEY);
    assert_eq!(tokens[4].key(), tokens[7].key());
}

/// The path for ASCII and Latin letters must cut exactly where UAX #29 does.
#[test]
fn latin_path_agrees_with_unicode_word_boundaries() {
    let alphabet: Vec<char> = "abZ09_ .,;:'\"-()!?/\t\n\r$%&+=@#*àÈßłǀ".chars().collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 24) as usize;
        let text: String = (0..len)
            .map(|k| {
                let r = state.rotate_left(5 * k as u32) ^ (k as u64).wrapping_mul(0x9E37_79B9);
                alphabet[(r % alphabet.len() as u64) as usize]
            })
            .collect();
        let unicode: Vec<(usize, &str)> = text
            .split_word_bound_indices()
            .filter(|(_, piece)| !piece.chars().all(char::is_whitespace))
            .collect();
        let latin: Vec<(usize, &str)> = tokenize_latin(&text)
            .iter()
            .map(|t| (t.start, t.text))
            .collect();
        assert_eq!(latin, unicode, "{text:?}");
    }
    for text in [
        "l'asse",
        "1.234,5",
        "e.g. U.S.A.",
        "a:b 1;2 x_1 _a 3'000 A1b2",
        "perché è già l'ùltimo: Ħ.ł",
    ] {
        let unicode: Vec<&str> = text
            .split_word_bounds()
            .filter(|p| !p.trim().is_empty())
            .collect();
        let latin: Vec<&str> = tokenize_latin(text).iter().map(|t| t.text).collect();
        assert_eq!(latin, unicode, "{text:?}");
    }
    // Every character the path takes for a Latin letter is one to UAX #29,
    // beside letters, digits and the marks that join them.
    for c in ('\u{80}'..='\u{24F}').filter(|&c| is_latin_letter(c)) {
        let text = format!("{c}a {c}1 1{c} {c}:{c} x'{c}.{c} _{c} {c}");
        let unicode: Vec<&str> = text
            .split_word_bounds()
            .filter(|p| !p.trim().is_empty())
            .collect();
        let latin: Vec<&str> = tokenize_latin(&text).iter().map(|t| t.text).collect();
        assert_eq!(latin, unicode, "{text:?}");
        assert_eq!(kind_of(&c.to_string()), TokenKind::Word, "{c:?}");
    }
}

/// Kinds as `kind_of` tells them, whichever path cut the text.
#[test]
fn latin_path_kinds_agree() {
    let text = "È l'1,5% di 3.000 _ __ x_1 città";
    let latin: Vec<(&str, TokenKind)> = tokenize_latin(text)
        .iter()
        .map(|t| (t.text, t.kind))
        .collect();
    let general: Vec<(&str, TokenKind)> = text
        .split_word_bounds()
        .filter(|p| !p.trim().is_empty())
        .map(|p| (p, kind_of(p)))
        .collect();
    assert_eq!(latin, general);
}

/// Variants that cut differently from their plain forms (ʼ is a letter, a
/// narrow no-break space joins digits) are cut as the plain forms are, and
/// each token is the text as written, at its place in it.
#[test]
fn variants_cut_like_their_plain_forms_and_keep_their_text() {
    let text = "Un poʼ più di 10\u{202F}000 — «sì»";
    let tokens = tokenize(text);
    let cuts: Vec<(&str, usize, TokenKind)> =
        tokens.iter().map(|t| (t.text, t.start, t.kind)).collect();
    assert_eq!(
        cuts,
        [
            ("Un", 0, TokenKind::Word),
            ("po", 3, TokenKind::Word),
            ("ʼ", 5, TokenKind::Punct),
            ("più", 8, TokenKind::Word),
            ("di", 13, TokenKind::Word),
            ("10", 16, TokenKind::Number),
            ("000", 21, TokenKind::Number),
            ("—", 25, TokenKind::Punct),
            ("«", 29, TokenKind::Punct),
            ("sì", 31, TokenKind::Word),
            ("»", 34, TokenKind::Punct),
        ]
    );
    for token in &tokens {
        assert_eq!(
            &text[token.start..token.start + token.text.len()],
            token.text
        );
    }
    let keys = |text: &str| -> Vec<String> {
        tokenize(text)
            .iter()
            .map(|t| t.key().into_owned())
            .collect()
    };
    assert_eq!(keys(text), keys("Un po' più di 10 000 - \"sì\""));
    assert_eq!(keys("L’asse dellʼOnu"), ["l'asse", "dell'onu"]);
}

#[test]
fn codes_are_not_tokens_and_do_not_cut_words() {
    use crate::text::codes::Mark;
    let (open, close) = (Mark::Open(2).char(), Mark::Close(2).char());
    let text = format!("Vedi {open}Ro{close}ma, {open}qui{close}.");
    let tokens = tokenize(&text);
    let keys: Vec<String> = tokens.iter().map(|t| t.key().into_owned()).collect();
    assert_eq!(keys, ["vedi", "roma", PUNCT_KEY, "qui", PUNCT_KEY]);
    assert_eq!(tokens[1].text, format!("Ro{close}ma"));
    assert_eq!(tokens[1].written(), "Roma");
    assert_eq!(tokens[3].text, "qui");
    assert_eq!(&text[tokens[3].start..], format!("qui{close}."));
    assert_eq!(
        keys,
        crate::tm::keys("Vedi Roma, qui.")
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
    );
}

/// An ASCII word's key is the word in lower case, as the general path
/// (typography folded, then Unicode lower case) makes it.
#[test]
fn ascii_word_keys_are_lower_case() {
    for text in ["Roma", "ROMA", "roma", "Dell'Arte", "x_Y", "iPhone", "a1B2"] {
        let tokens = tokenize(text);
        let keys: Vec<String> = tokens.iter().map(|t| t.key().into_owned()).collect();
        let expected: Vec<String> = tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Word => crate::text::fold_typography(t.text).to_lowercase(),
                _ => t.key().into_owned(),
            })
            .collect();
        assert_eq!(keys, expected, "{text}");
        assert!(keys.iter().all(|k| !k.chars().any(char::is_uppercase)));
    }
}

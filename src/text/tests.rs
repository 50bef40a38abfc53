//! Each typographic variant folds to its plain form, and nothing else moves;
//! a count takes its noun in the right number.

use super::{count, fold_char, fold_typography};

#[test]
fn each_variant_folds_to_its_plain_form() {
    for (variant, plain) in [
        ('’', '\''),
        ('‘', '\''),
        ('ʼ', '\''),
        ('“', '"'),
        ('”', '"'),
        ('«', '"'),
        ('»', '"'),
        ('–', '-'),
        ('—', '-'),
        ('\u{00A0}', ' '),
        ('\u{202F}', ' '),
        ('\u{2007}', ' '),
    ] {
        assert_eq!(fold_char(variant), plain, "{variant:?}");
        assert_eq!(fold_char(plain), plain, "{plain:?}");
    }
}

#[test]
fn text_keeps_its_characters_and_their_count() {
    let text = "«Se c’è un incendio — dice — non usate l’ascensore»\u{202F}!";
    let folded = fold_typography(text);
    assert_eq!(
        folded,
        "\"Se c'è un incendio - dice - non usate l'ascensore\" !"
    );
    assert_eq!(folded.chars().count(), text.chars().count());
    // Accents, letters and other marks are not typography.
    assert!(matches!(
        fold_typography("Città, perché? 1.234,5 € (sì)"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn a_count_of_one_takes_the_singular() {
    assert_eq!(count(1, "entry", "entries"), "1 entry");
    assert_eq!(count(0, "entry", "entries"), "0 entries");
    assert_eq!(count(2, "segment", "segments"), "2 segments");
}

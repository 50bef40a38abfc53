//! Sentence segmentation: the built-in Italian rules or a user's SRX file.

pub mod eval;
mod italian;
pub mod srx;

pub use italian::ItalianRules;
pub use srx::{SrxDocument, SrxError, SrxRules};

use std::ops::Range;

/// Splits block text into segments (sentences).
#[derive(Debug)]
pub enum Segmenter {
    /// The built-in Italian rules.
    Italian(ItalianRules),
    /// Rules read from an SRX 2.0 file.
    Srx(SrxRules),
}

impl Segmenter {
    /// The built-in Italian rules with the user's extra abbreviations.
    pub fn italian<S: AsRef<str>>(extra_abbreviations: &[S]) -> Segmenter {
        Segmenter::Italian(ItalianRules::new(extra_abbreviations))
    }

    /// Rules from the SRX document `xml`, for Italian, with the user's extra
    /// abbreviations as no-break rules ahead of the file's own.
    pub fn from_srx<S: AsRef<str>>(
        xml: &str,
        extra_abbreviations: &[S],
    ) -> Result<Segmenter, SrxError> {
        let doc = SrxDocument::parse(xml)?;
        Ok(Segmenter::Srx(SrxRules::compile(
            &doc,
            "it",
            extra_abbreviations,
        )?))
    }

    /// Byte ranges of the segments of `text`, without surrounding whitespace.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            Segmenter::Italian(rules) => rules.split(text),
            Segmenter::Srx(rules) => rules.split(text),
        }
    }

    /// The segments of `text` as string slices.
    pub fn segments<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.split(text).into_iter().map(|r| &text[r]).collect()
    }
}

/// The abbreviation that a full stop at the end of `segment` follows, if the
/// segment ends in one: what a user means to keep together when merging a
/// segment with the next one. "…il Sen. " gives `Sen.`; "…fine." followed by
/// a sentence gives `fine.` too, so callers offer it, never apply it silently.
pub fn trailing_abbreviation(segment: &str) -> Option<String> {
    let trimmed = segment.trim_end();
    let head = trimmed.strip_suffix('.')?;
    if head.ends_with('.') {
        return None;
    }
    let word: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let word = word.trim_start_matches('.');
    let n_chars = word.chars().count();
    (1..=12).contains(&n_chars).then(|| format!("{word}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_abbreviation_is_the_last_word_before_the_stop() {
        assert_eq!(trailing_abbreviation("Parla il Sen. "), Some("Sen.".into()));
        assert_eq!(trailing_abbreviation("l'Avv."), Some("Avv.".into()));
        assert_eq!(trailing_abbreviation("Fine!"), None);
        assert_eq!(trailing_abbreviation("E poi..."), None);
        assert_eq!(trailing_abbreviation("nel 2000."), None);
    }
}

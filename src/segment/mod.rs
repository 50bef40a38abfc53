//! Sentence segmentation: the built-in Italian rules or a user's SRX file.

pub mod eval;
mod italian;
pub mod srx;

pub use italian::ItalianRules;
pub use srx::{SrxDocument, SrxError, SrxRules};

use std::ops::Range;

use crate::text::codes;

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
    ///
    /// Inline codes do not take part in the rules: the boundaries are found
    /// in the text without them. A code in the space between two sentences
    /// goes with the one it touches: a closing or standalone code written
    /// right after a sentence's end stays with it, the rest open the next.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        if !codes::has_codes(text) {
            return self.split_plain(text);
        }
        let (plain, offsets) = codes::plain_with_offsets(text);
        let mut ranges: Vec<Range<usize>> = self
            .split_plain(&plain)
            .into_iter()
            .map(|r| offsets[r.start]..offsets[r.end - 1] + 1)
            .collect();
        let Some(first) = ranges.first_mut() else {
            return ranges;
        };
        if let Some((at, _)) = text[..first.start]
            .char_indices()
            .find(|&(_, c)| codes::is_code(c))
        {
            first.start = at;
        }
        for i in 0..ranges.len() {
            let gap_end = ranges.get(i + 1).map_or(text.len(), |next| next.start);
            let gap_start = ranges[i].end;
            let mut left_end = gap_start;
            let mut right_start = None;
            for (at, c) in text[gap_start..gap_end].char_indices() {
                let at = gap_start + at;
                let mark = codes::Mark::of(c);
                let touches_left = right_start.is_none() && at == left_end;
                match mark {
                    Some(codes::Mark::Close(_) | codes::Mark::Standalone(_)) if touches_left => {
                        left_end = at + c.len_utf8();
                    }
                    Some(_) if right_start.is_none() => right_start = Some(at),
                    _ => {}
                }
            }
            if i + 1 == ranges.len() {
                // After the last sentence, every code belongs to it.
                left_end = text[gap_start..]
                    .char_indices()
                    .rfind(|&(_, c)| codes::is_code(c))
                    .map_or(gap_start, |(at, c)| gap_start + at + c.len_utf8());
            } else if let Some(start) = right_start {
                ranges[i + 1].start = start;
            }
            ranges[i].end = left_end;
        }
        ranges
    }

    fn split_plain(&self, text: &str) -> Vec<Range<usize>> {
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

    /// Writes `[n`, `n]` and `{n}` as the marks of code n.
    fn tagged(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let mark = match c {
                '[' => codes::Mark::Open,
                '{' => codes::Mark::Standalone,
                c if c.is_ascii_digit() && chars.peek() == Some(&']') => {
                    chars.next();
                    out.push(codes::Mark::Close(c as u16 - '0' as u16).char());
                    continue;
                }
                c => {
                    out.push(c);
                    continue;
                }
            };
            let id = chars.next().unwrap() as u16 - '0' as u16;
            if c == '{' {
                chars.next();
            }
            out.push(mark(id).char());
        }
        out
    }

    fn cut(text: &str) -> Vec<String> {
        let text = tagged(text);
        Segmenter::italian::<&str>(&[])
            .segments(&text)
            .into_iter()
            .map(|s| codes::to_display(s, s))
            .collect()
    }

    #[test]
    fn codes_do_not_hide_a_boundary_and_stay_with_the_sentence_they_touch() {
        assert_eq!(
            cut("[1Il sindaco1] parla. [2Poi2] va via."),
            ["<1>Il sindaco</1> parla.", "<1>Poi</1> va via."]
        );
        // Emphasis closed after the full stop, a line break, an image.
        assert_eq!(
            cut("Era [1finita.1]{2} Tutti a casa.{3}"),
            ["Era <1>finita.</1><2/>", "Tutti a casa.<1/>"]
        );
        // The rules see "dott. Rossi": a code between does not make a break.
        assert_eq!(
            cut("Il dott.[1 Rossi1] arriva."),
            ["Il dott.<1> Rossi</1> arriva."]
        );
    }

    #[test]
    fn a_link_across_a_boundary_opens_in_one_segment_and_closes_in_the_next() {
        let text = tagged("Leggi [1il rapporto. Le cifre1] sono chiare.");
        let segments = Segmenter::italian::<&str>(&[]).segments(&text);
        assert_eq!(segments.len(), 2);
        assert_eq!(
            codes::marks(segments[0]).collect::<Vec<_>>(),
            [codes::Mark::Open(1)]
        );
        assert_eq!(
            codes::marks(segments[1]).collect::<Vec<_>>(),
            [codes::Mark::Close(1)]
        );
        assert_eq!(codes::strip(segments[0]), "Leggi il rapporto.");
    }
}

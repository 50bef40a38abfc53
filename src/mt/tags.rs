//! A segment's inline codes on their way through a provider: the Italian
//! goes out in the tag notation (`<1>…</1>`, `<2/>`, see
//! [`codes::to_notation`]), each provider's answer comes back in it, and
//! the tags are put back as the segment's own codes. A provider that lost,
//! doubled or invented a tag gives plain English, as it would without codes:
//! the translator inserts the codes, and QA says which are missing.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::codes::{self, Mark};

static NOTATION_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(/?)([0-9]{1,5})(/?)>").expect("a valid pattern"));
static XML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(/?)c([0-9]{1,5})\s*(/?)>").expect("a valid pattern"));

/// The notation as XML DeepL can keep: tag names cannot be numbers, so
/// `<1>` becomes `<c1>`; the notation's entities are XML's already.
pub(super) fn to_xml(notation: &str) -> String {
    NOTATION_TAG
        .replace_all(notation, "<${1}c${2}${3}>")
        .into_owned()
}

/// DeepL's XML answer back in the notation.
pub(super) fn from_xml(xml: &str) -> String {
    XML_TAG
        .replace_all(xml, "<${1}${2}${3}>")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

/// Plain text in the notation: its `<`, `>` and `&` written as entities.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The notation's text without its tags.
pub fn plain(notation: &str) -> String {
    NOTATION_TAG
        .replace_all(notation, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A provider's answer (in the notation) as English with the codes of
/// `source`, the segment's Italian; plain English unless the answer has
/// every code of the Italian exactly once (in any order: English words
/// move).
pub fn english(source: &str, answer: &str) -> String {
    match codes::from_notation(source, answer) {
        Ok(text) if sorted_marks(&text) == sorted_marks(source) => text,
        _ => plain(answer),
    }
}

fn sorted_marks(text: &str) -> Vec<char> {
    let mut marks: Vec<char> = codes::marks(text).map(Mark::char).collect();
    marks.sort_unstable();
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Il <a>sindaco</a> di Roma<br/> & la giunta", as the workspace keeps it.
    fn source() -> String {
        let (open, close, alone) = (Mark::Open(4), Mark::Close(4), Mark::Standalone(9));
        format!(
            "Il {}sindaco{} di Roma{} & la giunta",
            open.char(),
            close.char(),
            alone.char()
        )
    }

    #[test]
    fn the_italian_goes_to_deepl_as_xml_and_its_answer_comes_back_with_the_codes() {
        let source = source();
        let notation = codes::to_notation(&source, &source);
        assert_eq!(notation, "Il <1>sindaco</1> di Roma<2/> &amp; la giunta");
        assert_eq!(
            to_xml(&notation),
            "Il <c1>sindaco</c1> di Roma<c2/> &amp; la giunta"
        );
        let answer = from_xml("The <c1>mayor</c1> of Rome<c2 /> &amp; the &quot;council&quot;");
        assert_eq!(answer, "The <1>mayor</1> of Rome<2/> &amp; the \"council\"");
        let english = english(&source, &answer);
        assert_eq!(
            codes::to_notation(&source, &english),
            "The <1>mayor</1> of Rome<2/> &amp; the \"council\""
        );
        assert!(
            english.contains(Mark::Open(4).char()) && english.contains(Mark::Standalone(9).char())
        );
    }

    #[test]
    fn tags_a_provider_lost_doubled_or_made_up_give_plain_english() {
        let source = source();
        for answer in [
            "The <1>mayor</1> and the <1>mayor</1> of Rome",
            "The <3>mayor</3> of Rome",
            "The <1>mayor of Rome & co",
            "The <1>mayor of Rome<2/>",
        ] {
            let english = english(&source, answer);
            assert!(!codes::has_codes(&english), "{answer}: {english:?}");
            assert!(!english.contains('<'), "{answer}: {english:?}");
        }
        assert_eq!(
            plain("The <1>mayor</1> &lt;sic&gt; &amp; co<2/>"),
            "The mayor <sic> & co"
        );
    }

    #[test]
    fn a_plain_answer_keeps_its_characters_through_the_notation() {
        let source = source();
        let answer = escape("Rome's <mayor> & co");
        assert_eq!(english(&source, &answer), "Rome's <mayor> & co");
    }
}

//! Inline codes inside segment text: a link, an emphasis, a line break, an
//! XLIFF `<g>` or a TMX `<bpt>` of the original.
//!
//! Each end of a code is one character of Unicode's private use area inside
//! the text, so a segment stays a `String` whose offsets every text tool can
//! use, and a code can never be half there. What a code stands for (its
//! original markup) is kept beside the text, per block ([`crate::document::InlineCode`]),
//! under the number the characters carry: the block's code `id`.
//!
//! - U+E000 + id opens a paired code,
//! - U+E800 + id closes it,
//! - U+F000 + id stands alone (a line break, an image, a placeholder).
//!
//! A paired code whose ends fall in two segments (a link across a sentence
//! boundary) has its opening in one and its closing in the other.
//! People see a segment's codes numbered from 1 in the order the Italian has
//! them; scripts see them in the `<1>…</1>`, `<2/>` notation ([`to_notation`]).

use std::fmt;

/// How many codes a block can hold; a reader keeps the first ones.
pub const MAX_CODES: usize = 0x800;

const OPEN_BASE: u32 = 0xE000;
const CLOSE_BASE: u32 = 0xE800;
const STANDALONE_BASE: u32 = 0xF000;
const END: u32 = 0xF800;

/// One end of a code, or a standalone code, with its block id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// The start of a paired code.
    Open(u16),
    /// The end of a paired code.
    Close(u16),
    /// A code with nothing inside.
    Standalone(u16),
}

impl Mark {
    /// The block id of the code.
    pub fn id(self) -> u16 {
        match self {
            Mark::Open(id) | Mark::Close(id) | Mark::Standalone(id) => id,
        }
    }

    /// The character that stands for this mark in the text.
    pub fn char(self) -> char {
        let (base, id) = match self {
            Mark::Open(id) => (OPEN_BASE, id),
            Mark::Close(id) => (CLOSE_BASE, id),
            Mark::Standalone(id) => (STANDALONE_BASE, id),
        };
        debug_assert!((id as usize) < MAX_CODES);
        char::from_u32(base + u32::from(id)).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// The same end of the code with another id.
    pub fn with_id(self, id: u16) -> Mark {
        match self {
            Mark::Open(_) => Mark::Open(id),
            Mark::Close(_) => Mark::Close(id),
            Mark::Standalone(_) => Mark::Standalone(id),
        }
    }

    /// The mark a character stands for, if it is one.
    pub fn of(c: char) -> Option<Mark> {
        let n = c as u32;
        let id = |base: u32| (n - base) as u16;
        match n {
            OPEN_BASE..CLOSE_BASE => Some(Mark::Open(id(OPEN_BASE))),
            CLOSE_BASE..STANDALONE_BASE => Some(Mark::Close(id(CLOSE_BASE))),
            STANDALONE_BASE..END => Some(Mark::Standalone(id(STANDALONE_BASE))),
            _ => None,
        }
    }
}

/// Whether `c` is the mark of a code.
pub fn is_code(c: char) -> bool {
    (OPEN_BASE..END).contains(&(c as u32))
}

/// Whether `text` holds any code.
pub fn has_codes(text: &str) -> bool {
    text.chars().any(is_code)
}

/// The marks of `text`, in order.
pub fn marks(text: &str) -> impl Iterator<Item = Mark> + '_ {
    text.chars().filter_map(Mark::of)
}

/// `text` without its codes: what is read, counted, checked and sent to
/// machine translation.
pub fn strip(text: &str) -> String {
    text.chars().filter(|&c| !is_code(c)).collect()
}

/// Imported text with any character of the codes' range removed, so that a
/// character a page happened to hold (an icon font's glyph) never poses as
/// a code.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if has_codes(text) {
        strip(text).into()
    } else {
        text.into()
    }
}

/// The text without codes, and for each of its byte offsets (and its end)
/// the offset in `text` where that byte is.
pub fn plain_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut plain = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        if is_code(c) {
            continue;
        }
        plain.push(c);
        offsets.extend(at..at + c.len_utf8());
    }
    offsets.push(text.len());
    (plain, offsets)
}

/// The block ids of a segment's codes in the order its Italian shows them,
/// each once: the code numbered n is `numbering[n - 1]`.
pub fn numbering(source: &str) -> Vec<u16> {
    let mut ids: Vec<u16> = Vec::new();
    for mark in marks(source) {
        if !ids.contains(&mark.id()) {
            ids.push(mark.id());
        }
    }
    ids
}

/// The number people see for the code `id` in a segment whose codes are
/// numbered `numbering`: its place there, else after them.
fn number_of(numbering: &[u16], extra: &mut Vec<u16>, id: u16) -> usize {
    if let Some(i) = numbering.iter().position(|&n| n == id) {
        return i + 1;
    }
    if !extra.contains(&id) {
        extra.push(id);
    }
    numbering.len() + 1 + extra.iter().position(|&n| n == id).unwrap_or(0)
}

/// `text` (a segment's Italian or English) in the notation of scripts:
/// `<1>…</1>` for a paired code, `<2/>` for a standalone one, numbered as in
/// `source`; a literal `<`, `>` or `&` written `&lt;`, `&gt;`, `&amp;`.
pub fn to_notation(source: &str, text: &str) -> String {
    written(source, text, true)
}

/// `text` with its codes written as in [`to_notation`] but its own `<`, `>`
/// and `&` left as they are: for people to read.
pub fn to_display(source: &str, text: &str) -> String {
    written(source, text, false)
}

fn written(source: &str, text: &str, escape: bool) -> String {
    let numbering = numbering(source);
    let mut extra = Vec::new();
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match Mark::of(c) {
            Some(Mark::Open(id)) => {
                let n = number_of(&numbering, &mut extra, id);
                out.push_str(&format!("<{n}>"));
            }
            Some(Mark::Close(id)) => {
                let n = number_of(&numbering, &mut extra, id);
                out.push_str(&format!("</{n}>"));
            }
            Some(Mark::Standalone(id)) => {
                let n = number_of(&numbering, &mut extra, id);
                out.push_str(&format!("<{n}/>"));
            }
            None if !escape => out.push(c),
            None => match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            },
        }
    }
    out
}

/// Why a text in the notation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotationError {
    /// A `<` or `&` at this character that starts no code or entity.
    Syntax {
        /// Character offset in the notation.
        at: usize,
        /// What was found there.
        found: String,
    },
    /// A code the Italian does not have, as written.
    UnknownCode(String),
}

impl fmt::Display for NotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotationError::Syntax { at, found } => write!(
                f,
                "`{found}` at character {at} is not a code: codes are written <1>…</1> and <2/>, and a literal <, > or & as &lt;, &gt;, &amp;"
            ),
            NotationError::UnknownCode(code) => {
                write!(f, "the Italian has no code {code}")
            }
        }
    }
}

impl std::error::Error for NotationError {}

/// Reads `notation` (see [`to_notation`]) into text with the codes of
/// `source`, refusing a code the Italian does not have in that shape.
pub fn from_notation(source: &str, notation: &str) -> Result<String, NotationError> {
    let numbering = numbering(source);
    let source_marks: Vec<Mark> = marks(source).collect();
    let mut out = String::with_capacity(notation.len());
    let mut rest = notation;
    let mut at = 0;
    while let Some(c) = rest.chars().next() {
        let (consumed, piece) = match c {
            '<' => {
                let end = rest.find('>').ok_or_else(|| syntax(at, rest))?;
                let tag = &rest[1..end];
                let (shape, number) = if let Some(n) = tag.strip_prefix('/') {
                    ('c', n)
                } else if let Some(n) = tag.strip_suffix('/') {
                    ('s', n)
                } else {
                    ('o', tag)
                };
                let n: usize = number
                    .parse()
                    .ok()
                    .filter(|_| number.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| syntax(at, &rest[..=end]))?;
                let written = &rest[..=end];
                let id = n
                    .checked_sub(1)
                    .and_then(|i| numbering.get(i))
                    .copied()
                    .ok_or_else(|| NotationError::UnknownCode(written.to_string()))?;
                let mark = match shape {
                    'o' => Mark::Open(id),
                    'c' => Mark::Close(id),
                    _ => Mark::Standalone(id),
                };
                if !source_marks.contains(&mark) {
                    return Err(NotationError::UnknownCode(written.to_string()));
                }
                (end + 1, mark.char())
            }
            '&' => {
                let (entity, ch) = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&')]
                    .into_iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .ok_or_else(|| syntax(at, rest))?;
                (entity.len(), ch)
            }
            '>' => return Err(syntax(at, rest)),
            c if is_code(c) => return Err(syntax(at, rest)),
            c => (c.len_utf8(), c),
        };
        out.push(piece);
        at += rest[..consumed].chars().count();
        rest = &rest[consumed..];
    }
    Ok(out)
}

fn syntax(at: usize, rest: &str) -> NotationError {
    NotationError::Syntax {
        at,
        found: rest.chars().take(12).collect(),
    }
}

/// `text` with each code's id replaced by `new_id`'s answer for its mark;
/// a mark it answers `None` for is left out.
pub fn renumber(text: &str, mut new_id: impl FnMut(Mark) -> Option<u16>) -> String {
    text.chars()
        .filter_map(|c| match Mark::of(c) {
            None => Some(c),
            Some(mark) => new_id(mark).map(|id| mark.with_id(id).char()),
        })
        .collect()
}

/// Carries the codes of `text`, whose numbering follows `from_source`, over
/// to the segment whose Italian is `to_source`: the code numbered n in one
/// becomes the code numbered n in the other, when that code has the same
/// shape there; a code with no counterpart is dropped. This is how a match
/// from the memory, or the previous version of a segment, brings the current
/// segment's link rather than its own.
pub fn carry_over(from_source: &str, text: &str, to_source: &str) -> String {
    let from = numbering(from_source);
    let to = numbering(to_source);
    let to_marks: Vec<Mark> = marks(to_source).collect();
    renumber(text, |mark| {
        let n = from.iter().position(|&id| id == mark.id())?;
        let id = *to.get(n)?;
        to_marks.contains(&mark.with_id(id)).then_some(id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(id: u16) -> char {
        Mark::Open(id).char()
    }
    fn c(id: u16) -> char {
        Mark::Close(id).char()
    }
    fn s(id: u16) -> char {
        Mark::Standalone(id).char()
    }

    #[test]
    fn marks_round_trip_through_their_characters() {
        for mark in [
            Mark::Open(0),
            Mark::Close(7),
            Mark::Standalone(MAX_CODES as u16 - 1),
        ] {
            assert_eq!(Mark::of(mark.char()), Some(mark));
        }
        assert_eq!(Mark::of('a'), None);
        assert_eq!(Mark::of('\u{F8FF}'), None);
    }

    #[test]
    fn notation_numbers_codes_in_the_italians_order() {
        let source = format!("Il {}sindaco{} di Roma{} & co.", o(4), c(4), s(2));
        assert_eq!(
            to_notation(&source, &source),
            "Il <1>sindaco</1> di Roma<2/> &amp; co."
        );
        let target = format!("The Rome{} {}mayor{} < all", s(2), o(4), c(4));
        let written = to_notation(&source, &target);
        assert_eq!(written, "The Rome<2/> <1>mayor</1> &lt; all");
        assert_eq!(from_notation(&source, &written).unwrap(), target);
    }

    #[test]
    fn notation_refuses_codes_the_italian_lacks_and_stray_brackets() {
        let source = format!("{}Roma{}", o(0), c(0));
        assert_eq!(
            from_notation(&source, "<2>Rome</2>"),
            Err(NotationError::UnknownCode("<2>".into()))
        );
        assert_eq!(
            from_notation(&source, "<1/>Rome"),
            Err(NotationError::UnknownCode("<1/>".into()))
        );
        assert!(matches!(
            from_notation(&source, "a < b"),
            Err(NotationError::Syntax { at: 2, .. })
        ));
        assert!(matches!(
            from_notation(&source, "Tom & Jerry"),
            Err(NotationError::Syntax { .. })
        ));
        assert!(from_notation(&source, "Rome").is_ok());
    }

    #[test]
    fn a_segment_holding_one_end_of_a_code_accepts_only_that_end() {
        let source = format!("{}Roma è bella.", o(3));
        assert!(from_notation(&source, "<1>Rome is fine.").is_ok());
        assert!(from_notation(&source, "<1>Rome</1> is fine.").is_err());
    }

    #[test]
    fn plain_offsets_point_back_into_the_text() {
        let text = format!("a{}bè{}c", o(1), c(1));
        let (plain, offsets) = plain_with_offsets(&text);
        assert_eq!(plain, "abèc");
        assert_eq!(&text[offsets[1]..offsets[2]], "b");
        assert_eq!(&text[offsets[4]..], "c");
        assert_eq!(&text[offsets[2] + "è".len()..offsets[4]], c(1).to_string());
        assert_eq!(offsets.len(), plain.len() + 1);
    }

    #[test]
    fn carrying_codes_over_maps_them_by_number() {
        let match_source = format!("Vedi {}qui{}.", o(0), c(0));
        let match_target = format!("See {}here{}.", o(0), c(0));
        let current = format!("Vedi {}là{}.", o(5), c(5));
        assert_eq!(
            carry_over(&match_source, &match_target, &current),
            format!("See {}here{}.", o(5), c(5))
        );
        assert_eq!(
            carry_over(&match_source, &match_target, "Vedi là."),
            "See here."
        );
    }

    #[test]
    fn sanitizing_removes_characters_that_would_pose_as_codes() {
        assert_eq!(sanitize(&format!("a{}b", s(3))), "ab");
        assert_eq!(sanitize("plain"), "plain");
    }
}

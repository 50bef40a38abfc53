//! The imported article as the engine sees it: an ordered list of blocks.
//!
//! A block is the unit of structure (paragraph, heading, list item, …).
//! Segments are cut inside one block and never cross into the next, so the
//! translated article can be rebuilt block by block in its original shape.
//! An article from a news page also carries what the page says about it
//! ([`ArticleMeta`]). Where each segment stands in the translation
//! workflow is a [`Status`], here so that file formats can carry it.

use std::fmt;
use std::str::FromStr;

/// The file format an article was imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Plain text: one block per non-empty line.
    Text,
    /// CommonMark Markdown.
    Markdown,
    /// An HTML page or fragment.
    Html,
}

impl SourceFormat {
    /// The stable name stored in the database and shown in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Html => "html",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(SourceFormat::Text),
            "markdown" => Ok(SourceFormat::Markdown),
            "html" => Ok(SourceFormat::Html),
            other => Err(format!("unknown source format `{other}`")),
        }
    }
}

/// What a block is in the article's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of running text (or a plain-text line).
    Paragraph,
    /// A heading of level 1 to 6.
    Heading(u8),
    /// An item of a list; `ordered` lists are numbered, `depth` counts from 0.
    ListItem {
        /// Whether the list is numbered.
        ordered: bool,
        /// Nesting depth, 0 for a top-level list.
        depth: u8,
    },
    /// A quoted passage.
    Quote,
    /// The caption of a figure or photo.
    Caption,
    /// The summary under a news headline (standfirst, dek, "sommario").
    Standfirst,
    /// Preformatted text or code, never translated.
    Code,
}

impl BlockKind {
    /// The stable name stored in the database, e.g. `h2` or `li-ordered-1`.
    pub fn code(self) -> String {
        match self {
            BlockKind::Paragraph => "p".into(),
            BlockKind::Heading(level) => format!("h{level}"),
            BlockKind::ListItem { ordered, depth } => {
                format!("li-{}-{depth}", if ordered { "ordered" } else { "bullet" })
            }
            BlockKind::Quote => "quote".into(),
            BlockKind::Caption => "caption".into(),
            BlockKind::Standfirst => "standfirst".into(),
            BlockKind::Code => "code".into(),
        }
    }

    /// Parses a name written by [`BlockKind::code`].
    pub fn from_code(code: &str) -> Option<BlockKind> {
        Some(match code {
            "p" => BlockKind::Paragraph,
            "quote" => BlockKind::Quote,
            "caption" => BlockKind::Caption,
            "standfirst" => BlockKind::Standfirst,
            "code" => BlockKind::Code,
            _ => {
                if let Some(level) = code.strip_prefix('h') {
                    let level: u8 = level.parse().ok()?;
                    return (1..=6)
                        .contains(&level)
                        .then_some(BlockKind::Heading(level));
                }
                let rest = code.strip_prefix("li-")?;
                let (kind, depth) = rest.split_once('-')?;
                let ordered = match kind {
                    "ordered" => true,
                    "bullet" => false,
                    _ => return None,
                };
                BlockKind::ListItem {
                    ordered,
                    depth: depth.parse().ok()?,
                }
            }
        })
    }
}

/// Why a block is or is not offered for translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Translatable {
    /// Article text.
    Yes,
    /// Site furniture recognised on import (menus, share prompts, bylines …).
    Boilerplate,
    /// Content that is never translated, such as code.
    Never,
    /// Article text the user chose to leave untranslated.
    Excluded,
}

impl Translatable {
    /// Whether the block's segments are to be translated.
    pub fn is_translatable(self) -> bool {
        self == Translatable::Yes
    }

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Translatable::Yes => "yes",
            Translatable::Boilerplate => "boilerplate",
            Translatable::Never => "never",
            Translatable::Excluded => "excluded",
        }
    }

    /// Parses a name written by [`Translatable::as_str`].
    pub fn from_name(name: &str) -> Option<Translatable> {
        Some(match name {
            "yes" => Translatable::Yes,
            "boilerplate" => Translatable::Boilerplate,
            "never" => Translatable::Never,
            "excluded" => Translatable::Excluded,
            _ => return None,
        })
    }
}

/// Where a segment stands in the translation workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing written yet.
    New,
    /// A target is being written but was not confirmed.
    Draft,
    /// Confirmed by the translator.
    Translated,
    /// Confirmed by a reviewer.
    Approved,
}

impl Status {
    /// The stable name used in the database, the CLI and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Draft => "draft",
            Status::Translated => "translated",
            Status::Approved => "approved",
        }
    }

    /// Parses a name written by [`Status::as_str`].
    pub fn from_name(name: &str) -> Option<Status> {
        Some(match name {
            "new" => Status::New,
            "draft" => Status::Draft,
            "translated" => Status::Translated,
            "approved" => Status::Approved,
            _ => return None,
        })
    }

    /// Whether the segment counts as done.
    pub fn is_confirmed(self) -> bool {
        matches!(self, Status::Translated | Status::Approved)
    }
}

/// One structural unit of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Paragraph, heading, list item, …
    pub kind: BlockKind,
    /// The block's text, whitespace-normalised, without markup; its inline
    /// codes are marks in it (see [`crate::text::codes`]).
    pub text: String,
    /// What each inline code of the text stands for, by id.
    pub codes: Vec<InlineCode>,
    /// Whether the block is offered for translation.
    pub translatable: Translatable,
}

/// What an inline code stands for in the original: enough to write it back
/// and to show it to a translator.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InlineCode {
    /// What it is, for people and for formats that name it: the HTML
    /// element (`a`, `strong`, `br`), the Markdown construct (`emphasis`,
    /// `link`), the XLIFF or TMX element (`g`, `bpt`, `ph`).
    pub element: String,
    /// Its start as the original writes it (`<a href="…">`, `**`,
    /// `<g id="1">`), or the whole code when it stands alone.
    pub open: String,
    /// Its end as the original writes it; empty for a standalone code.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub close: String,
    /// What a tooltip says about it: a link's address, an image's text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
}

/// An article after import, before segmentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The format it came from, which is also the format it is rebuilt in.
    pub format: SourceFormat,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
}

/// What the page says about the article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    /// Where the page was fetched from, if it was.
    pub url: Option<String>,
    /// The page's own idea of its address (`<link rel="canonical">`).
    pub canonical_url: Option<String>,
    /// The publication (JSON-LD publisher, `og:site_name`, else the host).
    pub outlet: Option<String>,
    /// The author or authors, comma-separated.
    pub author: Option<String>,
    /// Publication time as the page gives it (ISO 8601 as a rule).
    pub published: Option<String>,
    /// Last update time as the page gives it.
    pub updated: Option<String>,
}

impl ArticleMeta {
    /// One line for a reader: outlet, author, when published and updated
    /// (ISO times shortened to date and minute); `None` when it knows none.
    pub fn byline(&self) -> Option<String> {
        let parts: Vec<String> = [
            self.outlet.clone(),
            self.author.clone(),
            self.published
                .as_deref()
                .map(|t| format!("published {}", short_time(t))),
            self.updated
                .as_deref()
                .map(|t| format!("updated {}", short_time(t))),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.trim().is_empty())
        .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// The article's address: the page's own, else where it was fetched.
    pub fn address(&self) -> Option<&str> {
        self.canonical_url.as_deref().or(self.url.as_deref())
    }
}

/// "2024-11-09T06:58:00+01:00" → "2024-11-09 06:58"; anything else as it is.
fn short_time(time: &str) -> String {
    let bytes = time.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let is_date = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10);
    if !is_date {
        return time.to_string();
    }
    let has_minute = bytes.get(10) == Some(&b'T')
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16);
    if has_minute {
        format!("{} {}", &time[..10], &time[11..16])
    } else {
        time[..10].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_kind_codes_round_trip() {
        let kinds = [
            BlockKind::Paragraph,
            BlockKind::Heading(1),
            BlockKind::Heading(6),
            BlockKind::ListItem {
                ordered: true,
                depth: 2,
            },
            BlockKind::ListItem {
                ordered: false,
                depth: 0,
            },
            BlockKind::Quote,
            BlockKind::Caption,
            BlockKind::Standfirst,
            BlockKind::Code,
        ];
        for kind in kinds {
            assert_eq!(BlockKind::from_code(&kind.code()), Some(kind));
        }
        assert_eq!(BlockKind::from_code("h7"), None);
        assert_eq!(BlockKind::from_code("li-x-1"), None);
    }
}

/// How a code sits in one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeShape {
    /// Both its start and its end are in the segment.
    Paired,
    /// Only its start is: it ends in a later segment.
    Opening,
    /// Only its end is: it started in an earlier segment.
    Closing,
    /// It has no inside (a line break, an image, a placeholder).
    Standalone,
}

/// One inline code of a segment, as a translator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentCode {
    /// The code's id in its block, the number its marks carry.
    pub id: u16,
    /// Its number in the segment, from 1, in the Italian's order.
    pub number: usize,
    /// Whether the segment holds both its ends, one, or it stands alone.
    pub shape: CodeShape,
    /// What it stands for.
    pub code: InlineCode,
}

/// The codes of the segment whose Italian is `source`, numbered in its
/// order, with what each stands for in `block_codes`.
pub fn segment_codes(source: &str, block_codes: &[InlineCode]) -> Vec<SegmentCode> {
    use crate::text::codes::{marks, numbering, Mark};
    let marks: Vec<Mark> = marks(source).collect();
    numbering(source)
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let has = |mark: Mark| marks.contains(&mark);
            let shape = match (has(Mark::Open(id)), has(Mark::Close(id))) {
                (true, true) => CodeShape::Paired,
                (true, false) => CodeShape::Opening,
                (false, true) => CodeShape::Closing,
                (false, false) => CodeShape::Standalone,
            };
            SegmentCode {
                id,
                number: i + 1,
                shape,
                code: block_codes
                    .get(usize::from(id))
                    .cloned()
                    .unwrap_or_default(),
            }
        })
        .collect()
}

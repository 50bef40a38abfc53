//! Reading an article file into a [`Document`]: decoding, format detection,
//! the format readers, and the boilerplate detector.

mod article;
mod boilerplate;
mod fetch;
mod markdown;
mod text;

pub use article::{extract as extract_article, Article};
pub use boilerplate::is_boilerplate;
pub use fetch::{
    decode_page, fetch_article, fetch_article_blocking, is_url, web_address, FetchError,
    FetchSettings,
};

use std::path::Path;

use crate::document::{ArticleMeta, Document, SourceFormat, Translatable};

/// Largest article accepted, far above any news article, so that a wrong
/// file picked by mistake fails quickly instead of filling the database.
pub const MAX_ARTICLE_BYTES: usize = 20 * 1024 * 1024;

/// Why an article could not be imported. Nothing is stored when this happens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file as named by the user.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file holds no text at all.
    #[error("{file}: the file is empty")]
    Empty {
        /// The file as named by the user.
        file: String,
    },
    /// The file has text but nothing to translate after import.
    #[error("{file}: no text found in the file")]
    NoText {
        /// The file as named by the user.
        file: String,
    },
    /// The file looks like binary data, not text.
    #[error("{file}: this is a binary file, not a text article (NUL byte at offset {offset})")]
    Binary {
        /// The file as named by the user.
        file: String,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// The bytes are not valid UTF-8.
    #[error("{file}: not valid UTF-8 at byte offset {offset}; save the file as UTF-8 and import it again")]
    Encoding {
        /// The file as named by the user.
        file: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The format could not be recognised.
    #[error("{file}: unknown format; expected plain text (.txt), Markdown (.md) or HTML (.html)")]
    UnknownFormat {
        /// The file as named by the user.
        file: String,
    },
    /// The page nests elements deeper than any article does.
    #[error("{file}: elements are nested more than {limit} deep; this is not an article page")]
    TooDeep {
        /// The file as named by the user.
        file: String,
        /// The limit.
        limit: usize,
    },
    /// The file is larger than [`MAX_ARTICLE_BYTES`].
    #[error("{file}: the file is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge {
        /// The file as named by the user.
        file: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: usize,
    },
}

/// The sample article shipped with the app, offered in a new workspace.
pub const SAMPLE_ARTICLE: &str = include_str!("../../seeds/000_da66b3da442e8d8e.txt");

/// File name under which the sample article is imported.
pub const SAMPLE_ARTICLE_NAME: &str = "Putin va da Kim (sample article)";

/// Reads and parses the article at `path`, with what the page says about
/// it (an HTML page saved from a news site carries its outlet, author and
/// dates); the format comes from the file extension, or from the content
/// when the extension says nothing.
pub fn read_article_file(path: &Path) -> Result<Article, ImportError> {
    let file = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|source| ImportError::Io {
            file: file.clone(),
            source,
        })?
        .len();
    if size > MAX_ARTICLE_BYTES as u64 {
        return Err(ImportError::TooLarge {
            file,
            size,
            limit: MAX_ARTICLE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        file: file.clone(),
        source,
    })?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    read_article(&file, extension.as_deref(), &bytes)
}

/// Parses an article held in memory. `name` is used in error messages;
/// `extension` (without the dot) picks the format when given.
pub fn import_bytes(
    name: &str,
    extension: Option<&str>,
    bytes: &[u8],
) -> Result<Document, ImportError> {
    read_article(name, extension, bytes).map(|a| a.document)
}

/// [`import_bytes`] with the page's metadata.
pub fn read_article(
    name: &str,
    extension: Option<&str>,
    bytes: &[u8],
) -> Result<Article, ImportError> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(ImportError::TooLarge {
            file: name.to_string(),
            size: bytes.len() as u64,
            limit: MAX_ARTICLE_BYTES,
        });
    }
    let text = decode(name, bytes)?;
    let text = &*crate::text::codes::sanitize(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            file: name.to_string(),
        });
    }
    let format = match extension {
        Some("txt" | "text") => SourceFormat::Text,
        Some("md" | "markdown") => SourceFormat::Markdown,
        Some("html" | "htm" | "xhtml") => SourceFormat::Html,
        Some(_) => {
            return Err(ImportError::UnknownFormat {
                file: name.to_string(),
            })
        }
        None => sniff_format(text),
    };
    let mut article = match format {
        SourceFormat::Html => {
            check_nesting(name, text)?;
            article::extract(text, None)
        }
        other => Article {
            document: parse(other, text),
            meta: ArticleMeta::default(),
        },
    };
    finish(name, &mut article.document)?;
    Ok(article)
}

/// Nesting an HTML page may have: far above any real page (a few dozen
/// levels), far below what makes the HTML parser slow (it scans its stack
/// of open elements for each tag) or the tree walk deep.
const MAX_NESTING: usize = 1_000;

/// Refuses HTML nested deeper than [`MAX_NESTING`], measured by a scan of
/// the tags: elements that are often left open (p, li, td …) and void
/// ones do not count, comments, scripts and styles are skipped.
fn check_nesting(name: &str, html: &str) -> Result<(), ImportError> {
    const NOT_NESTING: &[&str] = &[
        "p", "li", "dt", "dd", "option", "tr", "td", "th", "br", "img", "meta", "link", "input",
        "hr", "wbr", "source", "area", "base", "col", "embed", "param", "track",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut at) = (0usize, 0usize);
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        at += found + 1;
        let rest = &html[at..];
        if rest.starts_with("!--") {
            at += rest.find("-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let tag: String = rest[usize::from(closing)..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if tag.is_empty() || NOT_NESTING.contains(&tag.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if matches!(tag.as_str(), "script" | "style") {
            // To the closing tag, in any case: "</script", "</SCRIPT".
            at += memchr::memmem::find_iter(rest.as_bytes(), b"</")
                .find(|&end| {
                    rest.as_bytes()[end + 2..]
                        .get(..tag.len())
                        .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
                })
                .unwrap_or(rest.len());
            continue;
        }
        // "<br/>": the tag's end is looked for nearby only, so that text
        // full of "<" without ">" stays a linear scan.
        let window = &rest.as_bytes()[..rest.len().min(1024)];
        let self_closing =
            memchr::memchr(b'>', window).is_some_and(|end| end > 0 && window[end - 1] == b'/');
        if !self_closing {
            depth += 1;
            if depth > MAX_NESTING {
                return Err(ImportError::TooDeep {
                    file: name.to_string(),
                    limit: MAX_NESTING,
                });
            }
        }
    }
    Ok(())
}

/// Marks the site furniture left in the blocks and refuses a document
/// with nothing in it.
fn finish(name: &str, doc: &mut Document) -> Result<(), ImportError> {
    for block in &mut doc.blocks {
        if block.translatable == Translatable::Yes
            && is_boilerplate(&crate::text::codes::strip(&block.text))
        {
            block.translatable = Translatable::Boilerplate;
        }
    }
    if doc.blocks.is_empty() {
        return Err(ImportError::NoText {
            file: name.to_string(),
        });
    }
    Ok(())
}

/// Parses text already known to be in `format`.
pub fn parse(format: SourceFormat, text: &str) -> Document {
    match format {
        SourceFormat::Text => Document {
            format,
            blocks: text::blocks(text),
        },
        SourceFormat::Markdown => Document {
            format,
            blocks: markdown::blocks(text),
        },
        SourceFormat::Html => article::extract(text, None).document,
    }
}

/// Checks the bytes are UTF-8 text and strips a byte-order mark.
fn decode<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty {
            file: name.to_string(),
        });
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(ImportError::Binary {
            file: name.to_string(),
            offset,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::Encoding {
        file: name.to_string(),
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

/// Guesses the format of text that came without a telling file name.
fn sniff_format(text: &str) -> SourceFormat {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<body")
        || head.contains("<p>")
        || head.contains("<article")
    {
        return SourceFormat::Html;
    }
    let markdown_lines = text
        .lines()
        .take(200)
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("# ")
                || l.starts_with("## ")
                || l.starts_with("- ")
                || l.starts_with("* ")
        })
        .count();
    if markdown_lines >= 2 {
        SourceFormat::Markdown
    } else {
        SourceFormat::Text
    }
}

/// Collapses runs of whitespace into single spaces and trims the ends.
/// Non-breaking spaces are kept: in Italian they bind numbers to units.
/// A space just inside a paired inline code goes outside it, so that codes
/// hug the words they mark ("vedi <1>qui</1> ora"), and no space is kept
/// before or after the text, codes or not.
pub(crate) fn normalise_space(text: &str) -> String {
    use crate::text::codes::{is_code, Mark};
    let breaking = |c: char| c.is_whitespace() && c != '\u{A0}' && c != '\u{202F}';
    let mut out = String::with_capacity(text.len());
    // The codes and spaces met since the last other character.
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String, last: bool| {
        let mut moved = true;
        while moved {
            moved = false;
            for i in 1..run.len() {
                let (a, b) = (run[i - 1], run[i]);
                let outward = matches!(
                    (Mark::of(a), Mark::of(b)),
                    (Some(Mark::Open(_)), None) | (None, Some(Mark::Close(_)))
                );
                if outward {
                    run.swap(i - 1, i);
                    moved = true;
                }
            }
        }
        for &c in run.iter() {
            let space = c == ' ';
            let edge = out.is_empty() || last;
            if !(space && (edge || out.ends_with(' '))) {
                out.push(c);
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if breaking(c) {
            if run.last() != Some(&' ') {
                run.push(' ');
            }
        } else if is_code(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out, false);
            out.push(c);
        }
    }
    flush(&mut run, &mut out, true);
    out
}

#[cfg(test)]
mod tests;

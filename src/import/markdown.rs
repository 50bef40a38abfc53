//! Markdown: headings, paragraphs, list items, quotes and code. Emphasis,
//! strong emphasis and links become paired inline codes of their block;
//! inline code, images and hard line breaks codes that stand alone, each
//! keeping the Markdown that writes it back.

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::document::{Block, BlockKind, InlineCode, Translatable};
use crate::text::codes::{sanitize, strip, Mark, MAX_CODES};

use super::normalise_space;

/// The block being collected.
struct Current {
    kind: BlockKind,
    text: String,
    codes: Vec<InlineCode>,
}

impl Current {
    fn new(kind: BlockKind) -> Current {
        Current {
            kind,
            text: String::new(),
            codes: Vec::new(),
        }
    }

    /// Adds a code, if the block has room for one; its id.
    fn code(&mut self, element: &str, open: String, close: String, title: String) -> Option<u16> {
        if self.codes.len() >= MAX_CODES || self.kind == BlockKind::Code {
            return None;
        }
        self.codes.push(InlineCode {
            element: element.to_string(),
            open,
            close,
            title,
        });
        Some((self.codes.len() - 1) as u16)
    }
}

pub(super) fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Current> = None;
    // One entry per open list: whether it is ordered.
    let mut lists: Vec<bool> = Vec::new();
    let mut quote_depth = 0usize;
    // The code of each emphasis, strong emphasis or link open now (`None`
    // past the block's room for codes), closed by its end event.
    let mut open: Vec<Option<u16>> = Vec::new();
    // An image being read: its alt text, address and title, until its end
    // event; and how many images its alt text holds (they are text there).
    let mut image: Option<(String, CowStr<'_>, CowStr<'_>)> = None;
    let mut images_in_alt = 0usize;

    let flush = |current: &mut Option<Current>, blocks: &mut Vec<Block>| {
        if let Some(Current { kind, text, codes }) = current.take() {
            let text = if kind == BlockKind::Code {
                text.trim_end().to_string()
            } else {
                normalise_space(&text)
            };
            if !strip(&text).trim().is_empty() {
                let translatable = if kind == BlockKind::Code {
                    Translatable::Never
                } else {
                    Translatable::Yes
                };
                blocks.push(Block {
                    kind,
                    text,
                    codes,
                    translatable,
                });
            }
        }
    };

    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Some((alt, _, _)) = image.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&sanitize(&t)),
                Event::Start(Tag::Image { .. }) => images_in_alt += 1,
                Event::End(TagEnd::Image) if images_in_alt > 0 => images_in_alt -= 1,
                Event::End(TagEnd::Image) => {
                    let (alt, dest, title) = image.take().expect("an image is open");
                    let written = format!("![{}]{}", escape_alt(&alt), destination(&dest, &title));
                    let block = current.get_or_insert_with(|| Current::new(BlockKind::Paragraph));
                    if let Some(id) = block.code("image", written, String::new(), alt) {
                        block.text.push(Mark::Standalone(id).char());
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut blocks);
                current = Some(Current::new(BlockKind::Heading(level as u8)));
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut current, &mut blocks);
                lists.push(first.is_some());
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut blocks);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut blocks);
                let ordered = lists.last().copied().unwrap_or(false);
                let depth = lists.len().saturating_sub(1).min(u8::MAX as usize) as u8;
                current = Some(Current::new(BlockKind::ListItem { ordered, depth }));
            }
            // A paragraph inside a list item continues the item.
            Event::Start(Tag::Paragraph) if !matches!(&current, Some(c) if matches!(c.kind, BlockKind::ListItem { .. })) =>
            {
                flush(&mut current, &mut blocks);
                let kind = if quote_depth > 0 {
                    BlockKind::Quote
                } else {
                    BlockKind::Paragraph
                };
                current = Some(Current::new(kind));
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut current, &mut blocks);
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut current, &mut blocks);
                quote_depth = quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut current, &mut blocks);
                current = Some(Current::new(BlockKind::Code));
            }
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Item) => {
                flush(&mut current, &mut blocks);
            }
            Event::End(TagEnd::Paragraph) => match current.as_mut() {
                Some(c) if matches!(c.kind, BlockKind::ListItem { .. }) => c.text.push(' '),
                _ => flush(&mut current, &mut blocks),
            },
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Link { .. })) => {
                let block = current.get_or_insert_with(|| Current::new(BlockKind::Paragraph));
                let (element, open_with, close, title) = match tag {
                    Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        ..
                    } => {
                        // An e-mail autolink's address has no scheme.
                        let dest =
                            if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                                format!("mailto:{dest_url}")
                            } else {
                                dest_url.to_string()
                            };
                        let close = format!("]{}", destination(&dest, &title));
                        ("link", "[".to_string(), close, dest)
                    }
                    emphasis => {
                        // The writer's own delimiter: `*` or `_`.
                        let delimiter = match text[range.start..].chars().next() {
                            Some('_') => '_',
                            _ => '*',
                        };
                        let (element, n) = match emphasis {
                            Tag::Strong => ("strong", 2),
                            _ => ("emphasis", 1),
                        };
                        let run = delimiter.to_string().repeat(n);
                        (element, run.clone(), run, String::new())
                    }
                };
                let id = block.code(element, open_with, close, title);
                if let Some(id) = id {
                    block.text.push(Mark::Open(id).char());
                }
                open.push(id);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {
                if let (Some(Some(id)), Some(block)) = (open.pop(), current.as_mut()) {
                    block.text.push(Mark::Close(id).char());
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => image = Some((String::new(), dest_url, title)),
            // An entity such as `&#xE000;` must not pose as a code.
            Event::Text(t) => {
                let block = current.get_or_insert_with(|| Current::new(BlockKind::Paragraph));
                block.text.push_str(&sanitize(&t));
            }
            // Inline code is not language: it stays as written, whole.
            Event::Code(t) => {
                let block = current.get_or_insert_with(|| Current::new(BlockKind::Paragraph));
                let t = sanitize(&t).into_owned();
                match block.code("code", code_span(&t), String::new(), t.clone()) {
                    Some(id) => block.text.push(Mark::Standalone(id).char()),
                    None => block.text.push_str(&t),
                }
            }
            Event::HardBreak => {
                if let Some(block) = current.as_mut() {
                    if let Some(id) =
                        block.code("break", "\\\n".into(), String::new(), String::new())
                    {
                        block.text.push(Mark::Standalone(id).char());
                    }
                    // The words on either side of a break are apart.
                    block.text.push(' ');
                }
            }
            Event::SoftBreak => {
                if let Some(block) = current.as_mut() {
                    block.text.push(if block.kind == BlockKind::Code {
                        '\n'
                    } else {
                        ' '
                    });
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

/// A link's or image's destination and title as Markdown writes them,
/// `(url "title")`; the address between `<` `>` when it has spaces,
/// brackets or backslashes.
fn destination(url: &str, title: &str) -> String {
    let bare = !url.is_empty()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "()<>\\".contains(c));
    let mut out = String::from("(");
    if bare {
        out.push_str(url);
    } else {
        out.push('<');
        for c in url.chars() {
            if matches!(c, '<' | '>' | '\\') {
                out.push('\\');
            }
            // A line break cannot be written inside `<…>`.
            out.push(if c == '\n' || c == '\r' { ' ' } else { c });
        }
        out.push('>');
    }
    if !title.is_empty() {
        out.push_str(" \"");
        for c in title.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push(')');
    out
}

/// Inline code as Markdown writes it: between more backticks than any run
/// of them inside, padded with a space where the content would otherwise
/// merge with them (rebuilt rather than copied, as the original may run
/// over lines with a quote's `>` in them).
fn code_span(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ') && content.ends_with(' ') && !content.trim().is_empty());
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{content}{space}{fence}")
}

/// An image's text with what Markdown would read as markup escaped.
fn escape_alt(alt: &str) -> String {
    let mut out = String::with_capacity(alt.len());
    for c in alt.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

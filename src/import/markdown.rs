//! Markdown: headings, paragraphs, list items, quotes and code, with inline
//! markup reduced to its text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::document::{Block, BlockKind, Translatable};

use super::normalise_space;

pub(super) fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // Kind of the block being collected, and its text so far.
    let mut current: Option<(BlockKind, String)> = None;
    // One entry per open list: whether it is ordered.
    let mut lists: Vec<bool> = Vec::new();
    let mut quote_depth = 0usize;

    let flush = |current: &mut Option<(BlockKind, String)>, blocks: &mut Vec<Block>| {
        if let Some((kind, text)) = current.take() {
            let text = if kind == BlockKind::Code {
                text.trim_end().to_string()
            } else {
                normalise_space(&text)
            };
            if !text.is_empty() {
                let translatable = if kind == BlockKind::Code {
                    Translatable::Never
                } else {
                    Translatable::Yes
                };
                blocks.push(Block {
                    kind,
                    text,
                    codes: Vec::new(),
                    translatable,
                });
            }
        }
    };

    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut blocks);
                current = Some((BlockKind::Heading(level as u8), String::new()));
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
                current = Some((BlockKind::ListItem { ordered, depth }, String::new()));
            }
            // A paragraph inside a list item continues the item.
            Event::Start(Tag::Paragraph)
                if !matches!(current, Some((BlockKind::ListItem { .. }, _))) =>
            {
                flush(&mut current, &mut blocks);
                let kind = if quote_depth > 0 {
                    BlockKind::Quote
                } else {
                    BlockKind::Paragraph
                };
                current = Some((kind, String::new()));
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
                current = Some((BlockKind::Code, String::new()));
            }
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Item) => {
                flush(&mut current, &mut blocks);
            }
            Event::End(TagEnd::Paragraph) => {
                if !matches!(current, Some((BlockKind::ListItem { .. }, _))) {
                    flush(&mut current, &mut blocks);
                } else if let Some((_, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            Event::Text(t) | Event::Code(t) => {
                let (_, text) =
                    current.get_or_insert_with(|| (BlockKind::Paragraph, String::new()));
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((kind, text)) = current.as_mut() {
                    text.push(if *kind == BlockKind::Code { '\n' } else { ' ' });
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

//! HTML: the article's text blocks (headings, paragraphs, list items, quotes,
//! captions), leaving out scripts, styles and the page's navigation furniture.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::document::{Block, BlockKind, Translatable};

use super::normalise_space;

/// Elements whose whole subtree is page furniture or not text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg",
    "button", "select", "iframe", "object", "head",
];

pub(super) fn blocks(text: &str) -> Vec<Block> {
    let html = Html::parse_document(text);
    let mut blocks = Vec::new();
    let mut lists = Vec::new();
    walk(html.tree.root(), &mut lists, &mut blocks);
    blocks
}

fn block_kind(name: &str, lists: &[bool]) -> Option<BlockKind> {
    Some(match name {
        "p" => BlockKind::Paragraph,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading(name.as_bytes()[1] - b'0'),
        "li" => BlockKind::ListItem {
            ordered: lists.last().copied().unwrap_or(false),
            depth: lists.len().saturating_sub(1).min(u8::MAX as usize) as u8,
        },
        "blockquote" => BlockKind::Quote,
        "figcaption" => BlockKind::Caption,
        "pre" => BlockKind::Code,
        _ => return None,
    })
}

fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "blockquote"
            | "figcaption"
            | "pre"
            | "ul"
            | "ol"
            | "div"
            | "section"
            | "article"
            | "table"
    )
}

fn walk(node: NodeRef<'_, Node>, lists: &mut Vec<bool>, out: &mut Vec<Block>) {
    let Node::Element(element) = node.value() else {
        for child in node.children() {
            walk(child, lists, out);
        }
        return;
    };
    let name = element.name();
    if SKIPPED.contains(&name) || element.attr("hidden").is_some() {
        return;
    }
    let is_list = matches!(name, "ul" | "ol");
    if is_list {
        lists.push(name == "ol");
    }
    match block_kind(name, lists) {
        Some(kind) if !has_block_child(node) => {
            let mut text = String::new();
            collect_text(node, &mut text);
            let text = if kind == BlockKind::Code {
                text.trim_end().to_string()
            } else {
                normalise_space(&text)
            };
            if !text.is_empty() {
                out.push(Block {
                    kind,
                    text,
                    translatable: if kind == BlockKind::Code {
                        Translatable::Never
                    } else {
                        Translatable::Yes
                    },
                });
            }
        }
        _ => {
            for child in node.children() {
                walk(child, lists, out);
            }
        }
    }
    if is_list {
        lists.pop();
    }
}

fn has_block_child(node: NodeRef<'_, Node>) -> bool {
    node.descendants().skip(1).any(|d| match d.value() {
        Node::Element(e) => is_block_element(e.name()),
        _ => false,
    })
}

fn collect_text(node: NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push(' '),
            Node::Element(e) if SKIPPED.contains(&e.name()) => {}
            Node::Element(_) => collect_text(child, out),
            _ => {}
        }
    }
}

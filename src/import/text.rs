//! Plain text as scraped from a news site: every non-empty line is a block.

use crate::document::{Block, BlockKind, Translatable};

pub(super) fn blocks(text: &str) -> Vec<Block> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| Block {
            kind: BlockKind::Paragraph,
            text: line.to_string(),
            codes: Vec::new(),
            translatable: Translatable::Yes,
        })
        .collect()
}

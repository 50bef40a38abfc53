//! Shared documents without a server: a shared segment as a block of its
//! own, every inline code of its Italian described.

use super::{block_of, manages_documents};
use crate::store::Status;

#[test]
fn a_shared_segment_s_codes_are_described_by_their_ids() {
    let source = "Il \u{e001}premier\u{e801} si dimette.\u{f000}";
    let block = block_of(source, "", Status::New);
    assert_eq!(block.text, source);
    assert_eq!(block.segments.len(), 1);
    assert_eq!(block.segments[0].source, source);
    let described: Vec<(&str, &str, &str)> = block
        .codes
        .iter()
        .map(|c| (c.element.as_str(), c.open.as_str(), c.close.as_str()))
        .collect();
    assert_eq!(
        described,
        [("x", "<x id=\"1\"/>", ""), ("g", "<g id=\"2\">", "</g>")]
    );
    assert!(block_of("Piove.", "It rains.", Status::Translated)
        .codes
        .is_empty());
}

#[test]
fn editors_and_admins_manage_documents() {
    let managers: Vec<bool> = ["admin", "editor", "translator", "reviewer"]
        .into_iter()
        .map(manages_documents)
        .collect();
    assert_eq!(managers, [true, true, false, false]);
}

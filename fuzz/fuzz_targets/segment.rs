//! The Italian segmenter on any text: no panic, and segments that are
//! in order, inside the text, on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let segmenter = interlinea::Segmenter::italian(&["Sig", "on"]);
    let mut end = 0;
    for range in segmenter.split(text) {
        assert!(range.start >= end && range.start <= range.end && range.end <= text.len());
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        end = range.end;
    }
});

//! SRX files of any shape: parsed and compiled, or refused; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (xml, text) = input;
    if let Ok(segmenter) = interlinea::Segmenter::from_srx::<&str>(xml, &[]) {
        for range in segmenter.split(text) {
            assert!(range.end <= text.len());
        }
    }
});

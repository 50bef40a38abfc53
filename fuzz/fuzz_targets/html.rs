//! The article importer (HTML, Markdown, text) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &[u8])| {
    let (kind, bytes) = input;
    let extension = ["html", "md", "txt"][usize::from(kind) % 3];
    let _ = interlinea::import_bytes("fuzz", Some(extension), bytes);
});

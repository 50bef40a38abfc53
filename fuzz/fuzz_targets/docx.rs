//! The review DOCX reader on any bytes (ZIP or not): rows or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = interlinea::formats::docx::read(bytes);
});

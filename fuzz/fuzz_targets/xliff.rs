//! The XLIFF reader on any bytes: units or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = interlinea::formats::xliff::parse(bytes);
});

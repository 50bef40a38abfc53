//! The TMX reader on any bytes: units or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(stream) = interlinea::formats::tmx::utf8_stream(bytes) else {
        return;
    };
    let mut reader = interlinea::formats::tmx::TmxReader::new(stream, "it", "en");
    for _ in 0..10_000 {
        match reader.next_unit() {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
});

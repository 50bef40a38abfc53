//! The benchmarks' real Italian–English units: the TMX files of
//! `../shared/data/tm` that are present (gzipped or not), in order.

use std::io::Read;
use std::path::Path;

use interlinea::formats::tmx::TmxReader;

/// The (source, target) pairs of the named files; none when absent.
pub fn units(names: &[&str]) -> Vec<(String, String)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/tm"));
    let mut units = Vec::new();
    for name in names {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        let bytes = if name.ends_with(".gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .expect("gzip");
            out
        } else {
            bytes
        };
        for unit in TmxReader::new(&bytes[..], "it", "en") {
            let unit = unit.expect("valid TMX");
            units.push((unit.source, unit.target));
        }
    }
    units
}

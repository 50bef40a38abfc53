//! The benchmarks' real Italian–English units: the TMX files of
//! `../shared/data/tm` that are present (gzipped or not), in order, and
//! the deterministic variants that grow them into a large memory.

use std::io::Read;
use std::path::Path;

use interlinea::formats::tmx::TmxReader;

/// The (source, target) pairs of the named files; none when absent.
pub fn units(names: &[&str]) -> Vec<(String, String)> {
    // Beside the checkout, whichever crate's benchmark asks.
    let Some(dir) = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .filter_map(Path::parent)
        .map(|above| above.join("shared/data/tm"))
        .find(|dir| dir.is_dir())
    else {
        return Vec::new();
    };
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

/// The real units of the TM benchmarks (and the desk's), as (source, target).
pub fn real_units() -> Vec<(String, String)> {
    units(&[
        "tatoeba-it-en.tmx",
        "libreoffice-ui-it-en.tmx",
        "libreoffice-help-it-en.tmx.gz",
    ])
}

/// A xorshift generator, so that the same seed grows the same memory.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound.max(1) as u64) as usize
    }
}

/// A variant of a real unit: a word dropped, two words swapped, or two
/// units joined (the targets too).
pub fn variant(real: &[(String, String)], rng: &mut Rng) -> (String, String) {
    let (source, target) = &real[rng.below(real.len())];
    let mut words: Vec<&str> = source.split_whitespace().collect();
    match rng.below(3) {
        0 if words.len() > 2 => {
            words.remove(rng.below(words.len()));
        }
        1 if words.len() > 2 => {
            let i = rng.below(words.len() - 1);
            words.swap(i, i + 1);
        }
        _ => {
            let (other_source, other_target) = &real[rng.below(real.len())];
            return (
                format!("{source} {other_source}"),
                format!("{target} {other_target}"),
            );
        }
    }
    (words.join(" "), target.clone())
}

/// `size` units with distinct sources: the real ones first, then variants.
/// The same seed grows the same memory.
pub fn grow(real: &[(String, String)], size: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    let mut seen = std::collections::HashSet::new();
    let mut units = Vec::with_capacity(size);
    for unit in real.iter().take(size) {
        if seen.insert(unit.0.clone()) {
            units.push(unit.clone());
        }
    }
    while units.len() < size {
        let unit = variant(real, &mut rng);
        if seen.insert(unit.0.clone()) {
            units.push(unit);
        }
    }
    units
}

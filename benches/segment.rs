//! Segmentation speed: MB/s on a 5 MB Italian text paragraph by paragraph,
//! on one 1 MB paragraph, and the time to load the rules.
//!
//! The text is the sample article plus, when `../shared/data` is present, the
//! treebank texts, repeated up to size. Run with `cargo bench --bench segment`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use interlinea::segment::eval::read_cases;
use interlinea::segment::{SrxDocument, SrxRules};
use interlinea::Segmenter;

const TARGET_BYTES: usize = 5 * 1024 * 1024;
const LONG_PARAGRAPH_BYTES: usize = 1024 * 1024;
const RUNS: usize = 7;

fn paragraphs() -> Vec<String> {
    let mut paragraphs: Vec<String> = interlinea::SAMPLE_ARTICLE
        .lines()
        .filter(|l| l.trim().len() > 40)
        .map(str::to_string)
        .collect();
    let data = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/segmentation"
    ));
    if let Ok(entries) = std::fs::read_dir(data) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "jsonl") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for case in read_cases(&text).unwrap_or_default() {
                    paragraphs.push(case.text);
                }
            }
        }
    }
    paragraphs
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / time.as_secs_f64()
}

fn main() {
    let base = paragraphs();
    let mut corpus = Vec::new();
    let mut n_bytes = 0;
    while n_bytes < TARGET_BYTES {
        for p in &base {
            n_bytes += p.len();
            corpus.push(p.clone());
        }
    }
    let segmenter = Segmenter::italian::<&str>(&[]);

    let mut n_segments = 0;
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            n_segments = corpus
                .iter()
                .map(|p| black_box(segmenter.split(p)).len())
                .sum();
            start.elapsed()
        })
        .collect();
    let by_paragraph = median(times);
    println!(
        "paragraph by paragraph: {:.2} MB in {} paragraphs, {n_segments} segments: median {:.1} ms = {:.0} MB/s",
        n_bytes as f64 / 1048576.0,
        corpus.len(),
        by_paragraph.as_secs_f64() * 1000.0,
        mb_per_s(n_bytes, by_paragraph)
    );

    let mut long = String::with_capacity(LONG_PARAGRAPH_BYTES + 4096);
    for p in corpus.iter().cycle() {
        if long.len() >= LONG_PARAGRAPH_BYTES {
            break;
        }
        long.push_str(p);
        long.push(' ');
    }
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(segmenter.split(&long));
            start.elapsed()
        })
        .collect();
    let one_paragraph = median(times);
    println!(
        "one {:.2} MB paragraph: median {:.1} ms = {:.0} MB/s",
        long.len() as f64 / 1048576.0,
        one_paragraph.as_secs_f64() * 1000.0,
        mb_per_s(long.len(), one_paragraph)
    );

    let times: Vec<Duration> = (0..100)
        .map(|_| {
            let start = Instant::now();
            black_box(Segmenter::italian(&["Sovr.", "Psichiatr."]));
            start.elapsed()
        })
        .collect();
    println!(
        "built-in rules load: median {:.3} ms",
        median(times).as_secs_f64() * 1000.0
    );

    let srx_dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/srx"));
    for name in ["languagetool-segment.srx", "omegat-defaultRules.srx"] {
        let Ok(xml) = std::fs::read_to_string(srx_dir.join(name)) else {
            continue;
        };
        let start = Instant::now();
        let doc = SrxDocument::parse(&xml).expect("SRX parses");
        let parse = start.elapsed();
        let srx =
            Segmenter::Srx(SrxRules::compile::<&str>(&doc, "it", &[]).expect("SRX rules compile"));
        let load = start.elapsed();
        let sample: Vec<&String> = corpus.iter().take(2000).collect();
        let sample_bytes: usize = sample.iter().map(|p| p.len()).sum();
        let start = Instant::now();
        for p in &sample {
            black_box(srx.split(p));
        }
        let time = start.elapsed();
        println!(
            "SRX {name}: load {:.1} ms (XML {:.1} ms); {:.1} MB/s on {:.2} MB",
            load.as_secs_f64() * 1000.0,
            parse.as_secs_f64() * 1000.0,
            mb_per_s(sample_bytes, time),
            sample_bytes as f64 / 1048576.0
        );
    }
}

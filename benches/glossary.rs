//! Glossary benchmark: building the term matcher and recognizing terms in
//! news-length sentences, with 1k, 10k and 100k entries.
//!
//! Terms are runs of one to four words cut from real Italian sentences (the
//! TM corpus in `../shared/data/tm` when it is there, else the sample
//! article), so they share words and prefixes the way a real termbase does;
//! the starter glossary is always included. Sentences of 100 to 200
//! characters are taken from the same text. `cargo bench --bench glossary
//! [-- 1000 10000 100000]`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use interlinea::formats::glossary_table;
use interlinea::glossary::TermMatcher;
use interlinea::termbase::Entry;

// The real units only, not the generator that grows them.
#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound.max(1) as u64) as usize
    }
}

/// Italian sentences: the TM corpus's sources, or the sample article's.
fn italian_text() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sentences: Vec<String> =
        corpus::units(&["tatoeba-it-en.tmx", "libreoffice-help-it-en.tmx.gz"])
            .into_iter()
            .map(|(source, _)| source)
            .collect();
    if sentences.is_empty() {
        let article = std::fs::read_to_string(root.join("seeds/000_da66b3da442e8d8e.txt"))
            .expect("the sample article");
        sentences = article
            .split(['.', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    sentences
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1e6
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    let text = italian_text();
    let starter = glossary_table::read(include_bytes!("../glossary/news-it-en.csv"), b',')
        .expect("the starter glossary");
    let article = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_da66b3da442e8d8e.txt"
    ))
    .expect("the sample article");
    // News-length sentences: the article's, and corpus sentences of 100-200
    // characters.
    let mut sentences: Vec<String> = article
        .split_inclusive(['.', '!', '?'])
        .map(str::trim)
        .filter(|s| (100..=200).contains(&s.chars().count()))
        .map(str::to_string)
        .collect();
    sentences.extend(
        text.iter()
            .filter(|s| (100..=200).contains(&s.chars().count()))
            .take(2000 - sentences.len().min(2000))
            .cloned(),
    );
    let mean_chars =
        sentences.iter().map(|s| s.chars().count()).sum::<usize>() as f64 / sentences.len() as f64;
    println!(
        "{} sentences of 100-200 characters (mean {mean_chars:.0})",
        sentences.len()
    );
    println!("| entries | build ms | p50 µs | p95 µs | p99 µs | hits/sentence |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for &size in &sizes {
        let mut rng = Rng(0x243F_6A88_85A3_08D3 ^ size as u64);
        let mut entries: Vec<Entry> = starter.iter().take(size).cloned().collect();
        // One entry per term, as in a kept termbase.
        let mut seen: std::collections::HashSet<String> = entries
            .iter()
            .flat_map(|e| e.italian.iter().map(|t| t.text.to_lowercase()))
            .collect();
        while entries.len() < size {
            let sentence = &text[rng.below(text.len())];
            let words: Vec<&str> = sentence
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| w.chars().count() > 2)
                .collect();
            if words.is_empty() {
                continue;
            }
            let len = 1 + rng.below(4).min(words.len() - 1);
            let start = rng.below(words.len() + 1 - len);
            let term = words[start..start + len].join(" ");
            if !seen.insert(term.to_lowercase()) {
                continue;
            }
            entries.push(Entry::pair(&term, &format!("EN {term}")));
        }
        let start = Instant::now();
        let matcher = TermMatcher::new(entries);
        let build = start.elapsed();
        // Warm up, then time every sentence several times.
        for s in &sentences {
            black_box(matcher.find(s));
        }
        let mut times = Vec::with_capacity(sentences.len() * 5);
        let mut hits = 0;
        for _ in 0..5 {
            for s in &sentences {
                let start = Instant::now();
                let found = matcher.find(s);
                times.push(start.elapsed());
                hits += found.len();
                black_box(found);
            }
        }
        times.sort();
        println!(
            "| {size} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            build.as_secs_f64() * 1000.0,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            hits as f64 / times.len() as f64
        );
    }
}

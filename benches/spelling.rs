//! Spelling benchmark: the `spelling` QA check of a 5,000-segment
//! document, and the cost of one keystroke (one segment's English checked
//! again, as the editor asks after a pause in the typing).
//!
//! The document's Italian and English are real sentence pairs (the TM
//! corpus in `../shared/data/tm` when it is there, else the sample
//! article's sentences with made-up English), one in ten with a letter
//! dropped from a word; an imported TM holds the other pairs of the corpus,
//! so words the dictionary lacks are looked up in its concordance index as
//! they are in use. `cargo bench --bench spelling [-- SEGMENTS]`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use interlinea::session::Open;
use interlinea::store::{Status, Workspace};

// The real units only, not the generator that grows them.
#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

/// Drops the third letter of the sentence's first word of six letters or
/// more: "expressed" → "exressed".
fn misspell(english: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for word in english.split_inclusive(' ') {
        if !done
            && word
                .trim_end()
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 6
        {
            let mut chars: Vec<char> = word.chars().collect();
            chars.remove(2);
            out.extend(chars);
            done = true;
        } else {
            out.push_str(word);
        }
    }
    out
}

fn pairs() -> Vec<(String, String)> {
    let units = corpus::units(&["tatoeba-it-en.tmx", "libreoffice-help-it-en.tmx.gz"]);
    if !units.is_empty() {
        return units;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let article = std::fs::read_to_string(root.join("seeds/000_da66b3da442e8d8e.txt"))
        .expect("the sample article");
    let english = "The minister said that the government expressed its willingness to talk.";
    article
        .split(['.', '\n'])
        .map(str::trim)
        .filter(|s| s.len() > 20)
        .map(|s| (s.to_string(), english.to_string()))
        .cycle()
        .take(50_000)
        .collect()
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let n_segments: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5_000);
    let pairs = pairs();
    // One line per pair: a block each, cut into sentences by the segmenter.
    let (doc_pairs, tm_pairs) = pairs.split_at(n_segments.min(pairs.len() / 2));
    let mut ws = Workspace::open_in_memory().expect("workspace");
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    for (source, target) in tm_pairs.iter().take(200_000) {
        tmx.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>{}</seg></tuv><tuv xml:lang="en"><seg>{}</seg></tuv></tu>"#,
            escape(source),
            escape(target)
        ));
    }
    tmx.push_str("</body></tmx>");
    let n_units = ws
        .import_tmx(
            tmx.as_bytes(),
            "news",
            false,
            &mut |_, _| {},
            &mut |_, _| {},
        )
        .expect("TM import")
        .added;
    ws.sync_concordance().expect("concordance index");

    let text: String = doc_pairs
        .iter()
        .map(|(it, _)| it.replace('\n', " ") + "\n")
        .collect();
    let doc = interlinea::import_bytes("bench.txt", None, text.as_bytes()).expect("import");
    let doc_id = ws
        .add_document(
            "bench",
            None,
            &doc,
            &interlinea::Segmenter::italian::<&str>(&[]),
        )
        .expect("store");
    let mut n_set = 0;
    let mut targets = Vec::new();
    'blocks: for (block, (_, english)) in ws
        .blocks(doc_id)
        .expect("blocks")
        .into_iter()
        .zip(doc_pairs)
    {
        for segment in &block.segments {
            if n_set == n_segments {
                break 'blocks;
            }
            let english = if n_set % 10 == 0 {
                misspell(english)
            } else {
                english.clone()
            };
            ws.set_target(doc_id, segment.id, &english, Status::Translated)
                .expect("set target");
            targets.push(english);
            n_set += 1;
        }
    }
    println!("document: {n_set} segments with English; imported TM: {n_units} units");

    let mut open = Open::new(ws);
    let started = Instant::now();
    black_box(interlinea::spelling::dictionary(
        interlinea::store::settings::EnglishVariant::Gb,
    ));
    println!(
        "en-GB dictionary parsed (once per process): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    // The whole QA, then the spelling check alone over every English.
    for run in 0..3 {
        let started = Instant::now();
        let findings = open.qa(doc_id, None).expect("qa");
        let qa = started.elapsed();
        let spelling = findings
            .iter()
            .filter(|f| f.check.as_str() == "spelling")
            .count();
        let started = Instant::now();
        let mut flagged = 0;
        for target in &targets {
            flagged += open.misspellings(doc_id, target).expect("check").len();
        }
        let alone = started.elapsed();
        println!(
            "run {run}: QA with spelling {:.0} ms ({spelling} segments with spelling findings); \
             spelling alone, segment by segment {:.0} ms ({flagged} words flagged)",
            qa.as_secs_f64() * 1e3,
            alone.as_secs_f64() * 1e3
        );
    }

    // A keystroke: one segment's English as typed, checked again.
    let mut times: Vec<Duration> = Vec::new();
    for i in 0..2_000 {
        let target = &targets[(i * 7919) % targets.len()];
        let typed = &target[..target.len() - target.len() / 3];
        let started = Instant::now();
        black_box(open.misspellings(doc_id, typed).expect("check"));
        times.push(started.elapsed());
    }
    times.sort();
    let at = |p: f64| micros(times[((times.len() - 1) as f64 * p) as usize]);
    println!(
        "per keystroke (one segment): median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
    let started = Instant::now();
    let suggested = open.spelling_suggestions("exressed").expect("suggest");
    println!(
        "suggestions for one word: {:.1} ms ({suggested:?})",
        started.elapsed().as_secs_f64() * 1e3
    );
}

//! Translation-memory benchmark: index build time, lookup latency
//! (p50/p95/p99, top 10) at thresholds 50/75/90, recall against the
//! exhaustive scan, index memory and peak RSS, at 10k, 100k and 1M units.
//!
//! The units are the real ones in `../shared/data/tm` plus variants made by a
//! deterministic generator (words dropped or swapped, units joined), so every
//! run measures the same memory. `cargo bench --bench tm [-- 10000 100000]`;
//! with `codes` among the arguments, a fifth of the units and half of the
//! queries hold inline codes (a link around a word, a line break), placed
//! independently, so matches differ in their codes too.
//! `-- import [SIZE]` times a TMX import, and `-- write SIZE FILE` only writes
//! its TMX (to time `interlinea tm import` on it). `-- match-column [SIZE]
//! [SEGMENTS]` times the editor's Match column: the best score of every
//! segment of an article against a TM of SIZE units.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use interlinea::formats::tmx::TmxReader;
use interlinea::text::codes::Mark;
use interlinea::text::score::Scored;
use interlinea::tm::index::TmIndex;
use interlinea::tm::{keys, rank};

#[path = "support/corpus.rs"]
mod corpus;

use corpus::{grow, real_units, variant, Rng};

/// `text` with a link around one of its words and, one time in three, a
/// line break after it.
fn with_codes(text: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let at = rng.below(words.len());
    let mut out = String::with_capacity(text.len() + 9);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == at {
            out.push(Mark::Open(0).char());
            out.push_str(word);
            out.push(Mark::Close(0).char());
        } else {
            out.push_str(word);
        }
    }
    if rng.below(3) == 0 {
        out.push(Mark::Standalone(1).char());
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Writes a TMX of `size` units, imports it into a fresh workspace file and
/// builds the match index, timing each step.
fn import_benchmark(real: &[(String, String)], size: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tmx = dir.path().join("big.tmx");
    write_benchmark_tmx(real, size, &tmx);
    // Measured in a process of its own, so that its peak memory is the
    // import's and not the generator's.
    let status = std::process::Command::new(std::env::current_exe().expect("own path"))
        .arg("import-file")
        .arg(&tmx)
        .status()
        .expect("run the import");
    assert!(status.success(), "the import failed");
}

/// Writes the benchmark's TMX of `size` units to `tmx`, for the import
/// benchmark or for timing `interlinea tm import` on it.
fn write_benchmark_tmx(real: &[(String, String)], size: usize, tmx: &Path) {
    let units = grow(real, size, 0xC0FFEE ^ size as u64);
    {
        let file = std::io::BufWriter::new(std::fs::File::create(tmx).expect("create"));
        let mut writer =
            interlinea::formats::tmx::TmxWriter::new(file, "it", "en").expect("header");
        // With the metadata CAT tools write: ids, authors, dates, properties.
        for (i, (source, target)) in units.into_iter().enumerate() {
            let unit = interlinea::formats::tmx::TmxUnit {
                tuid: Some(format!("{}", 100_000 + i)),
                source,
                target,
                author: Some(format!("translator{}", i % 7)),
                created: Some(format!("2024{:02}{:02}T093000Z", 1 + i % 12, 1 + i % 28)),
                changed: Some(format!("2025{:02}{:02}T171500Z", 1 + i % 12, 1 + i % 28)),
                props: vec![
                    ("x-Project".into(), "Help 24.8".into()),
                    ("x-Domain".into(), ["UI", "Help", "General"][i % 3].into()),
                ],
                ..Default::default()
            };
            writer.write_unit(&unit).expect("write");
        }
        writer.finish().expect("finish");
    }
}

/// The Match column of an article of `segments` sentences against a TM of
/// `size` units: `Session::best_scores`, which the editor asks for when a
/// document opens, the first time (the saved match index read) and again.
/// The article's sentences are variants of the corpus's (a word dropped),
/// half of them from the memory's own units and half from variants it was
/// not given, as a day's news repeats earlier ones in part.
fn match_column_benchmark(real: &[(String, String)], size: usize, segments: usize) {
    if real.is_empty() {
        println!("../shared/data/tm not present: nothing to measure");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let tmx = dir.path().join("big.tmx");
    write_benchmark_tmx(real, size, &tmx);
    let db = dir.path().join("ws.sqlite");
    let (doc, n_segments) = {
        let mut ws = interlinea::Workspace::open(&db).expect("workspace");
        let input = std::io::BufReader::new(std::fs::File::open(&tmx).expect("open"));
        interlinea::tm::import_tmx(&mut ws, input, "big", false, &mut |_, _| {}).expect("import");
        let near = grow(real, size, 0xC0FFEE ^ size as u64);
        let far = grow(real, real.len().min(size) * 2, 0xBADC0DE);
        let mut rng = Rng(0xA271C1E);
        let text: String = (0..segments)
            .map(|i| {
                let pool = if i % 2 == 0 { &near } else { &far };
                let mut words: Vec<&str> = pool[rng.below(pool.len())].0.split(' ').collect();
                if words.len() > 4 {
                    words.remove(rng.below(words.len()));
                }
                format!("{}\n\n", words.join(" "))
            })
            .collect();
        let doc = interlinea::import::import_bytes("article.txt", Some("txt"), text.as_bytes())
            .expect("the article");
        let doc = ws
            .add_document(
                "article",
                None,
                &doc,
                &interlinea::Segmenter::italian::<&str>(&[]),
            )
            .expect("store the article");
        (doc, ws.segments(doc).expect("segments").len())
    };
    let session = interlinea::session::Session::open(&db).expect("session");
    let start = Instant::now();
    let first = session.best_scores(doc).expect("scores");
    let first_time = start.elapsed();
    let start = Instant::now();
    let again = black_box(session.best_scores(doc).expect("scores"));
    let again_time = start.elapsed();
    assert_eq!(first, again);
    println!(
        "Match column of {n_segments} segments against {size} units: first {:.2} s (the saved match index read), again {:.2} s ({:.1} ms a segment); {} segments with a match of the threshold or more; peak RSS {:.0} MB",
        first_time.as_secs_f64(),
        again_time.as_secs_f64(),
        again_time.as_secs_f64() * 1000.0 / n_segments.max(1) as f64,
        first.len(),
        peak_rss_mb()
    );
}

/// Imports `tmx` into a new workspace beside it, and measures.
fn measure_import(tmx: &Path) {
    let dir = tmx.parent().expect("a directory");
    let bytes = std::fs::metadata(tmx).map(|m| m.len()).unwrap_or(0);
    let parse_start = Instant::now();
    let input = std::io::BufReader::new(std::fs::File::open(tmx).expect("open"));
    let parsed = TmxReader::new(input, "it", "en").count();
    let parse_only = parse_start.elapsed();
    let db = dir.join("ws.sqlite");
    let mut ws = interlinea::Workspace::open(&db).expect("workspace");
    let start = Instant::now();
    let input = std::io::BufReader::new(std::fs::File::open(tmx).expect("open"));
    let (report, matcher) =
        interlinea::tm::import_tmx(&mut ws, input, "big", false, &mut |_, _| {}).expect("import");
    let imported = start.elapsed();
    let import_peak = peak_rss_mb();
    drop(matcher);
    let checkpoint_start = Instant::now();
    ws.checkpoint().expect("checkpoint");
    let checkpoint = checkpoint_start.elapsed();
    drop(ws);
    let sources: Vec<String> = TmxReader::new(
        std::io::BufReader::new(std::fs::File::open(tmx).expect("open")),
        "it",
        "en",
    )
    .step_by(25_000)
    .map(|unit| unit.expect("valid TMX").source)
    .collect();
    let reopen = Instant::now();
    let mut ws = interlinea::Workspace::open(&db).expect("reopen");
    use interlinea::tm::MatchQuery;
    let mut matcher = interlinea::tm::Matcher::open(&ws).expect("index");
    let first = matcher
        .lookup(&ws, &MatchQuery::new(&sources[1]).at_least(75).best(10))
        .expect("lookup");
    let first_lookup = reopen.elapsed();
    // Concordance: the first search indexes the imported units for it.
    let sync_start = Instant::now();
    let n_synced = ws.sync_concordance().expect("concordance index");
    let sync = sync_start.elapsed();
    let mut search_times = Vec::new();
    for source in &sources {
        let words: Vec<&str> = source
            .split_whitespace()
            .filter(|w| w.len() > 3)
            .take(2)
            .collect();
        if words.is_empty() {
            continue;
        }
        let phrase = words.join(" ");
        let start = Instant::now();
        black_box(ws.tm_search(&phrase, 50).expect("search"));
        search_times.push(start.elapsed());
    }
    search_times.sort();
    println!(
        "concordance: first search indexes {n_synced} units in {:.1} s; then p50 {:.1} ms, p95 {:.1} ms over {} units ({} phrases)",
        sync.as_secs_f64(),
        percentile(&search_times, 0.5),
        percentile(&search_times, 0.95),
        report.added,
        search_times.len()
    );
    println!(
        "TMX import of {} units ({:.0} MB; parsing alone {:.1} s for {parsed}): parse, store and index {:.1} s, peak RSS {import_peak:.0} MB; then the log checkpoint {:.1} s; reopen + first lookup {:.2} s ({} matches)",
        report.added,
        bytes as f64 / 1048576.0,
        parse_only.as_secs_f64(),
        imported.as_secs_f64(),
        checkpoint.as_secs_f64(),
        first_lookup.as_secs_f64(),
        first.len(),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("import-file") {
        measure_import(Path::new(&args[1]));
        return;
    }
    if args.first().map(String::as_str) == Some("write") {
        let size = args
            .get(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        let path = args.get(2).map_or("big.tmx", String::as_str);
        write_benchmark_tmx(&real_units(), size, Path::new(path));
        return;
    }
    if args.first().map(String::as_str) == Some("match-column") {
        let number =
            |n: usize, default: usize| args.get(n).and_then(|s| s.parse().ok()).unwrap_or(default);
        match_column_benchmark(&real_units(), number(1, 1_000_000), number(2, 500));
        return;
    }
    if args.first().map(String::as_str) == Some("import") {
        let size = args
            .get(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        import_benchmark(&real_units(), size);
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let codes = args.iter().any(|a| a == "codes");
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    let real = real_units();
    if real.is_empty() {
        println!("../shared/data/tm not present: nothing to measure");
        return;
    }
    println!("{} real units read", real.len());
    if codes {
        println!("with inline codes in a fifth of the units and half of the queries");
    }
    println!("| units | build s | index MB | threshold | p50 ms | p95 ms | p99 ms | matches/query | recall | peak RSS MB |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &size in &sizes {
        let mut code_rng = Rng(0xC0DE ^ size as u64);
        let units: Vec<String> = grow(&real, size, 0x5DEECE66D ^ size as u64)
            .into_iter()
            .enumerate()
            .map(|(i, (source, _))| {
                if codes && i % 5 == 0 {
                    with_codes(&source, &mut code_rng)
                } else {
                    source
                }
            })
            .collect();
        let mut rng = Rng(0x9E37_79B9 ^ size as u64);
        let start = Instant::now();
        let mut index = TmIndex::new();
        // As an import builds it.
        let mut bulk = index.bulk();
        for (id, source) in units.iter().enumerate() {
            bulk.insert(id as i64, &keys(source))
                .expect("index capacity");
        }
        drop(bulk);
        let build = start.elapsed();
        let index_mb = index.heap_bytes() as f64 / 1048576.0;
        // Queries: variants of units in the memory, as a translator meets them.
        let queries: Vec<String> = (0..300)
            .map(|i| {
                let query = variant(&real, &mut rng).0;
                if codes && i % 2 == 0 {
                    with_codes(&query, &mut code_rng)
                } else {
                    query
                }
            })
            .collect();
        for threshold in [50, 75, 90] {
            let mut times = Vec::with_capacity(queries.len());
            let mut n_matches = 0;
            for query in &queries {
                let start = Instant::now();
                let query = Scored::new(query);
                let query_keys: Vec<String> =
                    query.tokens.iter().map(|t| t.key().into_owned()).collect();
                let candidates = index.search(&query_keys, threshold);
                let top = rank(&query, candidates, threshold, 10, |id| {
                    Ok::<_, ()>(Some(units[id as usize].clone()))
                })
                .expect("in memory");
                times.push(start.elapsed());
                n_matches += top.len();
                black_box(top);
            }
            // Recall: every unit the exhaustive scan finds at or above the
            // threshold must be found by the index (checked on 30 queries).
            let (mut expected, mut got) = (0usize, 0usize);
            for query in queries.iter().take(30) {
                let query_keys = keys(query);
                let mut fast = index.search(&query_keys, threshold);
                let mut slow = index.search_exhaustive(&query_keys, threshold);
                fast.sort();
                slow.sort();
                expected += slow.len();
                got += slow
                    .iter()
                    .filter(|c| fast.binary_search(c).is_ok())
                    .count();
                assert_eq!(fast, slow, "index and exhaustive scan differ on {query:?}");
            }
            times.sort();
            println!(
                "| {size} | {:.2} | {index_mb:.0} | {threshold} | {:.3} | {:.3} | {:.3} | {:.1} | {:.1}% ({got}/{expected}) | {:.0} |",
                build.as_secs_f64(),
                percentile(&times, 0.50),
                percentile(&times, 0.95),
                percentile(&times, 0.99),
                n_matches as f64 / queries.len() as f64,
                if expected == 0 { 100.0 } else { 100.0 * got as f64 / expected as f64 },
                peak_rss_mb()
            );
        }
    }
}

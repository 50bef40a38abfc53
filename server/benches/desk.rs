//! The desktop's side of the team desk, measured against a real server
//! (the binary of this build) on PostgreSQL with fsync on, on loopback:
//! the time from a confirmation in one workspace to its exact match in
//! another whose sync waits in a long poll (p50/p95), and a newcomer's
//! bootstrap — every unit of a large team memory pulled in pages (the
//! snapshot's, then the log's other changes), stored in the replica, and
//! made ready for lookups and the concordance.
//! `cargo bench -p interlinea-server --bench desk [-- UNITS] [synthetic]`
//! (100,000 by default; a newcomer's bootstrap is measured at 1,000,000).
//!
//! The team memory is the TM benchmark's (the real units of
//! `../shared/data/tm` and their variants: the same units as its TMX of
//! that size) when those files are present; otherwise, or with
//! `synthetic`, made-up sentences of random words, each unit ending in a
//! number of its own — a million words no other unit holds, where a real
//! memory's rare words are far fewer (the concordance takes nearly twice
//! as long to index them).

// The desktop app's allocator, so that its side is measured as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use interlinea::mt::keys::KeyStore;
use interlinea::session::Session;
use interlinea::team::{Operation, PushRequest};
use interlinea::tm::MatchQuery;
use interlinea::{import_bytes, Segmenter, Status, Workspace};
use interlinea_server::db::{self, Role};

// The tests' helpers, of which the benchmark uses the cluster and `serve`.
#[allow(dead_code)]
#[path = "../tests/it/support.rs"]
mod support;

#[path = "../../benches/support/corpus.rs"]
mod corpus;

/// Syllables that make words: 20 of them, two to four to a word, give
/// some 168,000 words, so units share words as a memory's do, and each
/// sentence's words are its own mix.
const SYLLABLES: [&str; 20] = [
    "ca", "to", "ri", "ne", "sa", "lo", "mi", "te", "po", "du", "ge", "fa", "vi", "ra", "se", "co",
    "bu", "ma", "la", "pe",
];

struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn sentence(&mut self, tail: &str) -> String {
        let n_words = 8 + self.next() % 8;
        let mut words = Vec::new();
        for _ in 0..n_words {
            let n_syllables = 2 + self.next() % 3;
            let word: String = (0..n_syllables)
                .map(|_| SYLLABLES[(self.next() % 20) as usize])
                .collect();
            words.push(word);
        }
        let mut sentence = words.join(" ");
        sentence.push_str(tail);
        sentence[..1].to_uppercase() + &sentence[1..]
    }
}

fn member(dir: &std::path::Path, name: &str) -> Session {
    let path = dir.join(format!("{name}.sqlite"));
    Session::with_keys(
        Workspace::open(&path).expect("a workspace"),
        path.clone(),
        KeyStore::at(dir.join(format!("{name}-keys.json"))),
    )
}

/// The CPU time (user, system) this process has taken so far: the
/// desktop's side alone, the server and PostgreSQL being processes of
/// their own.
fn cpu_time() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name, which ends with the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // utime and stime, the 14th and 15th fields, in ticks of 1/100 s.
    let ticks = |i: usize| {
        Duration::from_millis(fields.get(i).and_then(|f| f.parse().ok()).unwrap_or(0) * 10)
    };
    (ticks(11), ticks(12))
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let n_units: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    let real = if std::env::args().any(|a| a == "synthetic") {
        Vec::new()
    } else {
        corpus::real_units()
    };
    std::env::set_var("INTERLINEA_PG_FSYNC", "on");
    // The sync's own timings (pages stored, indexes built) as it logs them.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "interlinea::session::team=info",
        ))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (url, tokens) = runtime.block_on(async {
        let url = support::database().await;
        let pool = interlinea_server::pool(&url).expect("a pool");
        db::migrate(&pool).await.expect("migrate");
        db::add_team(&pool, "desk").await.expect("a team");
        let mut tokens = Vec::new();
        for name in ["anna", "ben", "loader", "newcomer"] {
            db::add_user(&pool, name, "desk", Role::Translator)
                .await
                .expect("a user");
            tokens.push(db::issue_token(&pool, name).await.expect("a token"));
        }
        (url, tokens)
    });
    let serving = support::serve(&url, "warn", &[]);
    let base = format!("http://127.0.0.1:{}", serving.port);
    let dir = tempfile::tempdir().expect("a folder");
    println!("the desktop's side of the team desk: PostgreSQL with fsync on, loopback, workspaces on disk");

    // A confirmation in Anna's workspace to its exact match in Ben's,
    // whose sync waits in a long poll as the app's background thread does.
    let anna = member(dir.path(), "anna");
    anna.team_join_blocking(&base, "anna", &tokens[0])
        .expect("join");
    let ben = Arc::new(member(dir.path(), "ben"));
    ben.team_join_blocking(&base, "ben", &tokens[1])
        .expect("join");
    const ROUNDS: usize = 100;
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    let sentences: Vec<String> = (0..ROUNDS).map(|_| words.sentence(".")).collect();
    let doc = import_bytes(
        "a.txt",
        Some("txt"),
        (sentences.join("\n") + "\n").as_bytes(),
    )
    .expect("an article");
    let (doc, segments) = {
        let mut open = anna.lock();
        let id = open
            .workspace_mut()
            .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
            .expect("stored");
        let ids: Vec<i64> = open
            .workspace()
            .segments(id)
            .expect("segments")
            .iter()
            .map(|s| s.id)
            .collect();
        (id, ids)
    };
    let waiting: Arc<Mutex<Option<(String, Instant)>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let background = {
        let (ben, waiting, latencies, stop) = (
            ben.clone(),
            waiting.clone(),
            latencies.clone(),
            stop.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match ben.team_sync_blocking(Some(25), &stop) {
                    Ok(_) | Err(interlinea::session::Error::Cancelled) => {}
                    Err(e) => panic!("Ben's sync: {e}"),
                }
                let mut waiting = waiting.lock().unwrap();
                if let Some((sentence, confirmed)) = waiting.as_ref() {
                    let query = MatchQuery::new(sentence).at_least(100);
                    if !ben.lock().lookup(&query).expect("a lookup").is_empty() {
                        latencies.lock().unwrap().push(confirmed.elapsed());
                        *waiting = None;
                    }
                }
            }
        })
    };
    for (n, segment) in segments.iter().enumerate() {
        // Ben is waiting in his long poll by now.
        std::thread::sleep(Duration::from_millis(30));
        let confirmed = Instant::now();
        *waiting.lock().unwrap() = Some((sentences[n].clone(), confirmed));
        anna.lock()
            .save_target(
                doc,
                *segment,
                &format!("English {n}."),
                Status::Translated,
                false,
            )
            .expect("confirmed");
        anna.team_sync_blocking(None, &AtomicBool::new(false))
            .expect("Anna's sync");
        let started = Instant::now();
        while waiting.lock().unwrap().is_some() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the match never came"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    stop.store(true, Ordering::Relaxed);
    background.join().expect("Ben's thread");
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "confirmation in A (stored, pushed) to its 100 % match in B (long poll, applied, looked up), {ROUNDS} rounds: p50 {:.1} ms, p95 {:.1} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3
    );

    // The team memory grows to `n_units`, pushed 500 at a time.
    let started = Instant::now();
    let units: Vec<Operation> = if real.is_empty() {
        println!("the team memory: made-up sentences, each unit ending in a number of its own");
        (0..n_units)
            .map(|n| {
                support::add_unit(
                    &words.sentence(&format!(" {n}.")),
                    &words.sentence(&format!(" {n}.")),
                )
            })
            .collect()
    } else {
        println!("the team memory: the TM benchmark's units (../shared/data/tm and variants)");
        corpus::grow(&real, n_units, 0xC0FFEE ^ n_units as u64)
            .iter()
            .map(|(source, target)| support::add_unit(source, target))
            .collect()
    };
    let probe = match &units[n_units / 2].change {
        interlinea::team::Change::UnitAdded { unit } => unit.clone(),
        _ => unreachable!("units are added"),
    };
    runtime.block_on(async {
        let http = reqwest::Client::new();
        for batch in units.chunks(interlinea::team::MAX_OPS_PER_PUSH) {
            let ops: Vec<Operation> = batch.to_vec();
            let res = http
                .post(format!("{base}/v1/push"))
                .bearer_auth(&tokens[2])
                .json(&PushRequest { ops })
                .send()
                .await
                .expect("push");
            assert!(res.status().is_success(), "push: {}", res.status());
        }
    });
    println!(
        "the team memory filled with {n_units} units in {}",
        seconds(started.elapsed())
    );
    drop(units);

    // The pages alone, fetched and read, not stored: what the network
    // and the server take of a bootstrap.
    let started = Instant::now();
    let (user_before, system_before) = cpu_time();
    let fetched = runtime.block_on(async {
        let server = interlinea::sync::TeamServer::new(&base, &tokens[3]).expect("a client");
        let (mut since, mut fetched) = (0, 0);
        loop {
            let page = server
                .changes(since, interlinea::team::MAX_PAGE, None)
                .await
                .expect("a page");
            fetched += page.changes.len();
            since = page.next;
            if !page.more {
                break fetched;
            }
        }
    });
    let (user_after, system_after) = cpu_time();
    println!(
        "the same {fetched} changes fetched in pages of 1,000 and read, not stored: {} (CPU here: user {}, system {})",
        seconds(started.elapsed()),
        seconds(user_after - user_before),
        seconds(system_after - system_before)
    );

    // The snapshot's pages alone, fetched and read, not stored.
    let started = Instant::now();
    let (user_before, system_before) = cpu_time();
    let (fetched, pages) = runtime.block_on(async {
        let server = interlinea::sync::TeamServer::new(&base, &tokens[3]).expect("a client");
        let (mut after, mut as_of, mut fetched, mut pages) = (None, None, 0, 0);
        loop {
            let page = server
                .units(after, as_of, interlinea::team::MAX_UNITS_PAGE)
                .await
                .expect("a page");
            fetched += page.units.len();
            pages += 1;
            as_of = Some(page.as_of);
            after = page.units.last().map(|u| u.id);
            if !page.more {
                break (fetched, pages);
            }
        }
    });
    let (user_after, system_after) = cpu_time();
    println!(
        "the snapshot's {fetched} units fetched in {pages} pages and read, not stored: {} (CPU here: user {}, system {})",
        seconds(started.elapsed()),
        seconds(user_after - user_before),
        seconds(system_after - system_before)
    );

    // A newcomer joins and syncs: every unit pulled, stored, indexed.
    let newcomer = member(dir.path(), "newcomer");
    newcomer
        .team_join_blocking(&base, "newcomer", &tokens[3])
        .expect("join");
    let started = Instant::now();
    let (user_before, system_before) = cpu_time();
    let report = newcomer
        .team_sync_blocking(None, &AtomicBool::new(false))
        .expect("the bootstrap");
    let synced = started.elapsed();
    let (user_after, system_after) = cpu_time();
    assert_eq!(report.pulled, n_units + ROUNDS);
    let lookup_started = Instant::now();
    let found = newcomer
        .lock()
        .lookup(&MatchQuery::new(&probe.source))
        .expect("a lookup");
    let lookup = lookup_started.elapsed();
    assert_eq!(found[0].unit.target, probe.target);
    let word = probe
        .source
        .split(' ')
        .max_by_key(|w| w.chars().filter(|c| c.is_alphabetic()).count())
        .expect("a word")
        .to_owned();
    let search_started = Instant::now();
    let hits = newcomer
        .lock()
        .concordance(&word, 10)
        .expect("a concordance search");
    let search = search_started.elapsed();
    assert!(!hits.is_empty());
    println!(
        "bootstrap of {} units: sync (snapshot and log in pages, replica, match index, concordance) {}; then first lookup {}, first concordance search {}; working replica in {}",
        report.pulled,
        seconds(synced),
        seconds(lookup),
        seconds(search),
        seconds(started.elapsed())
    );
    println!(
        "the bootstrap's CPU time on the desktop's side: user {}, system {} (the server and PostgreSQL not counted)",
        seconds(user_after - user_before),
        seconds(system_after - system_before)
    );
    drop(serving);
}

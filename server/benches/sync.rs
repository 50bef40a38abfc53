//! Team server benchmark, on a real PostgreSQL (fsync on) and the server
//! binary of this build: push and pull throughput, a newcomer's bootstrap
//! (every unit pulled in pages), the time from a push by one client to its
//! arrival at another's long poll (p50/p95), twenty clients pushing at once
//! with random pulls, and the server's peak memory.
//! `cargo bench -p interlinea-server --bench sync [-- UNITS]` (100,000 by
//! default; the issue's bootstrap is 1,000,000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use interlinea::team::{ChangesPage, PushRequest, PushResponse};
use interlinea_server::db::{self, Role};

// The tests' helpers, of which the benchmark uses the cluster and `serve`.
#[allow(dead_code)]
#[path = "../tests/it/support.rs"]
mod support;

const CLIENTS: usize = 20;
const PER_CLIENT: usize = 1_000;

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn push(&self, request: &PushRequest) -> PushResponse {
        let res = self
            .http
            .post(format!("{}/v1/push", self.base))
            .bearer_auth(&self.token)
            .json(request)
            .send()
            .await
            .expect("push");
        assert!(res.status().is_success(), "push: {}", res.status());
        res.json().await.expect("a push response")
    }

    async fn pull(&self, since: i64, limit: usize, wait: u64) -> ChangesPage {
        let res = self
            .http
            .get(format!(
                "{}/v1/changes?since={since}&limit={limit}&wait={wait}",
                self.base
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("pull");
        assert!(res.status().is_success(), "pull: {}", res.status());
        res.json().await.expect("a page")
    }
}

fn units(prefix: &str, n: usize) -> Vec<interlinea::team::Operation> {
    (0..n)
        .map(|i| {
            support::add_unit(
                &format!("{prefix}: la frase numero {i} del servizio di oggi."),
                &format!("{prefix}: sentence number {i} of today's story."),
            )
        })
        .collect()
}

fn per_second(n: usize, took: Duration) -> String {
    format!("{:.0}", n as f64 / took.as_secs_f64())
}

fn peak_memory_kib(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .map_or("?".to_owned(), |l| l["VmHWM:".len()..].trim().to_owned())
}

#[tokio::main]
async fn main() {
    let n_units: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    std::env::set_var("INTERLINEA_PG_FSYNC", "on");
    let url = support::database().await;
    let pool = interlinea_server::pool(&url).expect("a pool");
    db::migrate(&pool).await.expect("migrate");
    db::add_team(&pool, "desk").await.expect("a team");
    let mut tokens = Vec::new();
    for n in 0..CLIENTS {
        let name = format!("translator{n}");
        db::add_user(&pool, &name, "desk", Role::Translator)
            .await
            .expect("a user");
        tokens.push(db::issue_token(&pool, &name).await.expect("a token"));
    }
    let serving = support::serve(&url, "warn", &[]);
    let base = format!("http://127.0.0.1:{}", serving.port);
    let clients: Vec<Arc<Client>> = tokens
        .into_iter()
        .map(|token| {
            Arc::new(Client {
                http: reqwest::Client::new(),
                base: base.clone(),
                token,
            })
        })
        .collect();
    println!("team server on PostgreSQL, fsync on, loopback");

    // One client pushes the memory in full pushes.
    let ops = units("bulk", n_units);
    let started = Instant::now();
    for batch in ops.chunks(interlinea::team::MAX_OPS_PER_PUSH) {
        clients[0]
            .push(&PushRequest {
                ops: batch.to_vec(),
            })
            .await;
    }
    let took = started.elapsed();
    println!(
        "push {n_units} units, 500 a push: {:.1} s, {} units/s",
        took.as_secs_f64(),
        per_second(n_units, took)
    );

    // A newcomer pulls all of it, a page at a time.
    let started = Instant::now();
    let (mut since, mut pulled) = (0, 0);
    loop {
        let page = clients[1].pull(since, interlinea::team::MAX_PAGE, 0).await;
        pulled += page.changes.len();
        since = page.next;
        if !page.more {
            break;
        }
    }
    let took = started.elapsed();
    assert_eq!(pulled, n_units);
    println!(
        "bootstrap: pull {pulled} units in pages of 1,000: {:.1} s, {} units/s",
        took.as_secs_f64(),
        per_second(pulled, took)
    );

    // The same pages read from the database alone, without HTTP and JSON.
    let started = Instant::now();
    let (mut from, mut read) = (0, 0);
    let team_id: i64 = pool
        .get()
        .await
        .expect("a connection")
        .query_one("SELECT team_id FROM users WHERE name = 'translator0'", &[])
        .await
        .expect("the team")
        .get(0);
    loop {
        let (_, page) = db::changes_after(&pool, team_id, from, 1_000)
            .await
            .expect("a page");
        let Some(last) = page.last() else { break };
        from = last.seq;
        read += page.len();
        if read >= n_units {
            break;
        }
    }
    let took = started.elapsed();
    println!(
        "  of which the database's reads: {:.1} s, {} units/s",
        took.as_secs_f64(),
        per_second(read, took)
    );

    // A confirmation on one client reaching another's long poll.
    let mut latencies = Vec::new();
    for round in 0..200 {
        let waiter = clients[2].clone();
        let poll = tokio::spawn(async move {
            let page = waiter.pull(since, 10, 25).await;
            (Instant::now(), page)
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let sent = Instant::now();
        let res = clients[3]
            .push(&PushRequest {
                ops: units(&format!("latency {round}"), 1),
            })
            .await;
        let (arrived, page) = poll.await.expect("the poll");
        assert_eq!(page.changes.len(), 1);
        since = res.results[0].seq;
        latencies.push(arrived - sent);
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "push on A to its arrival at B's long poll, 200 rounds: p50 {:.1} ms, p95 {:.1} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3
    );

    // Twenty clients pushing at once, pulling now and then.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (idx, client) in clients.iter().enumerate() {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let ops = units(&format!("client {idx}"), PER_CLIENT);
            let mut mine = 0;
            for (n, batch) in ops.chunks(20).enumerate() {
                let res = client
                    .push(&PushRequest {
                        ops: batch.to_vec(),
                    })
                    .await;
                mine += res.results.iter().filter(|r| r.applied).count();
                if (n + idx) % 4 == 0 {
                    client.pull(res.results[0].seq - 1, 100, 0).await;
                }
            }
            mine
        }));
    }
    let mut applied = 0;
    for task in tasks {
        applied += task.await.expect("a client");
    }
    let took = started.elapsed();
    println!(
        "{CLIENTS} clients x {PER_CLIENT} units at once, 20 a push, random pulls: {:.1} s, {} units/s, {applied} applied",
        took.as_secs_f64(),
        per_second(applied, took)
    );
    let client = pool.get().await.expect("a connection");
    let row = client
        .query_one(
            "SELECT count(*), count(DISTINCT id), (SELECT seq FROM teams) FROM units",
            &[],
        )
        .await
        .expect("count");
    let (count, distinct, seq): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let expected = (n_units + 200 + CLIENTS * PER_CLIENT) as i64;
    assert_eq!((count, distinct, seq), (expected, expected, expected));
    println!(
        "server peak memory (VmHWM): {}",
        peak_memory_kib(serving.child.id())
    );
}

//! Faults on the way between workspaces and the team server: the server
//! killed again and again during pushes, PostgreSQL restarted during a
//! push, a client killed in the middle of a pull, the server out of reach
//! while a translator goes on working. After each, nothing acknowledged is
//! lost and every workspace converges on what the server holds. Random
//! moments come from a printed seed (`INTERLINEA_FAULT_SEED` replays one).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use interlinea::session::{Error, Session};
use interlinea_server::db::{self, Role};
use uuid::Uuid;

use crate::desk::{cli, Desk, Member, Rng};
use crate::support::{database, numbered, server_bin};

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("its address").port()
}

/// `interlinea-server serve` on a given port, so that a restarted server
/// is found where the workspaces know it.
fn serve_on(db: &str, port: u16) -> Child {
    let child = Command::new(server_bin())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("INTERLINEA_SERVER_DB", db)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A database of the tests' cluster, migrated, with a team and `users`
/// (translators) and their tokens.
fn team_database(runtime: &tokio::runtime::Runtime, users: &[String]) -> (String, Vec<String>) {
    let url = runtime.block_on(database());
    let tokens = team_of_translators(runtime, &url, users);
    (url, tokens)
}

/// Migrates the database and makes the team "desk" of these translators;
/// returns their tokens.
fn team_of_translators(
    runtime: &tokio::runtime::Runtime,
    url: &str,
    users: &[String],
) -> Vec<String> {
    runtime.block_on(async {
        let pool = interlinea_server::pool(url).expect("a pool");
        db::migrate(&pool).await.expect("migrate");
        db::add_team(&pool, "desk").await.expect("a team");
        let mut tokens = Vec::new();
        for user in users {
            db::add_user(&pool, user, "desk", Role::Translator)
                .await
                .expect("a user");
            tokens.push(db::issue_token(&pool, user).await.expect("a token"));
        }
        tokens
    })
}

/// A member per user, each joined to the server at `url`.
fn joined_members(url: &str, users: &[String], tokens: &[String]) -> Vec<Arc<Member>> {
    users
        .iter()
        .zip(tokens)
        .map(|(user, token)| {
            let member = Member::new();
            member
                .session
                .team_join_blocking(url, user, token)
                .expect("join");
            Arc::new(member)
        })
        .collect()
}

/// Stops the confirming workers, lets every member send and receive all,
/// and checks that members and server hold exactly what was confirmed.
fn stop_and_converge(
    runtime: &tokio::runtime::Runtime,
    db: &str,
    members: &[Arc<Member>],
    stop: &AtomicBool,
    workers: Vec<std::thread::JoinHandle<(usize, usize)>>,
) {
    stop.store(true, Ordering::Relaxed);
    let (confirmed, failed) = totals(workers);
    println!("{confirmed} confirmations, {failed} syncs failed on the fault");
    for member in members {
        sync_until_sent(member);
    }
    for member in members {
        member.sync();
    }
    let on_server = runtime.block_on(live_units(db));
    converged(members, &on_server, confirmed);
}

async fn live_units(db: &str) -> HashSet<Uuid> {
    let pool = interlinea_server::pool(db).expect("a pool");
    let client = pool.get().await.expect("a connection");
    client
        .query("SELECT id FROM units WHERE deleted_seq IS NULL", &[])
        .await
        .expect("the units")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// Syncs until the outbox is empty; a sync that fails while the server
/// settles is tried again.
fn sync_until_sent(member: &Member) {
    for _ in 0..50 {
        let sent = member
            .session
            .team_sync_blocking(None, &AtomicBool::new(false));
        if sent.is_ok() && member.session.team_status().unwrap().unwrap().outbox == 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the outbox never emptied");
}

/// Members confirming sentences and syncing until `stop`; a failed sync
/// (the server gone) is the network's, never the workspace's.
fn keep_confirming(
    members: &[Arc<Member>],
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<(usize, usize)>> {
    members
        .iter()
        .enumerate()
        .map(|(n, member)| {
            let (member, stop) = (member.clone(), stop.clone());
            std::thread::spawn(move || {
                let (mut confirmed, mut failed) = (0, 0);
                while !stop.load(Ordering::Relaxed) {
                    let sentences: Vec<String> = (0..10)
                        .map(|i| format!("Il cronista {n} detta la riga {confirmed}-{i}."))
                        .collect();
                    let (doc, segments) = member.article(&sentences);
                    for (i, segment) in segments.iter().enumerate() {
                        member.confirm(
                            doc,
                            *segment,
                            &format!("Reporter {n} dictates line {confirmed}-{i}."),
                        );
                    }
                    confirmed += segments.len();
                    match member
                        .session
                        .team_sync_blocking(None, &AtomicBool::new(false))
                    {
                        Ok(_) => {}
                        Err(Error::Team(_)) => failed += 1,
                        Err(e) => panic!("a sync failed in the workspace: {e}"),
                    }
                }
                (confirmed, failed)
            })
        })
        .collect()
}

/// The confirmations made and the syncs that failed, summed over members.
fn totals(workers: Vec<std::thread::JoinHandle<(usize, usize)>>) -> (usize, usize) {
    workers
        .into_iter()
        .map(|w| w.join().expect("a member"))
        .fold((0, 0), |(c, f), (c1, f1)| (c + c1, f + f1))
}

/// Every member holds exactly the server's units, and those are all the
/// confirmations made.
fn converged(members: &[Arc<Member>], on_server: &HashSet<Uuid>, confirmed: usize) {
    assert_eq!(
        on_server.len(),
        confirmed,
        "units lost or doubled on the server"
    );
    for (n, member) in members.iter().enumerate() {
        assert_eq!(&member.replica(), on_server, "member {n}'s replica");
        assert_eq!(member.n_units(), confirmed, "member {n}'s units");
    }
}

#[test]
fn the_server_killed_fifty_times_during_pushes_loses_nothing_acknowledged() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let users: Vec<String> = (0..4).map(|n| format!("reporter{n}")).collect();
    let (db, tokens) = team_database(&runtime, &users);
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut server = serve_on(&db, port);
    let members = joined_members(&url, &users, &tokens);
    let stop = Arc::new(AtomicBool::new(false));
    let workers = keep_confirming(&members, &stop);
    let mut rng = Rng::seeded("INTERLINEA_FAULT_SEED");
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(20 + rng.below(300)));
        server.kill().expect("SIGKILL the server");
        server.wait().expect("its end");
        server = serve_on(&db, port);
    }
    stop_and_converge(&runtime, &db, &members, &stop, workers);
    server.kill().expect("stop the server");
    let _ = server.wait();
}

/// A PostgreSQL cluster of one test's own, which it may restart.
struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    fn pg_bin() -> PathBuf {
        if let Some(dir) = std::env::var_os("INTERLINEA_PG_BIN") {
            return dir.into();
        }
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL is installed in /usr/lib/postgresql")
            .flatten()
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
            .collect();
        found.sort();
        found.pop().expect("a PostgreSQL version").1
    }

    /// Runs a PostgreSQL program, as the postgres user when the tests run
    /// as root (initdb refuses root).
    fn run(&self, program: &str, args: &[&str]) {
        let as_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let program = self.bin.join(program);
        let mut cmd = if as_root {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        let status = cmd
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run a PostgreSQL program");
        assert!(status.success(), "{args:?} failed");
    }

    fn start() -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("interlinea-pg-restart-")
            .tempdir()
            .expect("a folder")
            .keep();
        let cluster = Cluster {
            dir,
            bin: Cluster::pg_bin(),
            port: free_port(),
        };
        if Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
        {
            let _ = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&cluster.dir)
                .status();
        }
        let data = cluster.data();
        cluster.run(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"],
        );
        cluster.pg_ctl(&["start"]);
        cluster
    }

    fn data(&self) -> String {
        self.dir.join("data").to_string_lossy().into_owned()
    }

    fn pg_ctl(&self, action: &[&str]) {
        let data = self.data();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log").to_string_lossy().into_owned();
        let mut args: Vec<&str> = vec!["-D", &data, "-o", &options, "-l", &log, "-w"];
        args.extend_from_slice(action);
        self.run("pg_ctl", &args);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.pg_ctl(&["stop", "-m", "immediate"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn postgresql_restarted_during_a_push_loses_nothing_acknowledged() {
    let cluster = Cluster::start();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let users: Vec<String> = (0..2).map(|n| format!("reporter{n}")).collect();
    let tokens = team_of_translators(&runtime, &cluster.url(), &users);
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut server = serve_on(&cluster.url(), port);
    let members = joined_members(&url, &users, &tokens);
    let stop = Arc::new(AtomicBool::new(false));
    let workers = keep_confirming(&members, &stop);
    let mut rng = Rng::seeded("INTERLINEA_FAULT_SEED");
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(200 + rng.below(800)));
        cluster.pg_ctl(&["restart", "-m", "immediate"]);
    }
    std::thread::sleep(Duration::from_millis(500));
    stop_and_converge(&runtime, &cluster.url(), &members, &stop, workers);
    server.kill().expect("stop the server");
    let _ = server.wait();
}

#[test]
fn a_client_killed_in_the_middle_of_a_pull_goes_on_from_the_last_page_stored() {
    const UNITS: usize = 20_000;
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    desk.push_all(&anna, &numbered(0, UNITS, "di cronaca"));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let dir = ben.dir.path().to_path_buf();
    drop(ben.session);
    let mut rng = Rng::seeded("INTERLINEA_FAULT_SEED");
    let pulled = Mutex::new(Vec::new());
    for _ in 0..4 {
        let mut child = Command::new(crate::desk::cli_bin())
            .args(["sync", "--db"])
            .arg(dir.join("ws.sqlite"))
            .env("INTERLINEA_KEYS", dir.join("keys.json"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("interlinea sync");
        std::thread::sleep(Duration::from_millis(100 + rng.below(1_500)));
        let _ = child.kill();
        let _ = child.wait();
        // What a killed pull left is whole: every change up to its cursor.
        let member = reopen(&dir);
        let status = member.team_status().unwrap().unwrap();
        assert_eq!(
            status.units as i64, status.pulled_seq,
            "a page half applied"
        );
        pulled.lock().unwrap().push(status.pulled_seq);
    }
    println!("cursors after each kill: {:?}", pulled.lock().unwrap());
    let synced = cli(&dir, &["sync"], "");
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let member = reopen(&dir);
    let status = member.team_status().unwrap().unwrap();
    assert_eq!((status.pulled_seq, status.units), (UNITS as i64, UNITS));
    let on_server = desk.server_units();
    let replica: HashSet<Uuid> = member
        .lock()
        .workspace()
        .team_unit_ids()
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(replica, on_server);
    let n_units: usize = member
        .lock()
        .workspace()
        .tms()
        .unwrap()
        .iter()
        .map(|t| t.n_units)
        .sum();
    assert_eq!(n_units, UNITS);
}

/// A newcomer's bootstrap from the log of a server that offers no snapshot
/// (404), of a memory large enough to be stored in bulk, stopped by its
/// stop flag as soon as a transaction of it committed: it leaves whole
/// batches only, then goes on from its cursor (in bulk again) and ends
/// with every unit once, the server's units, found by a lookup and by the
/// concordance.
#[test]
fn a_log_pull_stopped_mid_way_goes_on_from_its_cursor_and_ends_with_every_unit_once() {
    const UNITS: usize = 40_000;
    let desk = Desk::without_snapshot();
    let anna = desk.token("anna", Role::Translator);
    desk.push_all(&anna, &numbered(0, UNITS, "di cronaca"));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    ben.sync_stopped_once("SELECT pulled_seq > 0 FROM team");
    let snapshot = ben.session.lock().workspace().snapshot().unwrap();
    assert_eq!(snapshot, None, "a snapshot taken from a server without one");
    let status = ben.session.team_status().unwrap().unwrap();
    println!("the cursor after the stop: {}", status.pulled_seq);
    // What a stopped pull left is whole: every change up to its cursor.
    assert_eq!(
        status.units as i64, status.pulled_seq,
        "a batch half applied"
    );
    assert!(0 < status.pulled_seq && status.pulled_seq < UNITS as i64);

    let report = ben.sync();
    assert_eq!(report.pulled as i64, UNITS as i64 - status.pulled_seq);
    let status = ben.session.team_status().unwrap().unwrap();
    assert_eq!((status.pulled_seq, status.units), (UNITS as i64, UNITS));
    assert_eq!(ben.replica(), desk.server_units());
    assert_eq!(ben.n_units(), UNITS);
    ben.finds_numbered(UNITS, "di cronaca");
}

/// The server's team data dropped, its sequence numbers started again and
/// its epoch renewed, as when a backup from before them is restored.
fn restore_an_empty_backup(desk: &Desk) {
    desk.runtime.block_on(async {
        let client = desk.app.pool.get().await.expect("a connection");
        client
            .batch_execute(
                "DELETE FROM changes; DELETE FROM units; DELETE FROM entries;
                 UPDATE teams SET seq = 0;",
            )
            .await
            .expect("the team's log emptied");
        db::renew_epoch(&desk.app.pool, "desk")
            .await
            .expect("a new epoch");
    });
}

/// A team whose log started afresh: the replica is emptied of what the old
/// log held and refilled with what the new one holds — both when the new
/// log's first page shows its epoch and when the cursor is past its end
/// (409) — while the translator's own memory is left as it was.
#[test]
fn a_log_started_afresh_empties_the_replica_and_refills_it() {
    let desk = Desk::new();
    let anna = desk.token("anna", Role::Translator);
    // Ben's own memory, from before he joined.
    let ben = Member::new();
    let (doc, segments) = ben.article(&["Il governo ha approvato la legge.".to_owned()]);
    ben.confirm(doc, segments[0], "The government passed the law.");
    ben.session
        .team_join_blocking(&desk.url(), "ben", &desk.token("ben", Role::Translator))
        .expect("join the team");
    desk.push_all(&anna, &numbered(0, 300, "vecchia"));
    assert_eq!(ben.sync().pulled, 300);
    assert_eq!(ben.n_units(), 301);

    // The new log runs past Ben's cursor: its pages carry the new epoch.
    restore_an_empty_backup(&desk);
    desk.push_all(&anna, &numbered(0, 400, "nuova"));
    assert_eq!(ben.sync().pulled, 400);
    assert_eq!(ben.replica(), desk.server_units());
    assert_eq!(ben.n_units(), 401);
    assert!(ben
        .exact("La notizia vecchia numero 7 del giorno.")
        .is_empty());
    assert!(ben.concordance("vecchia").is_empty());
    assert_eq!(
        ben.exact("La notizia nuova numero 7 del giorno."),
        ["News item nuova 7 of the day."]
    );
    assert_eq!(
        ben.concordance("nuova 399"),
        ["News item nuova 399 of the day."]
    );
    assert_eq!(
        ben.exact("Il governo ha approvato la legge."),
        ["The government passed the law."]
    );

    // The new log ends before Ben's cursor: the server answers 409.
    restore_an_empty_backup(&desk);
    desk.push_all(&anna, &numbered(0, 5, "ultima"));
    assert_eq!(ben.sync().pulled, 5);
    assert_eq!(ben.replica(), desk.server_units());
    assert_eq!(ben.n_units(), 6);
    assert!(ben.concordance("nuova").is_empty());
    assert_eq!(
        ben.concordance("ultima 4"),
        ["News item ultima 4 of the day."]
    );
    let status = ben.session.team_status().unwrap().unwrap();
    assert_eq!((status.pulled_seq, status.units), (5, 5));
}

fn reopen(dir: &Path) -> Session {
    Session::with_keys(
        interlinea::Workspace::open(&dir.join("ws.sqlite")).expect("the workspace"),
        dir.join("ws.sqlite"),
        interlinea::mt::keys::KeyStore::at(dir.join("keys.json")),
    )
}

#[test]
fn a_translator_working_offline_keeps_an_outbox_that_reaches_the_team_later() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let users = vec!["anna".to_owned(), "ben".to_owned()];
    let (db, tokens) = team_database(&runtime, &users);
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut server = serve_on(&db, port);
    let anna = Member::new();
    anna.session
        .team_join_blocking(&url, "anna", &tokens[0])
        .expect("join");
    let ben = Member::new();
    ben.session
        .team_join_blocking(&url, "ben", &tokens[1])
        .expect("join");
    server.kill().expect("the network goes");
    server.wait().expect("its end");

    let sentences: Vec<String> = (0..3).map(|n| format!("Nevica sulla città {n}.")).collect();
    let (doc, segments) = anna.article(&sentences);
    let dir = anna.dir.path().to_path_buf();
    for (n, segment) in segments.iter().enumerate() {
        anna.confirm(doc, *segment, &format!("It is snowing on city {n}."));
        // The sync fails, says why, and keeps the outbox, which grows.
        let synced = cli(&dir, &["sync"], "");
        assert_eq!(synced.status.code(), Some(1));
        assert!(synced.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&synced.stderr).into_owned();
        assert!(stderr.contains("cannot reach the team server"), "{stderr}");
        assert!(stderr.contains("kept"), "{stderr}");
        let status = cli(&dir, &["team", "status"], "");
        let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        assert_eq!(status["offline"], true);
        assert_eq!(status["outbox"], n + 1);
    }
    // The network is back.
    server = serve_on(&db, port);
    let synced = cli(&dir, &["sync"], "");
    assert_eq!(
        String::from_utf8_lossy(&synced.stdout),
        "{\"pushed\":3,\"pulled\":3,\"conflicts\":0}\n"
    );
    let status = cli(&dir, &["team", "status"], "");
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        (status["offline"].as_bool(), status["outbox"].as_u64()),
        (Some(false), Some(0))
    );
    assert_eq!(ben.sync().pulled, 3);
    assert_eq!(
        ben.exact("Nevica sulla città 1."),
        ["It is snowing on city 1."]
    );
    server.kill().expect("stop the server");
    let _ = server.wait();
}

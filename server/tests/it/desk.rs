//! The desktop's side of the team desk against a real server and
//! PostgreSQL: workspaces that join a team, confirm, sync, and find each
//! other's work in their own match index and concordance; and the command
//! line's contract (`interlinea team …`, `interlinea sync`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use interlinea::mt::keys::KeyStore;
use interlinea::session::{Session, SyncReport};
use interlinea::tm::MatchQuery;
use interlinea::{import_bytes, Segmenter, Status, Workspace};
use interlinea_server::db::Role;
use uuid::Uuid;

use crate::support::{spawn_app, spawn_app_without_snapshot, App};

/// A server on a runtime of its own, so the workspaces' blocking calls
/// run on the test's threads.
pub struct Desk {
    pub runtime: tokio::runtime::Runtime,
    pub app: App,
}

impl Desk {
    pub fn new() -> Desk {
        let runtime = runtime();
        let app = runtime.block_on(spawn_app());
        Desk { runtime, app }
    }

    /// A desk whose server offers no snapshot of the team memory (see
    /// [`spawn_app_without_snapshot`]).
    pub fn without_snapshot() -> Desk {
        let runtime = runtime();
        let app = runtime.block_on(spawn_app_without_snapshot());
        Desk { runtime, app }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.app.addr)
    }

    pub fn token(&self, user: &str, role: Role) -> String {
        self.runtime.block_on(self.app.user(user, "desk", role))
    }

    /// Pushes operations that must be accepted (see [`App::push_all`]).
    pub fn push_all(&self, token: &str, ops: &[interlinea::team::Operation]) {
        self.runtime.block_on(self.app.push_all(token, ops));
    }

    /// The ids of the units the server holds live.
    pub fn server_units(&self) -> HashSet<Uuid> {
        self.runtime.block_on(async {
            let client = self.app.pool.get().await.expect("a connection");
            client
                .query("SELECT id FROM units WHERE deleted_seq IS NULL", &[])
                .await
                .expect("the units")
                .iter()
                .map(|row| row.get(0))
                .collect()
        })
    }
}

/// A runtime of two threads for a desk's server.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A folder for workspaces: in memory when the machine has one, as
/// durability across power cuts is not under test here.
pub fn folder() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let mut builder = tempfile::Builder::new();
    builder.prefix("interlinea-desk-");
    if shm.is_dir() {
        builder.tempdir_in(shm)
    } else {
        builder.tempdir()
    }
    .expect("a temporary folder")
}

/// A translator's workspace, with its keys file beside it.
pub struct Member {
    pub session: Session,
    pub dir: tempfile::TempDir,
}

impl Member {
    /// A new workspace that joined the desk's team as `user`.
    pub fn join(desk: &Desk, user: &str, token: &str) -> Member {
        let member = Member::new();
        member
            .session
            .team_join_blocking(&desk.url(), user, token)
            .expect("join the team");
        member
    }

    pub fn new() -> Member {
        let dir = folder();
        let session = Session::with_keys(
            Workspace::open(&dir.path().join("ws.sqlite")).expect("a workspace"),
            dir.path().join("ws.sqlite"),
            KeyStore::at(dir.path().join("keys.json")),
        );
        Member { session, dir }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("ws.sqlite")
    }

    /// A document of one segment per sentence; its segment ids.
    pub fn article(&self, sentences: &[String]) -> (i64, Vec<i64>) {
        let text = sentences.join("\n") + "\n";
        let doc = import_bytes("a.txt", Some("txt"), text.as_bytes()).expect("an article");
        let mut open = self.session.lock();
        let id = open
            .workspace_mut()
            .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
            .expect("stored");
        let segments = open.workspace().segments(id).expect("its segments");
        assert_eq!(segments.len(), sentences.len());
        (id, segments.iter().map(|s| s.id).collect())
    }

    pub fn confirm(&self, doc: i64, segment: i64, english: &str) {
        self.session
            .lock()
            .save_target(doc, segment, english, Status::Translated, false)
            .expect("confirmed");
    }

    pub fn sync(&self) -> SyncReport {
        self.session
            .team_sync_blocking(None, &AtomicBool::new(false))
            .expect("a sync")
    }

    /// A sync stopped by its stop flag as soon as `stored`, a query of the
    /// workspace's file read on a connection of its own, answers true:
    /// once a transaction of it committed. Fails unless it was stopped.
    pub fn sync_stopped_once(&self, stored: &str) {
        let stop = AtomicBool::new(false);
        let done = AtomicBool::new(false);
        let stopped = std::thread::scope(|scope| {
            scope.spawn(|| {
                let db = rusqlite::Connection::open(self.db()).expect("the workspace");
                while !done.load(Ordering::Relaxed) {
                    if db.query_row(stored, [], |r| r.get(0)).unwrap_or(false) {
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            });
            let synced = self.session.team_sync_blocking(None, &stop);
            done.store(true, Ordering::Relaxed);
            synced
        });
        assert!(
            matches!(stopped, Err(interlinea::session::Error::Cancelled)),
            "not stopped: {stopped:?}"
        );
    }

    /// Checks that units of [`numbered`](crate::support::numbered) `0..n`
    /// of `story` are found, by a lookup and by the concordance.
    pub fn finds_numbered(&self, n: usize, story: &str) {
        for n in [0, n / 3, n - 1] {
            assert_eq!(
                self.exact(&format!("La notizia {story} numero {n} del giorno.")),
                [format!("News item {story} {n} of the day.")]
            );
        }
        let n = n * 3 / 4;
        assert_eq!(
            self.concordance(&format!("{story} {n}")),
            [format!("News item {story} {n} of the day.")]
        );
    }

    /// A sync that the server may answer "busy" (503) or slowly while
    /// twenty others push: tried again after a pause, as the app does.
    pub fn sync_retrying(&self) -> SyncReport {
        for _ in 0..50 {
            match self
                .session
                .team_sync_blocking(None, &AtomicBool::new(false))
            {
                Ok(report) => return report,
                Err(interlinea::session::Error::Team(_)) => {
                    std::thread::sleep(std::time::Duration::from_millis(200))
                }
                Err(e) => panic!("a sync failed in the workspace: {e}"),
            }
        }
        panic!("the server never answered");
    }

    /// The English of every 100 % match of `italian`, sorted.
    pub fn exact(&self, italian: &str) -> Vec<String> {
        let query = MatchQuery::new(italian).at_least(100);
        let mut found: Vec<String> = self
            .session
            .lock()
            .lookup(&query)
            .expect("a lookup")
            .into_iter()
            .map(|m| m.unit.target)
            .collect();
        found.sort();
        found
    }

    pub fn concordance(&self, phrase: &str) -> Vec<String> {
        self.session
            .lock()
            .concordance(phrase, 10)
            .expect("a search")
            .into_iter()
            .map(|hit| hit.unit.target)
            .collect()
    }

    /// The team ids the replica holds.
    pub fn replica(&self) -> HashSet<Uuid> {
        self.session
            .lock()
            .workspace()
            .team_unit_ids()
            .expect("the replica")
            .into_iter()
            .collect()
    }

    /// Units in all TMs of the workspace.
    pub fn n_units(&self) -> usize {
        let open = self.session.lock();
        open.workspace()
            .tms()
            .expect("the TMs")
            .iter()
            .map(|t| t.n_units)
            .sum()
    }
}

/// A small generator of the tests' random choices (SplitMix64), seeded
/// from `var` when set, else from the clock; the seed is printed so a
/// failure can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn seeded(var: &str) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        println!("seed: {var}={seed}");
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn a_confirmation_reaches_the_other_workspace_as_an_exact_match_and_in_its_concordance() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let (doc, segments) = anna.article(&["Il governo cade sulla manovra.".into()]);
    anna.confirm(doc, segments[0], "The government falls over the budget.");
    let pushed = anna.sync();
    assert_eq!(pushed.pushed, 1);
    assert_eq!(ben.sync().pulled, 1);
    assert_eq!(
        ben.exact("Il governo cade sulla manovra."),
        ["The government falls over the budget."]
    );
    assert_eq!(
        ben.concordance("manovra"),
        ["The government falls over the budget."]
    );
    // Anna's own unit came back and mapped onto hers: not doubled.
    assert_eq!(anna.n_units(), 1);
    assert_eq!(anna.replica(), ben.replica());
    let status = anna.session.team_status().unwrap().unwrap();
    assert_eq!((status.outbox, status.pulled_seq), (0, 1));
    assert!(status.synced_at.is_some() && status.last_error.is_none());
}

#[test]
fn two_translations_of_one_sentence_are_both_kept() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let sentence = "Il governo cade.".to_owned();
    let (doc, segments) = anna.article(std::slice::from_ref(&sentence));
    anna.confirm(doc, segments[0], "The government falls.");
    let (doc, segments) = ben.article(std::slice::from_ref(&sentence));
    ben.confirm(doc, segments[0], "The government collapses.");
    anna.sync();
    ben.sync();
    anna.sync();
    let both = ["The government collapses.", "The government falls."];
    assert_eq!(anna.exact(&sentence), both);
    assert_eq!(ben.exact(&sentence), both);
    assert_eq!(desk.server_units().len(), 2);
}

#[test]
fn a_team_glossary_entry_reaches_the_other_workspace_and_its_changes_follow() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let glossary = anna.session.team_status().unwrap().unwrap().glossary;
    let added = anna
        .session
        .lock()
        .add_glossary_entry(&glossary, "Farnesina", "Foreign Ministry", None)
        .unwrap();
    assert_eq!(anna.sync().pushed, 1);
    ben.sync();
    let entries = |member: &Member| -> Vec<String> {
        member
            .session
            .lock()
            .workspace()
            .glossary_entries(Some(&glossary), false)
            .unwrap()
            .iter()
            .map(|e| format!("{} = {}", e.italian[0].text, e.english[0].text))
            .collect()
    };
    assert_eq!(entries(&ben), ["Farnesina = Foreign Ministry"]);
    // An edit made on the version pulled is no conflict; a deletion follows.
    let mut entry = anna
        .session
        .lock()
        .workspace()
        .glossary_entry(added.id)
        .unwrap()
        .unwrap();
    entry.english[0].text = "Italian Foreign Ministry".into();
    anna.session
        .lock()
        .workspace_mut()
        .update_entry(&entry)
        .unwrap();
    anna.sync();
    let report = ben.sync();
    assert_eq!((report.pulled, report.conflicts), (1, 0));
    assert_eq!(entries(&ben), ["Farnesina = Italian Foreign Ministry"]);
    // Both edit the same version offline: the last writer wins everywhere,
    // and the loser is kept as a conflict.
    let ben_entry = ben
        .session
        .lock()
        .workspace()
        .glossary_entries(Some(&glossary), false)
        .unwrap()[0]
        .clone();
    let mut edited = ben_entry.clone();
    edited.english[0].text = "the Farnesina".into();
    ben.session
        .lock()
        .workspace_mut()
        .update_entry(&edited)
        .unwrap();
    entry.english[0].text = "Ministry of Foreign Affairs".into();
    anna.session
        .lock()
        .workspace_mut()
        .update_entry(&entry)
        .unwrap();
    ben.sync();
    let late = anna.sync();
    assert_eq!(late.conflicts, 1);
    ben.sync();
    assert_eq!(entries(&anna), ["Farnesina = Ministry of Foreign Affairs"]);
    assert_eq!(entries(&ben), entries(&anna));
    assert_eq!(
        ben.session
            .lock()
            .workspace()
            .team_conflicts()
            .unwrap()
            .len(),
        1
    );
    anna.session
        .lock()
        .workspace_mut()
        .delete_entry(entry.id)
        .unwrap();
    anna.sync();
    ben.sync();
    assert!(entries(&ben).is_empty());
}

/// The outbox's rows, as SQLite holds them.
fn outbox_rows(db: &Path) -> Vec<(String, String, Vec<u8>, String, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT op_id, kind, subject, body, created_at FROM team_outbox ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_push_retried_after_its_answer_was_lost_applies_once() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let sentences: Vec<String> = (0..3).map(|n| format!("La frase numero {n}.")).collect();
    let (doc, segments) = anna.article(&sentences);
    for (n, segment) in segments.iter().enumerate() {
        anna.confirm(doc, *segment, &format!("Sentence number {n}."));
    }
    let sent = outbox_rows(&anna.db());
    assert_eq!(sent.len(), 3);
    assert_eq!(anna.sync().pushed, 3);
    // As if the answer had been lost: the rows are back in the outbox.
    {
        let conn = rusqlite::Connection::open(anna.db()).unwrap();
        for (op_id, kind, subject, body, created_at) in &sent {
            conn.execute(
                "INSERT INTO team_outbox (op_id, kind, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![op_id, kind, subject, body, created_at],
            )
            .unwrap();
        }
    }
    assert_eq!(anna.sync().pushed, 3);
    assert!(outbox_rows(&anna.db()).is_empty());
    assert_eq!(desk.runtime.block_on(desk.app.team_seq("desk")), 3);
    assert_eq!(ben.sync().pulled, 3);
    assert_eq!(ben.n_units(), 3);
    assert_eq!(anna.n_units(), 3);
}

#[test]
fn twenty_workspaces_confirming_a_thousand_segments_each_converge_on_the_same_units() {
    const MEMBERS: usize = 20;
    const CONFIRMATIONS: usize = 1_000;
    const PER_DOCUMENT: usize = 50;
    let desk = Arc::new(Desk::new());
    let mut rng = Rng::seeded("INTERLINEA_DESK_SEED");
    let seeds: Vec<u64> = (0..MEMBERS).map(|_| rng.next()).collect();
    let members: Vec<Arc<Member>> = (0..MEMBERS)
        .map(|n| {
            let user = format!("translator{n}");
            Arc::new(Member::join(
                &desk,
                &user,
                &desk.token(&user, Role::Translator),
            ))
        })
        .collect();
    let workers: Vec<_> = members
        .iter()
        .zip(seeds)
        .enumerate()
        .map(|(n, (member, seed))| {
            let member = member.clone();
            std::thread::spawn(move || {
                let mut rng = Rng(seed);
                for document in 0..CONFIRMATIONS / PER_DOCUMENT {
                    let sentences: Vec<String> = (0..PER_DOCUMENT)
                        .map(|i| format!("Il traduttore {n} scrive la frase {document}-{i}."))
                        .collect();
                    let (doc, segments) = member.article(&sentences);
                    for (i, segment) in segments.iter().enumerate() {
                        member.confirm(
                            doc,
                            *segment,
                            &format!("Translator {n} writes sentence {document}-{i}."),
                        );
                        // Now and then a sync (push, then pull) while others push.
                        if rng.below(40) == 0 {
                            member.sync_retrying();
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a member's work");
    }
    // Every member sends what is left, then every member takes the rest.
    for member in &members {
        member.sync_retrying();
    }
    for member in &members {
        member.sync_retrying();
    }
    let on_server = desk.server_units();
    assert_eq!(on_server.len(), MEMBERS * CONFIRMATIONS);
    for (n, member) in members.iter().enumerate() {
        assert_eq!(member.replica(), on_server, "member {n}'s replica");
        assert_eq!(
            member.n_units(),
            MEMBERS * CONFIRMATIONS,
            "member {n}'s units"
        );
        assert_eq!(member.session.team_status().unwrap().unwrap().outbox, 0);
    }
    let sentence = "Il traduttore 7 scrive la frase 3-14.";
    assert_eq!(
        members[12].exact(sentence),
        ["Translator 7 writes sentence 3-14."]
    );
}

/// The `interlinea` command line of this build (`cargo test --workspace`,
/// as `./x test` runs, builds it beside the tests), or the one named by
/// `INTERLINEA_CLI_BIN`.
pub fn cli_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("INTERLINEA_CLI_BIN") {
        return bin.into();
    }
    let exe = std::env::current_exe().expect("the test binary");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/debug/deps");
    let bin = dir.join("interlinea");
    assert!(
        bin.is_file(),
        "{} is missing: build it with `cargo build -p interlinea` (./x test does)",
        bin.display()
    );
    bin
}

/// Runs the command line on `member`'s workspace and keys file.
pub fn cli(member_dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(cli_bin())
        .args(args)
        .arg("--db")
        .arg(member_dir.join("ws.sqlite"))
        .env("INTERLINEA_KEYS", member_dir.join("keys.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run interlinea");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .expect("write the input");
    child.wait_with_output().expect("its output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_command_line_joins_syncs_and_says_where_it_stands() {
    let desk = Desk::new();
    let anna_token = desk.token("anna", Role::Translator);
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let (doc, segments) = ben.article(&["Piove a Roma.".into()]);
    ben.confirm(doc, segments[0], "It is raining in Rome.");
    ben.sync();

    let dir = folder();
    let url = desk.url();
    // A wrong token: refused, nothing stored.
    let refused = cli(
        dir.path(),
        &["team", "join", &url, "--user", "anna", "--token-stdin"],
        "not-the-token\n",
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stdout).is_empty());
    assert!(
        text(&refused.stderr).contains("401"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!dir.path().join("keys.json").exists());
    let status = cli(dir.path(), &["team", "status"], "");
    assert_eq!(status.status.code(), Some(1));
    assert!(text(&status.stderr).contains("joined no team"));

    let joined = cli(
        dir.path(),
        &["team", "join", &url, "--user", "anna", "--token-stdin"],
        &format!("{anna_token}\n"),
    );
    assert!(joined.status.success(), "{}", text(&joined.stderr));
    let joined: serde_json::Value = serde_json::from_slice(&joined.stdout).unwrap();
    assert_eq!(joined["team"], "desk");

    let synced = cli(dir.path(), &["sync"], "");
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    assert_eq!(
        text(&synced.stdout),
        "{\"pushed\":0,\"pulled\":1,\"conflicts\":0}\n"
    );

    let status = cli(dir.path(), &["team", "status"], "");
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["url"], url.as_str());
    assert_eq!(status["user"], "anna");
    assert_eq!(status["last_seq"], 1);
    assert_eq!(status["outbox"], 0);
    assert_eq!(status["offline"], false);
    assert!(status["last_sync"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));

    // The token is in the keys file, and nowhere in the workspace's files.
    let keys = std::fs::read(dir.path().join("keys.json")).unwrap();
    assert!(contains(&keys, anna_token.as_bytes()));
    for name in ["ws.sqlite", "ws.sqlite-wal"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap_or_default();
        assert!(
            !contains(&bytes, anna_token.as_bytes()),
            "the token is in {name}"
        );
    }
    let workspace = std::fs::read(dir.path().join("ws.sqlite")).unwrap();
    assert!(!workspace.is_empty());

    let left = cli(dir.path(), &["team", "leave"], "");
    assert!(left.status.success(), "{}", text(&left.stderr));
    let keys = std::fs::read(dir.path().join("keys.json")).unwrap();
    assert!(!contains(&keys, anna_token.as_bytes()));
    let status = cli(dir.path(), &["team", "status"], "");
    assert_eq!(status.status.code(), Some(1));
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

//! Crash safety: the CLI killed with SIGKILL at random moments, in the
//! middle of TMX imports and of a stream of target saves. Afterwards the
//! workspace passes SQLite's integrity check, every acknowledged save is
//! there, and no import is half done.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::tm::{lines, ok, run};

const UNITS: usize = 20_000;

fn spawn(db: &std::path::Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_interlinea"))
        .args(args)
        .arg("--db")
        .arg(db)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run interlinea")
}

/// Runs `child` for a random share of `typical` (up to 1.6×) and kills it
/// with SIGKILL unless it ended first; whether it ended on its own, with 0.
fn kill_at_random(mut child: Child, typical: Duration, rng: &mut fastrand::Rng) -> bool {
    let deadline = Instant::now() + typical.mul_f64(rng.f64() * 1.6);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if Instant::now() >= deadline {
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
            return false;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

fn integrity(db: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

#[test]
fn random_kills_during_imports_and_saves_lose_nothing() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("crash test seed {seed} (CRASH_SEED={seed} repeats it)");
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let tmx = dir.path().join("agency.tmx");
    let mut text = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="it" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>"#,
    );
    for i in 0..UNITS {
        text.push_str(&format!(
            r#"<tu><tuv xml:lang="it"><seg>Il vertice numero {i} si è chiuso a Mosca.</seg></tuv><tuv xml:lang="en"><seg>Summit number {i} closed in Moscow.</seg></tuv></tu>"#
        ));
    }
    text.push_str("</body></tmx>");
    std::fs::write(&tmx, text).expect("write the TMX");
    let tmx = tmx.to_str().unwrap();

    // How long an import takes here, to kill at moments spread over it.
    let started = Instant::now();
    ok(run(&db, &["tm", "import", tmx, "--tm", "complete"], ""));
    let import_time = started.elapsed();

    let mut kills = 0;
    let mut imports_done = Vec::new();
    let mut i = 0;
    while kills < 100 {
        i += 1;
        let name = format!("agency-{i}");
        let child = spawn(&db, &["tm", "import", tmx, "--tm", &name]);
        if kill_at_random(child, import_time, &mut rng) {
            imports_done.push(name);
        } else {
            kills += 1;
        }
    }
    // Every TM is whole or absent: an interrupted import left nothing.
    let tms = lines(&ok(run(&db, &["tm", "list", "--format", "jsonl"], "")));
    for tm in &tms {
        assert_eq!(tm["units"], UNITS, "{tm} is half imported");
    }
    for name in &imports_done {
        assert!(
            tms.iter().any(|t| t["name"] == name.as_str()),
            "{name} finished but is missing"
        );
    }
    assert_eq!(integrity(&db), "ok");
    // And the memory still answers (its saved index may have been cut short).
    let found = ok(run(
        &db,
        &[
            "tm",
            "lookup",
            "Il vertice numero 17 si è chiuso a Mosca.",
            "--format",
            "jsonl",
        ],
        "",
    ));
    assert!(
        found.contains("Summit number 17 closed in Moscow."),
        "{found}"
    );

    // A stream of saves, killed at random; acknowledged saves must survive.
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim().to_string();
    let segments: Vec<String> = lines(&ok(run(&db, &["show", &id, "--format", "jsonl"], "")))
        .into_iter()
        .filter(|s| s["translatable"] == true)
        .map(|s| s["id"].to_string())
        .collect();
    let started = Instant::now();
    ok(run(
        &db,
        &[
            "set-target",
            &id,
            &segments[0],
            "warm-up",
            "--status",
            "translated",
        ],
        "",
    ));
    let save_time = started.elapsed();
    // Per segment: the last acknowledged text, and texts tried after it.
    let mut acknowledged: std::collections::HashMap<String, String> = Default::default();
    let mut tried_since: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut save_kills = 0;
    let mut n = 0;
    while save_kills < 100 {
        n += 1;
        let segment = &segments[rng.usize(..segments.len())];
        let text = format!("Saved text number {n}.");
        let child = spawn(
            &db,
            &[
                "set-target",
                &id,
                segment,
                &text,
                "--status",
                "translated",
                "--no-propagate",
            ],
        );
        if kill_at_random(child, save_time, &mut rng) {
            acknowledged.insert(segment.clone(), text);
            tried_since.remove(segment);
        } else {
            save_kills += 1;
            tried_since.entry(segment.clone()).or_default().push(text);
        }
    }
    kills += save_kills;
    assert_eq!(integrity(&db), "ok");
    let stored: std::collections::HashMap<String, String> =
        lines(&ok(run(&db, &["show", &id, "--format", "jsonl"], "")))
            .into_iter()
            .map(|s| {
                (
                    s["id"].to_string(),
                    s["target"].as_str().unwrap().to_string(),
                )
            })
            .collect();
    for (segment, text) in &acknowledged {
        let now = &stored[segment];
        let later = tried_since.get(segment).is_some_and(|t| t.contains(now));
        assert!(
            now == text || later,
            "segment {segment}: acknowledged {text:?}, found {now:?}"
        );
    }
    eprintln!(
        "{kills} kills ({} during imports, {save_kills} during {n} saves); {} imports and {} saves completed",
        kills - save_kills,
        imports_done.len(),
        acknowledged.len()
    );
    assert!(kills >= 200, "only {kills} kills");
}

/// Two processes writing to one workspace at once: each waits for the
/// other's transaction instead of failing, and every save lands.
#[test]
fn two_processes_saving_at_once_both_succeed() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim().to_string();
    let segments: Vec<String> = lines(&ok(run(&db, &["show", &id, "--format", "jsonl"], "")))
        .into_iter()
        .filter(|s| s["translatable"] == true)
        .map(|s| s["id"].to_string())
        .collect();
    // Even segments by one writer, odd ones by the other, 10 rounds each,
    // while a TMX import writes too.
    std::thread::scope(|scope| {
        for parity in 0..2 {
            let (db, id, segments) = (&db, &id, &segments);
            scope.spawn(move || {
                for round in 0..10 {
                    for (i, segment) in segments.iter().enumerate().filter(|(i, _)| i % 2 == parity)
                    {
                        let text = format!("Round {round} of segment {i}.");
                        ok(run(
                            db,
                            &[
                                "set-target",
                                id,
                                segment,
                                &text,
                                "--status",
                                "translated",
                                "--no-propagate",
                            ],
                            "",
                        ));
                    }
                }
            });
        }
        scope.spawn(|| {
            ok(run(
                &db,
                &["tm", "import", "tests/fixtures/small.tmx", "--tm", "agency"],
                "",
            ))
        });
    });
    let stored = lines(&ok(run(&db, &["show", &id, "--format", "jsonl"], "")));
    let translatable: Vec<_> = stored
        .iter()
        .filter(|s| s["translatable"] == true)
        .collect();
    for (i, segment) in translatable.iter().enumerate() {
        assert_eq!(segment["target"], format!("Round 9 of segment {i}."));
    }
    assert_eq!(integrity(&db), "ok");
}

/// A workspace held by another writer for longer than the wait: the save
/// fails with a message that says so, and nothing is half written.
#[test]
fn a_workspace_held_too_long_says_it_is_busy() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let id = id.trim().to_string();
    let segment = lines(&ok(run(&db, &["show", &id, "--format", "jsonl"], "")))
        .into_iter()
        .find(|s| s["translatable"] == true)
        .expect("a segment")["id"]
        .to_string();
    let holder = rusqlite::Connection::open(&db).expect("open");
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let out = run(
        &db,
        &[
            "set-target",
            &id,
            &segment,
            "Too late.",
            "--status",
            "translated",
        ],
        "",
    );
    holder.execute_batch("ROLLBACK").expect("release");
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("the workspace is busy"), "{message}");
    let stored = lines(&ok(run(&db, &["show", &id, "--format", "jsonl"], "")));
    assert!(
        stored.iter().all(|s| s["target"] == ""),
        "nothing was written"
    );
}

/// A process whose POSIX locks on the workspace were dropped (any of its
/// descriptors of a file closed) is not seen by the next command, which deletes the log on closing.
/// The first process must then refuse to save rather than write into the
/// deleted log, and nothing it was told was saved may be missing.
#[test]
fn a_lost_lock_never_turns_into_a_lost_save() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let id: i64 = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""))
        .trim()
        .parse()
        .expect("document id");
    let mut app = interlinea::Workspace::open(&db).expect("open");
    let segments: Vec<i64> = app
        .segments(id)
        .expect("segments")
        .iter()
        .filter(|s| s.translatable.is_translatable())
        .map(|s| s.id)
        .collect();
    let confirm = |ws: &mut interlinea::Workspace, segment: i64| {
        ws.set_target(
            id,
            segment,
            &format!("Segment {segment}."),
            interlinea::Status::Translated,
        )
    };
    confirm(&mut app, segments[0]).expect("a save before anything happens");
    ok(run(&db, &["docs"], ""));
    // The locks are lost: a descriptor of each file opened and closed, as
    // a file chooser that peeks into the files of a folder does.
    for suffix in ["", "-wal", "-shm"] {
        let mut file = db.clone().into_os_string();
        file.push(suffix);
        drop(std::fs::File::open(file).expect("open the file"));
    }
    ok(run(&db, &["docs"], ""));
    let refused = confirm(&mut app, segments[1]).expect_err("the log is gone: no save");
    assert!(
        matches!(refused, interlinea::StoreError::Replaced),
        "{refused}"
    );
    drop(app);

    assert_eq!(integrity(&db), "ok");
    let stored = lines(&ok(run(
        &db,
        &["show", &id.to_string(), "--format", "jsonl"],
        "",
    )));
    let first = stored
        .iter()
        .find(|s| s["id"] == segments[0])
        .expect("the first segment");
    assert_eq!(first["target"], format!("Segment {}.", segments[0]));
    assert_eq!(first["status"], "translated");
}

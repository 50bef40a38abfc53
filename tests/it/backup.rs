//! `interlinea backup` and `restore`, the backup before a migration, and a
//! damaged workspace pointing at its latest good backup.

use crate::tm::{lines, ok, run};

fn headline(db: &std::path::Path, doc: &str) -> serde_json::Value {
    lines(&ok(run(db, &["show", doc, "--format", "jsonl"], "")))
        .into_iter()
        .find(|s| s["source"] == "Putin va da Kim.")
        .expect("the headline")
}

#[test]
fn backup_restore_and_a_damaged_workspace() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    let doc = ok(run(&db, &["import", "seeds/000_da66b3da442e8d8e.txt"], ""));
    let doc = doc.trim();
    let segment = headline(&db, doc)["id"].to_string();
    ok(run(
        &db,
        &[
            "set-target",
            doc,
            &segment,
            "Putin goes to Kim.",
            "--status",
            "translated",
        ],
        "",
    ));
    let backup = ok(run(&db, &["backup"], ""));
    let backup = backup.trim();
    assert!(
        backup.starts_with(dir.path().join("backups/ws-").to_str().unwrap()),
        "{backup}"
    );
    ok(run(
        &db,
        &[
            "set-target",
            doc,
            &segment,
            "Later English.",
            "--status",
            "translated",
        ],
        "",
    ));

    // A workspace whose file is damaged names its latest good backup.
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(0x55);
    std::fs::write(&db, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("ws.sqlite-wal"));
    let damaged = run(&db, &["docs"], "");
    assert_eq!(damaged.status.code(), Some(1));
    let message = String::from_utf8_lossy(&damaged.stderr);
    assert!(message.contains("is damaged"), "{message}");
    assert!(
        message.contains(&format!("`interlinea restore {backup}`")),
        "{message}"
    );

    let restored = ok(run(&db, &["restore", backup], ""));
    assert!(restored.contains("restored from"), "{restored}");
    assert_eq!(headline(&db, doc)["target"], "Putin goes to Kim.");

    // A file that is not a sound workspace is refused, the workspace untouched.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let refused = run(&db, &["restore", junk.to_str().unwrap()], "");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot restore"));
    assert_eq!(headline(&db, doc)["target"], "Putin goes to Kim.");
}

#[test]
fn rolling_backups_keep_the_newest_ten_and_one_is_made_before_a_migration() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("ws.sqlite");
    for _ in 0..12 {
        ok(run(&db, &["backup"], ""));
    }
    let folder = dir.path().join("backups");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 10);

    // An older schema: the workspace is copied before it is migrated.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TABLE concordance_stale; ALTER TABLE tm_state DROP COLUMN uid;
             ALTER TABLE tm_state ADD COLUMN fts_max INTEGER NOT NULL DEFAULT 0;
             CREATE VIRTUAL TABLE tm_fts USING fts5 (source, target, content = '', contentless_delete = 1);
             DROP TABLE revision_changes; DROP TABLE revisions; DROP TABLE document_meta;
             ALTER TABLE documents DROP COLUMN style; ALTER TABLE tm_units DROP COLUMN changed_by;
             DROP TABLE segment_units; DROP TABLE document_sources;
             ALTER TABLE blocks DROP COLUMN codes; DROP TABLE settings; DROP TABLE segment_versions;
             DROP TABLE spelling_words; DROP TABLE spelling_ignored; DROP TABLE team; DROP TABLE team_outbox; DROP TABLE team_units; DROP TABLE team_entries; DROP TABLE team_conflicts; DROP TABLE team_rejected; DROP TABLE team_resolutions; DROP TABLE team_document_segments; DROP TABLE team_documents; DROP TABLE team_segment_conflicts;
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let before: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    ok(run(&db, &["docs"], ""));
    let after: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let new: Vec<_> = after.iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(new.len(), 1, "one backup before the migration");
    let old = rusqlite::Connection::open(new[0]).unwrap();
    let version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version, 8,
        "the backup is of the workspace before the migration"
    );
}

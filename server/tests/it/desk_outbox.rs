//! The desktop's outbox and membership against a real server (issue 20):
//! an operation the server refuses for good is set aside with its reason
//! while the rest goes and the pull runs; an operation over the limits is
//! kept as rejected, never lost without a word; terms keep their part of
//! speech and case; a conflict settled here is marked resolved on the
//! server; and a token serves each workspace on its own.

use std::sync::atomic::AtomicBool;

use interlinea::mt::keys::KeyStore;
use interlinea::session::Session;
use interlinea::termbase::{Entry, Term};
use interlinea::Workspace;
use interlinea_server::db::{self, Role};
use uuid::Uuid;

use crate::desk::{cli, folder, Desk, Member};
use crate::support::random_words;

/// Puts an operation the server refuses for good (an assignment, which
/// only the server writes) into the workspace's outbox, as a client of
/// another version could have left it.
fn enqueue_refused(member: &Member) -> Uuid {
    let op_id = Uuid::new_v4();
    let body = serde_json::json!({"kind": "assigned", "document_id": Uuid::new_v4(),
        "user": "anna", "step": "translate", "lease_until": "2026-12-07T00:00:00Z"});
    rusqlite::Connection::open(member.db())
        .unwrap()
        .execute(
            "INSERT INTO team_outbox (op_id, kind, subject, body, created_at) VALUES (?1, 'unit', ?2, ?3, 0)",
            rusqlite::params![op_id.to_string(), Uuid::new_v4().as_bytes(), body.to_string()],
        )
        .unwrap();
    op_id
}

fn unresolved_conflicts(desk: &Desk) -> i64 {
    desk.runtime.block_on(async {
        let client = desk.app.pool.get().await.unwrap();
        client
            .query_one(
                "SELECT count(*) FROM entry_conflicts WHERE resolved_at IS NULL",
                &[],
            )
            .await
            .unwrap()
            .get(0)
    })
}

#[test]
fn a_push_the_server_refuses_for_good_sets_the_culprit_aside_and_the_rest_goes_and_the_pull_runs() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let (doc, segments) = ben.article(&["Piove a Roma.".into()]);
    ben.confirm(doc, segments[0], "It is raining in Rome.");
    ben.sync();
    let sentences: Vec<String> = (0..6).map(|n| format!("La frase numero {n}.")).collect();
    let (doc, segments) = anna.article(&sentences);
    for (n, segment) in segments.iter().enumerate() {
        anna.confirm(doc, *segment, &format!("Sentence number {n}."));
        if n == 2 {
            enqueue_refused(&anna);
        }
    }
    let report = anna.sync();
    // Pulled: ben's unit, and anna's six coming back.
    assert_eq!((report.pushed, report.pulled), (6, 7));
    assert_eq!(anna.exact("Piove a Roma."), ["It is raining in Rome."]);
    assert_eq!(desk.server_units().len(), 7);
    let status = anna.session.team_status().unwrap().unwrap();
    assert_eq!(status.outbox, 0);
    assert_eq!(status.rejected.len(), 1, "{:?}", status.rejected);
    let rejected = &status.rejected[0];
    assert!(
        rejected.reason.contains("400") && rejected.reason.contains("not pushed"),
        "{}",
        rejected.reason
    );
    assert_eq!(status.last_error, None);
    // Not sent again; the translator drops it.
    assert_eq!(anna.sync().pushed, 0);
    assert_eq!(anna.session.team_drop_rejected(None).unwrap(), 1);
    assert!(anna
        .session
        .team_status()
        .unwrap()
        .unwrap()
        .rejected
        .is_empty());
}

#[test]
fn an_outbox_larger_than_the_servers_body_limit_goes_in_batches_under_it() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    // 500 units (a push's most) of 20,000 characters: 10 MB, over the
    // server's 8 MiB body limit.
    {
        let conn = rusqlite::Connection::open(anna.db()).unwrap();
        for _ in 0..interlinea::team::MAX_OPS_PER_PUSH {
            let id = Uuid::new_v4();
            let body = serde_json::json!({"kind": "unit_added", "unit": {"id": id,
                "source": random_words(10_000), "target": random_words(10_000)}});
            conn.execute(
                "INSERT INTO team_outbox (op_id, kind, subject, body, created_at) VALUES (?1, 'unit', ?2, ?3, 0)",
                rusqlite::params![Uuid::new_v4().to_string(), id.as_bytes(), body.to_string()],
            )
            .unwrap();
        }
    }
    let report = anna.sync();
    assert_eq!(report.pushed, 500);
    assert_eq!(desk.server_units().len(), 500);
    let status = anna.session.team_status().unwrap().unwrap();
    assert_eq!((status.outbox, status.rejected.len()), (0, 0));
}

#[test]
fn the_command_line_replaces_the_token_lists_and_drops_what_was_refused() {
    let desk = Desk::new();
    let token = desk.token("anna", Role::Translator);
    let dir = folder();
    let joined = cli(
        dir.path(),
        &[
            "team",
            "join",
            &desk.url(),
            "--user",
            "anna",
            "--token-stdin",
        ],
        &format!("{token}\n"),
    );
    assert!(joined.status.success());
    let fresh = desk
        .runtime
        .block_on(db::issue_token(&desk.app.pool, "anna"))
        .unwrap();
    let replaced = cli(
        dir.path(),
        &["team", "token", "--token-stdin"],
        &format!("{fresh}\n"),
    );
    assert!(
        replaced.status.success(),
        "{}",
        String::from_utf8_lossy(&replaced.stderr)
    );
    let keys = std::fs::read_to_string(dir.path().join("keys.json")).unwrap();
    assert!(keys.contains(&fresh) && !keys.contains(&token));
    let wrong = cli(
        dir.path(),
        &["team", "token", "--token-stdin"],
        "not-a-token\n",
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("401"));

    let refused = Uuid::new_v4();
    rusqlite::Connection::open(dir.path().join("ws.sqlite"))
        .unwrap()
        .execute(
            "INSERT INTO team_outbox (op_id, kind, subject, body, created_at) VALUES (?1, 'unit', ?2, ?3, 0)",
            rusqlite::params![
                refused.to_string(),
                Uuid::new_v4().as_bytes(),
                serde_json::json!({"kind": "released", "document_id": Uuid::new_v4()}).to_string()
            ],
        )
        .unwrap();
    let synced = cli(dir.path(), &["sync"], "");
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let status = cli(dir.path(), &["team", "status"], "");
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["rejected"][0]["op"], refused.to_string());
    assert!(status["rejected"][0]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("400")));
    // Sent again, it goes back to the outbox and is pushed (and refused) anew.
    let queued = cli(
        dir.path(),
        &["team", "retry-rejected", "--op", &refused.to_string()],
        "",
    );
    assert_eq!(String::from_utf8_lossy(&queued.stdout), "{\"queued\":1}\n");
    let status = cli(dir.path(), &["team", "status"], "");
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        (&status["outbox"], &status["rejected"]),
        (&serde_json::json!(1), &serde_json::json!([]))
    );
    let unknown = cli(
        dir.path(),
        &[
            "team",
            "retry-rejected",
            "--op",
            &Uuid::new_v4().to_string(),
        ],
        "",
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(cli(dir.path(), &["sync"], "").status.success());
    let status = cli(dir.path(), &["team", "status"], "");
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["rejected"][0]["op"], refused.to_string());
    let dropped = cli(dir.path(), &["team", "drop-rejected"], "");
    assert_eq!(
        String::from_utf8_lossy(&dropped.stdout),
        "{\"dropped\":1}\n"
    );
    let status = cli(dir.path(), &["team", "status"], "");
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["rejected"], serde_json::json!([]));
}

#[test]
fn a_confirmation_over_the_limits_is_kept_as_rejected_with_its_reason() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let long = "parola ".repeat(1_500).trim_end().to_owned();
    let (doc, segments) = anna.article(&[long, "Piove.".into()]);
    anna.confirm(doc, segments[0], "word");
    anna.confirm(doc, segments[1], "It rains.");
    assert_eq!(anna.sync().pushed, 1);
    assert_eq!(desk.server_units().len(), 1);
    let status = anna.session.team_status().unwrap().unwrap();
    assert_eq!(status.outbox, 0);
    assert_eq!(status.rejected.len(), 1);
    assert!(
        status.rejected[0].reason.contains("10499 characters"),
        "{}",
        status.rejected[0].reason
    );
    assert!(status.rejected[0].what.starts_with("unit: parola parola"));
}

#[test]
fn a_terms_part_of_speech_and_case_reach_the_teammate() {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let glossary = anna.session.team_status().unwrap().unwrap().glossary;
    let italian = Term {
        pos: Some("properNoun".into()),
        case_sensitive: true,
        ..Term::new("Farnesina")
    };
    let english = Term {
        pos: Some("noun".into()),
        ..Term::new("Foreign Ministry")
    };
    let entry = Entry {
        italian: vec![italian.clone()],
        english: vec![english.clone()],
        ..Entry::default()
    };
    anna.session
        .lock()
        .workspace_mut()
        .add_entry(&glossary, &entry)
        .unwrap();
    assert_eq!(anna.sync().pushed, 1);
    assert_eq!(ben.sync().pulled, 1);
    let got = ben
        .session
        .lock()
        .workspace()
        .glossary_entries(Some(&glossary), false)
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (&got[0].italian, &got[0].english),
        (&vec![italian], &vec![english])
    );
}

/// A desk, with anna and ben, whose edits of one glossary entry crossed:
/// ben, whose write lost, has received the conflict.
fn a_glossary_conflict_received_by_ben() -> (Desk, Member, Member) {
    let desk = Desk::new();
    let anna = Member::join(&desk, "anna", &desk.token("anna", Role::Translator));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let glossary = anna.session.team_status().unwrap().unwrap().glossary;
    anna.session
        .lock()
        .add_glossary_entry(&glossary, "Farnesina", "Foreign Ministry", None)
        .unwrap();
    anna.sync();
    ben.sync();
    for (member, english) in [
        (&anna, "the Farnesina"),
        (&ben, "Ministry of Foreign Affairs"),
    ] {
        let mut entry = member
            .session
            .lock()
            .workspace()
            .glossary_entries(Some(&glossary), false)
            .unwrap()[0]
            .clone();
        entry.english[0].text = english.into();
        member
            .session
            .lock()
            .workspace_mut()
            .update_entry(&entry)
            .unwrap();
    }
    anna.sync();
    assert_eq!(ben.sync().conflicts, 1);
    (desk, anna, ben)
}

#[test]
fn a_conflict_settled_offline_is_marked_resolved_on_the_server_at_the_next_sync() {
    let (desk, _anna, ben) = a_glossary_conflict_received_by_ben();
    assert_eq!(unresolved_conflicts(&desk), 1);
    let conflict = ben.session.team_conflicts().unwrap().remove(0);
    // Settled with no server in reach: nothing is asked of it yet.
    ben.session
        .settle_team_conflict(conflict.entry, conflict.won_seq, false)
        .unwrap();
    assert!(ben.session.team_conflicts().unwrap().is_empty());
    assert_eq!(unresolved_conflicts(&desk), 1);
    ben.sync();
    assert_eq!(unresolved_conflicts(&desk), 0);
    assert!(ben
        .session
        .lock()
        .workspace()
        .unsent_resolutions()
        .unwrap()
        .is_empty());
}

/// Runs SQL on the server's database.
fn server_sql(desk: &Desk, sql: &str) {
    desk.runtime.block_on(async {
        let client = desk.app.pool.get().await.unwrap();
        client.batch_execute(sql).await.unwrap();
    });
}

#[test]
fn a_resolution_the_server_fails_to_take_stays_unsent_and_the_pull_runs() {
    let (desk, anna, ben) = a_glossary_conflict_received_by_ben();
    let conflict = ben.session.team_conflicts().unwrap().remove(0);
    ben.session
        .settle_team_conflict(conflict.entry, conflict.won_seq, false)
        .unwrap();
    // The server fails on marking it resolved (500), and on nothing else.
    server_sql(
        &desk,
        "CREATE FUNCTION refuse_resolution() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'resolution refused'; END $$;
         CREATE TRIGGER refuse_resolution BEFORE UPDATE ON entry_conflicts
           FOR EACH ROW EXECUTE FUNCTION refuse_resolution();",
    );
    let (doc, segments) = anna.article(&["Piove a Roma.".into()]);
    anna.confirm(doc, segments[0], "It is raining in Rome.");
    anna.sync();
    assert_eq!(ben.sync().pulled, 1);
    assert_eq!(ben.exact("Piove a Roma."), ["It is raining in Rome."]);
    assert_eq!(unresolved_conflicts(&desk), 1);
    assert_eq!(
        ben.session.lock().workspace().unsent_resolutions().unwrap(),
        [conflict.won_seq]
    );
    // Told at the next round once the server takes it.
    server_sql(&desk, "DROP TRIGGER refuse_resolution ON entry_conflicts");
    ben.sync();
    assert_eq!(unresolved_conflicts(&desk), 0);
}

#[test]
fn a_share_by_an_editor_demoted_since_is_set_aside_and_the_rest_goes_and_the_pull_runs() {
    let desk = Desk::new();
    let eddie = Member::join(&desk, "eddie", &desk.token("eddie", Role::Editor));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let (doc, _) = eddie.article(&["Il governo cade.".into()]);
    let shared = eddie.session.share_document_blocking(doc).unwrap();
    server_sql(
        &desk,
        "UPDATE users SET role = 'translator' WHERE name = 'eddie'",
    );
    let (doc, segments) = eddie.article(&["Piove a Roma.".into()]);
    eddie.confirm(doc, segments[0], "It is raining in Rome.");
    let (doc, segments) = ben.article(&["Nevica a Milano.".into()]);
    ben.confirm(doc, segments[0], "It is snowing in Milan.");
    ben.sync();
    let report = eddie.sync();
    assert_eq!(report.pushed, 1);
    assert_eq!(eddie.exact("Nevica a Milano."), ["It is snowing in Milan."]);
    let status = eddie.session.team_status().unwrap().unwrap();
    assert_eq!(status.outbox, 0);
    assert_eq!(status.rejected.len(), 1, "{:?}", status.rejected);
    assert!(
        status.rejected[0].reason.contains("403"),
        "{}",
        status.rejected[0].reason
    );
    assert_eq!(status.last_error, None);
    assert!(eddie
        .session
        .lock()
        .workspace()
        .team_documents()
        .unwrap()
        .iter()
        .all(|d| d.id != shared || !d.shared));
}

#[test]
fn leaving_in_one_workspace_keeps_the_token_another_uses_and_a_replaced_token_serves() {
    let desk = Desk::new();
    let token = desk.token("anna", Role::Translator);
    // Two workspaces of one user, whose keys are kept in one place.
    let dir = folder();
    let keys = dir.path().join("keys.json");
    let workspace = |name: &str| {
        let path = dir.path().join(name);
        Session::with_keys(Workspace::open(&path).unwrap(), path, KeyStore::at(&keys))
    };
    let (first, second) = (workspace("one.sqlite"), workspace("two.sqlite"));
    for session in [&first, &second] {
        session
            .team_join_blocking(&desk.url(), "anna", &token)
            .unwrap();
    }
    let sync = |session: &Session| session.team_sync_blocking(None, &AtomicBool::new(false));
    first.team_leave(false).unwrap();
    sync(&second).expect("the second workspace keeps its token");

    // The admin revokes the token and issues another.
    let fresh = desk.runtime.block_on(async {
        db::revoke_tokens(&desk.app.pool, "anna").await.unwrap();
        db::issue_token(&desk.app.pool, "anna").await.unwrap()
    });
    let refused = sync(&second).unwrap_err();
    assert!(refused.to_string().contains("401"), "{refused}");
    // Someone else's token is refused, and the old one stays kept.
    let ben = desk.token("ben", Role::Translator);
    let wrong = second.team_replace_token_blocking(&ben).unwrap_err();
    assert!(wrong.to_string().contains("ben"), "{wrong}");
    let status = second.team_replace_token_blocking(&fresh).unwrap();
    assert_eq!(status.user, "anna");
    sync(&second).expect("a sync with the new token");
    let kept = std::fs::read_to_string(&keys).unwrap();
    assert!(kept.contains(&fresh) && !kept.contains(&token));
}

//! The outbox's operations and the log's pages as the protocol has them.

use uuid::Uuid;

use super::{operation, pulled_page, token_name};
use crate::store::team::{OpKind, PendingOp, Pulled};
use crate::team::{Change, ChangeRecord, ChangesPage, EntryConflict, TeamEntry, TeamTerm};
use crate::testing::membership;

fn pending(body: serde_json::Value, base_seq: Option<i64>) -> PendingOp {
    PendingOp {
        op_id: Uuid::new_v4(),
        kind: OpKind::Entry,
        subject: Uuid::new_v4(),
        body: body.to_string(),
        base_seq,
    }
}

#[test]
fn an_entry_change_is_sent_based_on_the_version_held() {
    let id = Uuid::new_v4();
    let op = pending(
        serde_json::json!({"kind": "entry_put", "entry": {"id": id,
            "italian": [{"text": "Farnesina", "status": "preferred"}],
            "english": [{"text": "Foreign Ministry", "status": "admitted", "note": "n"}]}}),
        Some(12),
    );
    let sent = operation(&op).unwrap();
    assert_eq!(sent.id, op.op_id);
    let Change::EntryPut {
        entry, base_seq, ..
    } = sent.change
    else {
        panic!("an entry put")
    };
    assert_eq!(base_seq, Some(12));
    assert_eq!(entry.english[0].status, "admitted");
    assert_eq!(entry.english[0].note.as_deref(), Some("n"));
}

#[test]
fn an_operation_past_the_limits_is_refused_before_it_is_sent() {
    let long = "parola ".repeat(2_000);
    let op = pending(
        serde_json::json!({"kind": "unit_added", "unit": {"id": Uuid::new_v4(),
            "source": long, "target": "word"}}),
        None,
    );
    let why = operation(&op).unwrap_err();
    assert!(why.contains("10000"), "{why}");
    let garbled = pending(serde_json::json!({"kind": "nothing"}), None);
    assert!(operation(&garbled).is_err());
}

#[test]
fn a_page_becomes_the_replicas_changes_with_its_conflicts() {
    let entry = TeamEntry {
        id: Uuid::new_v4(),
        italian: vec![TeamTerm {
            text: "Farnesina".into(),
            status: "preferred".into(),
            note: None,
            pos: None,
            case_sensitive: false,
        }],
        english: vec![TeamTerm {
            text: "the Farnesina".into(),
            status: "forbidden".into(),
            note: None,
            pos: None,
            case_sensitive: false,
        }],
        domain: Some("politics".into()),
        note: None,
    };
    let page = ChangesPage {
        epoch: String::new(),
        since: 4,
        next: 5,
        more: false,
        changes: vec![ChangeRecord {
            seq: 5,
            op_id: Uuid::new_v4(),
            author: "ben".into(),
            at: "2026-12-06T14:03:53Z".into(),
            change: Change::EntryPut {
                entry: entry.clone(),
                base_seq: Some(3),
                base_op: None,
            },
            conflict: Some(EntryConflict {
                entry_id: entry.id,
                lost: Some(entry.clone()),
                lost_seq: 4,
                won_seq: 5,
            }),
        }],
    };
    let pulled = pulled_page(&page);
    assert_eq!((pulled.since, pulled.next), (4, 5));
    let Pulled::EntryPut { id, entry: local } = &pulled.changes[0].change else {
        panic!("an entry put")
    };
    assert_eq!(*id, entry.id);
    assert_eq!(local.english[0].status, crate::termbase::Status::Forbidden);
    assert_eq!(local.domain.as_deref(), Some("politics"));
    assert_eq!(pulled.conflicts.len(), 1);
    let lost: TeamEntry = serde_json::from_str(pulled.conflicts[0].lost.as_ref().unwrap()).unwrap();
    assert_eq!(lost, entry);
}

#[test]
fn a_token_is_kept_under_its_server_and_user() {
    assert_eq!(
        token_name("http://127.0.0.1:8750/", "anna"),
        token_name("http://127.0.0.1:8750", "anna")
    );
    assert_ne!(
        token_name("http://127.0.0.1:8750", "anna"),
        token_name("http://127.0.0.1:8750", "ben")
    );
}

#[test]
fn the_token_goes_only_to_https_or_to_this_machine_and_a_typed_address_is_not_repeated() {
    for fine in [
        "https://desk.example.org",
        "https://desk.example.org:8750/",
        "http://127.0.0.1:8750",
        "http://localhost:8750",
        "http://[::1]:8750",
    ] {
        assert!(super::TeamServer::new(fine, "t").is_ok(), "{fine}");
    }
    for refused in [
        "http://desk.example.org:8750",
        "http://192.168.1.20:8750",
        "ftp://desk.example.org",
        "https://anna:s3cret-pass@desk.example.org",
        "https://desk.example.org/?token=s3cret-pass",
        "https://desk.example.org/#s3cret-pass",
        "s3cret-pass",
    ] {
        let message = super::TeamServer::new(refused, "t")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("the team server's address"),
            "{refused}: {message}"
        );
        assert!(!message.contains("s3cret-pass"), "{refused}: {message}");
    }
}

#[test]
fn a_terms_part_of_speech_and_case_travel_with_the_entry() {
    use crate::store::Workspace;
    use crate::termbase::{Entry, Term};
    let mut ws = Workspace::open_in_memory().unwrap();
    let team = ws.join_team(&membership("anna")).unwrap();
    let entry = Entry {
        italian: vec![Term {
            pos: Some("properNoun".into()),
            case_sensitive: true,
            ..Term::new("Farnesina")
        }],
        english: vec![Term::new("Foreign Ministry")],
        ..Entry::default()
    };
    ws.add_entry(&team.glossary, &entry).unwrap();
    let sent = operation(&ws.outbox(1).unwrap()[0]).unwrap();
    let Change::EntryPut { entry: sent, .. } = sent.change else {
        panic!("an entry put")
    };
    assert_eq!(sent.italian[0].pos.as_deref(), Some("properNoun"));
    assert!(sent.italian[0].case_sensitive);
    assert!(!sent.english[0].case_sensitive);
    let json = serde_json::to_value(&sent).unwrap();
    assert!(json["english"][0].get("case_sensitive").is_none(), "{json}");
    let back = super::entry_of(&sent);
    assert_eq!(back.italian, entry.italian);
    assert_eq!(back.english, entry.english);
    // An entry from a client that knows neither field reads as before.
    let old: TeamEntry = serde_json::from_value(serde_json::json!({"id": Uuid::new_v4(),
        "italian": [{"text": "Farnesina"}], "english": [{"text": "Foreign Ministry"}]}))
    .unwrap();
    assert_eq!(
        (old.italian[0].pos.clone(), old.italian[0].case_sensitive),
        (None, false)
    );
}

#[test]
fn an_error_page_that_is_not_the_servers_is_quoted_short_on_one_line() {
    let page = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
        "<p>nginx</p>\n".repeat(200)
    );
    let (code, message) = super::error_of(page.as_bytes());
    assert_eq!(code, "unknown");
    assert!(
        message.starts_with("<html> <head><title>502 Bad Gateway"),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
    assert_eq!(message.chars().count(), 201, "{message}");
    assert!(message.ends_with('…'));
    let (code, message) =
        super::error_of(br#"{"code":"bad_request","message":"a push holds no operation"}"#);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("bad_request", "a push holds no operation")
    );
    assert_eq!(super::error_of(b"").1, "(an empty answer)");
}

#[test]
fn a_proxys_error_page_is_reported_with_its_status_and_a_short_excerpt() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let proxy = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).unwrap();
        let page = format!(
            "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
            "<center>nginx</center>\r\n".repeat(100)
        );
        write!(
            stream,
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        )
        .unwrap();
    });
    let server = super::TeamServer::new(&url, "t0ken").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let error = runtime.block_on(server.me()).unwrap_err();
    proxy.join().unwrap();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "the team server answered 502 (unknown): <html><head><title>502 Bad Gateway"
        ),
        "{message}"
    );
    assert!(message.len() < 300 && !message.contains('\n'), "{message}");
}

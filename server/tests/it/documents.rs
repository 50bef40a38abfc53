//! Shared documents through a real server and PostgreSQL: sharing one and
//! reading it back, assigning it, the rule that applies or refuses a saved
//! segment (holder, lease, version), release, roles and team isolation.

use interlinea::team::{
    Change, ChangesPage, DocumentView, OpResult, Operation, Refusal, SharedDocument, SharedSegment,
};
use interlinea_server::db::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{spawn_app, App};

/// A desk with an editor, two translators and a reviewer, and their tokens.
struct Desk {
    app: App,
    editor: String,
    anna: String,
    ben: String,
    rita: String,
}

async fn desk() -> Desk {
    let app = spawn_app().await;
    let editor = app.user("eddie", "desk", Role::Editor).await;
    let anna = app.user("anna", "desk", Role::Translator).await;
    let ben = app.user("ben", "desk", Role::Translator).await;
    let rita = app.user("rita", "desk", Role::Reviewer).await;
    Desk {
        app,
        editor,
        anna,
        ben,
        rita,
    }
}

/// The desk, once its editor has shared the article with the team.
async fn desk_sharing_an_article() -> (Desk, SharedDocument) {
    let desk = desk().await;
    let document = article();
    let shared = desk.app.push_one(&desk.editor, &share(&document)).await;
    assert!(shared.applied, "{shared:?}");
    (desk, document)
}

/// A document of three segments, the second holding an inline code.
fn article() -> SharedDocument {
    let sources = [
        "Il governo cade.",
        "Il \u{e000}1premier\u{e801} si dimette.",
        "Piove.",
    ];
    SharedDocument {
        id: Uuid::new_v4(),
        name: "Crisi di governo".to_owned(),
        segments: sources
            .iter()
            .map(|source| SharedSegment {
                id: Uuid::new_v4(),
                source: (*source).to_owned(),
                target: String::new(),
                status: "new".to_owned(),
            })
            .collect(),
    }
}

fn share(document: &SharedDocument) -> Operation {
    Operation {
        id: Uuid::new_v4(),
        change: Change::DocumentShared {
            document: document.clone(),
        },
    }
}

fn save(document: &SharedDocument, segment: usize, target: &str, base_seq: i64) -> Operation {
    Operation {
        id: Uuid::new_v4(),
        change: Change::SegmentSaved {
            document_id: document.id,
            segment_id: document.segments[segment].id,
            target: target.to_owned(),
            status: "translated".to_owned(),
            base_seq: Some(base_seq),
            base_op: None,
        },
    }
}

impl App {
    async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let res = self
            .http
            .post(self.url_of(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON answer"))
    }

    async fn assign(&self, token: &str, document: Uuid, user: &str, step: &str) -> (u16, Value) {
        let body = json!({"user": user, "step": step, "lease_minutes": 60});
        self.post(token, &format!("/v1/documents/{document}/assign"), body)
            .await
    }

    async fn document(&self, token: &str, id: Uuid) -> DocumentView {
        let (status, body) = self.get(Some(token), &format!("/v1/documents/{id}")).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).expect("a document")
    }

    /// Pushes one operation, which must be accepted, and returns its result.
    async fn push_one(&self, token: &str, op: &Operation) -> OpResult {
        self.push(token, std::slice::from_ref(op))
            .await
            .results
            .remove(0)
    }

    /// Moves the document's lease into the past, as time would.
    async fn expire_lease(&self, document: Uuid) {
        let client = self.pool.get().await.expect("a connection");
        let n = client
            .execute(
                "UPDATE assignments SET lease_until = now() - interval '1 minute'
                 WHERE document_id = $1",
                &[&document],
            )
            .await
            .expect("expire the lease");
        assert_eq!(n, 1);
    }
}

fn targets(view: &DocumentView) -> Vec<&str> {
    view.segments.iter().map(|s| s.target.as_str()).collect()
}

fn refusal(result: &OpResult) -> Refusal {
    assert!(!result.applied, "{result:?}");
    assert_eq!(result.seq, 0);
    result.refused.as_ref().expect("refused").reason
}

async fn conflicts(app: &App, token: &str) -> Vec<Value> {
    let (status, body) = app.get(Some(token), "/v1/conflicts").await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("a list").clone()
}

#[tokio::test]
async fn a_shared_document_reads_back_whole_and_through_the_log() {
    let Desk {
        app, editor, anna, ..
    } = desk().await;
    let document = article();
    let shared = app.push_one(&editor, &share(&document)).await;
    assert_eq!((shared.seq, shared.applied), (1, true));

    // A newcomer reads it whole.
    let view = app.document(&anna, document.id).await;
    assert_eq!(
        (view.id, view.name.as_str(), view.seq),
        (document.id, "Crisi di governo", 1)
    );
    let sources: Vec<&str> = view.segments.iter().map(|s| s.source.as_str()).collect();
    let sent: Vec<&str> = document
        .segments
        .iter()
        .map(|s| s.source.as_str())
        .collect();
    assert_eq!(sources, sent);
    assert!(view
        .segments
        .iter()
        .all(|s| s.seq == 1 && s.status == "new"));
    assert_eq!(view.holder, None);

    let (status, list) = app.get(Some(&anna), "/v1/documents").await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!([{"id": document.id, "name": "Crisi di governo", "seq": 1, "segments": 3, "holder": null}])
    );

    let (status, page) = app.get(Some(&anna), "/v1/changes?since=0").await;
    assert_eq!(status, 200, "{page}");
    let page: ChangesPage = serde_json::from_value(page).unwrap();
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].author, "eddie");
    assert_eq!(
        page.changes[0].change,
        Change::DocumentShared {
            document: document.clone()
        }
    );

    // Sharing the same document again with another operation is refused.
    let (status, body) = app.push_raw(&editor, &[share(&document)]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
}

#[tokio::test]
async fn the_holder_saves_segments_and_everyone_learns_who_holds_what() {
    let (
        Desk {
            app,
            editor,
            anna,
            ben,
            ..
        },
        document,
    ) = desk_sharing_an_article().await;

    let (status, assigned) = app.assign(&editor, document.id, "anna", "translate").await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(
        (
            &assigned["seq"],
            &assigned["user"],
            &assigned["step"],
            &assigned["live"]
        ),
        (&json!(2), &json!("anna"), &json!("translate"), &json!(true))
    );
    let lease_until = assigned["lease_until"].as_str().unwrap().to_owned();
    assert!(
        lease_until.ends_with('Z') && lease_until.len() == 27,
        "{lease_until}"
    );

    let first = app
        .push_one(&anna, &save(&document, 0, "The government falls.", 1))
        .await;
    assert_eq!((first.seq, first.applied, first.refused), (3, true, None));
    // The next save of that segment is based on the version it made.
    let again = app
        .push_one(&anna, &save(&document, 0, "The government collapses.", 3))
        .await;
    assert_eq!((again.seq, again.applied), (4, true));
    // A second save not yet numbered on the client's side names the first's
    // operation.
    let third = save(&document, 1, "The prime minister resigns.", 1);
    let mut fourth = save(&document, 1, "The premier resigns.", 0);
    if let Change::SegmentSaved {
        base_seq, base_op, ..
    } = &mut fourth.change
    {
        *base_seq = None;
        *base_op = Some(third.id);
    }
    let both = app.push(&anna, &[third, fourth]).await;
    assert!(both.results.iter().all(|r| r.applied), "{both:?}");

    let view = app.document(&ben, document.id).await;
    assert_eq!(
        targets(&view),
        ["The government collapses.", "The premier resigns.", ""]
    );
    assert_eq!(view.segments[0].seq, 4);
    assert_eq!(view.segments[0].status, "translated");
    let holder = view.holder.expect("held");
    assert_eq!((holder.user.as_str(), holder.live), ("anna", true));
    assert_eq!(holder.lease_until, lease_until);

    // Every member learns of the assignment from the log, with its lease.
    let (_, page) = app.get(Some(&ben), "/v1/changes?since=1&limit=1").await;
    let page: ChangesPage = serde_json::from_value(page).unwrap();
    assert_eq!(page.changes[0].author, "eddie");
    assert_eq!(
        page.changes[0].change,
        Change::Assigned {
            document_id: document.id,
            user: "anna".to_owned(),
            step: interlinea::team::Step::Translate,
            lease_until,
        }
    );
    assert!(conflicts(&app, &ben).await.is_empty());
}

#[tokio::test]
async fn a_save_by_someone_who_does_not_hold_the_document_is_kept_as_a_conflict() {
    let (
        Desk {
            app,
            editor,
            anna,
            ben,
            ..
        },
        document,
    ) = desk_sharing_an_article().await;
    // No one holds it yet.
    let early = app
        .push_one(&anna, &save(&document, 0, "The government falls.", 1))
        .await;
    assert_eq!(refusal(&early), Refusal::NotHolder);

    app.assign(&editor, document.id, "anna", "translate").await;
    let op = save(&document, 0, "The cabinet falls.", 1);
    let refused = app.push_one(&ben, &op).await;
    assert_eq!(refusal(&refused), Refusal::NotHolder);
    let conflict = refused.refused.clone().unwrap();
    assert_eq!(
        (
            conflict.author.as_str(),
            conflict.target.as_str(),
            conflict.current_seq
        ),
        ("ben", "The cabinet falls.", Some(1))
    );

    // Nothing changed, and nothing entered the log.
    assert_eq!(
        targets(&app.document(&anna, document.id).await),
        ["", "", ""]
    );
    assert_eq!(app.team_seq("desk").await, 2);

    // Every member sees the refused saves until one resolves them.
    let listed = conflicts(&app, &anna).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[1]["kind"], "segment");
    assert_eq!(listed[1]["id"], json!(op.id));
    assert_eq!(listed[1]["reason"], "not_holder");
    assert_eq!(listed[1]["target"], "The cabinet falls.");
    let (status, body) = app
        .post(&ben, &format!("/v1/conflicts/{}/resolve", op.id), json!({}))
        .await;
    assert_eq!((status, &body["resolved"]), (200, &json!(op.id)), "{body}");
    assert_eq!(conflicts(&app, &anna).await.len(), 1);

    // A retry of the refused save is answered the same, and kept once.
    let retried = app.push_one(&ben, &op).await;
    assert_eq!(retried, refused);
    let client = app.pool.get().await.unwrap();
    let kept: i64 = client
        .query_one("SELECT count(*) FROM segment_conflicts", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(kept, 2);
}

#[tokio::test]
async fn a_save_on_a_stale_version_is_kept_as_a_conflict() {
    let (
        Desk {
            app, editor, anna, ..
        },
        document,
    ) = desk_sharing_an_article().await;
    app.assign(&editor, document.id, "anna", "translate").await;
    let saved = app
        .push_one(&anna, &save(&document, 2, "It rains.", 1))
        .await;
    assert_eq!(saved.seq, 3);
    // Written on the version the sharing made, which the save replaced.
    let stale = app
        .push_one(&anna, &save(&document, 2, "It is raining.", 1))
        .await;
    assert_eq!(refusal(&stale), Refusal::Stale);
    assert_eq!(stale.refused.as_ref().unwrap().current_seq, Some(3));
    assert_eq!(
        targets(&app.document(&anna, document.id).await)[2],
        "It rains."
    );
    // A segment the document does not have.
    let mut unknown = save(&document, 0, "Hello.", 1);
    if let Change::SegmentSaved { segment_id, .. } = &mut unknown.change {
        *segment_id = Uuid::new_v4();
    }
    assert_eq!(
        refusal(&app.push_one(&anna, &unknown).await),
        Refusal::UnknownSegment
    );
    let reasons: Vec<Value> = conflicts(&app, &anna)
        .await
        .iter()
        .map(|c| c["reason"].clone())
        .collect();
    assert_eq!(reasons, [json!("stale"), json!("unknown_segment")]);
}

#[tokio::test]
async fn a_lease_that_ran_out_refuses_its_holder_and_an_editor_releases_it() {
    let (
        Desk {
            app,
            editor,
            anna,
            ben,
            ..
        },
        document,
    ) = desk_sharing_an_article().await;
    app.assign(&editor, document.id, "anna", "translate").await;
    app.expire_lease(document.id).await;

    let late = app
        .push_one(&anna, &save(&document, 0, "The government falls.", 1))
        .await;
    assert_eq!(refusal(&late), Refusal::LeaseExpired);
    let view = app.document(&ben, document.id).await;
    assert_eq!(view.holder.as_ref().map(|h| h.live), Some(false));

    // A translator may not release it; the editor does, and the log says so.
    let path = format!("/v1/documents/{}/release", document.id);
    let (status, body) = app.post(&ben, &path, json!({})).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let (status, body) = app.post(&editor, &path, json!({})).await;
    assert_eq!((status, body), (200, json!({"released": true, "seq": 3})));
    let (_, page) = app.get(Some(&ben), "/v1/changes?since=2").await;
    let page: ChangesPage = serde_json::from_value(page).unwrap();
    assert_eq!(
        page.changes.iter().map(|c| &c.change).collect::<Vec<_>>(),
        [&Change::Released {
            document_id: document.id
        }]
    );
    assert_eq!(app.document(&ben, document.id).await.holder, None);
    // Releasing it again changes nothing.
    let (status, body) = app.post(&editor, &path, json!({})).await;
    assert_eq!(
        (status, body),
        (200, json!({"released": false, "seq": null}))
    );
    assert_eq!(app.team_seq("desk").await, 3);

    // Given to ben, he writes it.
    app.assign(&editor, document.id, "ben", "translate").await;
    let saved = app
        .push_one(&ben, &save(&document, 0, "The government falls.", 1))
        .await;
    assert!(saved.applied, "{saved:?}");
}

#[tokio::test]
async fn only_editors_and_admins_share_assign_and_release() {
    let Desk {
        app,
        editor,
        anna,
        rita,
        ..
    } = desk().await;
    let admin = app.user("ada", "desk", Role::Admin).await;
    let document = article();
    let (status, body) = app.push_raw(&anna, &[share(&document)]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    app.push_one(&admin, &share(&document)).await;

    let (status, body) = app.assign(&anna, document.id, "anna", "translate").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let (status, _) = app.assign(&rita, document.id, "rita", "review").await;
    assert_eq!(status, 403);
    let (status, body) = app.assign(&admin, document.id, "anna", "translate").await;
    assert_eq!(status, 200, "{body}");

    // A translation goes to a translator only; the user must be in the team.
    let (status, body) = app.assign(&editor, document.id, "rita", "translate").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    assert_eq!(
        body["message"],
        "\"rita\" has the role reviewer: a translate step goes to a translator"
    );
    let (status, body) = app.assign(&editor, document.id, "eddie", "translate").await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = app
        .assign(&editor, document.id, "nobody", "translate")
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    let (status, body) = app
        .post(
            &editor,
            &format!("/v1/documents/{}/assign", document.id),
            json!({"user": "anna", "step": "translate", "lease_minutes": 0}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );

    // Assignments and releases are the server's to write, never pushed.
    let forged = Operation {
        id: Uuid::new_v4(),
        change: Change::Released {
            document_id: document.id,
        },
    };
    let (status, body) = app.push_raw(&admin, &[forged]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
    // No token, no documents.
    assert_eq!(app.get(None, "/v1/documents").await.0, 401);
}

#[tokio::test]
async fn another_teams_document_is_not_found() {
    let (Desk { app, editor, .. }, document) = desk_sharing_an_article().await;
    let other = app.user("otto", "sport", Role::Editor).await;
    let other_translator = app.user("tina", "sport", Role::Translator).await;

    let (status, body) = app
        .get(Some(&other), &format!("/v1/documents/{}", document.id))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    assert_eq!(app.get(Some(&other), "/v1/documents").await.1, json!([]));
    let (status, _) = app.assign(&other, document.id, "tina", "translate").await;
    assert_eq!(status, 404);
    let path = format!("/v1/documents/{}/release", document.id);
    assert_eq!(app.post(&other, &path, json!({})).await.0, 404);
    // Nor can the other team's editor give it to a user of the first.
    let (status, _) = app.assign(&editor, document.id, "tina", "translate").await;
    assert_eq!(status, 404);
    // A save into it from the other team changes nothing of it.
    let refused = app
        .push_one(&other_translator, &save(&document, 0, "Hi.", 1))
        .await;
    assert_eq!(refusal(&refused), Refusal::UnknownSegment);
    assert_eq!(app.team_seq("desk").await, 1);
}

#[tokio::test]
async fn retried_pushes_of_documents_and_saves_are_applied_once() {
    let Desk {
        app, editor, anna, ..
    } = desk().await;
    let document = article();
    let shared = share(&document);
    app.push_one(&editor, &shared).await;
    let again = app.push_one(&editor, &shared).await;
    assert_eq!((again.seq, again.applied), (1, false));

    app.assign(&editor, document.id, "anna", "translate").await;
    let op = save(&document, 0, "The government falls.", 1);
    let first = app.push(&anna, std::slice::from_ref(&op)).await;
    let retried = app.push(&anna, &[op.clone(), op]).await;
    assert_eq!(
        retried
            .results
            .iter()
            .map(|r| (r.seq, r.applied))
            .collect::<Vec<_>>(),
        [(first.results[0].seq, false), (first.results[0].seq, false)]
    );
    assert_eq!(app.team_seq("desk").await, 3);
    assert!(conflicts(&app, &anna).await.is_empty());
}

#[tokio::test]
async fn a_reviewer_edits_the_english_while_holding_the_review_step() {
    let (
        Desk {
            app,
            editor,
            anna,
            rita,
            ..
        },
        document,
    ) = desk_sharing_an_article().await;
    app.assign(&editor, document.id, "anna", "translate").await;
    let translated = app
        .push_one(&anna, &save(&document, 0, "The government fall.", 1))
        .await;
    assert!(translated.applied);
    // Before the review step is hers, her edit is refused.
    let early = app
        .push_one(
            &rita,
            &save(&document, 0, "The government falls.", translated.seq),
        )
        .await;
    assert_eq!(refusal(&early), Refusal::NotHolder);

    let (status, body) = app.assign(&editor, document.id, "rita", "review").await;
    assert_eq!((status, &body["step"]), (200, &json!("review")), "{body}");
    let mut fix = save(&document, 0, "The government falls.", translated.seq);
    if let Change::SegmentSaved { status, .. } = &mut fix.change {
        *status = "approved".to_owned();
    }
    assert!(app.push_one(&rita, &fix).await.applied);
    // The translator no longer holds it.
    let late = app
        .push_one(&anna, &save(&document, 1, "The premier resigns.", 1))
        .await;
    assert_eq!(refusal(&late), Refusal::NotHolder);

    let view = app.document(&anna, document.id).await;
    assert_eq!(
        (
            view.segments[0].target.as_str(),
            view.segments[0].status.as_str()
        ),
        ("The government falls.", "approved")
    );
    let holder = view.holder.unwrap();
    assert_eq!(
        (holder.user.as_str(), holder.step),
        ("rita", interlinea::team::Step::Review)
    );
    // A reviewer still writes no unit of the memory.
    let (status, _) = app
        .push_raw(&rita, &[crate::support::add_unit("Piove.", "It rains.")])
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_document_beyond_the_limits_is_refused_saying_which() {
    let Desk { app, editor, .. } = desk().await;
    let mut empty = article();
    empty.segments.clear();
    let op = share(&empty);
    let (status, body) = app.push_raw(&editor, std::slice::from_ref(&op)).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));
    assert_eq!(
        body["message"],
        format!(
            "operation {}: a document holds 0 segments, it needs 1 to 5000",
            op.id
        )
    );
    assert_eq!(app.get(Some(&editor), "/v1/documents").await.1, json!([]));
}

#[tokio::test]
async fn an_assignment_wakes_a_waiting_pull() {
    let (
        Desk {
            app, editor, anna, ..
        },
        document,
    ) = desk_sharing_an_article().await;
    // Waits up to 25 s for a change after the sharing: only the assignment
    // can end it with a change.
    let waiting = {
        let (app, anna) = (app.another().await, anna.clone());
        tokio::spawn(async move { app.get(Some(&anna), "/v1/changes?since=1&wait=25").await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    app.assign(&editor, document.id, "anna", "translate").await;
    let (status, page) = waiting.await.unwrap();
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["changes"][0]["change"]["kind"], "assigned", "{page}");
}

#[tokio::test]
async fn a_save_with_a_code_its_italian_lacks_is_refused_with_the_push() {
    let (
        Desk {
            app, editor, anna, ..
        },
        document,
    ) = desk_sharing_an_article().await;
    app.assign(&editor, document.id, "anna", "translate").await;
    let forged = save(&document, 2, "It \u{f007}rains.", 1);
    let (status, body) = app.push_raw(&anna, &[forged]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
    assert_eq!(targets(&app.document(&anna, document.id).await)[2], "");
    // The Italian's own codes are the English's to keep.
    let kept = save(&document, 1, "The \u{e000}1premier\u{e801} resigns.", 1);
    assert!(app.push_one(&anna, &kept).await.applied);
}

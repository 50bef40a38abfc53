//! Shared documents between workspaces through a real server and
//! PostgreSQL: an editor shares an article and assigns it to a translator,
//! then to a reviewer; each opens it, saves, and sees the other's English;
//! a save by someone who no longer holds it is refused and kept.

use interlinea::session::Error;
use interlinea::team::Step;
use interlinea::Status;
use interlinea_server::db::Role;
use uuid::Uuid;

use crate::desk::{cli, Desk, Member};

fn shared(member: &Member, id: Uuid) -> interlinea::session::SharedDocumentView {
    member
        .session
        .team_documents()
        .expect("the list")
        .into_iter()
        .find(|d| d.document.id == id)
        .expect("the shared document is listed")
}

fn english(member: &Member, doc: i64) -> Vec<String> {
    member
        .session
        .lock()
        .workspace()
        .segments(doc)
        .expect("its segments")
        .into_iter()
        .map(|s| s.target)
        .collect()
}

fn segment_ids(member: &Member, doc: i64) -> Vec<i64> {
    let open = member.session.lock();
    open.workspace()
        .segments(doc)
        .expect("its segments")
        .iter()
        .map(|s| s.id)
        .collect()
}

fn save(member: &Member, doc: i64, segment: i64, english: &str, status: Status) {
    member
        .session
        .lock()
        .save_target(doc, segment, english, status, false)
        .expect("saved");
}

#[test]
fn an_article_goes_from_editor_to_translator_to_reviewer_and_a_late_save_is_kept_as_a_conflict() {
    let desk = Desk::new();
    let eddie = Member::join(&desk, "eddie", &desk.token("eddie", Role::Editor));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let carla = Member::join(&desk, "carla", &desk.token("carla", Role::Reviewer));
    let (doc, segments) = eddie.article(&["Il governo cade.".into(), "Piove su Roma.".into()]);
    eddie.confirm(doc, segments[0], "The government falls.");

    // A translator can neither share nor assign.
    let (ben_doc, _) = ben.article(&["Nevica.".into()]);
    let refused = ben.session.share_document_blocking(ben_doc).unwrap_err();
    assert!(
        matches!(&refused, Error::Invalid(m) if m.contains("only an editor or an admin")),
        "{refused}"
    );

    let id = eddie.session.share_document_blocking(doc).expect("shared");
    assert!(!shared(&eddie, id).document.shared, "waits in the outbox");
    eddie.sync();
    assert!(shared(&eddie, id).document.shared);
    assert_eq!(shared(&eddie, id).document.local, Some(doc));

    let refused = ben
        .session
        .assign_document_blocking(id, "ben", Step::Translate, 60)
        .unwrap_err();
    assert!(
        refused.to_string().contains("only an editor or an admin"),
        "{refused}"
    );

    // Assigned to Ben: everyone's list says so once synced.
    let assigned = eddie
        .session
        .assign_document_blocking(id, "ben", Step::Translate, 60)
        .expect("assigned");
    assert_eq!(assigned.holder.user, "ben");
    assert_eq!(shared(&eddie, id).document.holder.as_deref(), Some("ben"));
    ben.sync();
    let listed = shared(&ben, id);
    assert!(listed.mine);
    assert_eq!(listed.document.step.as_deref(), Some("translate"));
    assert!(listed.document.live);
    assert_eq!(listed.document.local, None);

    // Ben opens it, with Eddie's English, and translates the second.
    let ben_doc = ben.session.open_shared_blocking(id).expect("opened");
    assert_eq!(english(&ben, ben_doc), ["The government falls.", ""]);
    assert!(ben.session.open_shared_blocking(id).is_err(), "opened once");
    let ben_segments = segment_ids(&ben, ben_doc);
    save(
        &ben,
        ben_doc,
        ben_segments[1],
        "It rains on Rome.",
        Status::Translated,
    );
    ben.sync();
    eddie.sync();
    assert_eq!(
        english(&eddie, doc),
        ["The government falls.", "It rains on Rome."]
    );

    // Then to Carla for review: her save lands.
    eddie
        .session
        .assign_document_blocking(id, "carla", Step::Review, 60)
        .expect("assigned");
    carla.sync();
    assert!(shared(&carla, id).mine);
    let carla_doc = carla.session.open_shared_blocking(id).expect("opened");
    assert_eq!(
        english(&carla, carla_doc),
        ["The government falls.", "It rains on Rome."]
    );
    let carla_segments = segment_ids(&carla, carla_doc);
    save(
        &carla,
        carla_doc,
        carla_segments[1],
        "Rain falls on Rome.",
        Status::Approved,
    );
    carla.sync();
    assert!(carla.session.segment_conflicts().unwrap().is_empty());

    // Ben, not yet told, saves again: refused, kept, and shown.
    save(
        &ben,
        ben_doc,
        ben_segments[0],
        "The cabinet falls.",
        Status::Translated,
    );
    ben.sync();
    let kept = ben.session.segment_conflicts().expect("the conflicts");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].save.reason, "not_holder");
    assert_eq!(kept[0].save.target, "The cabinet falls.");
    assert_eq!(kept[0].local, Some((ben_doc, ben_segments[0])));
    assert!(!shared(&ben, id).mine);
    assert_eq!(english(&ben, ben_doc)[1], "Rain falls on Rome.");
    eddie.sync();
    assert_eq!(
        english(&eddie, doc),
        ["The government falls.", "Rain falls on Rome."]
    );
    assert_eq!(
        eddie.session.lock().workspace().segments(doc).unwrap()[1].status,
        Status::Approved
    );

    // Released by the editor: no one holds it, and Carla's saves stay here.
    let released = eddie
        .session
        .release_document_blocking(id)
        .expect("released");
    assert!(released.released);
    assert_eq!(shared(&eddie, id).document.holder, None);
    carla.sync();
    assert_eq!(shared(&carla, id).document.holder, None);
    save(
        &carla,
        carla_doc,
        carla_segments[0],
        "The government fell.",
        Status::Approved,
    );
    assert_eq!(carla.session.lock().workspace().outbox_len().unwrap(), 0);
    let again = eddie
        .session
        .release_document_blocking(id)
        .expect("released");
    assert!(!again.released);
}

#[test]
fn a_teammate_s_save_over_english_edited_here_without_holding_it_is_kept_aside() {
    let desk = Desk::new();
    let eddie = Member::join(&desk, "eddie", &desk.token("eddie", Role::Editor));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let (doc, _) = eddie.article(&["Piove su Roma.".into()]);
    let id = eddie.session.share_document_blocking(doc).expect("shared");
    eddie.sync();
    eddie
        .session
        .assign_document_blocking(id, "ben", Step::Translate, 60)
        .expect("assigned");
    ben.sync();
    let ben_doc = ben.session.open_shared_blocking(id).expect("opened");
    let ben_segment = segment_ids(&ben, ben_doc)[0];
    save(
        &ben,
        ben_doc,
        ben_segment,
        "It rains on Rome.",
        Status::Translated,
    );
    ben.sync();
    // Eddie edits his copy without holding it (nothing is sent), then
    // pulls Ben's save.
    let eddie_segment = segment_ids(&eddie, doc)[0];
    save(&eddie, doc, eddie_segment, "Rome is rainy.", Status::Draft);
    eddie.sync();
    // His English stays; Ben's is kept aside and shown.
    assert_eq!(english(&eddie, doc), ["Rome is rainy."]);
    let kept = eddie.session.segment_conflicts().expect("the conflicts");
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].save.author.as_str(), kept[0].save.target.as_str()),
        ("ben", "It rains on Rome.")
    );
    assert_eq!(kept[0].save.reason, "edited_here");
    assert_eq!(kept[0].local, Some((doc, eddie_segment)));
    // Eddie takes Ben's English; Ben's next save then lands as usual.
    eddie
        .session
        .take_segment_conflict(kept[0].id)
        .expect("taken");
    assert_eq!(english(&eddie, doc), ["It rains on Rome."]);
    save(
        &ben,
        ben_doc,
        ben_segment,
        "It pours on Rome.",
        Status::Translated,
    );
    ben.sync();
    eddie.sync();
    assert_eq!(english(&eddie, doc), ["It pours on Rome."]);
    assert!(eddie.session.segment_conflicts().unwrap().is_empty());
}

/// The JSON a command printed, after checking that it succeeded.
fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on standard output")
}

#[test]
fn the_command_line_shares_assigns_opens_and_lists_refused_saves() {
    let desk = Desk::new();
    let eddie = Member::join(&desk, "eddie", &desk.token("eddie", Role::Editor));
    let ben = Member::join(&desk, "ben", &desk.token("ben", Role::Translator));
    let (doc, _) = eddie.article(&["Il governo cade.".into(), "Piove.".into()]);
    let shared = json(&cli(
        eddie.dir.path(),
        &["team", "share", &doc.to_string()],
        "",
    ));
    assert_eq!(shared["document"], doc);
    assert_eq!(shared["sent"], true);
    let id = shared["id"].as_str().expect("an id").to_owned();

    // A translator's share is refused, with nothing on standard output.
    let (ben_doc, _) = ben.article(&["Nevica.".into()]);
    let refused = cli(ben.dir.path(), &["team", "share", &ben_doc.to_string()], "");
    assert!(!refused.status.success());
    assert!(refused.stdout.is_empty());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only an editor or an admin"));
    let bad_step = cli(
        eddie.dir.path(),
        &["team", "assign", &id, "--user", "ben", "--step", "edit"],
        "",
    );
    assert!(!bad_step.status.success());

    // Assigned by the document's number here.
    let assigned = json(&cli(
        eddie.dir.path(),
        &[
            "team",
            "assign",
            &doc.to_string(),
            "--user",
            "ben",
            "--step",
            "translate",
            "--minutes",
            "30",
        ],
        "",
    ));
    assert_eq!(
        (&assigned["user"], &assigned["step"], &assigned["live"]),
        (&"ben".into(), &"translate".into(), &true.into())
    );
    json(&cli(ben.dir.path(), &["sync"], ""));
    let listed = json(&cli(ben.dir.path(), &["team", "documents"], ""));
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["holder"], "ben");
    assert_eq!(listed[0]["mine"], true);
    assert_eq!(listed[0]["segments"], 2);
    assert_eq!(listed[0]["document"], serde_json::Value::Null);

    let opened = json(&cli(ben.dir.path(), &["team", "open", &id], ""));
    assert_eq!(opened["segments"], 2);
    let here = opened["document"].as_i64().expect("a number");
    let segments = segment_ids(&ben, here);
    ben.confirm(here, segments[0], "The government falls.");
    // The confirmation's unit for the team memory, and the segment's save.
    let synced = json(&cli(ben.dir.path(), &["sync"], ""));
    assert_eq!(synced["pushed"], 2);

    let released = json(&cli(eddie.dir.path(), &["team", "release", &id], ""));
    assert_eq!(released["released"], true);
    // Ben saves before he learns of it: refused and listed.
    ben.confirm(here, segments[1], "It rains.");
    json(&cli(ben.dir.path(), &["sync"], ""));
    let kept = json(&cli(ben.dir.path(), &["team", "refused"], ""));
    let kept = kept.as_array().expect("an array");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["reason"], "not_holder");
    assert_eq!(kept[0]["english"], "It rains.");
    assert_eq!(kept[0]["document"], here);
    let number = kept[0]["id"].to_string();
    let left = json(&cli(
        ben.dir.path(),
        &["team", "refused", "--dismiss", &number],
        "",
    ));
    assert_eq!(left, serde_json::json!([]));
    json(&cli(eddie.dir.path(), &["sync"], ""));
    assert_eq!(english(&eddie, doc), ["The government falls.", ""]);
}

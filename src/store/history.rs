//! A segment's history: the versions of its English and status, each with
//! when, where it came from and who saved it.
//!
//! `write_target` is the one place a segment's English and status change
//! after its import, and it records the version in the same transaction.
//! Saves while typing (a draft every pause) would make a version per pause,
//! so a save replaces the latest version when both are unconfirmed and have
//! the same origin and author: a typing session is one version, and every
//! confirmation, status change, insertion, review, restore and change of
//! hands is a version of its own.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{now_ms, Status, StoreError, Workspace};

/// Where a version of a segment's English came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Typed (or edited) by the translator.
    Typed,
    /// A translation memory match, as it was.
    Tm,
    /// A machine translation, as it was.
    Mt,
    /// A review brought back (DOCX or XLIFF).
    Review,
    /// The file the document was imported from.
    Import,
    /// A split of the segment.
    Split,
    /// A merge with the next segment.
    Merge,
    /// An earlier version put back.
    Restore,
}

impl Origin {
    /// Every origin.
    pub const ALL: [Origin; 8] = [
        Origin::Typed,
        Origin::Tm,
        Origin::Mt,
        Origin::Review,
        Origin::Import,
        Origin::Split,
        Origin::Merge,
        Origin::Restore,
    ];

    /// The stable name kept in the workspace and shown to scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Typed => "typed",
            Origin::Tm => "tm",
            Origin::Mt => "mt",
            Origin::Review => "review",
            Origin::Import => "import",
            Origin::Split => "split",
            Origin::Merge => "merge",
            Origin::Restore => "restore",
        }
    }

    /// The origin of a stable name.
    pub fn from_name(name: &str) -> Option<Origin> {
        Origin::ALL.into_iter().find(|o| o.as_str() == name)
    }
}

/// One saved version of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The version's id, growing with time.
    pub id: i64,
    /// The segment it belongs to.
    pub segment_id: i64,
    /// The English saved.
    pub target: String,
    /// The status saved.
    pub status: Status,
    /// Where the English came from.
    pub origin: Origin,
    /// Who saved it (empty when unknown: saved before versions were kept).
    pub author: String,
    /// Milliseconds since the Unix epoch.
    pub saved_at: i64,
    /// The same, as an ISO 8601 UTC time to the second (2026-12-06T09:03:01Z).
    pub saved_at_utc: String,
}

/// The name versions are saved under when none was set: the OS user's,
/// from the environment, else (an app started without one) from the
/// system's list of users.
pub(super) fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .or_else(user_of_process)
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(unix)]
fn user_of_process() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
    let users = std::fs::read_to_string("/etc/passwd").ok()?;
    users.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    })
}

#[cfg(not(unix))]
fn user_of_process() -> Option<String> {
    None
}

/// Writes a segment's English and status and records the version; a
/// segment of a shared document sends the save to the team (or notes it as
/// edited here) in the same transaction, whatever wrote it.
pub(super) fn write_target(
    tx: &Transaction<'_>,
    segment_id: i64,
    target: &str,
    status: Status,
    origin: Origin,
    author: &str,
) -> Result<(), StoreError> {
    write_team_target(tx, segment_id, target, status, origin, author)?;
    super::team_documents::segment_written(tx, segment_id, target, status)
}

/// Writes English that came from the team (a teammate's save) and records
/// the version, without sending it back.
pub(super) fn write_team_target(
    tx: &Transaction<'_>,
    segment_id: i64,
    target: &str,
    status: Status,
    origin: Origin,
    author: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE segments SET target = ?1, status = ?2, updated_at = ?3 WHERE id = ?4",
        params![target, status.as_str(), now_ms(), segment_id],
    )?;
    record(tx, segment_id, target, status, origin, author)
}

/// Records a version of a segment, unless it is the latest one already;
/// an unconfirmed save after an unconfirmed version of the same origin and
/// author takes its place.
pub(super) fn record(
    tx: &Transaction<'_>,
    segment_id: i64,
    target: &str,
    status: Status,
    origin: Origin,
    author: &str,
) -> Result<(), StoreError> {
    let latest: Option<(i64, String, String, String, String)> = tx
        .query_row(
            "SELECT id, target, status, origin, author FROM segment_versions
             WHERE segment_id = ?1 ORDER BY id DESC LIMIT 1",
            [segment_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let now = now_ms();
    match latest {
        None if target.is_empty() && status == Status::New => return Ok(()),
        Some((_, t, s, _, _)) if t == target && s == status.as_str() => return Ok(()),
        Some((id, _, s, o, a))
            if o == origin.as_str()
                && a == author
                && !status.is_confirmed()
                && !Status::from_name(&s).is_some_and(Status::is_confirmed) =>
        {
            tx.execute(
                "UPDATE segment_versions SET target = ?1, status = ?2, saved_at = ?3 WHERE id = ?4",
                params![target, status.as_str(), now, id],
            )?;
            return Ok(());
        }
        _ => {}
    }
    tx.execute(
        "INSERT INTO segment_versions (segment_id, target, status, origin, author, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            segment_id,
            target,
            status.as_str(),
            origin.as_str(),
            author,
            now
        ],
    )?;
    Ok(())
}

impl Workspace {
    /// The name new versions are saved under.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// Saves new versions under `name` (the OS user's name when blank).
    pub fn set_author(&mut self, name: &str) {
        self.author = if name.trim().is_empty() {
            os_user()
        } else {
            name.trim().to_string()
        };
    }

    /// Writes a segment's English and status, recording where it came
    /// from; the one write path of the editor, pre-translation and restore.
    /// Returns the updated segment. The write is committed (and synced)
    /// before this returns.
    pub fn write_target(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        target: &str,
        status: Status,
        origin: Origin,
    ) -> Result<super::SegmentRow, StoreError> {
        let segment = self.segment(doc_id, segment_id)?;
        super::check_codes(&segment, target)?;
        let tx = self.conn.transaction()?;
        let suggestion: Option<String> = tx.query_row(
            "SELECT suggestion FROM segments WHERE id = ?1",
            [segment_id],
            |r| r.get(0),
        )?;
        // The effort a suggestion saved is measured when the result is
        // confirmed: the characters changed to reach it.
        let distance = suggestion
            .filter(|_| status.is_confirmed())
            .map(|s| crate::text::distance::edit_distance(&s, target) as i64);
        write_target(&tx, segment_id, target, status, origin, &self.author)?;
        tx.execute(
            "UPDATE segments SET edit_distance = ?1 WHERE id = ?2",
            params![distance, segment_id],
        )?;
        super::touch_document(&tx, doc_id)?;
        tx.commit()?;
        self.segment(doc_id, segment_id)
    }

    /// Where the English a segment holds came from, when it is a TM match
    /// or a machine translation inserted as it was (the suggestion noted
    /// with it); typed otherwise.
    pub fn origin_of(&self, segment_id: i64, target: &str) -> Result<Origin, StoreError> {
        let noted: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT suggestion, origin FROM segments WHERE id = ?1",
                [segment_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match noted {
            Some((Some(suggestion), Some(origin))) if suggestion == target => {
                if origin.starts_with("mt:") {
                    Origin::Mt
                } else {
                    Origin::Tm
                }
            }
            _ => Origin::Typed,
        })
    }

    /// A segment's versions, newest first.
    pub fn versions(&self, doc_id: i64, segment_id: i64) -> Result<Vec<Version>, StoreError> {
        self.segment(doc_id, segment_id)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, segment_id, target, status, origin, author, saved_at, {UTC}
             FROM segment_versions WHERE segment_id = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([segment_id], version_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One version of a segment.
    pub fn version(
        &self,
        doc_id: i64,
        segment_id: i64,
        version_id: i64,
    ) -> Result<Version, StoreError> {
        self.segment(doc_id, segment_id)?;
        self.conn
            .query_row(
                &format!(
                    "SELECT id, segment_id, target, status, origin, author, saved_at, {UTC}
                     FROM segment_versions WHERE id = ?1 AND segment_id = ?2"
                ),
                [version_id, segment_id],
                version_from_row,
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::InvalidEdit(format!("segment {segment_id} has no version {version_id}"))
            })
    }
}

/// A version's time as ISO 8601 UTC.
const UTC: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', saved_at / 1000, 'unixepoch')";

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    let status: String = row.get(3)?;
    let origin: String = row.get(4)?;
    Ok(Version {
        id: row.get(0)?,
        segment_id: row.get(1)?,
        target: row.get(2)?,
        status: Status::from_name(&status).unwrap_or(Status::New),
        origin: Origin::from_name(&origin).unwrap_or(Origin::Typed),
        author: row.get(5)?,
        saved_at: row.get(6)?,
        saved_at_utc: row.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::{Origin, Version};
    use crate::document::{BlockKind, SourceFormat, Translatable};
    use crate::import::import_bytes;
    use crate::segment::Segmenter;
    use crate::store::{NewSegment, SegmentUpdate, SegmentedBlock, Status, Workspace};

    fn workspace() -> (Workspace, i64, Vec<i64>) {
        let mut ws = Workspace::open_in_memory().unwrap();
        ws.set_author("Anna");
        let doc = import_bytes(
            "a.txt",
            Some("txt"),
            b"Putin va da Kim. Poi torna a Mosca.\n",
        )
        .unwrap();
        let id = ws
            .add_document("a", None, &doc, &Segmenter::italian::<&str>(&[]))
            .unwrap();
        let ids = ws.segments(id).unwrap().iter().map(|s| s.id).collect();
        (ws, id, ids)
    }

    fn summary(versions: &[Version]) -> Vec<(&str, Status, Origin)> {
        versions
            .iter()
            .map(|v| (v.target.as_str(), v.status, v.origin))
            .collect()
    }

    #[test]
    fn a_typing_session_is_one_version_and_a_confirmation_another() {
        let (mut ws, doc, ids) = workspace();
        let s = ids[0];
        assert!(ws.versions(doc, s).unwrap().is_empty());
        ws.set_target(doc, s, "Putin", Status::Draft).unwrap();
        ws.set_target(doc, s, "Putin goes", Status::Draft).unwrap();
        ws.set_target(doc, s, "Putin goes to Kim.", Status::Draft)
            .unwrap();
        ws.set_target(doc, s, "Putin goes to Kim.", Status::Translated)
            .unwrap();
        // Saving the same English and status again changes nothing.
        ws.set_target(doc, s, "Putin goes to Kim.", Status::Translated)
            .unwrap();
        ws.set_target(doc, s, "Putin visits Kim.", Status::Draft)
            .unwrap();
        ws.set_target(doc, s, "Putin visits Kim.", Status::Approved)
            .unwrap();
        let versions = ws.versions(doc, s).unwrap();
        assert_eq!(
            summary(&versions),
            [
                ("Putin visits Kim.", Status::Approved, Origin::Typed),
                ("Putin visits Kim.", Status::Draft, Origin::Typed),
                ("Putin goes to Kim.", Status::Translated, Origin::Typed),
                ("Putin goes to Kim.", Status::Draft, Origin::Typed),
            ]
        );
        assert!(versions
            .iter()
            .all(|v| v.author == "Anna" && v.saved_at > 0));
        assert!(versions.windows(2).all(|w| w[0].id > w[1].id));
        // Another segment's history is its own.
        assert!(ws.versions(doc, ids[1]).unwrap().is_empty());
    }

    #[test]
    fn a_draft_of_another_origin_or_author_is_a_version_of_its_own() {
        let (mut ws, doc, ids) = workspace();
        let s = ids[0];
        ws.set_pretranslation(doc, s, "Putin goes to Kim.", 85, "news")
            .unwrap();
        ws.set_target(doc, s, "Putin travels to Kim.", Status::Draft)
            .unwrap();
        ws.set_author("Bruno");
        ws.set_target(doc, s, "Putin flies to Kim.", Status::Draft)
            .unwrap();
        let versions = ws.versions(doc, s).unwrap();
        assert_eq!(
            summary(&versions),
            [
                ("Putin flies to Kim.", Status::Draft, Origin::Typed),
                ("Putin travels to Kim.", Status::Draft, Origin::Typed),
                ("Putin goes to Kim.", Status::Draft, Origin::Tm),
            ]
        );
        assert_eq!(versions[0].author, "Bruno");
        assert_eq!(versions[1].author, "Anna");
        // A blank name is the OS user's.
        ws.set_author("  ");
        assert_eq!(ws.author(), super::os_user());
    }

    #[test]
    fn every_write_of_an_english_records_where_it_came_from() {
        let (mut ws, doc, ids) = workspace();
        assert!(ws
            .fill_from_suggestion(doc, ids[1], "Then he returns to Moscow.", "mt:deepl")
            .unwrap());
        assert_eq!(ws.versions(doc, ids[1]).unwrap()[0].origin, Origin::Mt);
        // A segment that has English is not filled, and keeps its history.
        assert!(!ws
            .fill_from_suggestion(doc, ids[1], "Other.", "mt:deepl")
            .unwrap());
        assert_eq!(ws.versions(doc, ids[1]).unwrap().len(), 1);
        ws.apply_review(
            doc,
            &[SegmentUpdate {
                id: ids[1],
                target: "He then returns to Moscow.".into(),
                status: Status::Approved,
                note: Some("better".into()),
            }],
        )
        .unwrap();
        let latest = &ws.versions(doc, ids[1]).unwrap()[0];
        assert_eq!(
            (latest.target.as_str(), latest.status, latest.origin),
            (
                "He then returns to Moscow.",
                Status::Approved,
                Origin::Review
            )
        );
        ws.set_target(doc, ids[0], "Putin goes to Kim.", Status::Translated)
            .unwrap();
        let merged = ws.merge_with_next(doc, ids[0]).unwrap().segment;
        let latest = &ws.versions(doc, merged.id).unwrap()[0];
        assert_eq!(
            (latest.target.as_str(), latest.status, latest.origin),
            (
                "Putin goes to Kim. He then returns to Moscow.",
                Status::Draft,
                Origin::Merge
            )
        );
        let (head, _) = ws.split_segment(doc, merged.id, 17).unwrap();
        assert_eq!(ws.versions(doc, head.id).unwrap()[0].origin, Origin::Merge);
        ws.set_target(doc, head.id, "Putin goes to Kim.", Status::Translated)
            .unwrap();
        ws.split_segment(doc, head.id, 6).unwrap();
        let latest = &ws.versions(doc, head.id).unwrap()[0];
        assert_eq!(
            (latest.status, latest.origin),
            (Status::Draft, Origin::Split)
        );
    }

    #[test]
    fn english_imported_with_a_file_is_its_first_version() {
        let mut ws = Workspace::open_in_memory().unwrap();
        let segment = |source: &str, target: &str, status| NewSegment {
            source: source.into(),
            target: target.into(),
            status,
            note: None,
        };
        let block = SegmentedBlock {
            kind: BlockKind::Paragraph,
            translatable: Translatable::Yes,
            text: "Uno. Due.".into(),
            codes: Vec::new(),
            segments: vec![
                segment("Uno.", "One.", Status::Translated),
                segment("Due.", "", Status::New),
            ],
        };
        let doc = ws
            .add_segmented_document("x", None, SourceFormat::Text, &[block])
            .unwrap();
        let ids: Vec<i64> = ws.segments(doc).unwrap().iter().map(|s| s.id).collect();
        assert_eq!(
            summary(&ws.versions(doc, ids[0]).unwrap()),
            [("One.", Status::Translated, Origin::Import)]
        );
        assert!(ws.versions(doc, ids[1]).unwrap().is_empty());
    }

    #[test]
    fn the_origin_of_an_english_is_the_suggestion_it_still_is() {
        let (mut ws, doc, ids) = workspace();
        ws.set_suggestion(doc, ids[0], "Putin goes to Kim.", "tm:news", Some(87))
            .unwrap();
        assert_eq!(
            ws.origin_of(ids[0], "Putin goes to Kim.").unwrap(),
            Origin::Tm
        );
        assert_eq!(
            ws.origin_of(ids[0], "Putin goes to Kim!").unwrap(),
            Origin::Typed
        );
        ws.set_suggestion(doc, ids[0], "Putin visits Kim.", "mt:deepl", None)
            .unwrap();
        assert_eq!(
            ws.origin_of(ids[0], "Putin visits Kim.").unwrap(),
            Origin::Mt
        );
        assert_eq!(ws.origin_of(ids[1], "Anything").unwrap(), Origin::Typed);
    }

    #[test]
    fn versions_are_signed_with_the_author_setting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.sqlite");
        let mut ws = Workspace::open(&path).unwrap();
        let settings = crate::store::settings::Settings {
            author: "Carla Neri".into(),
            ..Default::default()
        };
        ws.save_settings(&settings).unwrap();
        assert_eq!(ws.author(), "Carla Neri");
        drop(ws);
        let mut ws = Workspace::open(&path).unwrap();
        assert_eq!(ws.author(), "Carla Neri");
        let article = import_bytes("a.txt", Some("txt"), b"Uno.\n").unwrap();
        let doc = ws
            .add_document("a", None, &article, &Segmenter::italian::<&str>(&[]))
            .unwrap();
        let id = ws.segments(doc).unwrap()[0].id;
        ws.set_target(doc, id, "One.", Status::Translated).unwrap();
        assert_eq!(ws.versions(doc, id).unwrap()[0].author, "Carla Neri");
    }

    #[cfg(unix)]
    #[test]
    fn without_a_user_in_the_environment_the_process_owner_signs() {
        let expected = std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap();
        let expected = String::from_utf8(expected.stdout).unwrap();
        assert_eq!(super::user_of_process().as_deref(), Some(expected.trim()));
    }

    #[test]
    fn a_version_of_another_segment_is_not_found() {
        let (mut ws, doc, ids) = workspace();
        ws.set_target(doc, ids[0], "Putin goes to Kim.", Status::Draft)
            .unwrap();
        let version = ws.versions(doc, ids[0]).unwrap()[0].id;
        assert_eq!(
            ws.version(doc, ids[0], version).unwrap().target,
            "Putin goes to Kim."
        );
        assert!(ws.version(doc, ids[1], version).is_err());
    }

    #[test]
    fn an_older_workspace_gets_the_english_it_has_as_first_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.sqlite");
        let (doc, ids) = {
            let (mut ws, doc, ids) = {
                let mut ws = Workspace::open(&path).unwrap();
                let article = import_bytes("a.txt", Some("txt"), b"Uno. Due.\n").unwrap();
                let doc = ws
                    .add_document("a", None, &article, &Segmenter::italian::<&str>(&[]))
                    .unwrap();
                let ids: Vec<i64> = ws.segments(doc).unwrap().iter().map(|s| s.id).collect();
                (ws, doc, ids)
            };
            ws.set_target(doc, ids[0], "One.", Status::Translated)
                .unwrap();
            drop(ws);
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(
                "DROP TABLE segment_versions; DROP TABLE spelling_words; DROP TABLE spelling_ignored; DROP TABLE team; DROP TABLE team_outbox; DROP TABLE team_units; DROP TABLE team_entries; DROP TABLE team_conflicts; DROP TABLE team_rejected; DROP TABLE team_resolutions; DROP TABLE team_document_segments; DROP TABLE team_documents; DROP TABLE team_segment_conflicts;
                 PRAGMA user_version = 17;",
            )
                .unwrap();
            (doc, ids)
        };
        let ws = Workspace::open(&path).unwrap();
        let versions = ws.versions(doc, ids[0]).unwrap();
        assert_eq!(
            summary(&versions),
            [("One.", Status::Translated, Origin::Typed)]
        );
        assert_eq!(versions[0].author, "");
        assert!(ws.versions(doc, ids[1]).unwrap().is_empty());
    }
}

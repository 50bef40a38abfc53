//! The team glossary's conflicts as the translator settles them: a
//! version of an entry that a teammate's later write replaced unseen is
//! shown beside the entry as it now is, and either left (the team's
//! version stands) or put back (written over it, and sent to the team as
//! any edit of the team glossary is).

use uuid::Uuid;

use super::{Error, Open, Result, Session};
use crate::store::team_conflicts::Settlement;
use crate::team::TeamEntry;
use crate::termbase::Entry;

/// A conflict of the team glossary, as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamConflictView {
    /// The entry's team id.
    pub entry: Uuid,
    /// The number of the write that won.
    pub won_seq: i64,
    /// The version that lost; none when what lost was a deletion.
    pub lost: Option<Entry>,
    /// The entry as the team glossary has it now; none when the winning
    /// write deleted it.
    pub current: Option<Entry>,
}

impl Session {
    /// The glossary conflicts received from the team, newest first.
    pub fn team_conflicts(&self) -> Result<Vec<TeamConflictView>> {
        conflict_views(&self.lock())
    }

    /// Settles the conflict of `entry` that the write `won_seq` won: with
    /// `restore_lost`, the version that lost is put back — over the entry
    /// as it now is, as a new entry of the team glossary when the winner
    /// deleted it, or as a deletion when what lost was one. One
    /// transaction writes the choice and marks the conflict for the server
    /// to be told it is resolved (at the next sync: this works offline).
    pub fn settle_team_conflict(
        &self,
        entry: Uuid,
        won_seq: i64,
        restore_lost: bool,
    ) -> Result<()> {
        // One hold of the workspace from reading the conflict to settling
        // it: no pull changes the entry in between.
        let mut open = self.lock();
        let conflict = conflict_views(&open)?
            .into_iter()
            .find(|c| c.entry == entry && c.won_seq == won_seq)
            .ok_or_else(|| not_found(entry, won_seq))?;
        let settlement = match (restore_lost, conflict.lost, conflict.current) {
            (false, _, _) | (true, None, None) => Settlement::Keep,
            (true, Some(lost), Some(current)) => Settlement::Replace(Entry {
                id: current.id,
                glossary: current.glossary,
                ..lost
            }),
            (true, Some(lost), None) => Settlement::Add(lost),
            (true, None, Some(current)) => Settlement::Delete(current.id),
        };
        if !open.ws.settle_team_conflict(entry, won_seq, &settlement)? {
            return Err(not_found(entry, won_seq));
        }
        if settlement != Settlement::Keep {
            open.glossary_changed();
        }
        Ok(())
    }
}

/// The conflicts as the app shows them, newest first.
fn conflict_views(open: &Open) -> Result<Vec<TeamConflictView>> {
    let mut views = Vec::new();
    for conflict in open.ws.team_conflicts()? {
        let lost = match &conflict.lost {
            Some(json) => {
                let entry: TeamEntry = serde_json::from_str(json).map_err(|e| {
                    Error::Invalid(format!("a conflict's entry cannot be read: {e}"))
                })?;
                Some(crate::sync::entry_of(&entry))
            }
            None => None,
        };
        views.push(TeamConflictView {
            entry: conflict.entry,
            won_seq: conflict.won_seq,
            lost,
            current: open.ws.team_entry(conflict.entry)?,
        });
    }
    Ok(views)
}

fn not_found(entry: Uuid, won_seq: i64) -> Error {
    Error::NotFound(format!("no conflict of entry {entry} at {won_seq}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mt::keys::KeyStore;
    use crate::store::team::{OpKind, Pulled, PulledChange, PulledPage, TeamConflict};
    use crate::store::Workspace;
    use crate::team::TeamTerm;
    use crate::testing::membership;

    /// A session whose team glossary holds the Farnesina entry, "the
    /// Farnesina" having won over "Foreign Ministry" unseen.
    fn with_a_conflict(dir: &tempfile::TempDir) -> (Session, Uuid) {
        let path = dir.path().join("ws.sqlite");
        let keys = KeyStore::at(dir.path().join("keys.json"));
        let session = Session::with_keys(Workspace::open(&path).unwrap(), path, keys);
        let id = Uuid::new_v4();
        let put = |seq, english: &str| PulledChange {
            seq,
            author: "ben".into(),
            at: String::new(),
            change: Pulled::EntryPut {
                id,
                entry: Entry::pair("Farnesina", english),
            },
        };
        let lost = TeamEntry {
            id,
            italian: vec![TeamTerm {
                text: "Farnesina".into(),
                status: "preferred".into(),
                note: None,
                pos: None,
                case_sensitive: false,
            }],
            english: vec![TeamTerm {
                text: "Foreign Ministry".into(),
                status: "preferred".into(),
                note: None,
                pos: None,
                case_sensitive: false,
            }],
            domain: None,
            note: None,
        };
        let mut open = session.lock();
        open.ws.join_team(&membership("anna")).unwrap();
        let pages = [
            PulledPage {
                since: 0,
                changes: vec![put(1, "Foreign Ministry")],
                conflicts: Vec::new(),
                next: 1,
                more: true,
                epoch: None,
            },
            PulledPage {
                since: 1,
                changes: vec![put(2, "the Farnesina")],
                conflicts: vec![TeamConflict {
                    entry: id,
                    lost: Some(serde_json::to_string(&lost).unwrap()),
                    lost_seq: 1,
                    won_seq: 2,
                }],
                next: 2,
                more: false,
                epoch: None,
            },
        ];
        open.ws.apply_pulled(&pages).unwrap();
        drop(open);
        (session, id)
    }

    fn english_now(session: &Session, id: Uuid) -> String {
        let entry = session.lock().ws.team_entry(id).unwrap().unwrap();
        entry.english[0].text.clone()
    }

    #[test]
    fn a_conflict_shows_both_versions_and_leaving_the_teams_version_changes_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (session, id) = with_a_conflict(&dir);
        let conflicts = session.team_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1);
        let conflict = &conflicts[0];
        assert_eq!(
            conflict.lost.as_ref().unwrap().english[0].text,
            "Foreign Ministry"
        );
        assert_eq!(
            conflict.current.as_ref().unwrap().english[0].text,
            "the Farnesina"
        );
        session.settle_team_conflict(id, 2, false).unwrap();
        assert!(session.team_conflicts().unwrap().is_empty());
        assert_eq!(english_now(&session, id), "the Farnesina");
        // The server is told at the next sync: settling needs no network.
        assert_eq!(session.lock().ws.unsent_resolutions().unwrap(), [2]);
        assert!(session.lock().ws.outbox(10).unwrap().is_empty());
        assert!(
            session.settle_team_conflict(id, 2, false).is_err(),
            "settled once"
        );
    }

    #[test]
    fn putting_the_lost_version_back_writes_it_and_sends_it_to_the_team() {
        let dir = tempfile::tempdir().unwrap();
        let (session, id) = with_a_conflict(&dir);
        session.settle_team_conflict(id, 2, true).unwrap();
        assert!(session.team_conflicts().unwrap().is_empty());
        assert_eq!(english_now(&session, id), "Foreign Ministry");
        let outbox = session.lock().ws.outbox(10).unwrap();
        assert_eq!(outbox.len(), 1, "{outbox:?}");
        assert_eq!((outbox[0].kind, outbox[0].subject), (OpKind::Entry, id));
        assert!(
            outbox[0].body.contains("Foreign Ministry"),
            "{}",
            outbox[0].body
        );
        // Based on the version that won: the team takes it as a new edit.
        assert_eq!(outbox[0].base_seq, Some(2));
    }
}

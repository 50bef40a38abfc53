//! Changing or removing one TM unit where the translator meets it (the
//! matches panel, concordance); a read-only TM refuses both.

use rusqlite::{params, OptionalExtension, Transaction};

use super::tm::{reindex_concordance, stable_hash, StoredUnit};
use super::{StoreError, Workspace};
use crate::text::codes;

/// The unit's TM name and whether that TM is read-only; an error for a
/// unit that is not there, or whose TM is read-only.
fn writable_unit(tx: &Transaction<'_>, id: i64) -> Result<(i64, String), StoreError> {
    let found: Option<(i64, String, bool)> = tx
        .query_row(
            "SELECT t.id, t.name, t.read_only FROM tm_units u JOIN tms t ON t.id = u.tm_id
             WHERE u.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match found {
        None => Err(StoreError::InvalidEdit(format!("no TM unit {id}"))),
        Some((_, name, true)) => Err(StoreError::InvalidEdit(format!(
            "the translation memory `{name}` is read-only: its units cannot be changed"
        ))),
        Some((tm_id, name, false)) => Ok((tm_id, name)),
    }
}

impl Workspace {
    /// Whether the TM named `name` is read-only (false when there is none).
    pub fn tm_read_only(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT read_only FROM tms WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(false))
    }

    /// Gives a unit a new English, dated and signed as a change. A unit
    /// whose English holds inline codes keeps them only as its TMX file
    /// has them, so such a unit is changed there, not here.
    pub fn update_tm_unit(
        &mut self,
        id: i64,
        target: &str,
        author: &str,
    ) -> Result<StoredUnit, StoreError> {
        let target = target.trim();
        if target.is_empty() {
            return Err(StoreError::InvalidEdit(
                "a TM unit needs an English; delete the unit instead".into(),
            ));
        }
        if codes::has_codes(target) {
            return Err(StoreError::InvalidEdit(
                "a TM unit's English is changed here without inline codes".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        let (tm_id, _) = writable_unit(&tx, id)?;
        let (source, old_target, target_markup): (String, String, Option<String>) = tx.query_row(
            "SELECT source, target, target_markup FROM tm_units WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if codes::has_codes(&old_target) || target_markup.is_some() {
            return Err(StoreError::InvalidEdit(format!(
                "TM unit {id} has inline codes in its English: change it in its TMX file"
            )));
        }
        let pair_hash = stable_hash(&[&source, target]);
        let twin: Option<i64> = tx
            .query_row(
                "SELECT id FROM tm_units WHERE tm_id = ?1 AND pair_hash = ?2 AND id <> ?3",
                params![tm_id, pair_hash, id],
                |r| r.get(0),
            )
            .optional()?;
        if twin.is_some() {
            return Err(StoreError::InvalidEdit(format!(
                "the TM already has a unit with this Italian and English (unit {})",
                twin.unwrap_or_default()
            )));
        }
        tx.execute(
            "UPDATE tm_units SET target = ?1, pair_hash = ?2, changed_at = ?3, changed_by = ?4
             WHERE id = ?5",
            params![target, pair_hash, super::tm::tmx_date_now(), author, id],
        )?;
        reindex_concordance(&tx, id)?;
        // A unit the team holds goes to it changed, under its team id.
        super::team::unit_written_if_shared(&tx, id)?;
        tx.commit()?;
        self.tm_unit(id)?
            .ok_or_else(|| StoreError::InvalidEdit(format!("no TM unit {id}")))
    }

    /// Deletes a unit from its TM.
    pub fn delete_tm_unit(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        writable_unit(&tx, id)?;
        // The concordance index drops it before the next search.
        tx.execute("INSERT INTO concordance_stale (unit_id) VALUES (?1)", [id])?;
        super::team::unit_deleted(&tx, id)?;
        tx.execute("DELETE FROM tm_units WHERE id = ?1", [id])?;
        // A saved match index still lists the unit: it is built again.
        tx.execute("UPDATE tm_state SET generation = generation + 1", [])?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{StoreError, Workspace};
    use crate::testing::import_units;

    fn workspace(read_only: bool) -> (Workspace, Vec<i64>) {
        let mut ws = Workspace::open_in_memory().unwrap();
        let ids = import_units(
            &mut ws,
            &[
                ("Il gatto dorme.", "The cat sleep."),
                ("Il cane abbaia.", "The dog barks."),
                (
                    r#"Vai al <bpt i="1">&lt;b&gt;</bpt>sito<ept i="1">&lt;/b&gt;</ept>."#,
                    r#"Go to the <bpt i="1">&lt;b&gt;</bpt>site<ept i="1">&lt;/b&gt;</ept>."#,
                ),
            ],
            read_only,
        );
        (ws, ids)
    }

    /// The concordance's notes of changed units not yet put right.
    fn notes(ws: &Workspace) -> i64 {
        ws.conn
            .query_row("SELECT count(*) FROM concordance_stale", [], |r| r.get(0))
            .unwrap()
    }

    fn refused(result: Result<impl std::fmt::Debug, StoreError>, needle: &str) {
        match result {
            Err(StoreError::InvalidEdit(message)) => assert!(message.contains(needle), "{message}"),
            other => panic!("expected a refusal mentioning {needle:?}, got {other:?}"),
        }
    }

    #[test]
    fn a_units_english_is_changed_signed_and_found_by_concordance() {
        let (mut ws, ids) = workspace(false);
        assert_eq!(ws.tm_search("sleep", 5).unwrap().len(), 1);
        let unit = ws
            .update_tm_unit(ids[0], " The cat sleeps. ", "giulia")
            .unwrap();
        assert_eq!(unit.target, "The cat sleeps.");
        assert_eq!(unit.changed_by.as_deref(), Some("giulia"));
        assert!(unit.changed_at.is_some());
        assert!(ws.tm_search("sleep", 5).unwrap().is_empty());
        let found = ws.tm_search("sleeps", 5).unwrap();
        assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), [ids[0]]);
        refused(ws.update_tm_unit(ids[0], "  ", "x"), "delete the unit");
        refused(
            ws.update_tm_unit(ids[2], "Go to the site.", "x"),
            "inline codes",
        );
        refused(ws.update_tm_unit(9999, "Anything.", "x"), "no TM unit");
    }

    #[test]
    fn a_deleted_unit_is_gone_from_the_tm_and_the_concordance() {
        let (mut ws, ids) = workspace(false);
        assert_eq!(ws.tm_search("barks", 5).unwrap().len(), 1);
        let generation = ws.tm_generation().unwrap();
        ws.delete_tm_unit(ids[1]).unwrap();
        assert!(ws.tm_unit(ids[1]).unwrap().is_none());
        assert!(ws.tm_search("barks", 5).unwrap().is_empty());
        assert!(ws.tm_generation().unwrap() > generation);
        assert_eq!(ws.tms().unwrap()[0].n_units, 2);
        refused(ws.delete_tm_unit(ids[1]), "no TM unit");
    }

    #[test]
    fn units_changed_or_deleted_before_the_concordance_held_them_are_found_as_they_are() {
        let (mut ws, ids) = workspace(false);
        ws.update_tm_unit(ids[0], "The cat naps.", "giulia")
            .unwrap();
        ws.delete_tm_unit(ids[1]).unwrap();
        // The notes of those changes wait until the index holds the units,
        // then put them right: a unit never indexed is deleted harmlessly.
        for _ in 0..2 {
            assert!(ws.tm_search("sleep", 5).unwrap().is_empty());
            assert_eq!(ws.tm_search("naps", 5).unwrap().len(), 1);
            assert!(ws.tm_search("barks", 5).unwrap().is_empty());
            assert_eq!(ws.tm_search("site", 5).unwrap().len(), 1);
        }
        assert_eq!(notes(&ws), 0);
    }

    #[test]
    fn deleting_the_newest_unit_drops_it_alone_and_the_next_unit_taking_its_id_is_found() {
        let (mut ws, ids) = workspace(false);
        assert_eq!(ws.tm_search("site", 5).unwrap().len(), 1);
        ws.delete_tm_unit(ids[2]).unwrap();
        assert_eq!(ws.sync_concordance().unwrap(), 0, "no unit indexed again");
        assert!(ws.tm_search("site", 5).unwrap().is_empty());
        assert_eq!(ws.tm_search("barks", 5).unwrap().len(), 1);
        let added = import_units(&mut ws, &[("Il topo corre.", "The mouse runs.")], false);
        assert_eq!(added, [ids[2]], "the deleted unit's id taken again");
        assert_eq!(ws.tm_search("runs", 5).unwrap().len(), 1);
        assert!(ws.tm_search("site", 5).unwrap().is_empty());
        assert_eq!(notes(&ws), 0);
    }

    #[test]
    fn a_note_written_once_every_note_is_put_right_takes_a_number_never_used() {
        let (mut ws, ids) = workspace(false);
        assert_eq!(ws.tm_search("sleep", 5).unwrap().len(), 1);
        let highest = |ws: &Workspace| -> i64 {
            ws.conn
                .query_row("SELECT max(seq) FROM concordance_stale", [], |r| r.get(0))
                .unwrap()
        };
        ws.update_tm_unit(ids[0], "The cat naps.", "giulia")
            .unwrap();
        ws.update_tm_unit(ids[1], "The dog howls.", "giulia")
            .unwrap();
        let put_right = highest(&ws);
        assert_eq!(ws.tm_search("howls", 5).unwrap().len(), 1);
        assert_eq!(notes(&ws), 0);
        // A search that read the notes up to `put_right` deletes up to
        // there: a later note must be past it.
        ws.update_tm_unit(ids[0], "The cat dozes.", "giulia")
            .unwrap();
        assert!(highest(&ws) > put_right);
        assert_eq!(ws.tm_search("dozes", 5).unwrap().len(), 1);
    }

    #[test]
    fn a_read_only_tm_refuses_changes_to_its_units() {
        let (mut ws, ids) = workspace(true);
        assert!(ws.tm_read_only("news").unwrap());
        assert!(!ws.tm_read_only("no such TM").unwrap());
        refused(
            ws.update_tm_unit(ids[0], "The cat sleeps.", "x"),
            "read-only",
        );
        refused(ws.delete_tm_unit(ids[0]), "read-only");
        assert_eq!(
            ws.tm_unit(ids[0]).unwrap().unwrap().target,
            "The cat sleep."
        );
    }
}

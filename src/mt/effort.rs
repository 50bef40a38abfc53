//! How much work suggestions saved: for every confirmed segment that
//! started from a TM match or MT, the characters the translator changed
//! (Levenshtein distance), summed per origin for a document.

use crate::store::{StoreError, Workspace};

/// The effort report of one origin (`tm:NAME` or `mt:NAME`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effort {
    /// Where the suggestions came from.
    pub origin: String,
    /// Segments that started from it.
    pub segments: usize,
    /// Of those, confirmed.
    pub confirmed: usize,
    /// Confirmed as suggested, unchanged.
    pub unedited: usize,
    /// Characters suggested, in the confirmed segments.
    pub suggested_chars: usize,
    /// Characters changed to reach the confirmed English.
    pub changed_chars: usize,
}

impl Effort {
    /// Characters changed per 100 suggested (0 = used as it was).
    pub fn edited_percent(&self) -> f64 {
        if self.suggested_chars == 0 {
            return 0.0;
        }
        100.0 * self.changed_chars as f64 / self.suggested_chars as f64
    }
}

/// The effort report of a document, one row per origin, by name.
pub fn effort(ws: &Workspace, doc_id: i64) -> Result<Vec<Effort>, StoreError> {
    let mut rows: Vec<Effort> = Vec::new();
    for outcome in ws.suggestion_outcomes(doc_id)? {
        let at = match rows.iter().position(|r| r.origin == outcome.origin) {
            Some(at) => at,
            None => {
                rows.push(Effort {
                    origin: outcome.origin.clone(),
                    ..Effort::default()
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[at];
        row.segments += 1;
        if let Some(distance) = outcome.edit_distance {
            row.confirmed += 1;
            row.unedited += usize::from(distance == 0);
            row.suggested_chars += outcome.suggestion.chars().count();
            row.changed_chars += distance as usize;
        }
    }
    rows.sort_by(|a, b| a.origin.cmp(&b.origin));
    Ok(rows)
}

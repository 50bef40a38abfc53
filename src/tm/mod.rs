//! The translation memory: tokens, match scores, and the index that finds
//! every unit above a score threshold without scanning them all.

pub mod index;
pub mod score;
pub mod tmx;
pub mod tokenize;

use crate::store::tm::StoredUnit;
use crate::store::{StoreError, Workspace};
use index::TmIndex;
use tokenize::{tokenize, Token};

/// One fuzzy or exact match for a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmMatch {
    /// 0 to 100.
    pub score: u32,
    /// The unit found.
    pub unit: StoredUnit,
}

/// Token keys of `text`, as the index stores them.
pub fn keys(text: &str) -> Vec<String> {
    tokenize(text)
        .iter()
        .map(|t| t.key().into_owned())
        .collect()
}

/// The workspace's units, indexed for lookups.
pub struct Matcher {
    index: TmIndex,
}

impl Matcher {
    /// Indexes every unit of every TM in `ws`.
    pub fn build(ws: &Workspace) -> Result<Matcher, StoreError> {
        let mut index = TmIndex::new();
        ws.for_each_tm_source(&mut |id, source| index.insert(id, &keys(source)))?;
        Ok(Matcher { index })
    }

    /// Number of indexed units.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no unit is indexed.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Adds or replaces one unit (after a confirmation, say).
    pub fn insert(&mut self, id: i64, source: &str) {
        self.index.insert(id, &keys(source));
    }

    /// The best `limit` units scoring at least `min_score` against `text`,
    /// best first (ties by unit id). `exhaustive` checks every unit instead
    /// of using the index; both give the same answer.
    pub fn lookup(
        &mut self,
        ws: &Workspace,
        text: &str,
        min_score: u32,
        limit: usize,
        exhaustive: bool,
    ) -> Result<Vec<TmMatch>, StoreError> {
        let query: Vec<Token<'_>> = tokenize(text);
        let query_keys: Vec<String> = query.iter().map(|t| t.key().into_owned()).collect();
        let mut candidates = if exhaustive {
            self.index.search_exhaustive(&query_keys, min_score)
        } else {
            self.index.search(&query_keys, min_score)
        };
        // The base score bounds the final one from above: read units in
        // order of base score and stop once nothing left can make the list.
        let base = |c: &index::Candidate| score::base_score(c.distance, query.len(), c.len);
        candidates.sort_by_key(|c| (std::cmp::Reverse(base(c)), c.id));
        let mut found: Vec<TmMatch> = Vec::new();
        for candidate in &candidates {
            if found.len() >= limit
                && found
                    .last()
                    .is_some_and(|worst| worst.score > base(candidate))
            {
                break;
            }
            let Some(unit) = ws.tm_unit(candidate.id)? else {
                continue;
            };
            let score = score::score(&query, &tokenize(&unit.source));
            if score < min_score {
                continue;
            }
            found.push(TmMatch { score, unit });
            found.sort_by(|a, b| b.score.cmp(&a.score).then(a.unit.id.cmp(&b.unit.id)));
            found.truncate(limit);
        }
        Ok(found)
    }
}

//! The translation memory: tokens, match scores, and the index that finds
//! every unit above a score threshold without scanning them all.

pub mod index;
pub mod score;
pub mod tmx;
pub mod tokenize;

use crate::store::tm::StoredUnit;
use crate::store::{StoreError, Workspace};
use index::{IndexFull, TmIndex};

/// Errors of TM lookups.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TmError {
    /// Reading units failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Too many units for the index.
    #[error(transparent)]
    Full(#[from] IndexFull),
}
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
    pub fn build(ws: &Workspace) -> Result<Matcher, TmError> {
        let mut index = TmIndex::new();
        let mut full = Ok(());
        ws.for_each_tm_source(&mut |id, source| {
            if full.is_ok() {
                full = index.insert(id, &keys(source));
            }
        })?;
        full?;
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
    pub fn insert(&mut self, id: i64, source: &str) -> Result<(), IndexFull> {
        self.index.insert(id, &keys(source))
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
        let candidates = if exhaustive {
            self.index.search_exhaustive(&query_keys, min_score)
        } else {
            self.index.search(&query_keys, min_score)
        };
        let ranked = rank(&query, candidates, min_score, limit, |id| {
            Ok::<_, StoreError>(ws.tm_unit(id)?.map(|u| u.source))
        })?;
        let mut found = Vec::with_capacity(ranked.len());
        for (score, id) in ranked {
            if let Some(unit) = ws.tm_unit(id)? {
                found.push(TmMatch { score, unit });
            }
        }
        Ok(found)
    }
}

/// Scores `candidates` exactly and keeps the best `limit` at or above
/// `min_score`: (score, unit id), best first, ties by unit id. Sources are
/// read through `source_of` only as far as needed: the base score bounds the
/// final one from above, so reading stops once nothing left can make the list.
pub fn rank<E>(
    query: &[Token<'_>],
    mut candidates: Vec<index::Candidate>,
    min_score: u32,
    limit: usize,
    mut source_of: impl FnMut(i64) -> Result<Option<String>, E>,
) -> Result<Vec<(u32, i64)>, E> {
    let base = |c: &index::Candidate| score::base_score(c.distance, query.len(), c.len);
    candidates.sort_by_key(|c| (std::cmp::Reverse(base(c)), c.id));
    let mut found: Vec<(u32, i64)> = Vec::new();
    for candidate in &candidates {
        // Later candidates have a lower base, or the same base and a higher
        // id, so they can no longer beat the worst match kept.
        if found.len() >= limit
            && found.last().is_some_and(|&(worst, worst_id)| {
                worst > base(candidate) || (worst == base(candidate) && worst_id < candidate.id)
            })
        {
            break;
        }
        let Some(source) = source_of(candidate.id)? else {
            continue;
        };
        let score = score::score(query, &tokenize(&source));
        if score < min_score {
            continue;
        }
        found.push((score, candidate.id));
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(limit);
    }
    Ok(found)
}

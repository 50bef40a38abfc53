//! An exact fuzzy-match index over token keys.
//!
//! A unit can reach base score T against a query of n tokens only if it
//! shares at least ⌈T·n/100⌉ tokens with it, so it must contain one of any
//! n − ⌈T·n/100⌉ + 1 of the query's tokens. The index picks the query's
//! rarest tokens for that prefix, reads their posting lists, drops units
//! whose length alone rules them out, and computes the exact edit distance
//! (bit-parallel) for the rest. Nothing above the threshold is ever missed;
//! `search_exhaustive` checks every unit and is the oracle in tests.

use std::collections::HashMap;

use super::score::{levenshtein, max_distance, step};

/// A unit found by a search: its id and its token edit distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The unit's id, as given to [`TmIndex::insert`].
    pub id: i64,
    /// Token-level Levenshtein distance between the keys.
    pub distance: usize,
    /// Token count of the unit.
    pub len: usize,
}

/// The in-memory index of every unit's token keys.
#[derive(Debug, Default)]
pub struct TmIndex {
    vocab: HashMap<Box<str>, u32>,
    /// Token id → slots of the units that contain it (each slot once).
    postings: Vec<Vec<u32>>,
    /// Slot → start of its tokens in `tokens`; one more entry than units.
    offsets: Vec<u32>,
    tokens: Vec<u32>,
    ids: Vec<i64>,
    live: Vec<bool>,
    by_id: HashMap<i64, u32>,
    // Scratch space reused across searches.
    seen: Vec<u32>,
    round: u32,
    peq: Vec<u64>,
}

impl TmIndex {
    /// An empty index.
    pub fn new() -> TmIndex {
        TmIndex {
            offsets: vec![0],
            ..TmIndex::default()
        }
    }

    /// Number of live units.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the index holds no units.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    fn token_id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.vocab.get(key) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.vocab.insert(key.into(), id);
        self.postings.push(Vec::new());
        id
    }

    /// Adds a unit by its token keys; a unit with the same id is replaced.
    pub fn insert<S: AsRef<str>>(&mut self, id: i64, keys: &[S]) {
        self.remove(id);
        let slot = self.ids.len() as u32;
        let start = self.tokens.len();
        for key in keys {
            let token = self.token_id(key.as_ref());
            self.tokens.push(token);
        }
        let mut distinct: Vec<u32> = self.tokens[start..].to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        for token in distinct {
            self.postings[token as usize].push(slot);
        }
        self.offsets.push(self.tokens.len() as u32);
        self.ids.push(id);
        self.live.push(true);
        self.seen.push(0);
        self.by_id.insert(id, slot);
    }

    /// Removes a unit; its slot stays allocated but is never returned.
    pub fn remove(&mut self, id: i64) {
        if let Some(slot) = self.by_id.remove(&id) {
            self.live[slot as usize] = false;
        }
    }

    fn unit_tokens(&self, slot: u32) -> &[u32] {
        let (start, end) = (
            self.offsets[slot as usize] as usize,
            self.offsets[slot as usize + 1] as usize,
        );
        &self.tokens[start..end]
    }

    /// Query keys as token ids; `None` for a key no unit has.
    fn query_ids<S: AsRef<str>>(&self, keys: &[S]) -> Vec<Option<u32>> {
        keys.iter()
            .map(|k| self.vocab.get(k.as_ref()).copied())
            .collect()
    }

    /// Every live unit whose base score against `keys` is at least
    /// `min_score`, in no particular order.
    pub fn search<S: AsRef<str>>(&mut self, keys: &[S], min_score: u32) -> Vec<Candidate> {
        let query = self.query_ids(keys);
        let n = query.len();
        let min_shared = (n * min_score.min(100) as usize).div_ceil(100);
        if min_shared == 0 {
            return self.search_exhaustive(keys, min_score);
        }
        // Choose the prefix: unknown tokens first (they are in no unit), then
        // the known ones with the shortest posting lists.
        let mut distinct: Vec<(usize, Option<u32>, usize)> = Vec::new();
        for id in &query {
            match distinct.iter_mut().find(|(_, t, _)| t == id) {
                Some(entry) => entry.2 += 1,
                None => {
                    let df = id.map_or(0, |t| self.postings[t as usize].len());
                    distinct.push((df, *id, 1));
                }
            }
        }
        distinct.sort_unstable_by_key(|&(df, _, _)| df);
        let mut prefix_left = n - min_shared + 1;
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.round = 1;
        }
        let round = self.round;
        let mut slots = Vec::new();
        for (_, token, count) in distinct {
            if prefix_left == 0 {
                break;
            }
            prefix_left = prefix_left.saturating_sub(count);
            let Some(token) = token else { continue };
            for &slot in &self.postings[token as usize] {
                if self.seen[slot as usize] != round {
                    self.seen[slot as usize] = round;
                    slots.push(slot);
                }
            }
        }
        self.verify(&query, slots.into_iter(), min_score)
    }

    /// The same answer as [`TmIndex::search`], by checking every unit.
    pub fn search_exhaustive<S: AsRef<str>>(
        &mut self,
        keys: &[S],
        min_score: u32,
    ) -> Vec<Candidate> {
        let query = self.query_ids(keys);
        let slots = 0..self.ids.len() as u32;
        self.verify(&query, slots, min_score)
    }

    /// Keeps the live slots within the length bounds and the distance limit.
    fn verify(
        &mut self,
        query: &[Option<u32>],
        slots: impl Iterator<Item = u32>,
        min_score: u32,
    ) -> Vec<Candidate> {
        let n = query.len();
        // Unknown query tokens never equal a unit token.
        let pattern: Vec<u32> = query.iter().map(|t| t.unwrap_or(u32::MAX)).collect();
        let bit_parallel = (1..=64).contains(&n);
        if bit_parallel {
            if self.peq.len() < self.postings.len() {
                self.peq.resize(self.postings.len(), 0);
            }
            for (i, token) in query.iter().enumerate() {
                if let Some(t) = token {
                    self.peq[*t as usize] |= 1 << i;
                }
            }
        }
        let mut found = Vec::new();
        for slot in slots {
            if !self.live[slot as usize] {
                continue;
            }
            let unit = self.unit_tokens(slot);
            let m = unit.len();
            let limit = max_distance(n.max(m), min_score);
            if n.abs_diff(m) > limit {
                continue;
            }
            let distance = if bit_parallel {
                self.distance_bit_parallel(n, unit)
            } else {
                levenshtein(&pattern, unit)
            };
            if distance <= limit {
                found.push(Candidate {
                    id: self.ids[slot as usize],
                    distance,
                    len: m,
                });
            }
        }
        if bit_parallel {
            for t in query.iter().flatten() {
                self.peq[*t as usize] = 0;
            }
        }
        found
    }

    fn distance_bit_parallel(&self, n: usize, unit: &[u32]) -> usize {
        let high = 1u64 << (n - 1);
        let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        let (mut vp, mut vn, mut score) = (mask, 0u64, n);
        for &t in unit {
            let eq = self.peq.get(t as usize).copied().unwrap_or(0);
            step(&mut vp, &mut vn, &mut score, eq, high, mask);
        }
        score
    }

    /// Approximate heap bytes held by the index, for benchmarks.
    pub fn heap_bytes(&self) -> usize {
        let vocab: usize =
            self.vocab.keys().map(|k| k.len() + 16 + 8).sum::<usize>() + self.vocab.capacity() * 8;
        let postings: usize = self.postings.iter().map(|p| p.capacity() * 4 + 24).sum();
        vocab
            + postings
            + self.offsets.capacity() * 4
            + self.tokens.capacity() * 4
            + self.ids.capacity() * 8
            + self.live.capacity()
            + self.by_id.capacity() * 16
            + self.seen.capacity() * 4
            + self.peq.capacity() * 8
    }
}

#[cfg(test)]
mod tests;

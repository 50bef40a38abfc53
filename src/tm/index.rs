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
use std::io::{self, BufReader, BufWriter, Read, Write};

use super::score::{max_distance, step};

/// Posting entries hold the slot in their low 24 bits and the token's count
/// in the unit (up to 255) in the high 8.
const SLOT_BITS: u32 = 24;
const MAX_SLOT: u32 = (1 << SLOT_BITS) - 1;

/// The index holds its maximum of 16,777,215 units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the translation memory index is full (16,777,215 units)")]
pub struct IndexFull;

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
    /// Token id → the units that contain it, once each, with the count.
    postings: Vec<Vec<u32>>,
    /// Slot → start of its tokens in `tokens`; one more entry than units.
    offsets: Vec<u32>,
    tokens: Vec<u32>,
    ids: Vec<i64>,
    live: Vec<bool>,
    by_id: HashMap<i64, u32>,
    // Scratch space reused across searches.
    /// Per slot: upper bound of shared tokens found while probing.
    hits: Vec<u8>,
    /// Slot → token count, saturated at 255 (a compact copy for filtering).
    lens: Vec<u8>,
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
    pub fn insert<S: AsRef<str>>(&mut self, id: i64, keys: &[S]) -> Result<(), IndexFull> {
        if self.ids.len() > MAX_SLOT as usize {
            return Err(IndexFull);
        }
        self.remove(id);
        let slot = self.ids.len() as u32;
        let start = self.tokens.len();
        for key in keys {
            let token = self.token_id(key.as_ref());
            self.tokens.push(token);
        }
        let mut sorted: Vec<u32> = self.tokens[start..].to_vec();
        sorted.sort_unstable();
        for run in sorted.chunk_by(|a, b| a == b) {
            let count = run.len().min(255) as u32;
            self.postings[run[0] as usize].push(slot | (count << SLOT_BITS));
        }
        self.offsets.push(self.tokens.len() as u32);
        self.ids.push(id);
        self.live.push(true);
        self.hits.push(0);
        // Saturating: for longer units the bound only gets looser.
        self.lens.push(keys.len().min(255) as u8);
        self.by_id.insert(id, slot);
        Ok(())
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
        // Distinct query tokens with their multiplicity, rarest first;
        // unknown tokens (in no unit) cost nothing and come first.
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
        // Probe at least n − min_shared + 1 token occurrences (any unit with
        // enough shared tokens has one of them), and more while posting lists
        // stay short: every extra occurrence probed raises the number of hits
        // a unit needs, which rules out most units before the edit distance.
        let must_probe = n - min_shared + 1;
        let budget = (self.ids.len() / 8).max(4096);
        let (mut probed, mut read) = (0usize, 0usize);
        let mut touched: Vec<u32> = Vec::new();
        for &(df, token, count) in &distinct {
            if probed >= must_probe && read + df > budget {
                break;
            }
            probed += count;
            read += df;
            let Some(token) = token else { continue };
            let in_query = count.min(255) as u32;
            for &entry in &self.postings[token as usize] {
                let slot = entry & MAX_SLOT;
                let hits = &mut self.hits[slot as usize];
                if *hits == 0 {
                    touched.push(slot);
                }
                // The token can be shared as often as both sides have it.
                *hits = hits.saturating_add(in_query.min(entry >> SLOT_BITS) as u8);
            }
        }
        // A unit of m tokens shares at least ⌈T·max(n, m)/100⌉ tokens with
        // the query; unprobed occurrences might all be among them.
        let unprobed = n.saturating_sub(probed);
        let needed_at_least = min_shared.saturating_sub(unprobed).min(255);
        let mut slots = Vec::new();
        for slot in touched {
            let hits = usize::from(std::mem::take(&mut self.hits[slot as usize]));
            if hits < needed_at_least {
                continue;
            }
            let m = usize::from(self.lens[slot as usize]);
            let shared = (n.max(m) * min_score.min(100) as usize).div_ceil(100);
            if hits >= shared.saturating_sub(unprobed).min(255) {
                slots.push(slot);
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
        // One table of position masks per 64 query tokens; unknown query
        // tokens never equal a unit token, so they set no bit.
        let mut blocks: Vec<PatternMasks> = (0..n.div_ceil(64))
            .map(|_| PatternMasks::default())
            .collect();
        for (i, token) in query.iter().enumerate() {
            if let Some(t) = token {
                blocks[i / 64].add(*t, i % 64);
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
            let distance = match blocks.len() {
                0 => m,
                1 => distance_bit_parallel(&blocks[0], n, unit),
                _ => distance_blocks(&blocks, n, unit),
            };
            if distance <= limit {
                found.push(Candidate {
                    id: self.ids[slot as usize],
                    distance,
                    len: m,
                });
            }
        }
        found
    }

    /// Largest unit id in the index (0 when empty).
    pub fn max_id(&self) -> i64 {
        self.ids.iter().copied().max().unwrap_or(0)
    }

    /// Writes the index in a compact binary form, stamped with `generation`.
    pub fn write_to(&self, out: impl Write, generation: i64) -> io::Result<()> {
        let mut out = BufWriter::new(out);
        out.write_all(MAGIC)?;
        out.write_all(&generation.to_le_bytes())?;
        let mut vocab: Vec<(&str, u32)> =
            self.vocab.iter().map(|(k, v)| (k.as_ref(), *v)).collect();
        vocab.sort_unstable_by_key(|&(_, id)| id);
        write_u32(&mut out, vocab.len() as u32)?;
        for (key, _) in vocab {
            write_u32(&mut out, key.len() as u32)?;
            out.write_all(key.as_bytes())?;
        }
        write_u32(&mut out, self.ids.len() as u32)?;
        write_u32s(&mut out, &self.offsets)?;
        write_u32s(&mut out, &self.tokens)?;
        for id in &self.ids {
            out.write_all(&id.to_le_bytes())?;
        }
        out.write_all(&self.live.iter().map(|&l| u8::from(l)).collect::<Vec<u8>>())?;
        for posting in &self.postings {
            write_u32(&mut out, posting.len() as u32)?;
            write_u32s(&mut out, posting)?;
        }
        out.flush()
    }

    /// Reads an index written by [`TmIndex::write_to`]; returns it with its
    /// generation stamp. Any inconsistency is an `InvalidData` error.
    pub fn read_from(input: impl Read) -> io::Result<(TmIndex, i64)> {
        let mut input = BufReader::new(input);
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(invalid("not an index file"));
        }
        let generation = read_i64(&mut input)?;
        let n_vocab = read_u32(&mut input)? as usize;
        let mut vocab = HashMap::with_capacity(n_vocab);
        for id in 0..n_vocab {
            let len = read_u32(&mut input)? as usize;
            let mut key = vec![0u8; len];
            input.read_exact(&mut key)?;
            let key = String::from_utf8(key).map_err(|_| invalid("a key is not UTF-8"))?;
            vocab.insert(key.into_boxed_str(), id as u32);
        }
        let n_slots = read_u32(&mut input)? as usize;
        let offsets = read_u32s(&mut input, n_slots + 1)?;
        let n_tokens = *offsets.last().ok_or_else(|| invalid("no offsets"))? as usize;
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets[0] != 0 {
            return Err(invalid("offsets out of order"));
        }
        let tokens = read_u32s(&mut input, n_tokens)?;
        if tokens.iter().any(|&t| t as usize >= n_vocab) {
            return Err(invalid("a token outside the vocabulary"));
        }
        let mut ids = Vec::with_capacity(n_slots);
        for _ in 0..n_slots {
            ids.push(read_i64(&mut input)?);
        }
        let mut live_bytes = vec![0u8; n_slots];
        input.read_exact(&mut live_bytes)?;
        let live: Vec<bool> = live_bytes.iter().map(|&b| b != 0).collect();
        let mut postings = Vec::with_capacity(n_vocab);
        for _ in 0..n_vocab {
            let len = read_u32(&mut input)? as usize;
            let posting = read_u32s(&mut input, len)?;
            if posting.iter().any(|&e| (e & MAX_SLOT) as usize >= n_slots) {
                return Err(invalid("a posting outside the units"));
            }
            postings.push(posting);
        }
        let by_id = ids
            .iter()
            .enumerate()
            .filter(|&(slot, _)| live[slot])
            .map(|(slot, &id)| (id, slot as u32))
            .collect();
        let lens = offsets
            .windows(2)
            .map(|w| (w[1] - w[0]).min(255) as u8)
            .collect();
        let index = TmIndex {
            vocab,
            postings,
            offsets,
            tokens,
            ids,
            live,
            by_id,
            hits: vec![0; n_slots],
            lens,
        };
        Ok((index, generation))
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
            + self.hits.capacity()
            + self.lens.capacity()
    }
}

/// For each distinct query token, the bit mask of its positions: a small
/// open-addressing table that stays in the L1 cache, unlike an array over the
/// whole vocabulary.
struct PatternMasks {
    slots: [(u32, u64); 128],
}

impl Default for PatternMasks {
    fn default() -> Self {
        PatternMasks {
            slots: [(u32::MAX, 0); 128],
        }
    }
}

impl PatternMasks {
    fn home(token: u32) -> usize {
        (token.wrapping_mul(0x9E37_79B1) >> 25) as usize
    }

    fn add(&mut self, token: u32, position: usize) {
        let mut i = Self::home(token);
        while self.slots[i].0 != u32::MAX && self.slots[i].0 != token {
            i = (i + 1) & 127;
        }
        self.slots[i].0 = token;
        self.slots[i].1 |= 1 << position;
    }

    #[inline]
    fn get(&self, token: u32) -> u64 {
        let mut i = Self::home(token);
        loop {
            let (t, mask) = self.slots[i];
            if t == token {
                return mask;
            }
            if t == u32::MAX {
                return 0;
            }
            i = (i + 1) & 127;
        }
    }
}

fn distance_bit_parallel(peq: &PatternMasks, n: usize, unit: &[u32]) -> usize {
    let high = 1u64 << (n - 1);
    let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let (mut vp, mut vn, mut score) = (mask, 0u64, n);
    for &t in unit {
        step(&mut vp, &mut vn, &mut score, peq.get(t), high, mask);
    }
    score
}

/// Myers' algorithm over several 64-token blocks (Hyyrö's block version),
/// for queries longer than 64 tokens: horizontal deltas carry from each
/// block into the next, and the score is read at the query's last row.
fn distance_blocks(blocks: &[PatternMasks], n: usize, unit: &[u32]) -> usize {
    let last = blocks.len() - 1;
    let last_row = 1u64 << ((n - 1) % 64);
    let mut vp = vec![u64::MAX; blocks.len()];
    let mut vn = vec![0u64; blocks.len()];
    let mut score = n as i64;
    for &t in unit {
        // Row 0 grows by one per column: the first block gets +1 from above.
        let mut carry: i64 = 1;
        for (b, masks) in blocks.iter().enumerate() {
            let mut eq = masks.get(t);
            let high = if b == last { last_row } else { 1 << 63 };
            let xv = eq | vn[b];
            if carry < 0 {
                eq |= 1;
            }
            let xh = (((eq & vp[b]).wrapping_add(vp[b])) ^ vp[b]) | eq;
            let mut hp = vn[b] | !(xh | vp[b]);
            let mut hn = vp[b] & xh;
            let out = if hp & high != 0 {
                1
            } else if hn & high != 0 {
                -1
            } else {
                0
            };
            hp <<= 1;
            hn <<= 1;
            if carry < 0 {
                hn |= 1;
            } else if carry > 0 {
                hp |= 1;
            }
            vp[b] = hn | !(xv | hp);
            vn[b] = hp & xv;
            carry = out;
        }
        score += carry;
    }
    score as usize
}

const MAGIC: &[u8; 8] = b"ILNAIDX1";

fn invalid(message: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("TM index file: {message}"),
    )
}

fn write_u32(out: &mut impl Write, value: u32) -> io::Result<()> {
    out.write_all(&value.to_le_bytes())
}

fn write_u32s(out: &mut impl Write, values: &[u32]) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(values.len() * 4);
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    out.write_all(&bytes)
}

fn read_u32(input: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0u8; 4];
    input.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn read_i64(input: &mut impl Read) -> io::Result<i64> {
    let mut bytes = [0u8; 8];
    input.read_exact(&mut bytes)?;
    Ok(i64::from_le_bytes(bytes))
}

fn read_u32s(input: &mut impl Read, n: usize) -> io::Result<Vec<u32>> {
    // Read in chunks so a corrupt length fails at the end of the file
    // instead of allocating whatever it claims.
    let mut values = Vec::new();
    let mut chunk = vec![0u8; 4 * n.min(1 << 16)];
    let mut left = n;
    while left > 0 {
        let take = left.min(1 << 16);
        input.read_exact(&mut chunk[..4 * take])?;
        values.extend(
            chunk[..4 * take]
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        left -= take;
    }
    Ok(values)
}

#[cfg(test)]
mod tests;

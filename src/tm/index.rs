//! An exact fuzzy-match index over token keys (prefix filtering, as in
//! AllPairs and PPJoin).
//!
//! Order every unit's tokens by one global order, rarest first. A unit of m
//! tokens reaches base score T against a query of n tokens only if they share
//! α = ⌈T·max(n, m)/100⌉ tokens, and then the query's first n − α + 1 tokens
//! and the unit's first m − α + 1 tokens have one in common — and their
//! first n − α + 2 and m − α + 2 tokens have two (the ℓ-prefix scheme). The
//! index keeps each unit under the tokens of that longer prefix for the
//! lowest threshold it serves ([`MIN_INDEXED_SCORE`]), so frequent words and
//! marks are listed only for the few units made mostly of them. A search
//! reads the lists of the query's prefix tokens, counting the units it meets
//! and dropping those whose length or shared positions rule them out; when
//! the next token's list is short beside the units met, it reads that too
//! and keeps only units met twice. The rest are counted against the query's
//! tokens, and the few left get the exact edit distance (bit-parallel).
//! Nothing above the threshold is ever missed; `search_exhaustive` checks
//! every unit and is the oracle in tests.

use std::io::{self, BufReader, BufWriter, Read, Write};

use rustc_hash::FxHashMap as HashMap;

use crate::text::score::{max_distance, step};

/// Posting entries hold the slot in their low 24 bits and the token's
/// position in the unit's ordered tokens (saturated at 255) in the high 8.
const SLOT_BITS: u32 = 24;
const MAX_SLOT: u32 = (1 << SLOT_BITS) - 1;
const MAX_POSITION: usize = 255;

/// Searches below this threshold check every unit.
pub const MIN_INDEXED_SCORE: u32 = 50;

/// Units are listed by one token more than prefix filtering needs, so that
/// a search reading one more list too meets every unit that can match at
/// least twice: the many units that share just one rare token with the
/// query are ruled out by a count, before any of their tokens is read.
const PREFIX_OVERLAP: usize = 2;

/// The query's extra list is read when it has at most this many entries per
/// unit met so far: an entry costs a read of a unit's head, a unit left to
/// the later passes a cache miss or two, and the extra list rules out most
/// of them. (At 1M units, 8, 32 and 128 measured alike at threshold 50;
/// reading it always doubled the time at thresholds 75 and 90.)
const EXTRA_LIST_WORTH: usize = 32;

/// A unit's count in a search once its shared positions rule it out.
const RULED_OUT: u8 = u8::MAX;
/// The highest count a search keeps.
const SATURATED: u8 = RULED_OUT - 1;

/// The global order is taken again from the token frequencies whenever the
/// index has doubled since it was last taken (and first at this size).
const FIRST_ORDERING: usize = 1024;

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
    /// Token id → its place in the global order (0 for tokens first seen
    /// after the order was taken: they are rare, and sort first by id).
    rank: Vec<u32>,
    /// Token id → number of units holding it, when the order was last taken
    /// and since.
    df: Vec<u32>,
    /// Units when the order was last taken.
    ordered_at: usize,
    /// Token id → the units whose prefix holds it, with its position.
    postings: Vec<Vec<u32>>,
    /// Slot → start of its tokens in `codes`; one more entry than units.
    offsets: Vec<u32>,
    /// Every unit's tokens, coded in one or two 16-bit words (see
    /// [`push_token`]): half the memory of plain ids, which the search's
    /// counting pass reads at random.
    codes: Vec<u16>,
    ids: Vec<i64>,
    live: Vec<bool>,
    by_id: HashMap<i64, u32>,
    /// Slot → token count and search scratch, side by side: the search's
    /// first pass reads and writes both for every posting entry.
    heads: Vec<Head>,
    /// Slot → a Bloom filter of its tokens (one bit each of 128), read
    /// before the tokens themselves: a bit that is clear rules a token out.
    blooms: Vec<u128>,

    /// Scratch space reused across searches, a bit per slot: whether the
    /// search met the unit; a bit per token: whether the query has it.
    met: Vec<u64>,
    in_query: Vec<u64>,
}

/// Units being added to a [`TmIndex`] in bulk (see [`TmIndex::bulk`]);
/// they are listed for searches when this is dropped.
pub struct Bulk<'a> {
    index: &'a mut TmIndex,
    /// The first slot not listed yet.
    unlisted: u32,
    /// The largest id held: a unit above it replaces none (an import's
    /// units all are), so it is not looked for.
    max_id: i64,
    /// Token id → the slot that last counted it, plus one: each token counts
    /// once per unit without sorting the unit's tokens.
    counted_by: Vec<u32>,
}

impl Bulk<'_> {
    /// Adds a unit by its token keys; a unit with the same id is replaced.
    pub fn insert<S: AsRef<str>>(&mut self, id: i64, keys: &[S]) -> Result<(), IndexFull> {
        self.index.check_room()?;
        if id <= self.max_id {
            self.index.remove(id);
        }
        self.max_id = self.max_id.max(id);
        let slot = self.index.store(id, keys)?;
        self.index.count_once(slot, &mut self.counted_by);
        if self.index.order_due() {
            self.index.take_order();
            // Every unit is then listed anew, in the new order.
            self.unlisted = 0;
        }
        Ok(())
    }
}

impl Drop for Bulk<'_> {
    fn drop(&mut self) {
        if self.unlisted == 0 {
            self.index.post_all();
        } else {
            self.index.post_from(self.unlisted);
        }
    }
}

/// What the search's first pass needs of a unit.
#[derive(Debug, Default, Clone, Copy)]
struct Head {
    /// Token count, saturated at 255: a compact copy of `offsets`.
    len: u8,
    /// Scratch: the query tokens the search has met the unit by, or
    /// [`RULED_OUT`]; 0 between searches.
    shared: u8,
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
        self.rank.push(0);
        self.df.push(0);
        if id as usize / 64 >= self.in_query.len() {
            self.in_query.push(0);
        }
        id
    }

    /// The global order of tokens: rarer first, by frequency when the order
    /// was taken, then by id.
    fn order_key(&self, token: u32) -> u64 {
        (u64::from(self.rank[token as usize]) << 32) | u64::from(token)
    }

    /// Adds a unit by its token keys; a unit with the same id is replaced.
    pub fn insert<S: AsRef<str>>(&mut self, id: i64, keys: &[S]) -> Result<(), IndexFull> {
        let (slot, ordered) = self.add(id, keys)?;
        if self.order_due() {
            self.take_order();
            self.post_all();
        } else {
            self.post_ordered(slot, &ordered);
        }
        Ok(())
    }

    /// Adds many units, each as [`TmIndex::insert`] does, but lists them
    /// under their prefixes once, when the returned [`Bulk`] is dropped,
    /// rather than listing every unit again each time the order is taken
    /// anew (a million units were listed twice over). The lists are those
    /// of an index built unit by unit, less the entries of units replaced
    /// meanwhile, which searches skip anyway.
    pub fn bulk(&mut self) -> Bulk<'_> {
        Bulk {
            unlisted: self.ids.len() as u32,
            max_id: self.max_id(),
            counted_by: Vec::new(),
            index: self,
        }
    }

    /// Stores a unit's tokens and counts them; returns its slot and its
    /// tokens in the global order.
    fn add<S: AsRef<str>>(&mut self, id: i64, keys: &[S]) -> Result<(u32, Vec<u32>), IndexFull> {
        self.check_room()?;
        self.remove(id);
        let slot = self.store(id, keys)?;
        let ordered = self.ordered_tokens(slot);
        // The order tells tokens apart, so copies of one are side by side.
        for (i, &token) in ordered.iter().enumerate() {
            if i == 0 || ordered[i - 1] != token {
                self.df[token as usize] += 1;
            }
        }
        Ok((slot, ordered))
    }

    fn check_room(&self) -> Result<(), IndexFull> {
        if self.ids.len() > MAX_SLOT as usize {
            return Err(IndexFull);
        }
        Ok(())
    }

    /// Stores the tokens of a unit not in the index; returns its slot.
    fn store<S: AsRef<str>>(&mut self, id: i64, keys: &[S]) -> Result<u32, IndexFull> {
        self.check_room()?;
        let slot = self.ids.len() as u32;
        for key in keys {
            let token = self.token_id(key.as_ref());
            push_token(&mut self.codes, token);
        }
        self.offsets.push(self.codes.len() as u32);
        self.heads.push(Head {
            len: keys.len().min(255) as u8,
            shared: 0,
        });
        self.blooms.push(bloom(self.unit_tokens(slot)));
        self.ids.push(id);
        self.live.push(true);
        if slot as usize / 64 >= self.met.len() {
            self.met.push(0);
        }
        self.by_id.insert(id, slot);
        Ok(slot)
    }

    /// Counts each token of `slot` once in `df`; `counted_by` remembers, per
    /// token, the last slot that counted it (plus one).
    fn count_once(&mut self, slot: u32, counted_by: &mut Vec<u32>) {
        counted_by.resize(self.df.len(), 0);
        let (start, end) = (
            self.offsets[slot as usize] as usize,
            self.offsets[slot as usize + 1] as usize,
        );
        for token in Tokens(&self.codes[start..end]) {
            let last = &mut counted_by[token as usize];
            if *last != slot + 1 {
                *last = slot + 1;
                self.df[token as usize] += 1;
            }
        }
    }

    /// Whether the index has doubled since the order was last taken.
    fn order_due(&self) -> bool {
        self.ids.len() >= FIRST_ORDERING.max(2 * self.ordered_at)
    }

    /// Takes the global order from the current frequencies.
    fn take_order(&mut self) {
        let mut by_frequency: Vec<u32> = (0..self.df.len() as u32).collect();
        by_frequency.sort_unstable_by_key(|&t| (self.df[t as usize], t));
        for (place, &token) in by_frequency.iter().enumerate() {
            self.rank[token as usize] = place as u32 + 1;
        }
        self.ordered_at = self.ids.len();
    }

    /// Lists every live unit again under its prefix.
    fn post_all(&mut self) {
        for posting in &mut self.postings {
            posting.clear();
        }
        self.post_from(0);
    }

    /// Lists the live units from `slot` on under their prefixes.
    fn post_from(&mut self, first: u32) {
        for slot in first..self.ids.len() as u32 {
            if self.live[slot as usize] {
                let ordered = self.ordered_tokens(slot);
                self.post_ordered(slot, &ordered);
            }
        }
    }

    /// A unit's tokens in the global order.
    fn ordered_tokens(&self, slot: u32) -> Vec<u32> {
        let mut ordered: Vec<u32> = self.unit_tokens(slot).collect();
        ordered.sort_unstable_by_key(|&t| self.order_key(t));
        ordered
    }

    /// Lists a unit under the tokens of its prefix for the lowest threshold;
    /// `ordered`: its tokens in the global order.
    fn post_ordered(&mut self, slot: u32, ordered: &[u32]) {
        let prefix = prefix_len(ordered.len(), MIN_INDEXED_SCORE);
        for (position, &token) in ordered.iter().enumerate().take(prefix) {
            // A repeated token is listed at its first position only: its
            // later occurrences come after it in both orders.
            if position > 0 && ordered[position - 1] == token {
                continue;
            }
            let position = position.min(MAX_POSITION) as u32;
            self.postings[token as usize].push(slot | (position << SLOT_BITS));
        }
    }

    /// Removes a unit; its slot stays allocated but is never returned.
    pub fn remove(&mut self, id: i64) {
        if let Some(slot) = self.by_id.remove(&id) {
            self.live[slot as usize] = false;
        }
    }

    fn unit_tokens(&self, slot: u32) -> Tokens<'_> {
        let (start, end) = (
            self.offsets[slot as usize] as usize,
            self.offsets[slot as usize + 1] as usize,
        );
        Tokens(&self.codes[start..end])
    }

    fn unit_len(&self, slot: u32) -> usize {
        match self.heads[slot as usize].len {
            u8::MAX => self.unit_tokens(slot).count(),
            len => usize::from(len),
        }
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
        if min_score < MIN_INDEXED_SCORE || n == 0 {
            return self.search_exhaustive(keys, min_score);
        }
        // The query in the global order; tokens no unit has come first
        // (they are the rarest of all, and shared with no unit).
        let mut ordered: Vec<Option<u32>> = query.clone();
        ordered.sort_unstable_by_key(|t| t.map_or(0, |t| 1 + self.order_key(t)));
        // Prefix filtering needs the lists of the query's first `prefix`
        // tokens; the next token's list is read too when it is short beside
        // the units met so far, and then a unit must have been met twice.
        let prefix = n - shared_needed(n, min_score) + 1;
        let mut overlap = 1;
        let mut alive = 0usize;
        // Units met, as bits by slot: reading them back in slot order walks
        // the token store front to back.
        let (mut lowest, mut highest) = (usize::MAX, 0);
        for i in 0..n.min(prefix + PREFIX_OVERLAP - 1) {
            let Some(token) = ordered[i] else { continue };
            if i > 0 && ordered[i - 1] == Some(token) {
                continue;
            }
            let posting = &self.postings[token as usize];
            if i >= prefix {
                if posting.len() > EXTRA_LIST_WORTH * alive {
                    break;
                }
                overlap = PREFIX_OVERLAP;
            }
            // A unit lists a repeated token once: count all the query's
            // copies (at least what the two share).
            let copies = ordered[i..]
                .iter()
                .take_while(|&&t| t == Some(token))
                .count() as u8;
            for &entry in posting {
                let slot = entry & MAX_SLOT;
                let head = self.heads[slot as usize];
                if head.shared == RULED_OUT {
                    continue;
                }
                let m = match head.len {
                    u8::MAX => self.unit_tokens(slot).count(),
                    len => usize::from(len),
                };
                // Tokens shared before this one come before it in both
                // units, and are counted; from here on at most
                // min(n − i, m − j) more are shared.
                // (A count saturated at `SATURATED` no longer bounds.)
                let j = (entry >> SLOT_BITS) as usize;
                let possible = usize::from(head.shared) + (n - i).min(m.saturating_sub(j));
                let shared =
                    if head.shared < SATURATED && possible < shared_needed(n.max(m), min_score) {
                        // Met for the first time: later lists meet it further on
                        // in both, with a bound no higher, and need no mark.
                        if head.shared == 0 {
                            continue;
                        }
                        alive -= 1;
                        RULED_OUT
                    } else {
                        alive += usize::from(head.shared == 0);
                        head.shared.saturating_add(copies).min(SATURATED)
                    };
                self.heads[slot as usize].shared = shared;
                let word = slot as usize / 64;
                self.met[word] |= 1 << (slot % 64);
                lowest = lowest.min(word);
                highest = highest.max(word);
            }
        }
        // A unit shares at most as many tokens as it has among the query's:
        // counting those against a bitmap is far cheaper than the distance.
        for &token in query.iter().flatten() {
            self.in_query[token as usize / 64] |= 1 << (token % 64);
        }
        // What each Bloom bit stands for in the query: how many of its token
        // occurrences map there. A unit shares at most the weights of the
        // bits it has too.
        let mut weights = [0u16; 128];
        let mut query_bits = 0u128;
        for &token in query.iter().flatten() {
            let bit = bloom_bit(token);
            weights[bit as usize] += 1;
            query_bits |= 1 << bit;
        }
        let mut candidates = Vec::new();
        for word in lowest..=highest.min(self.met.len().saturating_sub(1)) {
            let mut bits = std::mem::take(&mut self.met[word]);
            while bits != 0 {
                let slot = (word * 64) as u32 + bits.trailing_zeros();
                bits &= bits - 1;
                let shared = std::mem::take(&mut self.heads[slot as usize].shared);
                let needed = shared_needed(n.max(self.unit_len(slot)), min_score);
                // Every unit that can match shares this many tokens of the
                // two prefixes.
                if shared == RULED_OUT || usize::from(shared) < needed.min(overlap) {
                    continue;
                }
                let mut common = self.blooms[slot as usize] & query_bits;
                let mut at_most = 0usize;
                while common != 0 {
                    at_most += usize::from(weights[common.trailing_zeros() as usize]);
                    common &= common - 1;
                }
                if at_most >= needed && self.shares_enough(slot, n, min_score) {
                    candidates.push(slot);
                }
            }
        }
        for &token in query.iter().flatten() {
            self.in_query[token as usize / 64] = 0;
        }
        self.verify(&query, candidates.into_iter(), min_score)
    }

    /// Whether the unit in `slot` has enough of its tokens among the
    /// query's (`in_query`) to reach `min_score` against `n` tokens.
    fn shares_enough(&self, slot: u32, n: usize, min_score: u32) -> bool {
        let m = self.unit_len(slot);
        let needed = shared_needed(n.max(m), min_score);
        // Stop as soon as the answer is known: enough found, or too few left.
        let (mut found, mut left) = (0, m);
        for t in self.unit_tokens(slot) {
            if found >= needed || found + left < needed {
                break;
            }
            left -= 1;
            found += usize::from(self.in_query[t as usize / 64] & (1 << (t % 64)) != 0);
        }
        found >= needed
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
            let m = self.unit_len(slot);
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
        write_u32s(&mut out, &self.rank)?;
        write_u32s(&mut out, &self.df)?;
        write_u32(&mut out, self.ordered_at as u32)?;
        write_u32(&mut out, self.ids.len() as u32)?;
        write_u32s(&mut out, &self.offsets)?;
        let mut bytes = Vec::with_capacity(self.codes.len() * 2);
        for code in &self.codes {
            bytes.extend_from_slice(&code.to_le_bytes());
        }
        out.write_all(&bytes)?;
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
            return Err(invalid("not an index file of this version"));
        }
        let generation = read_i64(&mut input)?;
        let n_vocab = read_u32(&mut input)? as usize;
        let mut vocab = HashMap::with_capacity_and_hasher(n_vocab.min(1 << 20), Default::default());
        for id in 0..n_vocab {
            let len = read_u32(&mut input)? as usize;
            let mut key = Vec::new();
            (&mut input).take(len as u64).read_to_end(&mut key)?;
            if key.len() != len {
                return Err(invalid("truncated"));
            }
            let key = String::from_utf8(key).map_err(|_| invalid("a key is not UTF-8"))?;
            vocab.insert(key.into_boxed_str(), id as u32);
        }
        let rank = read_u32s(&mut input, n_vocab)?;
        let df = read_u32s(&mut input, n_vocab)?;
        let ordered_at = read_u32(&mut input)? as usize;
        let n_slots = read_u32(&mut input)? as usize;
        let offsets = read_u32s(&mut input, n_slots + 1)?;
        let n_codes = *offsets.last().ok_or_else(|| invalid("no offsets"))? as usize;
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets[0] != 0 {
            return Err(invalid("offsets out of order"));
        }
        let mut bytes = Vec::new();
        (&mut input)
            .take(2 * n_codes as u64)
            .read_to_end(&mut bytes)?;
        if bytes.len() != 2 * n_codes {
            return Err(invalid("truncated"));
        }
        let codes: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        for w in offsets.windows(2) {
            let unit = &codes[w[0] as usize..w[1] as usize];
            // A two-word code must not be cut by the unit's end.
            let mut at = 0;
            while at < unit.len() {
                at += if unit[at] & ESCAPE == 0 { 1 } else { 2 };
            }
            if at != unit.len() {
                return Err(invalid("a token cut in two"));
            }
            if Tokens(unit).any(|t| t as usize >= n_vocab) {
                return Err(invalid("a token outside the vocabulary"));
            }
        }
        let mut ids = Vec::with_capacity(n_slots.min(1 << 20));
        for _ in 0..n_slots {
            ids.push(read_i64(&mut input)?);
        }
        let mut live_bytes = Vec::new();
        (&mut input)
            .take(n_slots as u64)
            .read_to_end(&mut live_bytes)?;
        if live_bytes.len() != n_slots {
            return Err(invalid("truncated"));
        }
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
        let heads = offsets
            .windows(2)
            .map(|w| Head {
                len: Tokens(&codes[w[0] as usize..w[1] as usize])
                    .count()
                    .min(255) as u8,
                shared: 0,
            })
            .collect();

        let blooms = offsets
            .windows(2)
            .map(|w| bloom(Tokens(&codes[w[0] as usize..w[1] as usize])))
            .collect();
        let index = TmIndex {
            vocab,
            rank,
            df,
            ordered_at,
            postings,
            offsets,
            codes,
            ids,
            live,
            by_id,
            heads,
            blooms,
            met: vec![0; n_slots.div_ceil(64)],
            in_query: vec![0; n_vocab.div_ceil(64)],
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
            + (self.rank.capacity() + self.df.capacity()) * 4
            + self.offsets.capacity() * 4
            + self.codes.capacity() * 2
            + self.ids.capacity() * 8
            + self.live.capacity()
            + self.by_id.capacity() * 16
            + self.met.capacity() * 8
            + self.heads.capacity() * 2
            + self.blooms.capacity() * 16
            + self.in_query.capacity() * 8
    }
}

/// How many of a segment's `len` tokens, in the global order, hold at least
/// [`PREFIX_OVERLAP`] of those it shares with any segment it matches at
/// `min_score`.
fn prefix_len(len: usize, min_score: u32) -> usize {
    (len - shared_needed(len, min_score) + PREFIX_OVERLAP).min(len)
}

/// Tokens two segments must share, the longer having `longest`, for a base
/// score of at least `min_score`: ⌈T·longest/100⌉.
fn shared_needed(longest: usize, min_score: u32) -> usize {
    longest - max_distance(longest, min_score)
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

fn distance_bit_parallel(peq: &PatternMasks, n: usize, unit: Tokens<'_>) -> usize {
    let high = 1u64 << (n - 1);
    let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let (mut vp, mut vn, mut score) = (mask, 0u64, n);
    for t in unit {
        step(&mut vp, &mut vn, &mut score, peq.get(t), high, mask);
    }
    score
}

/// Myers' algorithm over several 64-token blocks (Hyyrö's block version),
/// for queries longer than 64 tokens: horizontal deltas carry from each
/// block into the next, and the score is read at the query's last row.
fn distance_blocks(blocks: &[PatternMasks], n: usize, unit: Tokens<'_>) -> usize {
    let last = blocks.len() - 1;
    let last_row = 1u64 << ((n - 1) % 64);
    let mut vp = vec![u64::MAX; blocks.len()];
    let mut vn = vec![0u64; blocks.len()];
    let mut score = n as i64;
    for t in unit {
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

/// The file format's version is its last digit, raised whenever the layout
/// or the keys change (5: word keys fold typography), so that an index saved
/// by an older version is rebuilt rather than searched with other keys.
const MAGIC: &[u8; 8] = b"ILNAIDX6";

/// The Bloom bit of a token.
fn bloom_bit(token: u32) -> u32 {
    token.wrapping_mul(0x9E37_79B1) >> 25
}

/// The Bloom filter of a unit's tokens.
fn bloom(tokens: Tokens<'_>) -> u128 {
    tokens.fold(0, |bits, t| bits | 1 << bloom_bit(t))
}

/// Marks the first word of a token id coded in two.
const ESCAPE: u16 = 0x8000;

/// Codes a token id: below 2^15 in one word (the frequent tokens, which are
/// met first and so have the small ids), else in two, the first marked.
fn push_token(codes: &mut Vec<u16>, token: u32) {
    if token < u32::from(ESCAPE) {
        codes.push(token as u16);
    } else {
        codes.push(ESCAPE | (token >> 16) as u16);
        codes.push(token as u16);
    }
}

/// A unit's token ids, decoded from its words.
#[derive(Clone, Copy)]
struct Tokens<'a>(&'a [u16]);

impl Iterator for Tokens<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        let (&first, rest) = self.0.split_first()?;
        if first & ESCAPE == 0 {
            self.0 = rest;
            return Some(u32::from(first));
        }
        let (&second, rest) = rest.split_first()?;
        self.0 = rest;
        Some((u32::from(first & !ESCAPE) << 16) | u32::from(second))
    }
}

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

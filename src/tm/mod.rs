//! The translation memory: tokens, match scores, and the index that finds
//! every unit above a score threshold without scanning them all.

pub mod index;

use crate::store::tm::{ExactFill, StoredUnit};
use crate::store::{Origin, StoreError, Workspace};
use crate::text::{fold_char, fold_typography};
use index::{IndexFull, TmIndex};

/// Errors of TM lookups.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TmError {
    /// Reading units failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A TMX import failed; nothing was stored.
    #[error(transparent)]
    Import(#[from] crate::store::tm::TmImportError),
    /// Too many units for the index.
    #[error(transparent)]
    Full(#[from] IndexFull),
}
use crate::text::score::Scored;
use crate::text::tokenize::{tokenize, Token};
use crate::text::{codes, numbers, score};

/// Score of an identical source met in the same context.
pub const CONTEXT_MATCH: u32 = 101;

/// How a stretch of the match's source compares with the segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// In both.
    Equal,
    /// Only in the segment: missing from the match.
    Insert,
    /// Only in the match's source.
    Delete,
}

/// What to look up in the TM, and how much of it to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchQuery<'a> {
    /// The segment's Italian.
    pub text: &'a str,
    /// The segment's context (see `Workspace::segment_context`): an
    /// identical source confirmed in the same context scores 101.
    pub context: Option<i64>,
    /// The lowest score returned.
    pub min_score: u32,
    /// How many matches at most.
    pub limit: usize,
    /// How the candidates are found.
    pub search: Search,
}

/// How many matches a lookup returns, how good, and how they are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchOptions {
    /// The lowest score.
    pub min_score: u32,
    /// How many at most.
    pub limit: usize,
    /// Through the index, or every unit scored.
    pub search: Search,
}

impl Default for MatchOptions {
    /// The matches panel's: the best nine from 50, through the index.
    fn default() -> Self {
        MatchOptions {
            min_score: 50,
            limit: 9,
            search: Search::Indexed,
        }
    }
}

impl<'a> MatchQuery<'a> {
    /// The matches panel's query (see [`MatchOptions::default`]).
    pub fn new(text: &'a str) -> MatchQuery<'a> {
        let MatchOptions {
            min_score,
            limit,
            search,
        } = MatchOptions::default();
        MatchQuery {
            text,
            context: None,
            min_score,
            limit,
            search,
        }
    }

    /// The same query with `options`' score, length and search.
    pub fn with(self, options: MatchOptions) -> MatchQuery<'a> {
        MatchQuery {
            min_score: options.min_score,
            limit: options.limit,
            search: options.search,
            ..self
        }
    }

    /// The same query for a segment met in `context`.
    pub fn in_context(self, context: i64) -> MatchQuery<'a> {
        MatchQuery {
            context: Some(context),
            ..self
        }
    }

    /// The same query keeping scores of `min_score` and above.
    pub fn at_least(self, min_score: u32) -> MatchQuery<'a> {
        MatchQuery { min_score, ..self }
    }

    /// The same query returning the best `limit` matches.
    pub fn best(self, limit: usize) -> MatchQuery<'a> {
        MatchQuery { limit, ..self }
    }
}

/// How a lookup finds its candidates; both give the same answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Through the index (fast).
    Indexed,
    /// Scoring every unit (for checking the index).
    Exhaustive,
}

/// One fuzzy or exact match for a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmMatch {
    /// 0 to 100, or 101 for a context match.
    pub score: u32,
    /// The unit found.
    pub unit: StoredUnit,
    /// From the match's source to the segment, word by word.
    pub diff: Vec<(DiffKind, String)>,
    /// When only numbers differ: the target with the segment's numbers.
    pub adapted_target: Option<String>,
}

/// Word-level differences from `from` to `to`, for highlighting.
pub fn word_diff(from: &str, to: &str) -> Vec<(DiffKind, String)> {
    let diff = similar::TextDiff::configure().diff_unicode_words(from, to);
    let mut out: Vec<(DiffKind, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => DiffKind::Equal,
            similar::ChangeTag::Insert => DiffKind::Insert,
            similar::ChangeTag::Delete => DiffKind::Delete,
        };
        match out.last_mut() {
            Some((last, text)) if *last == kind => text.push_str(change.value()),
            _ => out.push((kind, change.value().to_string())),
        }
    }
    out
}

fn add_units_after(ws: &Workspace, index: &mut TmIndex, after: i64) -> Result<(), TmError> {
    let mut full = Ok(());
    let mut bulk = index.bulk();
    ws.for_each_tm_source(after, &mut |id, source| {
        if full.is_ok() {
            full = bulk.insert(id, &keys(source));
        }
    })?;
    drop(bulk);
    Ok(full?)
}

/// Token keys of `text`, as the index stores them.
pub fn keys(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    tokenize(text).iter().map(Token::key).collect()
}

/// The workspace's units, indexed for lookups.
pub struct Matcher {
    index: TmIndex,
}

impl Matcher {
    /// Indexes every unit of every TM in `ws`.
    pub fn build(ws: &Workspace) -> Result<Matcher, TmError> {
        let mut index = TmIndex::new();
        add_units_after(ws, &mut index, 0)?;
        Ok(Matcher { index })
    }

    /// The index saved beside the workspace, brought up to date with the
    /// units added since; or, when there is none or it is stale, a new one
    /// (saved for next time).
    pub fn open(ws: &Workspace) -> Result<Matcher, TmError> {
        let Some(path) = ws.tm_index_path() else {
            return Matcher::build(ws);
        };
        let generation = ws.tm_generation()?;
        let saved = std::fs::File::open(&path)
            .and_then(TmIndex::read_from)
            .ok()
            .filter(|(_, stamp)| *stamp == generation);
        match saved {
            Some((mut index, _)) => {
                let known = index.len();
                let max_id = index.max_id();
                add_units_after(ws, &mut index, max_id)?;
                let matcher = Matcher { index };
                // Many new units (an import): save, so they are not tokenized again.
                if matcher.len() > known + 1000 {
                    matcher.save(ws)?;
                }
                Ok(matcher)
            }
            None => {
                let matcher = Matcher::build(ws)?;
                matcher.save(ws)?;
                Ok(matcher)
            }
        }
    }

    /// The workspace's index, as [`Matcher::open`] gives it, with the
    /// units that `arriving` brings (id and Italian) added as they come and
    /// listed for searches once, when it closes, as an import's are: for a
    /// bulk of units stored meanwhile on another connection. A unit read
    /// already and brought again is indexed once.
    pub fn open_with_arriving(
        ws: &Workspace,
        arriving: std::sync::mpsc::Receiver<Vec<(i64, String)>>,
    ) -> Result<Matcher, TmError> {
        let Matcher { mut index } = Matcher::open(ws)?;
        let mut full = Ok(());
        {
            let mut bulk = index.bulk();
            for batch in arriving {
                for (id, source) in batch {
                    if full.is_ok() {
                        full = bulk.insert(id, &keys(&source));
                    }
                }
            }
        }
        full?;
        Ok(Matcher { index })
    }

    /// An index built on another connection to the workspace, whose TM
    /// generation was `generation` when it read the units, brought up to
    /// date with `ws`: the units added since are indexed. None when units
    /// left or changed their Italian meanwhile: it is stale then.
    pub fn catch_up(mut self, ws: &Workspace, generation: i64) -> Result<Option<Matcher>, TmError> {
        if ws.tm_generation()? != generation {
            return Ok(None);
        }
        let max_id = self.index.max_id();
        add_units_after(ws, &mut self.index, max_id)?;
        Ok(Some(self))
    }

    /// Saves the index beside the workspace, so the next start skips the
    /// tokenizing. A failure to save costs only speed; it is reported.
    pub fn save(&self, ws: &Workspace) -> Result<(), TmError> {
        let Some(path) = ws.tm_index_path() else {
            return Ok(());
        };
        let generation = ws.tm_generation()?;
        if let Some(temporary) = write_index(&self.index, &path, generation) {
            put_in_place(&temporary, &path);
        }
        Ok(())
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

    /// Forgets a unit deleted from its TM.
    pub fn remove(&mut self, id: i64) {
        self.index.remove(id);
    }

    /// The best `query.limit` units scoring at least `query.min_score`
    /// against `query.text`, best first (ties by unit id). An identical
    /// source confirmed in the same context scores 101.
    pub fn lookup(
        &mut self,
        ws: &Workspace,
        query: &MatchQuery<'_>,
    ) -> Result<Vec<TmMatch>, StoreError> {
        let MatchQuery {
            text,
            context,
            min_score,
            limit,
            search,
        } = *query;
        let query = Scored::new(text);
        let query_keys: Vec<String> = query.tokens.iter().map(|t| t.key().into_owned()).collect();
        let candidates = match search {
            Search::Exhaustive => self.index.search_exhaustive(&query_keys, min_score),
            Search::Indexed => self.index.search(&query_keys, min_score),
        };
        let ranked = rank(&query, candidates, min_score, limit, |id| {
            Ok::<_, StoreError>(ws.tm_unit(id)?.map(|u| u.source))
        })?;
        let mut found = Vec::with_capacity(ranked.len());
        for (score, id) in ranked {
            let Some(mut unit) = ws.tm_unit(id)? else {
                continue;
            };
            in_segment_codes(&mut unit, text);
            let in_context =
                score == 100 && unit.source == text && context.is_some() && unit.context == context;
            let adapted_target = (score >= 97)
                .then(|| numbers::substitute(text, &unit.source, &unit.target))
                .flatten();
            found.push(TmMatch {
                score: if in_context { CONTEXT_MATCH } else { score },
                diff: word_diff(&codes::strip(&unit.source), &codes::strip(text)),
                adapted_target,
                unit,
            });
        }
        // A context match outranks the other exact matches.
        found.sort_by(|a, b| b.score.cmp(&a.score).then(a.unit.id.cmp(&b.unit.id)));
        Ok(found)
    }
}

/// The unit's texts with their codes carried over to those of the segment
/// whose Italian is `source` ([`codes::carry_over`]): the English of a match
/// brings the segment's own link, never the unit's, and no code the segment
/// lacks.
fn in_segment_codes(unit: &mut StoredUnit, source: &str) {
    if codes::has_codes(&unit.source) || codes::has_codes(&unit.target) || codes::has_codes(source)
    {
        unit.target = codes::carry_over(&unit.source, &unit.target, source);
        unit.source = codes::carry_over(&unit.source, &unit.source, source);
    }
}

/// Scores `candidates` exactly and keeps the best `limit` at or above
/// `min_score`: (score, unit id), best first, ties by unit id. Sources are
/// read through `source_of` only as far as needed: the base score bounds the
/// final one from above, so reading stops once nothing left can make the list.
pub fn rank<E>(
    query: &Scored<'_>,
    mut candidates: Vec<index::Candidate>,
    min_score: u32,
    limit: usize,
    mut source_of: impl FnMut(i64) -> Result<Option<String>, E>,
) -> Result<Vec<(u32, i64)>, E> {
    let base = |c: &index::Candidate| score::base_score(c.distance, query.tokens.len(), c.len);
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
        let score = score::score(query, &Scored::new(&source));
        if score < min_score {
            continue;
        }
        found.push((score, candidate.id));
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(limit);
    }
    Ok(found)
}

/// Character ranges `[start, end)` in `text` of the words of `phrase`,
/// compared without case or accents, for highlighting concordance hits.
/// Words are cut as the concordance index cuts them, at any apostrophe.
pub fn word_hits(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let fold = |w: &str| -> String {
        w.chars()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'à' | 'á' => 'a',
                'è' | 'é' => 'e',
                'ì' | 'í' => 'i',
                'ò' | 'ó' => 'o',
                'ù' | 'ú' => 'u',
                other => other,
            })
            .collect()
    };
    let wanted: Vec<String> = phrase
        .split(|c: char| !fold_char(c).is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let mut hits = Vec::new();
    let mut word_start: Option<(usize, usize)> = None; // (byte, char)
    let ends_with_space = text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')));
    for (char_pos, (byte, c)) in ends_with_space.enumerate() {
        if fold_char(c).is_alphanumeric() {
            word_start.get_or_insert((byte, char_pos));
        } else if let Some((start_byte, start_char)) = word_start.take() {
            if wanted.contains(&fold(&text[start_byte..byte])) {
                hits.push((start_char, char_pos));
            }
        }
    }
    hits
}

/// Imports a TMX stream into the TM `tm_name` (all or nothing) and brings
/// the saved match index up to date. The units are tokenized and indexed on a
/// second thread while the first parses and stores, so the index costs little
/// extra time. Returns the report and the up-to-date matcher.
pub fn import_tmx<R: std::io::BufRead + Send>(
    ws: &mut Workspace,
    input: R,
    tm_name: &str,
    read_only: bool,
    progress: &mut dyn FnMut(u64, usize),
) -> Result<(crate::store::tm::TmImportReport, Matcher), TmError> {
    const BATCH: usize = 4096;
    let Matcher { mut index } = Matcher::open(ws)?;
    let path = ws.path().map(std::path::Path::to_path_buf);
    // An import never changes it. Should another process delete units
    // meanwhile, the index saved is then older than the units, and built
    // again when next opened, as it should be.
    let generation = ws.tm_generation()?;
    let saved_at = ws.tm_index_path();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<(i64, String)>>(8);
    std::thread::scope(|scope| {
        let indexer = scope.spawn(move || -> Result<_, IndexFull> {
            // Listed for searches once, at the end: nothing searches it before.
            let mut bulk = index.bulk();
            let mut added = false;
            for batch in receiver {
                for (id, source) in batch {
                    bulk.insert(id, &keys(&source))?;
                    added = true;
                }
            }
            drop(bulk);
            // Written out while the store commits, put in place once it has.
            let written = saved_at
                .filter(|_| added)
                .and_then(|path| write_index(&index, &path, generation).map(|t| (t, path)));
            Ok((index, written))
        });
        // The batch being filled, and the way to the indexer until the last
        // unit is stored: it then lists its units while the store builds
        // its own index and commits.
        let pending = std::cell::RefCell::new((Vec::with_capacity(BATCH), Some(sender)));
        let report = ws.import_tmx_with_end(
            input,
            tm_name,
            read_only,
            progress,
            &mut |id, source| {
                let (batch, sender) = &mut *pending.borrow_mut();
                batch.push((id, source));
                if let (BATCH, Some(sender)) = (batch.len(), sender) {
                    // The indexer only stops early on a full index, reported below.
                    let _ = sender.send(std::mem::replace(batch, Vec::with_capacity(BATCH)));
                }
            },
            &mut || {
                let (batch, sender) = &mut *pending.borrow_mut();
                if let Some(sender) = sender.take() {
                    let _ = sender.send(std::mem::take(batch));
                }
            },
        );
        // The indexer's work is dropped below if the import failed.
        drop(pending);
        // Once the units are committed, the concordance index takes them on
        // connections of its own, while the indexer ends its listing and
        // this connection writes the match index out and copies the log.
        // Filling it beside the storing was measured too: the threads then
        // miss the caches so much that the import took longer (16-18 s for
        // 1M units, not 15).
        let concordance = match (&report, path) {
            (Ok(report), Some(path)) if report.added > 0 => {
                Some(scope.spawn(move || Workspace::open(&path)?.sync_concordance()))
            }
            _ => None,
        };
        let (index, written) = match indexer.join().unwrap_or(Err(IndexFull)) {
            Ok((index, written)) => (Ok(index), written),
            Err(full) => (Err(full), None),
        };
        let report = match report {
            Ok(report) => report,
            Err(e) => {
                if let Some((temporary, _)) = written {
                    let _ = std::fs::remove_file(temporary);
                }
                return Err(e.into());
            }
        };
        let matcher = Matcher { index: index? };
        if let Some((temporary, path)) = written {
            put_in_place(&temporary, &path);
        }
        if report.added > 0 {
            // The log is copied into the file meanwhile too (the units are
            // durable in the log already; this only spares the next start).
            ws.checkpoint()?;
        }
        if let Some(concordance) = concordance {
            match concordance.join() {
                Ok(Ok(_)) => {}
                // The units are in: the next search completes it.
                Ok(Err(e)) => tracing::warn!("the concordance index was not filled: {e}"),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok((report, matcher))
    })
}

/// Writes `index` beside `path`, for `put_in_place` to rename; `None` (and
/// a warning) when it could not: the index is then built again when next
/// opened.
fn write_index(
    index: &TmIndex,
    path: &std::path::Path,
    generation: i64,
) -> Option<std::path::PathBuf> {
    let mut temporary = path.as_os_str().to_os_string();
    temporary.push(".tmp");
    let temporary = std::path::PathBuf::from(temporary);
    match std::fs::File::create(&temporary).and_then(|file| index.write_to(file, generation)) {
        Ok(()) => Some(temporary),
        Err(e) => {
            tracing::warn!(path = %path.display(), "could not save the TM index: {e}");
            let _ = std::fs::remove_file(&temporary);
            None
        }
    }
}

/// Renames the index `write_index` wrote to `path`.
fn put_in_place(temporary: &std::path::Path, path: &std::path::Path) {
    if let Err(e) = std::fs::rename(temporary, path) {
        tracing::warn!(path = %path.display(), "could not save the TM index: {e}");
    }
}

/// The outcome of confirming a segment.
#[derive(Debug, Clone)]
pub struct Confirmed {
    /// The segment as stored.
    pub segment: crate::store::SegmentRow,
    /// Identical untranslated segments that received the same target.
    pub propagated: Vec<i64>,
}

/// Writes a segment's target. When `status` confirms it, the pair goes into
/// the workspace TM (and the index, so it is found at once) and, with
/// `propagate`, into the document's untranslated segments with the same
/// source, its typography aside (’ or ', « » or ") and codes alike (their
/// ids aside: each gets its own).
pub fn set_target(
    ws: &mut Workspace,
    matcher: Option<&mut Matcher>,
    doc_id: i64,
    segment_id: i64,
    target: &str,
    status: crate::store::Status,
    propagate: bool,
) -> Result<Confirmed, TmError> {
    let edit = TargetEdit {
        doc_id,
        segment_id,
        target,
        status,
        origin: Origin::Typed,
    };
    save_target(ws, matcher, edit, propagate)
}

/// A segment's new English and status, and where the English came from.
#[derive(Debug, Clone, Copy)]
pub struct TargetEdit<'a> {
    /// The document.
    pub doc_id: i64,
    /// The segment.
    pub segment_id: i64,
    /// The English.
    pub target: &'a str,
    /// The status.
    pub status: crate::store::Status,
    /// Where the English came from, for the segment's history.
    pub origin: Origin,
}

/// `set_target` with the English's origin given.
pub fn save_target(
    ws: &mut Workspace,
    matcher: Option<&mut Matcher>,
    edit: TargetEdit<'_>,
    propagate: bool,
) -> Result<Confirmed, TmError> {
    let TargetEdit {
        doc_id,
        segment_id,
        target,
        status,
        origin,
    } = edit;
    let segment = ws.write_target(doc_id, segment_id, target, status, origin)?;
    let mut propagated = Vec::new();
    if status.is_confirmed() && !target.trim().is_empty() {
        let unit = ws.remember(doc_id, segment_id)?;
        if let Some(matcher) = matcher {
            matcher.insert(unit, &segment.source)?;
        }
        if propagate {
            let source = fold_typography(&codes::strip(&segment.source)).into_owned();
            for other in ws.segments(doc_id)? {
                if other.id != segment_id
                    && fold_typography(&codes::strip(&other.source)) == source
                    && score::same_codes(&segment.source, &other.source)
                    && other.translatable.is_translatable()
                    && other.target.is_empty()
                {
                    // The same Italian elsewhere has codes of its own block.
                    let carried = codes::carry_over(&segment.source, target, &other.source);
                    ws.write_target(doc_id, other.id, &carried, status, origin)?;
                    propagated.push(other.id);
                }
            }
        }
    }
    Ok(Confirmed {
        segment,
        propagated,
    })
}

/// Fills the empty, new segments of a document from their best TM match at
/// or above `min_score`, as drafts marked with the score. Returns the number
/// of segments filled.
pub fn pretranslate(
    ws: &mut Workspace,
    matcher: &mut Matcher,
    doc_id: i64,
    min_score: u32,
) -> Result<usize, TmError> {
    let mut n_filled = 0;
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable()
            || !segment.target.is_empty()
            || segment.status != crate::store::Status::New
        {
            continue;
        }
        let context = ws.segment_context(doc_id, segment.id)?;
        let query = MatchQuery::new(&segment.source)
            .in_context(context)
            .at_least(min_score)
            .best(1);
        let best = matcher.lookup(ws, &query)?;
        if let Some(best) = best.into_iter().next() {
            let target = best.adapted_target.unwrap_or(best.unit.target);
            ws.set_pretranslation(doc_id, segment.id, &target, best.score, &best.unit.tm)?;
            n_filled += 1;
        }
    }
    Ok(n_filled)
}

/// Fills the document's new, empty segments from their 101 % (context) and
/// 100 % matches with `status`, the match's codes carried over onto the
/// segment's; English a translator wrote is never touched. Returns the
/// segments filled.
pub fn fill_exact(
    ws: &mut Workspace,
    matcher: &mut Matcher,
    doc_id: i64,
    status: crate::store::Status,
) -> Result<Vec<ExactFill>, TmError> {
    let mut fills = Vec::new();
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable()
            || !segment.target.is_empty()
            || segment.status != crate::store::Status::New
        {
            continue;
        }
        let context = ws.segment_context(doc_id, segment.id)?;
        let query = MatchQuery::new(&segment.source)
            .in_context(context)
            .at_least(100)
            .best(1);
        // The lookup has carried the unit's codes over onto the segment's.
        if let Some(best) = matcher.lookup(ws, &query)?.into_iter().next() {
            if !best.unit.target.trim().is_empty() {
                fills.push(ExactFill {
                    segment: segment.id,
                    target: best.unit.target,
                    score: best.score,
                    tm: best.unit.tm,
                });
            }
        }
    }
    if fills.is_empty() {
        return Ok(fills);
    }
    Ok(ws.fill_from_tm(doc_id, &fills, status)?)
}

/// The document's translatable segments (and words) filled from an exact
/// match, on import, on opening or by pre-translation: context (101) first,
/// then 100 %.
pub fn filled_counts(ws: &Workspace, doc_id: i64) -> Result<[BandCount; 2], TmError> {
    let mut filled = [BandCount::default(); 2];
    for segment in ws.segments(doc_id)? {
        let band = match segment.match_score {
            _ if !segment.translatable.is_translatable() => continue,
            Some(CONTEXT_MATCH) => 0,
            Some(100) => 1,
            _ => continue,
        };
        filled[band].segments += 1;
        filled[band].words += crate::store::count_words(&segment.source);
    }
    Ok(filled)
}

/// The bands of a match analysis, in the order translators read them.
pub const BANDS: [&str; 8] = [
    "context match (101)",
    "100%",
    "repetitions",
    "95-99%",
    "85-94%",
    "75-84%",
    "50-74%",
    "no match",
];

/// Segments and words of one band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BandCount {
    /// Segments in the band.
    pub segments: usize,
    /// Words in those segments.
    pub words: usize,
}

/// The best score the TMs offer a segment of a document (0 for none), in
/// its context: what the editor's match column shows before the segment
/// is opened.
pub fn best_score(
    ws: &Workspace,
    matcher: &mut Matcher,
    doc_id: i64,
    segment_id: i64,
    source: &str,
) -> Result<u32, TmError> {
    let context = ws.segment_context(doc_id, segment_id)?;
    Ok(matcher
        .lookup(ws, &MatchQuery::new(source).in_context(context).best(1))?
        .first()
        .map_or(0, |m| m.score))
}

/// Counts a document's translatable segments and words per band, against
/// every TM. A segment whose source appeared earlier in the document (its
/// typography aside) is a repetition unless the TM already has it at 100%
/// or in context.
pub fn analyze(
    ws: &Workspace,
    matcher: &mut Matcher,
    doc_id: i64,
) -> Result<[BandCount; 8], TmError> {
    let mut bands = [BandCount::default(); 8];
    let mut seen = std::collections::HashSet::new();
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable() {
            continue;
        }
        let best = best_score(ws, matcher, doc_id, segment.id, &segment.source)?;
        let repeated = !seen.insert(fold_typography(&codes::strip(&segment.source)).into_owned());
        let band = match best {
            CONTEXT_MATCH => 0,
            100 => 1,
            _ if repeated => 2,
            95..=99 => 3,
            85..=94 => 4,
            75..=84 => 5,
            50..=74 => 6,
            _ => 7,
        };
        bands[band].segments += 1;
        bands[band].words += crate::store::count_words(&segment.source);
    }
    Ok(bands)
}

#[cfg(test)]
mod tests;

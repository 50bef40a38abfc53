//! The translation memory: tokens, match scores, and the index that finds
//! every unit above a score threshold without scanning them all.

pub mod index;
pub mod numbers;
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
    /// A TMX import failed; nothing was stored.
    #[error(transparent)]
    Import(#[from] crate::store::tm::TmImportError),
    /// Too many units for the index.
    #[error(transparent)]
    Full(#[from] IndexFull),
}
use tokenize::{tokenize, Token};

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
    ws.for_each_tm_source(after, &mut |id, source| {
        if full.is_ok() {
            full = index.insert(id, &keys(source));
        }
    })?;
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

    /// Saves the index beside the workspace, so the next start skips the
    /// tokenizing. A failure to save costs only speed; it is reported.
    pub fn save(&self, ws: &Workspace) -> Result<(), TmError> {
        let Some(path) = ws.tm_index_path() else {
            return Ok(());
        };
        let generation = ws.tm_generation()?;
        let mut temporary = path.clone().into_os_string();
        temporary.push(".tmp");
        let written = std::fs::File::create(&temporary)
            .and_then(|file| self.index.write_to(file, generation))
            .and_then(|()| std::fs::rename(&temporary, &path));
        if let Err(e) = written {
            tracing::warn!(path = %path.display(), "could not save the TM index: {e}");
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

    /// The best `limit` units scoring at least `min_score` against `text`,
    /// best first (ties by unit id). An identical source confirmed in the
    /// same `context` scores 101. `exhaustive` checks every unit instead of
    /// using the index; both give the same answer.
    pub fn lookup(
        &mut self,
        ws: &Workspace,
        text: &str,
        context: Option<i64>,
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
            let Some(unit) = ws.tm_unit(id)? else {
                continue;
            };
            let in_context =
                score == 100 && unit.source == text && context.is_some() && unit.context == context;
            let adapted_target = (score >= 97)
                .then(|| numbers::substitute(text, &unit.source, &unit.target))
                .flatten();
            found.push(TmMatch {
                score: if in_context { CONTEXT_MATCH } else { score },
                diff: word_diff(&unit.source, text),
                adapted_target,
                unit,
            });
        }
        // A context match outranks the other exact matches.
        found.sort_by(|a, b| b.score.cmp(&a.score).then(a.unit.id.cmp(&b.unit.id)));
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

/// Character ranges `[start, end)` in `text` of the words of `phrase`,
/// compared without case or accents, for highlighting concordance hits.
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
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let mut hits = Vec::new();
    let mut word_start: Option<(usize, usize)> = None; // (byte, char)
    let ends_with_space = text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')));
    for (char_pos, (byte, c)) in ends_with_space.enumerate() {
        if c.is_alphanumeric() {
            word_start.get_or_insert((byte, char_pos));
        } else if let Some((start_byte, start_char)) = word_start.take() {
            if wanted.contains(&fold(&text[start_byte..byte])) {
                hits.push((start_char, char_pos));
            }
        }
    }
    hits
}

#[cfg(test)]
#[test]
fn word_hits_ignore_case_and_accents() {
    assert_eq!(
        word_hits("Città e città, CITTA", "citta"),
        [(0, 5), (8, 13), (15, 20)]
    );
    assert_eq!(word_hits("nessuna", "citta"), []);
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
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<(i64, String)>>(8);
    let (report, index) = std::thread::scope(|scope| {
        let indexer = scope.spawn(move || -> Result<TmIndex, IndexFull> {
            for batch in receiver {
                for (id, source) in batch {
                    index.insert(id, &keys(&source))?;
                }
            }
            Ok(index)
        });
        let mut batch = Vec::with_capacity(BATCH);
        let report = ws.import_tmx(input, tm_name, read_only, progress, &mut |id, source| {
            batch.push((id, source.to_string()));
            if batch.len() == BATCH {
                // The indexer only stops early on a full index, reported below.
                let _ = sender.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        });
        if report.is_ok() && !batch.is_empty() {
            let _ = sender.send(batch);
        }
        drop(sender);
        let index = indexer.join().unwrap_or(Err(IndexFull));
        (report, index)
    });
    let report = report?;
    let matcher = Matcher { index: index? };
    if report.added > 0 {
        matcher.save(ws)?;
    }
    Ok((report, matcher))
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
/// `propagate`, into the document's identical untranslated segments.
pub fn set_target(
    ws: &mut Workspace,
    matcher: Option<&mut Matcher>,
    doc_id: i64,
    segment_id: i64,
    target: &str,
    status: crate::store::Status,
    propagate: bool,
) -> Result<Confirmed, TmError> {
    let segment = ws.set_target(doc_id, segment_id, target, status)?;
    let mut propagated = Vec::new();
    if status.is_confirmed() && !target.trim().is_empty() {
        let unit = ws.remember(doc_id, segment_id)?;
        if let Some(matcher) = matcher {
            matcher.insert(unit, &segment.source)?;
        }
        if propagate {
            for other in ws.segments(doc_id)? {
                if other.id != segment_id
                    && other.source == segment.source
                    && other.translatable.is_translatable()
                    && other.target.is_empty()
                {
                    ws.set_target(doc_id, other.id, target, status)?;
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
        let best = matcher.lookup(ws, &segment.source, Some(context), min_score, 1, false)?;
        if let Some(best) = best.into_iter().next() {
            let target = best.adapted_target.unwrap_or(best.unit.target);
            ws.set_pretranslation(doc_id, segment.id, &target, best.score, &best.unit.tm)?;
            n_filled += 1;
        }
    }
    Ok(n_filled)
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

/// Counts a document's translatable segments and words per band, against
/// every TM. A segment whose source appeared earlier in the document is a
/// repetition unless the TM already has it at 100% or in context.
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
        let context = ws.segment_context(doc_id, segment.id)?;
        let best = matcher
            .lookup(ws, &segment.source, Some(context), 50, 1, false)?
            .first()
            .map_or(0, |m| m.score);
        let repeated = !seen.insert(segment.source.clone());
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
mod tests {
    use super::*;
    use crate::store::Status;

    fn workspace_with(article: &str) -> (Workspace, i64) {
        let mut ws = Workspace::open_in_memory().unwrap();
        let doc = crate::import_bytes("a.txt", Some("txt"), article.as_bytes()).unwrap();
        let id = ws
            .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
            .unwrap();
        (ws, id)
    }

    #[test]
    fn context_match_numbers_and_diff() {
        let (mut ws, doc) =
            workspace_with("Prima frase. Il PIL è cresciuto del 1,8% nel 2023. Ultima frase.");
        let mut matcher = Matcher::build(&ws).unwrap();
        let segments = ws.segments(doc).unwrap();
        let gdp = segments[1].id;
        set_target(
            &mut ws,
            Some(&mut matcher),
            doc,
            gdp,
            "GDP grew by 1.8% in 2023.",
            Status::Translated,
            true,
        )
        .unwrap();
        assert_eq!(matcher.len(), 1, "searchable at once");

        let context = ws.segment_context(doc, gdp).unwrap();
        let source = "Il PIL è cresciuto del 1,8% nel 2023.";
        let in_context = matcher
            .lookup(&ws, source, Some(context), 70, 5, false)
            .unwrap();
        assert_eq!(in_context[0].score, CONTEXT_MATCH);
        let elsewhere = matcher
            .lookup(&ws, source, Some(context + 1), 70, 5, false)
            .unwrap();
        assert_eq!(elsewhere[0].score, 100);

        let numbers = matcher
            .lookup(
                &ws,
                "Il PIL è cresciuto del 2,5% nel 2024.",
                None,
                70,
                5,
                false,
            )
            .unwrap();
        assert_eq!(numbers[0].score, 99);
        assert_eq!(
            numbers[0].adapted_target.as_deref(),
            Some("GDP grew by 2.5% in 2024.")
        );

        let fuzzy = matcher
            .lookup(
                &ws,
                "Il PIL è calato del 1,8% nel 2023.",
                None,
                70,
                5,
                false,
            )
            .unwrap();
        assert_eq!(fuzzy[0].adapted_target, None);
        assert!(fuzzy[0]
            .diff
            .iter()
            .any(|(kind, text)| *kind == DiffKind::Delete && text.contains("cresciuto")));
        assert!(fuzzy[0]
            .diff
            .iter()
            .any(|(kind, text)| *kind == DiffKind::Insert && text.contains("calato")));
    }

    #[test]
    fn saved_index_is_reused_extended_and_dropped_when_stale() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ws.sqlite");
        let mut ws = Workspace::open(&db).unwrap();
        let tmx = r#"<tmx version="1.4"><header srclang="it"/><body>
            <tu><tuv xml:lang="it"><seg>Il gatto dorme.</seg></tuv><tuv xml:lang="en"><seg>The cat sleeps.</seg></tuv></tu>
            </body></tmx>"#;
        let (_, matcher) =
            import_tmx(&mut ws, tmx.as_bytes(), "ref", false, &mut |_, _| {}).unwrap();
        assert_eq!(matcher.len(), 1);
        let saved = ws.tm_index_path().unwrap();
        assert!(saved.exists(), "a built index is saved");

        // A unit added later is picked up on top of the saved index.
        let doc = crate::import_bytes("a.txt", Some("txt"), "Il cane dorme.".as_bytes()).unwrap();
        let doc = ws
            .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
            .unwrap();
        let segment = ws.segments(doc).unwrap()[0].id;
        set_target(
            &mut ws,
            None,
            doc,
            segment,
            "The dog sleeps.",
            Status::Translated,
            true,
        )
        .unwrap();
        let mut matcher = Matcher::open(&ws).unwrap();
        assert_eq!(matcher.len(), 2);
        let found = matcher
            .lookup(&ws, "Il cane dorme.", None, 100, 5, false)
            .unwrap();
        assert_eq!(found[0].unit.target, "The dog sleeps.");

        // Deleting a TM makes the saved index stale: it is rebuilt.
        ws.delete_tm("ref").unwrap();
        let mut matcher = Matcher::open(&ws).unwrap();
        assert_eq!(matcher.len(), 1);
        assert!(matcher
            .lookup(&ws, "Il gatto dorme.", None, 90, 5, false)
            .unwrap()
            .is_empty());

        // A damaged file is ignored and replaced.
        std::fs::write(&saved, b"garbage").unwrap();
        assert_eq!(Matcher::open(&ws).unwrap().len(), 1);
    }

    #[test]
    fn concordance_catches_up_on_another_connection_while_this_one_writes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ws.sqlite");
        let mut ws = Workspace::open(&db).unwrap();
        let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="it"/><body>"#);
        for i in 0..45_000 {
            tmx.push_str(&format!(
                r#"<tu><tuv xml:lang="it"><seg>Voce numero {i} del glossario</seg></tuv><tuv xml:lang="en"><seg>Entry number {i}</seg></tuv></tu>"#
            ));
        }
        tmx.push_str("</body></tmx>");
        import_tmx(&mut ws, tmx.as_bytes(), "big", false, &mut |_, _| {}).unwrap();
        let background = std::thread::spawn({
            let db = db.clone();
            move || Workspace::open(&db).unwrap().catch_up().unwrap()
        });
        // Meanwhile this connection confirms segments: each waits for one
        // step of the catch-up at most.
        let doc = crate::import_bytes("a.txt", Some("txt"), "Il cane dorme.".as_bytes()).unwrap();
        let doc = ws
            .add_document("a", None, &doc, &crate::Segmenter::italian::<&str>(&[]))
            .unwrap();
        let segment = ws.segments(doc).unwrap()[0].id;
        set_target(
            &mut ws,
            None,
            doc,
            segment,
            "The dog sleeps.",
            Status::Translated,
            true,
        )
        .unwrap();
        let caught_up = background.join().unwrap();
        assert!(
            caught_up >= 45_000,
            "every imported unit indexed: {caught_up}"
        );
        let hits = ws.tm_search("numero 44999", 5).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].target, "Entry number 44999");
        let dog = ws.tm_search("cane", 5).unwrap();
        assert_eq!(dog[0].target, "The dog sleeps.");
        assert_eq!(ws.sync_concordance().unwrap(), 0, "nothing left to do");
    }
}

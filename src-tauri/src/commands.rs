//! Tauri commands: each takes the state, calls one engine function and
//! maps its result to the IPC shapes in [`crate::dto`].

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use interlinea::formats::{glossary_table, tbx};
use interlinea::glossary::{qa, TermMatcher};
use interlinea::termbase::{Entry, Term};
use interlinea::tm::{self, Matcher};
use interlinea::{Segmenter, Status, Workspace};
use serde::Serialize;
use specta::Type;
use tauri::State;
use tauri_specta::Event;

use crate::dto::{
    AddedEntryDto, BlockDto, ConcordanceDto, CountDto, DocumentDto, DocumentView, EffortDto,
    EntryDto, ErrorCode, ExportFormatDto, ExportedDto, FindingDto, GlossaryDto, IpcError, MatchDto,
    MergeDto, ReviewDto, SaveResult, SegmentDto, StatsDto, StatusDto, TermHitDto, TermIssueDto,
    TmDto, TmImportDto, WorkspaceInfo,
};

/// The open workspace and its TM index, built on first use.
pub struct Session {
    pub ws: Workspace,
    matcher: Option<Matcher>,
    /// The enabled glossaries' terms; dropped whenever a glossary changes.
    terms: Option<TermMatcher>,
}

impl Session {
    pub fn new(ws: Workspace) -> Session {
        Session {
            ws,
            matcher: None,
            terms: None,
        }
    }

    /// The workspace together with the glossary's terms.
    pub(crate) fn with_terms(&mut self) -> Result<(&Workspace, &TermMatcher)> {
        self.terms()?;
        Ok((&self.ws, self.terms.as_ref().expect("built above")))
    }

    fn terms(&mut self) -> Result<&TermMatcher> {
        if self.terms.is_none() {
            self.terms = Some(TermMatcher::new(self.ws.glossary_entries(None, true)?));
        }
        Ok(self.terms.as_ref().expect("built above"))
    }

    fn parts(&mut self) -> Result<(&mut Workspace, &mut Matcher)> {
        if self.matcher.is_none() {
            self.matcher = Some(Matcher::open(&self.ws).map_err(IpcError::from)?);
        }
        let matcher = self.matcher.as_mut().expect("built above");
        Ok((&mut self.ws, matcher))
    }
}

impl std::ops::Deref for Session {
    type Target = Workspace;
    fn deref(&self) -> &Workspace {
        &self.ws
    }
}

impl std::ops::DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Workspace {
        &mut self.ws
    }
}

/// How far a TMX import has gone.
#[derive(Clone, Serialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "tmx-progress")]
pub struct TmxProgress {
    /// The share of the file read, 0 to 1.
    #[specta(type = specta_typescript::Number)]
    pub share: f64,
    /// Units stored so far.
    pub units: usize,
}

pub struct AppState {
    pub session: Mutex<Session>,
    pub path: PathBuf,
}

pub(crate) type Result<T> = std::result::Result<T, IpcError>;

pub(crate) fn lock(state: &AppState) -> MutexGuard<'_, Session> {
    // A panic in another command cannot leave the database half-written
    // (every write is a transaction), so a poisoned lock is safe to reuse.
    state
        .session
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn view(ws: &Workspace, doc_id: i64) -> Result<DocumentView> {
    let document = DocumentDto::from(&ws.document(doc_id)?);
    let blocks = ws.blocks(doc_id)?.iter().map(BlockDto::from).collect();
    Ok(DocumentView { document, blocks })
}

fn add(
    ws: &mut Workspace,
    name: &str,
    path: Option<&str>,
    doc: &interlinea::Document,
) -> Result<DocumentDto> {
    let segmenter = Segmenter::italian(&ws.exceptions()?);
    let id = ws.add_document(name, path, doc, &segmenter)?;
    Ok(DocumentDto::from(&ws.document(id)?))
}

#[tauri::command]
#[specta::specta]
pub fn workspace_info(state: State<'_, AppState>) -> WorkspaceInfo {
    WorkspaceInfo {
        path: state.path.display().to_string(),
    }
}

#[tauri::command]
#[specta::specta]
pub fn list_documents(state: State<'_, AppState>) -> Result<Vec<DocumentDto>> {
    Ok(lock(&state)
        .documents()?
        .iter()
        .map(DocumentDto::from)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn import_file(state: State<'_, AppState>, path: String) -> Result<DocumentDto> {
    // A file dropped on the window comes here without a dialog.
    crate::dialogs::not_the_workspace(&state, vec![path.clone()])?;
    if interlinea::review::is_xliff_path(Path::new(&path)) {
        let mut session = lock(&state);
        let id = interlinea::review::import_xliff_document(&mut session, Path::new(&path), None)?;
        return Ok(DocumentDto::from(&session.document(id)?));
    }
    let article = interlinea::import::read_article_file(Path::new(&path))?;
    let name = Path::new(&path)
        .file_name()
        .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
    let mut session = lock(&state);
    let segmenter = Segmenter::italian(&session.exceptions()?);
    let blocks = interlinea::store::segment_blocks(&article.document, &segmenter);
    let id = session.add_article(
        &name,
        Some(&path),
        article.document.format,
        &blocks,
        &article.meta,
    )?;
    Ok(DocumentDto::from(&session.document(id)?))
}

#[tauri::command]
#[specta::specta]
pub fn import_sample(state: State<'_, AppState>) -> Result<DocumentDto> {
    let doc = interlinea::import_bytes(
        interlinea::SAMPLE_ARTICLE_NAME,
        Some("txt"),
        interlinea::SAMPLE_ARTICLE.as_bytes(),
    )?;
    add(
        &mut lock(&state),
        interlinea::SAMPLE_ARTICLE_NAME,
        None,
        &doc,
    )
}

/// Exports the document as `format` to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_document(
    state: State<'_, AppState>,
    doc_id: i64,
    format: ExportFormatDto,
    refuse_untranslated: bool,
    path: String,
) -> Result<ExportedDto> {
    let exported = interlinea::export::export_document(
        &lock(&state),
        doc_id,
        format.into(),
        refuse_untranslated,
        Path::new(&path),
    )?;
    Ok(ExportedDto {
        what: exported.what,
        untranslated: exported.untranslated.len(),
    })
}

/// The document's dashboard: words by status, TM bands, effort, pace.
#[tauri::command]
#[specta::specta]
pub fn document_stats(state: State<'_, AppState>, doc_id: i64) -> Result<StatsDto> {
    let mut session = lock(&state);
    let stats = interlinea::stats::document_stats(&session, doc_id)?;
    let effort = interlinea::mt::effort::effort(&session, doc_id)?;
    let (ws, matcher) = session.parts()?;
    let bands = tm::analyze(ws, matcher, doc_id).map_err(IpcError::from)?;
    Ok(StatsDto {
        words: stats.words,
        characters: stats.characters,
        by_status: stats
            .by_status
            .iter()
            .map(|c| CountDto {
                label: c.status.as_str().into(),
                segments: c.segments,
                words: c.words,
            })
            .collect(),
        bands: tm::BANDS
            .iter()
            .zip(bands)
            .map(|(label, c)| CountDto {
                label: (*label).into(),
                segments: c.segments,
                words: c.words,
            })
            .collect(),
        effort: effort
            .iter()
            .map(|e| EffortDto {
                origin: e.origin.clone(),
                segments: e.segments,
                confirmed: e.confirmed,
                unedited: e.unedited,
                edited_percent: e.edited_percent(),
            })
            .collect(),
        words_per_hour: stats.words_per_hour,
        active_minutes: stats.active_minutes,
    })
}

/// Where the app logs: a file, or the folder of the rotated files.
pub struct LogPlace(pub Option<PathBuf>);

impl LogPlace {
    /// The file being written now.
    fn current(&self) -> Option<PathBuf> {
        let place = self.0.as_ref()?;
        if place.is_file() {
            return Some(place.clone());
        }
        std::fs::read_dir(place)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("interlinea.log"))
            })
            .max()
    }
}

/// A report for a bug report: versions, the workspace's shape and the end
/// of the log, with no document text and no keys.
#[tauri::command]
#[specta::specta]
pub fn diagnostics(state: State<'_, AppState>, log: State<'_, LogPlace>) -> Result<String> {
    let mut report = interlinea::diagnostics::report(&lock(&state), log.current().as_deref())?;
    report.push_str(&format!(
        "\nLog: {}\n",
        log.0
            .as_ref()
            .map_or("standard error".into(), |p| p.display().to_string())
    ));
    Ok(report)
}

/// The QA findings of the document, less those ignored.
#[tauri::command]
#[specta::specta]
pub fn qa_document(state: State<'_, AppState>, doc_id: i64) -> Result<Vec<FindingDto>> {
    let mut session = lock(&state);
    let (ws, terms) = session.with_terms()?;
    let style = ws
        .document_style(doc_id)?
        .as_deref()
        .and_then(interlinea::style::preset);
    Ok(interlinea::qa::check_document(ws, terms, doc_id, style)?
        .into_iter()
        .map(FindingDto::from)
        .collect())
}

/// Marks a finding as a false alarm for the segment's current English.
#[tauri::command]
#[specta::specta]
pub fn ignore_qa(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    check: String,
) -> Result<()> {
    Ok(lock(&state).ignore_qa(doc_id, segment_id, &check)?)
}

/// Sets a segment's note; an empty note removes it.
#[tauri::command]
#[specta::specta]
pub fn set_note(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    note: String,
) -> Result<SegmentDto> {
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    Ok(SegmentDto::from(
        &lock(&state).set_note(doc_id, segment_id, note)?,
    ))
}

/// Brings back a reviewed DOCX or an XLIFF into the document.
#[tauri::command]
#[specta::specta]
pub fn import_review(state: State<'_, AppState>, doc_id: i64, path: String) -> Result<ReviewDto> {
    let mut session = lock(&state);
    let (ws, matcher) = session.parts()?;
    let report = interlinea::review::import_review(ws, Some(matcher), doc_id, Path::new(&path))?;
    Ok(report.into())
}

#[tauri::command]
#[specta::specta]
pub fn open_document(state: State<'_, AppState>, doc_id: i64) -> Result<DocumentView> {
    view(&lock(&state), doc_id)
}

#[tauri::command]
#[specta::specta]
pub fn delete_document(state: State<'_, AppState>, doc_id: i64) -> Result<()> {
    Ok(lock(&state).delete_document(doc_id)?)
}

#[tauri::command]
#[specta::specta]
pub fn save_target(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    target: String,
    status: StatusDto,
    propagate: bool,
) -> Result<SaveResult> {
    let status = Status::from(status);
    let mut session = lock(&state);
    // Drafts never reach the TM: only build the index for confirmations.
    let confirmed = if status.is_confirmed() {
        let (ws, matcher) = session.parts()?;
        tm::set_target(
            ws,
            Some(matcher),
            doc_id,
            segment_id,
            &target,
            status,
            propagate,
        )?
    } else {
        tm::set_target(
            &mut session.ws,
            None,
            doc_id,
            segment_id,
            &target,
            status,
            false,
        )?
    };
    Ok(SaveResult {
        segment: SegmentDto::from(&confirmed.segment),
        propagated: confirmed.propagated,
    })
}

#[tauri::command]
#[specta::specta]
pub fn lookup_matches(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
) -> Result<Vec<MatchDto>> {
    let mut session = lock(&state);
    let segment = session.segment(doc_id, segment_id)?;
    let context = session.segment_context(doc_id, segment_id)?;
    let (ws, matcher) = session.parts()?;
    let matches = matcher
        .lookup(ws, &segment.source, Some(context), 50, 9, false)
        .map_err(IpcError::from)?;
    let mut found: Vec<MatchDto> = matches.iter().map(MatchDto::from).collect();
    // A segment an update of the article edited offers what it was.
    if let Some(previous) = ws.previous_version(segment_id)? {
        if let (Some(source), Some(target)) = (previous.previous_source, previous.previous_target) {
            if !target.is_empty() {
                found.insert(
                    0,
                    MatchDto::previous_version(
                        &segment.source,
                        source,
                        target,
                        previous.score.unwrap_or(0),
                    ),
                );
            }
        }
    }
    Ok(found)
}

#[tauri::command]
#[specta::specta]
pub fn list_tms(state: State<'_, AppState>) -> Result<Vec<TmDto>> {
    Ok(lock(&state).tms()?.iter().map(TmDto::from).collect())
}

/// Imports a TMX file, emitting [`TmxProgress`] events.
#[tauri::command]
#[specta::specta]
pub async fn import_tmx(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
    name: String,
    read_only: bool,
) -> Result<TmImportDto> {
    let file = std::fs::File::open(&path).map_err(|e| IpcError {
        code: ErrorCode::Import,
        message: format!("{path}: {e}"),
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0).max(1);
    let mut session = lock(&state);
    let (report, matcher) = tm::import_tmx(
        &mut session.ws,
        std::io::BufReader::new(file),
        &name,
        read_only,
        &mut |bytes, units| {
            let _ = TmxProgress {
                share: bytes as f64 / total as f64,
                units,
            }
            .emit(&app);
        },
    )
    .map_err(|e| IpcError {
        code: ErrorCode::Import,
        message: format!("{path}: {e}"),
    })?;
    session.matcher = Some(matcher);
    if report.added > 0 {
        // The concordance index and the log checkpoint take seconds after a
        // large import: done on a connection of their own, while the
        // translator goes on working.
        let path = state.path.clone();
        std::thread::spawn(move || {
            let caught_up = Workspace::open(&path).and_then(|mut ws| ws.catch_up());
            if let Err(e) = caught_up {
                tracing::warn!("catching up after the TMX import: {e}");
            }
        });
    }
    Ok(TmImportDto {
        added: report.added,
        duplicates: report.duplicates,
        skipped: report.skipped,
    })
}

#[tauri::command]
#[specta::specta]
pub fn export_tmx(state: State<'_, AppState>, name: String, path: String) -> Result<usize> {
    let file = std::fs::File::create(&path).map_err(|e| IpcError {
        code: ErrorCode::Export,
        message: format!("{path}: {e}"),
    })?;
    Ok(lock(&state).export_tmx(Some(&name), std::io::BufWriter::new(file))?)
}

#[tauri::command]
#[specta::specta]
pub fn delete_tm(state: State<'_, AppState>, name: String) -> Result<()> {
    let mut session = lock(&state);
    session.delete_tm(&name)?;
    session.matcher = None;
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub fn set_tm_read_only(state: State<'_, AppState>, name: String, read_only: bool) -> Result<()> {
    Ok(lock(&state).set_tm_read_only(&name, read_only)?)
}

#[tauri::command]
#[specta::specta]
pub fn concordance(state: State<'_, AppState>, phrase: String) -> Result<Vec<ConcordanceDto>> {
    let units = lock(&state).tm_search(&phrase, 50)?;
    Ok(units
        .iter()
        .map(|u| ConcordanceDto::new(u, &phrase))
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn set_block_translatable(
    state: State<'_, AppState>,
    doc_id: i64,
    block: i64,
    translatable: bool,
) -> Result<DocumentView> {
    let mut ws = lock(&state);
    ws.set_block_translatable(doc_id, block, translatable)?;
    view(&ws, doc_id)
}

#[tauri::command]
#[specta::specta]
pub fn split_segment(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    position: usize,
) -> Result<DocumentView> {
    let mut ws = lock(&state);
    ws.split_segment(doc_id, segment_id, position)?;
    view(&ws, doc_id)
}

#[tauri::command]
#[specta::specta]
pub fn merge_segment(state: State<'_, AppState>, doc_id: i64, segment_id: i64) -> Result<MergeDto> {
    let outcome = lock(&state).merge_with_next(doc_id, segment_id)?;
    Ok(MergeDto {
        segment: SegmentDto::from(&outcome.segment),
        suggested_exception: outcome.suggested_exception,
    })
}

#[tauri::command]
#[specta::specta]
pub fn add_exception(state: State<'_, AppState>, abbreviation: String) -> Result<()> {
    Ok(lock(&state).add_exception(&abbreviation)?)
}

/// The glossary terms in each of `texts` (a document's sources, say).
#[tauri::command]
#[specta::specta]
pub fn find_terms(state: State<'_, AppState>, texts: Vec<String>) -> Result<Vec<Vec<TermHitDto>>> {
    let mut session = lock(&state);
    let terms = session.terms()?;
    Ok(texts
        .iter()
        .map(|text| terms.find(text).iter().map(TermHitDto::from).collect())
        .collect())
}

/// Term problems of `target` as the translation of `source`.
#[tauri::command]
#[specta::specta]
pub fn check_terms(
    state: State<'_, AppState>,
    source: String,
    target: String,
) -> Result<Vec<TermIssueDto>> {
    let mut session = lock(&state);
    let terms = session.terms()?;
    Ok(qa::check(terms, &source, &target)
        .into_iter()
        .map(TermIssueDto::from)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn list_glossaries(state: State<'_, AppState>) -> Result<Vec<GlossaryDto>> {
    Ok(lock(&state)
        .glossaries()?
        .into_iter()
        .map(GlossaryDto::from)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn set_glossary_enabled(state: State<'_, AppState>, name: String, enabled: bool) -> Result<()> {
    let mut session = lock(&state);
    session.set_glossary_enabled(&name, enabled)?;
    session.terms = None;
    Ok(())
}

/// Adds an entry (quick-add from the editor, or the manager); reports the
/// entries with the same Italian term it may repeat.
#[tauri::command]
#[specta::specta]
pub fn add_glossary_entry(
    state: State<'_, AppState>,
    glossary: String,
    italian: String,
    english: String,
    note: Option<String>,
) -> Result<AddedEntryDto> {
    let mut session = lock(&state);
    let mut entry = Entry::pair(italian.trim(), english.trim());
    entry.note = note.filter(|n| !n.trim().is_empty());
    let duplicates = session.duplicate_entries(&glossary, &entry)?;
    let id = session.add_entry(&glossary, &entry)?;
    session.terms = None;
    Ok(AddedEntryDto {
        id,
        duplicates: duplicates.into_iter().map(EntryDto::from).collect(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn search_glossary(state: State<'_, AppState>, query: String) -> Result<Vec<EntryDto>> {
    Ok(lock(&state)
        .search_glossary(&query, 200)?
        .into_iter()
        .map(EntryDto::from)
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn delete_glossary_entry(state: State<'_, AppState>, id: i64) -> Result<()> {
    let mut session = lock(&state);
    session.delete_entry(id)?;
    session.terms = None;
    Ok(())
}

/// Imports a CSV, TSV or TBX file into the glossary `name`, all or nothing.
#[tauri::command]
#[specta::specta]
pub fn import_glossary(state: State<'_, AppState>, path: String, name: String) -> Result<usize> {
    let failed = |message: String| IpcError {
        code: ErrorCode::Import,
        message,
    };
    let bytes = std::fs::read(&path).map_err(|e| failed(format!("{path}: {e}")))?;
    let lower = path.to_lowercase();
    let entries = if lower.ends_with(".tbx") || lower.ends_with(".xml") {
        tbx::read(&bytes[..]).map_err(|e| failed(format!("{path}: {e}")))?
    } else {
        glossary_table::read(&bytes, glossary_table::delimiter(&path, &bytes)).map_err(
            |errors| {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                failed(format!("nothing was imported: {}", lines.join("; ")))
            },
        )?
    };
    let mut session = lock(&state);
    let n = session.import_glossary(&name, &entries)?;
    session.terms = None;
    Ok(n)
}

/// Exports the glossary `name` as TBX, or as CSV (TSV for a .tsv path).
#[tauri::command]
#[specta::specta]
pub fn export_glossary(state: State<'_, AppState>, name: String, path: String) -> Result<usize> {
    let entries = lock(&state).glossary_entries(Some(&name), false)?;
    let lower = path.to_lowercase();
    let text = if lower.ends_with(".tbx") {
        tbx::write(&entries, &name)
    } else {
        glossary_table::write(&entries, if lower.ends_with(".tsv") { b'\t' } else { b',' })
    };
    std::fs::write(&path, text).map_err(|e| IpcError {
        code: ErrorCode::Export,
        message: format!("{path}: {e}"),
    })?;
    Ok(entries.len())
}

/// Inline edit from the glossary manager: the entry's terms (matched by
/// text, so an unchanged term keeps its status, note and flags), domain and
/// note.
#[tauri::command]
#[specta::specta]
pub fn update_glossary_entry(
    state: State<'_, AppState>,
    id: i64,
    italian: Vec<String>,
    english: Vec<String>,
    domain: Option<String>,
    note: Option<String>,
) -> Result<EntryDto> {
    let mut session = lock(&state);
    let mut entry = session.glossary_entry(id)?.ok_or_else(|| IpcError {
        code: ErrorCode::NotFound,
        message: format!("no glossary entry {id}"),
    })?;
    let keep = |old: &[Term], texts: &[String]| -> Vec<Term> {
        texts
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| {
                old.iter()
                    .find(|o| o.text == t)
                    .cloned()
                    .unwrap_or_else(|| Term::new(t))
            })
            .collect()
    };
    entry.italian = keep(&entry.italian, &italian);
    entry.english = keep(&entry.english, &english);
    entry.domain = domain.filter(|d| !d.trim().is_empty());
    entry.note = note.filter(|n| !n.trim().is_empty());
    session.update_entry(&entry)?;
    session.terms = None;
    Ok(EntryDto::from(entry))
}

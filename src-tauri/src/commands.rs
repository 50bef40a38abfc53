//! Tauri commands: each parses its arguments, makes one call to the
//! engine's use cases ([`interlinea::session`]) and maps the answer to the
//! IPC shapes in [`crate::dto`].

use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

use interlinea::session::{ArticleSource, EntryEdit, GlossaryFormat, Open, Session};
use interlinea::Status;
use serde::Serialize;
use specta::Type;
use tauri::State;
use tauri_specta::Event;

use crate::dto::{
    AddedEntryDto, BestScoreDto, ConcordanceDto, DocumentDto, DocumentView, EntryDto,
    ExportFormatDto, ExportedDto, FindingDto, GlossaryDto, IpcError, MatchDto, MergeDto, PhraseDto,
    ReviewDto, SaveResult, SegmentDto, StatsDto, StatusDto, TermHitDto, TermIssueDto, TmDto,
    TmImportDto, WorkspaceInfo,
};

/// The engine's session over the open workspace.
pub struct AppState {
    pub session: Session,
}

pub(crate) type Result<T> = std::result::Result<T, IpcError>;

pub(crate) fn lock(state: &AppState) -> MutexGuard<'_, Open> {
    state.session.lock()
}

#[tauri::command]
#[specta::specta]
pub fn workspace_info(state: State<'_, AppState>) -> WorkspaceInfo {
    WorkspaceInfo {
        path: state.session.path().display().to_string(),
    }
}

#[tauri::command]
#[specta::specta]
pub fn list_documents(state: State<'_, AppState>) -> Result<Vec<DocumentDto>> {
    let documents = lock(&state).workspace().documents()?;
    Ok(documents.iter().map(DocumentDto::from).collect())
}

/// Imports an article or another tool's XLIFF from a file.
#[tauri::command]
#[specta::specta]
pub async fn import_file(state: State<'_, AppState>, path: String) -> Result<DocumentDto> {
    // A file dropped on the window comes here without a dialog.
    crate::dialogs::not_the_workspace(&state, vec![path.clone()])?;
    let source = ArticleSource::File(PathBuf::from(path));
    Ok(DocumentDto::from(
        &state.session.import_article(source, None).await?,
    ))
}

#[tauri::command]
#[specta::specta]
pub async fn import_sample(state: State<'_, AppState>) -> Result<DocumentDto> {
    let document = state
        .session
        .import_article(ArticleSource::Sample, None)
        .await?;
    Ok(DocumentDto::from(&document))
}

/// Exports the document as `format` to `path`.
#[tauri::command]
#[specta::specta]
pub fn export_document(
    state: State<'_, AppState>,
    exported_files: State<'_, crate::opener::ExportedFiles>,
    doc_id: i64,
    format: ExportFormatDto,
    refuse_untranslated: bool,
    path: String,
) -> Result<ExportedDto> {
    let path = Path::new(&path);
    let exported = lock(&state).export(doc_id, format.into(), refuse_untranslated, path)?;
    exported_files.add(path);
    Ok(ExportedDto::from(exported))
}

/// The document's dashboard: words by status, TM bands, effort, pace.
#[tauri::command]
#[specta::specta]
pub fn document_stats(state: State<'_, AppState>, doc_id: i64) -> Result<StatsDto> {
    Ok(StatsDto::from(lock(&state).statistics(doc_id)?))
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
    let mut report =
        interlinea::diagnostics::report(lock(&state).workspace(), log.current().as_deref())?;
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
    let findings = lock(&state).qa(doc_id, None)?;
    Ok(findings.into_iter().map(FindingDto::from).collect())
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
    Ok(SegmentDto::from(
        &lock(&state).set_note(doc_id, segment_id, &note)?,
    ))
}

/// Brings back a reviewed DOCX or an XLIFF into the document.
#[tauri::command]
#[specta::specta]
pub fn import_review(state: State<'_, AppState>, doc_id: i64, path: String) -> Result<ReviewDto> {
    Ok(lock(&state).import_review(doc_id, Path::new(&path))?.into())
}

#[tauri::command]
#[specta::specta]
pub fn open_document(state: State<'_, AppState>, doc_id: i64) -> Result<DocumentView> {
    Ok(DocumentView::from(lock(&state).open_document(doc_id)?))
}

/// The phrases offered while the segment's English is typed, with the
/// English of the TM matches and MT suggestions the editor has for it.
#[tauri::command]
#[specta::specta]
pub fn predict_phrases(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    tm: Vec<String>,
    mt: Vec<String>,
) -> Result<Vec<PhraseDto>> {
    let tm: Vec<&str> = tm.iter().map(String::as_str).collect();
    let mt: Vec<&str> = mt.iter().map(String::as_str).collect();
    let phrases = lock(&state).predictions(doc_id, segment_id, &tm, &mt)?;
    Ok(phrases.into_iter().map(PhraseDto::from).collect())
}

#[tauri::command]
#[specta::specta]
pub fn delete_document(state: State<'_, AppState>, doc_id: i64) -> Result<()> {
    Ok(lock(&state).workspace_mut().delete_document(doc_id)?)
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
    let saved = lock(&state).save_target(doc_id, segment_id, &target, status, propagate)?;
    Ok(SaveResult::from(saved))
}

/// The matches panel: the segment's previous version, then the TM's.
#[tauri::command]
#[specta::specta]
pub fn lookup_matches(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
) -> Result<Vec<MatchDto>> {
    let found = lock(&state).panel_matches(doc_id, segment_id)?;
    Ok(found.into_iter().map(MatchDto::from).collect())
}

/// The best TM score of every segment of the document that has one from
/// the translator's threshold up; scored off the main thread, the
/// workspace held one segment at a time.
#[tauri::command]
#[specta::specta]
pub async fn best_scores(state: State<'_, AppState>, doc_id: i64) -> Result<Vec<BestScoreDto>> {
    let scores = state.session.best_scores(doc_id)?;
    Ok(scores
        .into_iter()
        .map(|(segment_id, score)| BestScoreDto { segment_id, score })
        .collect())
}

#[tauri::command]
#[specta::specta]
pub fn list_tms(state: State<'_, AppState>) -> Result<Vec<TmDto>> {
    Ok(lock(&state)
        .workspace()
        .tms()?
        .iter()
        .map(TmDto::from)
        .collect())
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
    let total = std::fs::metadata(&path).map_or(0, |m| m.len()).max(1);
    let report =
        lock(&state).import_tmx(Path::new(&path), &name, read_only, &mut |bytes, units| {
            let share = bytes as f64 / total as f64;
            let _ = TmxProgress { share, units }.emit(&app);
        })?;
    if report.added > 0 {
        // The concordance index and the log checkpoint take seconds after a
        // large import: done on a connection of their own, while the
        // translator goes on working.
        let path = state.session.path().to_path_buf();
        std::thread::spawn(move || {
            let caught_up = interlinea::Workspace::open(&path).and_then(|mut ws| ws.catch_up());
            if let Err(e) = caught_up {
                tracing::warn!("catching up after the TMX import: {e}");
            }
        });
    }
    Ok(TmImportDto::from(report))
}

#[tauri::command]
#[specta::specta]
pub fn export_tmx(state: State<'_, AppState>, name: String, path: String) -> Result<usize> {
    Ok(lock(&state).export_tmx(Some(&name), Path::new(&path))?)
}

#[tauri::command]
#[specta::specta]
pub fn delete_tm(state: State<'_, AppState>, name: String) -> Result<()> {
    Ok(lock(&state).delete_tm(&name)?)
}

#[tauri::command]
#[specta::specta]
pub fn set_tm_read_only(state: State<'_, AppState>, name: String, read_only: bool) -> Result<()> {
    Ok(lock(&state)
        .workspace_mut()
        .set_tm_read_only(&name, read_only)?)
}

#[tauri::command]
#[specta::specta]
pub fn concordance(state: State<'_, AppState>, phrase: String) -> Result<Vec<ConcordanceDto>> {
    let hits = lock(&state).concordance(&phrase, 50)?;
    Ok(hits.into_iter().map(ConcordanceDto::from).collect())
}

#[tauri::command]
#[specta::specta]
pub fn set_block_translatable(
    state: State<'_, AppState>,
    doc_id: i64,
    block: i64,
    translatable: bool,
) -> Result<DocumentView> {
    let view = lock(&state).set_block_translatable(doc_id, block, translatable)?;
    Ok(DocumentView::from(view))
}

#[tauri::command]
#[specta::specta]
pub fn split_segment(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    position: usize,
) -> Result<DocumentView> {
    let view = lock(&state).split_segment(doc_id, segment_id, position)?;
    Ok(DocumentView::from(view))
}

#[tauri::command]
#[specta::specta]
pub fn merge_segment(state: State<'_, AppState>, doc_id: i64, segment_id: i64) -> Result<MergeDto> {
    let outcome = lock(&state)
        .workspace_mut()
        .merge_with_next(doc_id, segment_id)?;
    Ok(MergeDto::from(outcome))
}

#[tauri::command]
#[specta::specta]
pub fn add_exception(state: State<'_, AppState>, abbreviation: String) -> Result<()> {
    Ok(lock(&state).workspace_mut().add_exception(&abbreviation)?)
}

/// The glossary terms in each of `texts` (a document's sources, say).
#[tauri::command]
#[specta::specta]
pub fn find_terms(state: State<'_, AppState>, texts: Vec<String>) -> Result<Vec<Vec<TermHitDto>>> {
    let mut open = lock(&state);
    let terms = open.terms()?;
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
    let issues = lock(&state).check_terms(&source, &target)?;
    Ok(issues.into_iter().map(TermIssueDto::from).collect())
}

#[tauri::command]
#[specta::specta]
pub fn list_glossaries(state: State<'_, AppState>) -> Result<Vec<GlossaryDto>> {
    let glossaries = lock(&state).workspace().glossaries()?;
    Ok(glossaries.into_iter().map(GlossaryDto::from).collect())
}

#[tauri::command]
#[specta::specta]
pub fn set_glossary_enabled(state: State<'_, AppState>, name: String, enabled: bool) -> Result<()> {
    Ok(lock(&state).set_glossary_enabled(&name, enabled)?)
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
    let added = lock(&state).add_glossary_entry(&glossary, &italian, &english, note)?;
    Ok(AddedEntryDto::from(added))
}

#[tauri::command]
#[specta::specta]
pub fn search_glossary(state: State<'_, AppState>, query: String) -> Result<Vec<EntryDto>> {
    // Every entry found: the manager pages them.
    let entries = lock(&state)
        .workspace()
        .search_glossary(&query, usize::MAX)?;
    Ok(entries.into_iter().map(EntryDto::from).collect())
}

#[tauri::command]
#[specta::specta]
pub fn delete_glossary_entry(state: State<'_, AppState>, id: i64) -> Result<()> {
    Ok(lock(&state).delete_glossary_entry(id)?)
}

/// Imports a CSV, TSV, OmegaT or TBX file into the glossary `name`, all or nothing.
#[tauri::command]
#[specta::specta]
pub fn import_glossary(state: State<'_, AppState>, path: String, name: String) -> Result<usize> {
    Ok(lock(&state).import_glossary_file(Path::new(&path), &name)?)
}

/// Exports the glossary `name` in the format its path's extension names:
/// TBX-Basic 2008 for .tbx, OmegaT's for .txt or .utf8, TSV for .tsv, else CSV.
#[tauri::command]
#[specta::specta]
pub fn export_glossary(state: State<'_, AppState>, name: String, path: String) -> Result<usize> {
    let path = Path::new(&path);
    let format = GlossaryFormat::from_path(path);
    Ok(lock(&state).export_glossary_file(Some(&name), path, format)?)
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
    let edit = EntryEdit {
        italian,
        english,
        domain,
        note,
    };
    Ok(EntryDto::from(
        lock(&state).update_glossary_entry(id, edit)?,
    ))
}

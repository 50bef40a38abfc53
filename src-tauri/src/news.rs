//! Commands of the news desk: articles from URLs, revisions of an article
//! and what changed, the house style, and the fact checklist.

use std::path::Path;

use interlinea::import::{fetch_article, is_url, read_article_file, Article, FetchSettings};
use interlinea::store::news::Change;
use interlinea::{Segmenter, Workspace};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::{lock, AppState, Result};
use crate::dto::{ChangeKindDto, DiffPart, DocumentDto, ErrorCode, FactKindDto, IpcError, RuleDto};

impl From<interlinea::import::FetchError> for IpcError {
    fn from(e: interlinea::import::FetchError) -> Self {
        IpcError {
            code: ErrorCode::Fetch,
            message: e.to_string(),
        }
    }
}

/// Reads an article from a file or, for an http(s) address, the web; no
/// lock is held while it downloads.
async fn read(source: &str) -> Result<Article> {
    if is_url(source) {
        return Ok(fetch_article(source, &FetchSettings::default()).await?);
    }
    Ok(read_article_file(Path::new(source))?)
}

fn segmented(ws: &Workspace, article: &Article) -> Result<Vec<interlinea::store::SegmentedBlock>> {
    let segmenter = Segmenter::italian(&ws.exceptions()?);
    Ok(interlinea::store::segment_blocks(
        &article.document,
        &segmenter,
    ))
}

/// Imports the article of a news page, with the page's metadata.
#[tauri::command]
#[specta::specta]
pub async fn import_url(state: State<'_, AppState>, url: String) -> Result<DocumentDto> {
    if !is_url(&url) {
        return Err(IpcError {
            code: ErrorCode::Fetch,
            message: format!("{url}: not a web address (expected http:// or https://)"),
        });
    }
    let article = read(&url).await?;
    let mut session = lock(&state);
    let blocks = segmented(&session, &article)?;
    let name = article
        .document
        .blocks
        .first()
        .map_or_else(|| url.clone(), |b| b.text.chars().take(80).collect());
    let id = session.add_article(
        &name,
        Some(&url),
        article.document.format,
        &blocks,
        &article.meta,
    )?;
    Ok(DocumentDto::from(&session.document(id)?))
}

#[derive(Serialize, Type)]
pub struct SummaryDto {
    pub unchanged: usize,
    pub edited: usize,
    pub new: usize,
    pub removed: usize,
}

#[derive(Serialize, Type)]
pub struct ChangeDto {
    pub kind: ChangeKindDto,
    pub segment: Option<i64>,
    /// The Italian now (edited, new).
    pub source: Option<String>,
    pub previous_source: Option<String>,
    pub previous_target: Option<String>,
    pub score: Option<u32>,
    /// From the previous Italian to the new one, word by word.
    pub diff: Vec<DiffPart>,
}

#[derive(Serialize, Type)]
pub struct RevisionDto {
    pub id: i64,
    pub source: Option<String>,
    pub created_at: i64,
    pub summary: SummaryDto,
    pub changes: Vec<ChangeDto>,
}

fn change_dto(ws: &Workspace, doc_id: i64, change: Change) -> Result<ChangeDto> {
    let source = match change.segment {
        Some(id) => ws.segment(doc_id, id).ok().map(|s| s.source),
        None => None,
    };
    let diff = match (&change.previous_source, &source) {
        (Some(before), Some(now)) => DiffPart::list(interlinea::tm::word_diff(before, now)),
        _ => Vec::new(),
    };
    Ok(ChangeDto {
        kind: change.kind.into(),
        segment: change.segment,
        source,
        previous_source: change.previous_source,
        previous_target: change.previous_target,
        score: change.score,
        diff,
    })
}

/// The document's latest revision with its changes, if it has one.
fn latest(ws: &Workspace, doc_id: i64) -> Result<Option<RevisionDto>> {
    let Some(revision) = ws.revisions(doc_id)?.into_iter().next() else {
        return Ok(None);
    };
    let changes = ws
        .revision_changes(revision.id)?
        .into_iter()
        .map(|c| change_dto(ws, doc_id, c))
        .collect::<Result<_>>()?;
    let s = revision.summary;
    Ok(Some(RevisionDto {
        id: revision.id,
        source: revision.source,
        created_at: revision.created_at,
        summary: SummaryDto {
            unchanged: s.unchanged,
            edited: s.edited,
            new: s.new,
            removed: s.removed,
        },
        changes,
    }))
}

/// Brings in a later version of the document's article from a file or a
/// URL (by default the one it came from) and returns what changed.
#[tauri::command]
#[specta::specta]
pub async fn reimport_document(
    state: State<'_, AppState>,
    doc_id: i64,
    source: Option<String>,
) -> Result<RevisionDto> {
    let source = match source {
        Some(s) => s,
        None => {
            let session = lock(&state);
            session
                .document_meta(doc_id)?
                .and_then(|m| m.url)
                .ok_or_else(|| IpcError {
                    code: ErrorCode::Fetch,
                    message: "this document did not come from a web address: choose the new version's file".into(),
                })?
        }
    };
    let article = read(&source).await?;
    let mut session = lock(&state);
    let blocks = segmented(&session, &article)?;
    let plan = interlinea::revision::plan(&session.segments(doc_id)?, blocks);
    session.apply_revision(doc_id, &plan, Some(&source), Some(&article.meta))?;
    Ok(latest(&session, doc_id)?.expect("the revision just stored"))
}

/// The document's latest revision and what it changed.
#[tauri::command]
#[specta::specta]
pub fn document_revision(state: State<'_, AppState>, doc_id: i64) -> Result<Option<RevisionDto>> {
    latest(&lock(&state), doc_id)
}

#[derive(Serialize, Type)]
pub struct MetaDto {
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    /// The house style's name, if one is chosen.
    pub style: Option<String>,
}

/// What the page said about the article, and the document's house style.
#[tauri::command]
#[specta::specta]
pub fn document_meta(state: State<'_, AppState>, doc_id: i64) -> Result<MetaDto> {
    let session = lock(&state);
    let meta = session.document_meta(doc_id)?.unwrap_or_default();
    Ok(MetaDto {
        url: meta.url,
        canonical_url: meta.canonical_url,
        outlet: meta.outlet,
        author: meta.author,
        published: meta.published,
        updated: meta.updated,
        style: session.document_style(doc_id)?,
    })
}

#[derive(Serialize, Type)]
pub struct PresetDto {
    pub name: &'static str,
    pub label: &'static str,
    pub headline_chars: usize,
    pub standfirst_chars: usize,
}

/// The built-in house styles.
#[tauri::command]
#[specta::specta]
pub fn style_presets() -> Vec<PresetDto> {
    interlinea::style::PRESETS
        .iter()
        .map(|p| PresetDto {
            name: p.name,
            label: p.label,
            headline_chars: p.headline_chars,
            standfirst_chars: p.standfirst_chars,
        })
        .collect()
}

/// Sets the document's house style (`None`: none).
#[tauri::command]
#[specta::specta]
pub fn set_document_style(
    state: State<'_, AppState>,
    doc_id: i64,
    style: Option<String>,
) -> Result<()> {
    let name = match style.as_deref() {
        None => None,
        Some(name) => Some(
            interlinea::style::preset(name)
                .ok_or_else(|| IpcError {
                    code: ErrorCode::Style,
                    message: format!("unknown house style `{name}`"),
                })?
                .name,
        ),
    };
    Ok(lock(&state).set_document_style(doc_id, name)?)
}

#[derive(Serialize, Type)]
pub struct SuggestionDto {
    pub rule: RuleDto,
    pub italian: String,
    pub english: String,
}

/// The house style's suggestions for one segment's Italian.
#[tauri::command]
#[specta::specta]
pub fn style_suggestions(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
) -> Result<Vec<SuggestionDto>> {
    let session = lock(&state);
    let Some(style) = session
        .document_style(doc_id)?
        .as_deref()
        .and_then(interlinea::style::preset)
    else {
        return Ok(Vec::new());
    };
    let segment = session.segment(doc_id, segment_id)?;
    Ok(interlinea::style::suggest(style, &segment.source)
        .into_iter()
        .map(|s| SuggestionDto {
            rule: s.rule.into(),
            italian: s.italian,
            english: s.english,
        })
        .collect())
}

#[derive(Serialize, Type)]
pub struct FactDto {
    pub segment: i64,
    pub kind: FactKindDto,
    pub italian: String,
    pub found: bool,
    pub hint: Option<String>,
}

/// Every number, date, time, name and quote of the Italian and whether
/// the English has it.
#[tauri::command]
#[specta::specta]
pub fn fact_checklist(state: State<'_, AppState>, doc_id: i64) -> Result<Vec<FactDto>> {
    let mut session = lock(&state);
    let (ws, terms) = session.with_terms()?;
    Ok(interlinea::facts::checklist(ws, terms, doc_id)?
        .into_iter()
        .map(|f| FactDto {
            segment: f.segment,
            kind: f.kind.into(),
            italian: f.italian,
            found: f.found,
            hint: f.hint,
        })
        .collect())
}

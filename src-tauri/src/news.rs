//! Commands of the news desk: articles from URLs, revisions of an article
//! and what changed, the house style, and the fact checklist.

use interlinea::import::web_address;
use interlinea::session::{ArticleSource, ChangeView, RevisionView};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::{lock, AppState, Result};
use crate::dto::{ChangeKindDto, DiffPart, DocumentDto, ErrorCode, FactKindDto, IpcError, RuleDto};

/// Imports the article of a news page, with the page's metadata.
#[tauri::command]
#[specta::specta]
pub async fn import_url(state: State<'_, AppState>, url: String) -> Result<DocumentDto> {
    let Some(address) = web_address(&url) else {
        return Err(IpcError {
            code: ErrorCode::Fetch,
            message: format!("{url}: not a web address"),
        });
    };
    let source = ArticleSource::Url(address);
    Ok(DocumentDto::from(
        &state.session.import_article(source, None).await?,
    ))
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

impl From<ChangeView> for ChangeDto {
    fn from(view: ChangeView) -> Self {
        let change = view.change;
        ChangeDto {
            kind: change.kind.into(),
            segment: change.segment,
            source: view.source,
            previous_source: change.previous_source,
            previous_target: change.previous_target,
            score: change.score,
            diff: DiffPart::list(view.diff),
        }
    }
}

impl From<RevisionView> for RevisionDto {
    fn from(view: RevisionView) -> Self {
        let s = view.revision.summary;
        RevisionDto {
            id: view.revision.id,
            source: view.revision.source,
            created_at: view.revision.created_at,
            summary: SummaryDto {
                unchanged: s.unchanged,
                edited: s.edited,
                new: s.new,
                removed: s.removed,
            },
            changes: view.changes.into_iter().map(ChangeDto::from).collect(),
        }
    }
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
    let source = source.as_deref().map(ArticleSource::parse);
    Ok(state.session.reimport(doc_id, source).await?.into())
}

/// The document's latest revision and what it changed.
#[tauri::command]
#[specta::specta]
pub fn document_revision(state: State<'_, AppState>, doc_id: i64) -> Result<Option<RevisionDto>> {
    Ok(lock(&state).revision(doc_id)?.map(RevisionDto::from))
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
    let open = lock(&state);
    let meta = open.workspace().document_meta(doc_id)?.unwrap_or_default();
    Ok(MetaDto {
        url: meta.url,
        canonical_url: meta.canonical_url,
        outlet: meta.outlet,
        author: meta.author,
        published: meta.published,
        updated: meta.updated,
        style: open.workspace().document_style(doc_id)?,
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
    Ok(lock(&state).set_document_style(doc_id, style.as_deref())?)
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
    let suggestions = lock(&state).style_suggestions(doc_id, segment_id)?;
    Ok(suggestions
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
    Ok(lock(&state)
        .fact_checklist(doc_id)?
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

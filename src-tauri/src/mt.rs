//! Machine-translation commands over the engine's MT use cases, which
//! never wait on a provider with the workspace held. A new suggestion
//! request for a provider cancels the one still in flight.

use interlinea::session::{ProviderForm, ProviderView};
use serde::Serialize;
use specta::Type;
use tauri::State;
use tauri_specta::Event;

use crate::commands::{lock, AppState, Result};
use crate::dto::{MtBatchDto, MtSuggestionDto, ProviderDto, ProviderKindDto};

/// How far a machine-translation batch has gone, in segments.
#[derive(Clone, Serialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "mt-progress")]
pub struct MtProgress {
    pub done: usize,
    pub total: usize,
}

impl From<ProviderView> for ProviderDto {
    fn from(view: ProviderView) -> Self {
        ProviderDto {
            name: view.provider.name,
            kind: view.provider.kind.into(),
            url: view.provider.url,
            model: view.provider.model,
            has_key: view.has_key,
        }
    }
}

#[tauri::command]
#[specta::specta]
pub fn list_providers(state: State<'_, AppState>) -> Result<Vec<ProviderDto>> {
    let providers = state.session.providers()?;
    Ok(providers.into_iter().map(ProviderDto::from).collect())
}

/// Adds or replaces a provider; `key` (when given) goes to the keys file,
/// never to the workspace.
#[tauri::command]
#[specta::specta]
pub fn save_provider(
    state: State<'_, AppState>,
    name: String,
    kind: ProviderKindDto,
    url: Option<String>,
    model: Option<String>,
    key: Option<String>,
) -> Result<ProviderDto> {
    let form = ProviderForm {
        name,
        kind: kind.into(),
        url,
        model,
        key,
    };
    Ok(state.session.save_provider(form)?.into())
}

#[tauri::command]
#[specta::specta]
pub fn remove_provider(state: State<'_, AppState>, name: String) -> Result<()> {
    Ok(state.session.remove_provider(&name)?)
}

/// Translates a fixed sentence, bypassing the cache: whether the provider
/// answers, and how.
#[tauri::command]
#[specta::specta]
pub async fn test_provider(state: State<'_, AppState>, name: String) -> Result<String> {
    Ok(state.session.test_provider(&name).await?)
}

/// The provider's translation of a segment, from the cache when it has
/// one. A later call for the same provider cancels this one, which then
/// fails with code `cancelled`.
#[tauri::command]
#[specta::specta]
pub async fn mt_suggest(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    provider: String,
) -> Result<MtSuggestionDto> {
    let suggestion = state
        .session
        .mt_suggestion(doc_id, segment_id, &provider)
        .await?;
    Ok(suggestion.into())
}

/// Machine-translates every empty segment of the document, emitting
/// [`MtProgress`]; `cancel_mt_batch` stops it, keeping what was done.
#[tauri::command]
#[specta::specta]
pub async fn mt_translate_document(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    doc_id: i64,
    provider: String,
) -> Result<MtBatchDto> {
    let report = state
        .session
        .mt_translate_document(doc_id, &provider, |done, total| {
            let _ = MtProgress { done, total }.emit(&app);
        })
        .await?;
    Ok(report.into())
}

#[tauri::command]
#[specta::specta]
pub fn cancel_mt_batch(state: State<'_, AppState>) {
    state.session.cancel_mt_batch();
}

/// Remembers that the English being written started from `suggestion`
/// (a TM match or MT inserted in the editor), for the effort report.
#[tauri::command]
#[specta::specta]
pub fn note_suggestion(
    state: State<'_, AppState>,
    doc_id: i64,
    segment_id: i64,
    suggestion: String,
    origin: String,
    score: Option<u32>,
) -> Result<()> {
    Ok(lock(&state).note_suggestion(doc_id, segment_id, &suggestion, &origin, score)?)
}

//! Machine-translation commands. Network calls never hold the workspace
//! lock: it is taken to build a request or store an answer, and released
//! while the provider answers. A new suggestion request for a provider
//! cancels the one still in flight.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use interlinea::mt::keys::KeyStore;
use interlinea::mt::{self, MtClient, Settings};
use interlinea::store::mt::{Provider, ProviderKind};
use serde::Serialize;
use specta::Type;
use tauri::State;
use tauri_specta::Event;

use crate::commands::{lock, AppState, Result};
use crate::dto::{ErrorCode, IpcError, MtBatchDto, MtSuggestionDto, ProviderDto, ProviderKindDto};

/// How far a machine-translation batch has gone, in segments.
#[derive(Clone, Serialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "mt-progress")]
pub struct MtProgress {
    pub done: usize,
    pub total: usize,
}

/// The HTTP client, the keys file, and what is in flight.
pub struct MtState {
    client: Arc<MtClient>,
    keys: KeyStore,
    /// The suggestion request in flight per provider.
    in_flight: Mutex<HashMap<String, tokio::task::AbortHandle>>,
    /// Set to stop the running batch.
    batch_cancel: Mutex<Option<Arc<AtomicBool>>>,
}

impl MtState {
    pub fn new() -> MtState {
        MtState {
            client: Arc::new(MtClient::new(Settings::default())),
            keys: KeyStore::default_location(),
            in_flight: Mutex::new(HashMap::new()),
            batch_cancel: Mutex::new(None),
        }
    }
}

fn dto(provider: &Provider, keys: &KeyStore) -> Result<ProviderDto> {
    Ok(ProviderDto {
        name: provider.name.clone(),
        kind: provider.kind.into(),
        url: provider.url.clone(),
        model: provider.model.clone(),
        has_key: keys.get(&provider.name)?.is_some(),
    })
}

fn invalid(message: String) -> IpcError {
    IpcError {
        code: ErrorCode::Invalid,
        message,
    }
}

/// The DeepL glossary made from the workspace glossary, created at DeepL
/// the first time (without holding the workspace meanwhile).
async fn deepl_glossary(
    state: &State<'_, AppState>,
    mt: &MtState,
    provider: &Provider,
    key: Option<&str>,
) -> Result<Option<mt::DeeplGlossary>> {
    let Some(plan) = mt::deepl_glossary_plan(&lock(state).ws, provider)? else {
        return Ok(None);
    };
    Ok(
        mt::deepl_glossary(&mt.client, provider, key, plan, |id, version| {
            lock(state).save_mt_glossary(&provider.name, version, id)
        })
        .await?,
    )
}

#[tauri::command]
#[specta::specta]
pub fn list_providers(
    state: State<'_, AppState>,
    mt: State<'_, MtState>,
) -> Result<Vec<ProviderDto>> {
    let providers = lock(&state).mt_providers()?;
    providers.iter().map(|p| dto(p, &mt.keys)).collect()
}

/// Adds or replaces a provider; `key` (when given) goes to the keys file,
/// never to the workspace.
#[tauri::command]
#[specta::specta]
pub fn save_provider(
    state: State<'_, AppState>,
    mt: State<'_, MtState>,
    name: String,
    kind: ProviderKindDto,
    url: Option<String>,
    model: Option<String>,
    key: Option<String>,
) -> Result<ProviderDto> {
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err(invalid("give the provider a name".into()));
    }
    let kind = ProviderKind::from(kind);
    let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
    let url = url
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .or_else(|| kind.default_url(key.as_deref()).map(str::to_string))
        .ok_or_else(|| {
            invalid(format!(
                "a {} provider needs its server's URL",
                kind.as_str()
            ))
        })?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(invalid(format!(
            "{url}: expected a URL such as http://127.0.0.1:5000"
        )));
    }
    let provider = Provider {
        name: name.clone(),
        kind,
        url,
        model: model
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty()),
    };
    if let Some(key) = &key {
        mt.keys.set(&name, Some(key))?;
    }
    lock(&state).save_mt_provider(&provider)?;
    dto(&provider, &mt.keys)
}

#[tauri::command]
#[specta::specta]
pub fn remove_provider(
    state: State<'_, AppState>,
    mt: State<'_, MtState>,
    name: String,
) -> Result<()> {
    lock(&state).delete_mt_provider(&name)?;
    mt.keys.forget(&name)?;
    Ok(())
}

/// Translates a fixed sentence, bypassing the cache: whether the provider
/// answers, and how.
#[tauri::command]
#[specta::specta]
pub async fn test_provider(
    state: State<'_, AppState>,
    mt: State<'_, MtState>,
    name: String,
) -> Result<String> {
    let provider = lock(&state).mt_provider(&name)?;
    let key = mt.keys.get(&name)?;
    let request = mt::MtRequest {
        source: "Il presidente ha incontrato i giornalisti a Roma.".into(),
        ..mt::MtRequest::default()
    };
    Ok(mt
        .client
        .translate(&provider, key.as_deref(), &request)
        .await?)
}

/// The provider's translation of a segment, from the cache when it has
/// one. A later call for the same provider cancels this one, which then
/// fails with code `cancelled`.
#[tauri::command]
#[specta::specta]
pub async fn mt_suggest(
    state: State<'_, AppState>,
    mt: State<'_, MtState>,
    doc_id: i64,
    segment_id: i64,
    provider: String,
) -> Result<MtSuggestionDto> {
    let provider = lock(&state).mt_provider(&provider)?;
    let key = mt.keys.get(&provider.name)?;
    let glossary = deepl_glossary(&state, &mt, &provider, key.as_deref()).await?;
    let (request, cached) = {
        let mut session = lock(&state);
        let (ws, terms) = session.with_terms()?;
        let mut request = mt::request_for(ws, terms, doc_id, segment_id)?;
        request.deepl_glossary = glossary;
        let cached = mt::cached(ws, &provider, &request)?;
        (request, cached)
    };
    if let Some(text) = cached {
        return Ok(MtSuggestionDto {
            provider: provider.name,
            text,
            cached: true,
        });
    }
    let client = mt.client.clone();
    let (asked, sent) = (provider.clone(), request.clone());
    let task = tokio::spawn(async move { client.translate(&asked, key.as_deref(), &sent).await });
    if let Some(previous) = mt
        .in_flight
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(provider.name.clone(), task.abort_handle())
    {
        previous.abort();
    }
    let text = match task.await {
        Ok(answer) => answer?,
        Err(_) => {
            return Err(IpcError {
                code: ErrorCode::Cancelled,
                message: "a newer request took its place".into(),
            })
        }
    };
    let model = provider.model.clone().unwrap_or_default();
    lock(&state).cache_mt(
        &provider.name,
        &model,
        request.glossary_version(provider.kind),
        &request.source,
        &text,
    )?;
    Ok(MtSuggestionDto {
        provider: provider.name,
        text,
        cached: false,
    })
}

/// Machine-translates every empty segment of the document, emitting
/// [`MtProgress`]; `cancel_mt_batch` stops it, keeping what was done.
#[tauri::command]
#[specta::specta]
pub async fn mt_translate_document(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    mt: State<'_, MtState>,
    doc_id: i64,
    provider: String,
) -> Result<MtBatchDto> {
    let provider = lock(&state).mt_provider(&provider)?;
    let key = mt.keys.get(&provider.name)?;
    let glossary = deepl_glossary(&state, &mt, &provider, key.as_deref()).await?;
    let mut jobs = {
        let mut session = lock(&state);
        let (ws, terms) = session.with_terms()?;
        mt::empty_segments(ws, terms, doc_id)?
    };
    for job in &mut jobs {
        job.request.deepl_glossary = glossary.clone();
    }
    let cancel = Arc::new(AtomicBool::new(false));
    *mt.batch_cancel.lock().unwrap_or_else(|e| e.into_inner()) = Some(cancel.clone());
    let report = mt::translate_batch(
        &mt.client,
        &provider,
        key.as_deref(),
        jobs,
        &cancel,
        |job| mt::cached(&lock(&state).ws, &provider, &job.request),
        |job, text| mt::store_answer(&mut lock(&state).ws, &provider, doc_id, job, text),
        |done, total| {
            let _ = MtProgress { done, total }.emit(&app);
        },
    )
    .await?;
    Ok(MtBatchDto {
        filled: report.filled,
        from_cache: report.from_cache,
        failed: report.failed.len(),
        cancelled: report.cancelled,
    })
}

#[tauri::command]
#[specta::specta]
pub fn cancel_mt_batch(mt: State<'_, MtState>) {
    if let Some(cancel) = mt
        .batch_cancel
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        cancel.store(true, Ordering::SeqCst);
    }
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
) -> Result<()> {
    Ok(lock(&state).set_suggestion(doc_id, segment_id, &suggestion, &origin)?)
}

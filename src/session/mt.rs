//! Machine translation as the translator meets it: providers, a
//! suggestion for the active segment, a whole document at once. The
//! network is never waited on with the workspace held.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{Error, Open, Result, Session};
use crate::mt::{self, BatchReport, DeeplGlossary, MtRequest};
use crate::store::mt::{Provider, ProviderKind};

/// A provider as the settings show it: never its key, only whether there
/// is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderView {
    /// The provider.
    pub provider: Provider,
    /// Whether a key is stored or set in the environment.
    pub has_key: bool,
}

/// A provider as the user enters it.
#[derive(Debug, Clone)]
pub struct ProviderForm {
    /// Its name in the workspace.
    pub name: String,
    /// The API it speaks.
    pub kind: ProviderKind,
    /// Its server; by default the kind's public one, where it has one.
    pub url: Option<String>,
    /// The model, for providers that have several.
    pub model: Option<String>,
    /// The key, kept in the keys file or keyring, never in the workspace.
    pub key: Option<String>,
}

/// A provider's translation of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtSuggestion {
    /// The provider's name.
    pub provider: String,
    /// The English.
    pub text: String,
    /// Answered from the cache, without a request.
    pub cached: bool,
}

fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

impl Open {
    /// Remembers that the English being written started from `suggestion`
    /// (a TM match or MT inserted in the editor), for the effort report.
    pub fn note_suggestion(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        suggestion: &str,
        origin: &str,
        score: Option<u32>,
    ) -> Result<()> {
        Ok(self
            .ws
            .set_suggestion(doc_id, segment_id, suggestion, origin, score)?)
    }
}

impl Session {
    /// The providers, each with whether it has a key.
    pub fn providers(&self) -> Result<Vec<ProviderView>> {
        let providers = self.lock().ws.mt_providers()?;
        providers
            .into_iter()
            .map(|provider| {
                Ok(ProviderView {
                    has_key: self.keys.get(&provider.name)?.is_some(),
                    provider,
                })
            })
            .collect()
    }

    /// Adds or replaces a provider; its key goes to the keys file.
    pub fn save_provider(&self, form: ProviderForm) -> Result<ProviderView> {
        let name = form.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::Invalid("give the provider a name".into()));
        }
        let kind = form.kind;
        let key = trimmed(form.key);
        let url = trimmed(form.url)
            .or_else(|| kind.default_url(key.as_deref()).map(str::to_string))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "a {} provider needs its server's URL",
                    kind.as_str()
                ))
            })?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::Invalid(format!(
                "{url}: expected a URL such as http://127.0.0.1:5000"
            )));
        }
        let provider = Provider {
            name,
            kind,
            url,
            model: trimmed(form.model),
        };
        if let Some(key) = &key {
            self.keys.set(&provider.name, Some(key))?;
        }
        self.lock().ws.save_mt_provider(&provider)?;
        Ok(ProviderView {
            has_key: self.keys.get(&provider.name)?.is_some(),
            provider,
        })
    }

    /// Removes a provider and forgets its key.
    pub fn remove_provider(&self, name: &str) -> Result<()> {
        self.lock().ws.delete_mt_provider(name)?;
        self.keys.forget(name)?;
        Ok(())
    }

    /// Translates a fixed sentence, bypassing the cache: whether the
    /// provider answers, and how.
    pub async fn test_provider(&self, name: &str) -> Result<String> {
        let provider = self.lock().ws.mt_provider(name)?;
        let key = self.keys.get(name)?;
        let request = MtRequest {
            source: "Il presidente ha incontrato i giornalisti a Roma.".into(),
            ..MtRequest::default()
        };
        Ok(self
            .mt_client()
            .translate(&provider, key.as_deref(), &request)
            .await?)
    }

    /// The provider and its key, with the DeepL glossary made from the
    /// workspace glossary (created at DeepL the first time).
    async fn provider_ready(
        &self,
        name: &str,
    ) -> Result<(Provider, Option<String>, Option<DeeplGlossary>)> {
        let provider = self.lock().ws.mt_provider(name)?;
        let key = self.keys.get(&provider.name)?;
        let Some(plan) = mt::deepl_glossary_plan(&self.lock().ws, &provider)? else {
            return Ok((provider, key, None));
        };
        let glossary = mt::deepl_glossary(
            self.mt_client(),
            &provider,
            key.as_deref(),
            plan,
            |id, version| self.lock().ws.save_mt_glossary(&provider.name, version, id),
        )
        .await?;
        Ok((provider, key, glossary))
    }

    /// The provider's translation of a segment, from the cache when it has
    /// one. A later call for the same provider cancels this one, which then
    /// fails with [`Error::Cancelled`].
    pub async fn mt_suggestion(
        &self,
        doc_id: i64,
        segment_id: i64,
        provider: &str,
    ) -> Result<MtSuggestion> {
        let (provider, key, glossary) = self.provider_ready(provider).await?;
        let (request, cached) = {
            let mut open = self.lock();
            let (ws, terms) = open.with_terms()?;
            let mut request = mt::request_for(ws, terms, doc_id, segment_id)?;
            request.deepl_glossary = glossary;
            let cached = mt::cached(ws, &provider, &request)?;
            (request, cached)
        };
        if let Some(answer) = cached {
            return Ok(MtSuggestion {
                provider: provider.name,
                text: request.english(&answer),
                cached: true,
            });
        }
        let client = self.mt_client().clone();
        let (asked, sent) = (provider.clone(), request.clone());
        let task =
            tokio::spawn(async move { client.translate(&asked, key.as_deref(), &sent).await });
        if let Some(previous) = self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(provider.name.clone(), task.abort_handle())
        {
            previous.abort();
        }
        let text = task.await.map_err(|_| Error::Cancelled)??;
        let model = provider.model.clone().unwrap_or_default();
        self.lock().ws.cache_mt(
            &provider.name,
            &model,
            request.glossary_version(provider.kind),
            &request.source,
            &text,
        )?;
        Ok(MtSuggestion {
            provider: provider.name,
            text: request.english(&text),
            cached: false,
        })
    }

    /// Machine-translates every empty segment of the document, keeping each
    /// answer as it arrives; `progress` hears (done, total) and
    /// [`Session::cancel_mt_batch`] stops it, keeping what was done.
    pub async fn mt_translate_document(
        &self,
        doc_id: i64,
        provider: &str,
        progress: impl FnMut(usize, usize),
    ) -> Result<BatchReport> {
        let (provider, key, glossary) = self.provider_ready(provider).await?;
        let mut jobs = {
            let mut open = self.lock();
            let (ws, terms) = open.with_terms()?;
            mt::empty_segments(ws, terms, doc_id)?
        };
        for job in &mut jobs {
            job.request.deepl_glossary = glossary.clone();
        }
        let cancel = Arc::new(AtomicBool::new(false));
        *self.batch_cancel.lock().unwrap_or_else(|e| e.into_inner()) = Some(cancel.clone());
        Ok(mt::translate_batch(
            self.mt_client(),
            &provider,
            key.as_deref(),
            jobs,
            &cancel,
            |job| mt::cached(&self.lock().ws, &provider, &job.request),
            |job, text| mt::store_answer(&mut self.lock().ws, &provider, doc_id, job, text),
            progress,
        )
        .await?)
    }

    /// [`Session::mt_translate_document`] for fronts without a runtime.
    pub fn mt_translate_document_blocking(
        &self,
        doc_id: i64,
        provider: &str,
        progress: impl FnMut(usize, usize),
    ) -> Result<BatchReport> {
        super::articles::runtime()?.block_on(self.mt_translate_document(doc_id, provider, progress))
    }

    /// Stops the running batch.
    pub fn cancel_mt_batch(&self) {
        if let Some(cancel) = self
            .batch_cancel
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            cancel.store(true, Ordering::SeqCst);
        }
    }

    /// Translates free lines of Italian (with the glossary's terms), from
    /// the cache when it has them; `deliver` gets each English as it comes.
    /// For the command line: one request at a time, the workspace held
    /// while the provider answers.
    pub fn mt_translate_lines_blocking(
        &self,
        provider: &str,
        lines: impl IntoIterator<Item = std::io::Result<String>>,
        mut deliver: impl FnMut(&str) -> std::io::Result<()>,
    ) -> Result<()> {
        let runtime = super::articles::runtime()?;
        let (provider, key, glossary) = runtime.block_on(self.provider_ready(provider))?;
        for line in lines {
            let line = line.map_err(Error::Input)?;
            let request = MtRequest {
                terms: mt::glossary_terms(self.lock().terms()?, &line),
                source: line,
                deepl_glossary: glossary.clone(),
                ..MtRequest::default()
            };
            let (text, _) = runtime.block_on(mt::translate_cached(
                &mut self.lock().ws,
                self.mt_client(),
                &provider,
                key.as_deref(),
                &request,
            ))?;
            deliver(&text).map_err(Error::Output)?;
        }
        Ok(())
    }
}

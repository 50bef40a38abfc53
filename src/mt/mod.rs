//! Machine translation from the services translators use: DeepL,
//! LibreTranslate, and any server speaking OpenAI's chat completions
//! (Ollama, llama.cpp, vLLM, hosted models).
//!
//! [`MtClient`] sends one segment at a time with timeouts, retries on 429
//! and 5xx (exponential backoff with jitter, `Retry-After` honoured), never
//! on a refused key, and at most a few requests at once per provider.
//! Answers are cached in the workspace ([`translate_cached`]); keys live in
//! [`keys`], never in the workspace.

pub mod deepl;
pub mod effort;
pub mod keys;
mod libretranslate;
mod openai;
pub mod tags;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::store::mt::{Provider, ProviderKind};
use crate::store::{StoreError, Workspace};
use crate::text::codes;

impl Provider {
    fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.url.trim_end_matches('/'))
    }

    fn host(&self) -> String {
        reqwest::Url::parse(&self.url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| {
                    format!(
                        "{h}{}",
                        u.port().map(|p| format!(":{p}")).unwrap_or_default()
                    )
                })
            })
            .unwrap_or_else(|| self.url.clone())
    }
}

/// What is sent for one segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MtRequest {
    /// The Italian sentence; in the tag notation when `codes_source` is set.
    pub source: String,
    /// The segment's Italian with its inline codes, when it has any: the
    /// answer's tags become these codes again ([`tags::english`]).
    pub codes_source: Option<String>,
    /// The sentence before it, as context, if any.
    pub before: Option<String>,
    /// The sentence after it, as context, if any.
    pub after: Option<String>,
    /// Glossary terms recognized in the sentence: Italian as written, English.
    pub terms: Vec<(String, String)>,
    /// The DeepL glossary to apply, made from the workspace glossary.
    pub deepl_glossary: Option<DeeplGlossary>,
}

/// A glossary stored at DeepL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeeplGlossary {
    /// DeepL's id for it.
    pub id: String,
    /// Hash of its entries.
    pub version: i64,
}

impl MtRequest {
    /// A provider's answer to this request as the segment's English: its
    /// tags back as the segment's codes.
    pub fn english(&self, answer: &str) -> String {
        match &self.codes_source {
            Some(italian) => tags::english(italian, answer),
            None => answer.to_owned(),
        }
    }

    /// What, besides the sentence, changes a provider's answer and so keys
    /// the cache: the glossary terms sent to a language model.
    pub fn glossary_version(&self, kind: ProviderKind) -> i64 {
        match kind {
            ProviderKind::DeepL => self.deepl_glossary.as_ref().map_or(0, |g| g.version),
            ProviderKind::OpenAi if !self.terms.is_empty() => {
                let parts: Vec<&str> = self
                    .terms
                    .iter()
                    .flat_map(|(it, en)| [it.as_str(), en.as_str()])
                    .collect();
                crate::store::tm::stable_hash(&parts)
            }
            _ => 0,
        }
    }
}

/// Why no translation came back. Messages never include a key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MtError {
    /// 401 or 403: the key is wrong, expired or missing.
    #[error(
        "{provider}: the key was refused (HTTP {status}); set it again in the provider's settings"
    )]
    KeyRefused {
        /// The provider's name.
        provider: String,
        /// The HTTP status.
        status: u16,
    },
    /// The provider needs a key and none is stored.
    #[error("{provider}: no key is stored for this provider; add one (or set {variable})")]
    NoKey {
        /// The provider's name.
        provider: String,
        /// The environment variable that may hold it.
        variable: String,
    },
    /// 429 even after waiting as asked.
    #[error("{provider}: too many requests; the service still refused after {attempts} attempts{}", retry_hint(*.retry_after))]
    RateLimited {
        /// The provider's name.
        provider: String,
        /// Requests made.
        attempts: u32,
        /// Seconds the service last asked to wait, if it said.
        retry_after: Option<u64>,
    },
    /// DeepL's 456: the character quota is used up.
    #[error("{provider}: the account's translation quota is used up")]
    QuotaExceeded {
        /// The provider's name.
        provider: String,
    },
    /// 5xx even after retrying.
    #[error("{provider}: the service failed (HTTP {status}) {attempts} times in a row")]
    Server {
        /// The provider's name.
        provider: String,
        /// The last HTTP status.
        status: u16,
        /// Requests made.
        attempts: u32,
    },
    /// Any other refusal; `message` is what the service said.
    #[error("{provider}: the request was refused (HTTP {status}): {message}")]
    Rejected {
        /// The provider's name.
        provider: String,
        /// The HTTP status.
        status: u16,
        /// The service's explanation.
        message: String,
    },
    /// No answer in time.
    #[error("{provider}: no answer within {seconds} s")]
    Timeout {
        /// The provider's name.
        provider: String,
        /// The timeout.
        seconds: u64,
    },
    /// The host cannot be reached.
    #[error("{provider}: cannot reach {host} (offline, or the server is down)")]
    Offline {
        /// The provider's name.
        provider: String,
        /// Host and port.
        host: String,
    },
    /// The answer is not what the API returns.
    #[error("{provider}: unexpected answer: {detail}")]
    Malformed {
        /// The provider's name.
        provider: String,
        /// What was wrong.
        detail: String,
    },
    /// The workspace could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn retry_hint(seconds: Option<u64>) -> String {
    seconds
        .map(|s| format!("; it asks to wait {s} s"))
        .unwrap_or_default()
}

impl MtError {
    /// Whether the provider could not be reached at all, which the editor
    /// shows as a status rather than as an error each time.
    pub fn is_offline(&self) -> bool {
        matches!(self, MtError::Offline { .. })
    }
}

/// Timeouts, retries and concurrency.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Time to open the connection.
    pub connect_timeout: Duration,
    /// Time for the whole answer.
    pub timeout: Duration,
    /// Retries after a 429 or 5xx (the first request is not counted).
    pub max_retries: u32,
    /// First backoff; doubled on every retry, with jitter.
    pub base_delay: Duration,
    /// Longest wait before a retry; a longer `Retry-After` is not waited for.
    pub max_delay: Duration,
    /// Requests in flight at once, per provider.
    pub concurrency: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            concurrency: 4,
        }
    }
}

/// One HTTP client for every provider, with the policy of [`Settings`].
pub struct MtClient {
    http: reqwest::Client,
    settings: Settings,
    limits: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// A request ready to send: where, with which headers, which JSON.
struct Call {
    url: String,
    headers: Vec<(&'static str, String)>,
    body: serde_json::Value,
}

impl MtClient {
    /// A client with `settings`.
    pub fn new(settings: Settings) -> MtClient {
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .read_timeout(settings.timeout)
            .timeout(settings.timeout)
            .user_agent(concat!("Interlinea/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the TLS backend is compiled in");
        MtClient {
            http,
            settings,
            limits: Mutex::new(HashMap::new()),
        }
    }

    fn limit(&self, provider: &str) -> Arc<Semaphore> {
        let mut limits = self.limits.lock().unwrap_or_else(|e| e.into_inner());
        limits
            .entry(provider.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.settings.concurrency.max(1))))
            .clone()
    }

    /// Translates one sentence (no cache: see [`translate_cached`]).
    pub async fn translate(
        &self,
        provider: &Provider,
        key: Option<&str>,
        request: &MtRequest,
    ) -> Result<String, MtError> {
        let call = match provider.kind {
            ProviderKind::DeepL => {
                let key = key.ok_or_else(|| MtError::NoKey {
                    provider: provider.name.clone(),
                    variable: keys::variable(&provider.name),
                })?;
                deepl::call(provider, key, request)
            }
            ProviderKind::LibreTranslate => libretranslate::call(provider, key, request),
            ProviderKind::OpenAi => openai::call(provider, key, request),
        };
        let body = self.send(provider, key, &call).await?;
        let tagged = request.codes_source.is_some();
        let parsed = match provider.kind {
            ProviderKind::DeepL if tagged => deepl::parse(&body).map(|xml| tags::from_xml(&xml)),
            ProviderKind::DeepL => deepl::parse(&body),
            // LibreTranslate gets plain text (its HTML mode translates the
            // pieces between tags one by one), so its answer has no tags.
            ProviderKind::LibreTranslate if tagged => {
                libretranslate::parse(&body).map(|text| tags::escape(&text))
            }
            ProviderKind::LibreTranslate => libretranslate::parse(&body),
            ProviderKind::OpenAi => openai::parse(&body, request),
        };
        // Nothing a provider writes poses as one of the segment's codes.
        parsed
            .map(|text| codes::sanitize(&text).into_owned())
            .map_err(|detail| MtError::Malformed {
                provider: provider.name.clone(),
                detail: redact(&detail, key),
            })
    }

    /// Creates a DeepL glossary (Italian → English) from `entries` (TSV,
    /// see [`deepl::glossary_tsv`]); returns its id.
    pub async fn create_deepl_glossary(
        &self,
        provider: &Provider,
        key: &str,
        name: &str,
        entries: &str,
    ) -> Result<String, MtError> {
        let call = deepl::glossary_call(provider, key, name, entries);
        let body = self.send(provider, Some(key), &call).await?;
        deepl::parse_glossary(&body).map_err(|detail| MtError::Malformed {
            provider: provider.name.clone(),
            detail,
        })
    }

    /// Sends `call`, retrying as [`Settings`] says; the body of the answer.
    async fn send(
        &self,
        provider: &Provider,
        key: Option<&str>,
        call: &Call,
    ) -> Result<String, MtError> {
        let name = || provider.name.clone();
        let limit = self.limit(&provider.name);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let answer = {
                let _permit = limit
                    .acquire()
                    .await
                    .expect("the semaphore is never closed");
                let mut builder = self.http.post(&call.url).json(&call.body);
                for (header, value) in &call.headers {
                    // Marked sensitive, so that no log of the HTTP stack
                    // shows the key.
                    let mut value =
                        reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                            MtError::Malformed {
                                provider: name(),
                                detail: "the key holds characters an HTTP header cannot carry"
                                    .into(),
                            }
                        })?;
                    value.set_sensitive(true);
                    builder = builder.header(*header, value);
                }
                match builder.send().await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let retry_after = response
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(parse_retry_after);
                        let body = response
                            .text()
                            .await
                            .map_err(|e| self.transport(provider, e))?;
                        (status, retry_after, body)
                    }
                    Err(e) => return Err(self.transport(provider, e)),
                }
            };
            let (status, retry_after, body) = answer;
            match status {
                200..=299 => return Ok(body),
                401 | 403 => {
                    return Err(MtError::KeyRefused {
                        provider: name(),
                        status,
                    })
                }
                456 => return Err(MtError::QuotaExceeded { provider: name() }),
                429 | 500..=599 => {
                    let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    let exhausted = attempt > self.settings.max_retries;
                    if exhausted || wait > self.settings.max_delay {
                        return Err(if status == 429 {
                            MtError::RateLimited {
                                provider: name(),
                                attempts: attempt,
                                retry_after: retry_after.map(|d| d.as_secs()),
                            }
                        } else {
                            MtError::Server {
                                provider: name(),
                                status,
                                attempts: attempt,
                            }
                        });
                    }
                    tracing::debug!(provider = %provider.name, status, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                }
                _ => {
                    return Err(MtError::Rejected {
                        provider: name(),
                        status,
                        message: redact(&error_message(&body), key),
                    })
                }
            }
        }
    }

    /// Exponential backoff with full jitter: a random wait up to
    /// base × 2^(attempt − 1), capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .settings
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.settings.max_delay);
        ceiling.mul_f64(0.5 + fastrand::f64() / 2.0)
    }

    fn transport(&self, provider: &Provider, e: reqwest::Error) -> MtError {
        if e.is_timeout() {
            MtError::Timeout {
                provider: provider.name.clone(),
                seconds: self.settings.timeout.as_secs().max(1),
            }
        } else if e.is_connect() {
            MtError::Offline {
                provider: provider.name.clone(),
                host: provider.host(),
            }
        } else {
            MtError::Malformed {
                provider: provider.name.clone(),
                detail: e.without_url().to_string(),
            }
        }
    }
}

/// `Retry-After` in seconds or as an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value.trim()).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The explanation in an error body: `{"message"}` (DeepL),
/// `{"error"}` (LibreTranslate), `{"error": {"message"}}` (OpenAI), or
/// the start of the text.
fn error_message(body: &str) -> String {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        let found = json
            .pointer("/error/message")
            .or_else(|| json.get("message"))
            .or_else(|| json.get("error"))
            .and_then(|v| v.as_str());
        if let Some(message) = found {
            return message.to_string();
        }
    }
    let text: String = body.chars().take(200).collect();
    if text.trim().is_empty() {
        "no explanation given".into()
    } else {
        text
    }
}

/// `text` with the key, if it appears, masked.
fn redact(text: &str, key: Option<&str>) -> String {
    match key {
        Some(key) if key.len() >= 4 && text.contains(key) => text.replace(key, "[key]"),
        _ => text.to_string(),
    }
}

/// A translation from the cache when there is one (no network), else from
/// the provider, then cached. Returns the text and whether it was cached.
pub async fn translate_cached(
    ws: &mut Workspace,
    client: &MtClient,
    provider: &Provider,
    key: Option<&str>,
    request: &MtRequest,
) -> Result<(String, bool), MtError> {
    let model = provider.model.clone().unwrap_or_default();
    let version = request.glossary_version(provider.kind);
    if let Some(hit) = ws.mt_cached(&provider.name, &model, version, &request.source)? {
        return Ok((hit, true));
    }
    let answer = client.translate(provider, key, request).await?;
    ws.cache_mt(&provider.name, &model, version, &request.source, &answer)?;
    Ok((answer, false))
}

/// The request for a segment of a document: its Italian, the sentences
/// around it, and the glossary terms found in it, all without codes.
pub fn request_for(
    ws: &Workspace,
    terms: &crate::glossary::TermMatcher,
    doc_id: i64,
    segment_id: i64,
) -> Result<MtRequest, StoreError> {
    let segments = ws.segments(doc_id)?;
    let at = segments
        .iter()
        .position(|s| s.id == segment_id)
        .ok_or(StoreError::NoSegment {
            document: doc_id,
            segment: segment_id,
        })?;
    // Providers would drop, move or mangle the code characters: the
    // sentence's codes go as numbered tags, the context's not at all.
    let text = |i: Option<usize>| {
        i.and_then(|i| segments.get(i))
            .filter(|s| s.translatable.is_translatable())
            .map(|s| codes::strip(&s.source))
    };
    let italian = &segments[at].source;
    let plain = codes::strip(italian);
    let tagged = codes::has_codes(italian);
    Ok(MtRequest {
        terms: glossary_terms(terms, &plain),
        before: text(at.checked_sub(1)),
        after: text(Some(at + 1)),
        source: if tagged {
            codes::to_notation(italian, italian)
        } else {
            plain
        },
        codes_source: tagged.then(|| italian.clone()),
        deepl_glossary: None,
    })
}

/// The recognized terms of `text` with their preferred English, once each.
pub fn glossary_terms(terms: &crate::glossary::TermMatcher, text: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for hit in terms.find(text) {
        if let Some(english) = hit.entry.targets().first() {
            let written: String = chars[hit.start..hit.end].iter().collect();
            let pair = (written, english.text.clone());
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out
}

/// One segment of a batch.
#[derive(Debug, Clone)]
pub struct Job {
    /// The segment.
    pub segment_id: i64,
    /// What is sent for it.
    pub request: MtRequest,
}

/// The document's translatable segments that have no English yet.
pub fn empty_segments(
    ws: &Workspace,
    terms: &crate::glossary::TermMatcher,
    doc_id: i64,
) -> Result<Vec<Job>, StoreError> {
    let mut jobs = Vec::new();
    for segment in ws.segments(doc_id)? {
        if segment.translatable.is_translatable() && segment.target.trim().is_empty() {
            jobs.push(Job {
                segment_id: segment.id,
                request: request_for(ws, terms, doc_id, segment.id)?,
            });
        }
    }
    Ok(jobs)
}

/// A cached answer for `request`, if there is one.
pub fn cached(
    ws: &Workspace,
    provider: &Provider,
    request: &MtRequest,
) -> Result<Option<String>, StoreError> {
    let model = provider.model.as_deref().unwrap_or("");
    ws.mt_cached(
        &provider.name,
        model,
        request.glossary_version(provider.kind),
        &request.source,
    )
}

/// Caches an answer and puts it into its segment if that is still empty
/// (a draft marked as MT from `provider`); returns whether it was put in.
pub fn store_answer(
    ws: &mut Workspace,
    provider: &Provider,
    doc_id: i64,
    job: &Job,
    text: &str,
) -> Result<bool, StoreError> {
    let model = provider.model.as_deref().unwrap_or("");
    let version = job.request.glossary_version(provider.kind);
    ws.cache_mt(&provider.name, model, version, &job.request.source, text)?;
    ws.fill_from_suggestion(
        doc_id,
        job.segment_id,
        &job.request.english(text),
        &format!("mt:{}", provider.name),
    )
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Segments filled.
    pub filled: usize,
    /// Of those, answered from the cache.
    pub from_cache: usize,
    /// Segments left empty, with why.
    pub failed: Vec<(i64, String)>,
    /// Whether it was stopped before the end.
    pub cancelled: bool,
}

/// Errors after which no other segment can succeed.
fn stops_batch(e: &MtError) -> bool {
    matches!(
        e,
        MtError::KeyRefused { .. }
            | MtError::NoKey { .. }
            | MtError::QuotaExceeded { .. }
            | MtError::Offline { .. }
            | MtError::Store(_)
    )
}

/// Translates `jobs` (at most [`Settings::concurrency`] requests at once)
/// and hands each answer to `deliver` as it arrives, so what was done
/// stays done if the batch is stopped. Cached answers are delivered first
/// without a request. `progress` gets (done, total). Setting `cancel`
/// stops the batch: requests in flight are dropped.
#[allow(clippy::too_many_arguments)]
pub async fn translate_batch(
    client: &Arc<MtClient>,
    provider: &Provider,
    key: Option<&str>,
    jobs: Vec<Job>,
    cancel: &std::sync::atomic::AtomicBool,
    mut cached: impl FnMut(&Job) -> Result<Option<String>, StoreError>,
    mut deliver: impl FnMut(&Job, &str) -> Result<bool, StoreError>,
    mut progress: impl FnMut(usize, usize),
) -> Result<BatchReport, MtError> {
    use std::sync::atomic::Ordering;
    let total = jobs.len();
    let mut report = BatchReport::default();
    let mut done = 0;
    let mut pending = tokio::task::JoinSet::new();
    for job in jobs {
        if let Some(text) = cached(&job)? {
            if deliver(&job, &text)? {
                report.filled += 1;
                report.from_cache += 1;
            }
            done += 1;
            progress(done, total);
            continue;
        }
        let (client, provider, key) = (client.clone(), provider.clone(), key.map(str::to_string));
        pending.spawn(async move {
            let answer = client
                .translate(&provider, key.as_deref(), &job.request)
                .await;
            (job, answer)
        });
    }
    loop {
        if cancel.load(Ordering::SeqCst) {
            pending.abort_all();
            report.cancelled = true;
            return Ok(report);
        }
        let next = tokio::select! {
            next = pending.join_next() => next,
            () = tokio::time::sleep(Duration::from_millis(100)) => continue,
        };
        let Some(joined) = next else {
            return Ok(report);
        };
        let Ok((job, answer)) = joined else {
            continue;
        };
        done += 1;
        match answer {
            Ok(text) => {
                if deliver(&job, &text)? {
                    report.filled += 1;
                }
            }
            Err(e) if stops_batch(&e) => {
                pending.abort_all();
                return Err(e);
            }
            Err(e) => report.failed.push((job.segment_id, e.to_string())),
        }
        progress(done, total);
    }
}

/// What is needed to use a DeepL glossary: the entries (TSV) made from the
/// workspace's enabled glossaries, their version, and the id of the DeepL
/// glossary already made from them, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeeplGlossaryPlan {
    /// The entries as DeepL takes them.
    pub entries: String,
    /// Hash of the entries.
    pub version: i64,
    /// The glossary already made, if any.
    pub existing: Option<String>,
}

/// For a DeepL provider and a workspace with glossary entries, the plan
/// of the glossary to use; `None` otherwise.
pub fn deepl_glossary_plan(
    ws: &Workspace,
    provider: &Provider,
) -> Result<Option<DeeplGlossaryPlan>, StoreError> {
    if provider.kind != ProviderKind::DeepL {
        return Ok(None);
    }
    let entries = deepl::glossary_tsv(&ws.glossary_entries(None, true)?);
    if entries.is_empty() {
        return Ok(None);
    }
    let version = crate::store::tm::stable_hash(&[&entries]);
    let existing = ws.mt_glossary(&provider.name, version)?;
    Ok(Some(DeeplGlossaryPlan {
        entries,
        version,
        existing,
    }))
}

/// The DeepL glossary for `plan`: the one already made, else a new one
/// (remembered by `save`). A refusal other than of the key (a plan that
/// does not allow glossaries) means none: translations go on without.
pub async fn deepl_glossary(
    client: &MtClient,
    provider: &Provider,
    key: Option<&str>,
    plan: DeeplGlossaryPlan,
    save: impl FnOnce(&str, i64) -> Result<(), StoreError>,
) -> Result<Option<DeeplGlossary>, MtError> {
    if let Some(id) = plan.existing {
        return Ok(Some(DeeplGlossary {
            id,
            version: plan.version,
        }));
    }
    let Some(key) = key else {
        return Ok(None);
    };
    let name = format!("Interlinea {:016x}", plan.version);
    match client
        .create_deepl_glossary(provider, key, &name, &plan.entries)
        .await
    {
        Ok(id) => {
            save(&id, plan.version)?;
            Ok(Some(DeeplGlossary {
                id,
                version: plan.version,
            }))
        }
        Err(
            e @ (MtError::KeyRefused { .. } | MtError::Offline { .. } | MtError::Timeout { .. }),
        ) => Err(e),
        Err(e) => {
            tracing::warn!(provider = %provider.name, error = %e, "no DeepL glossary; translating without");
            Ok(None)
        }
    }
}

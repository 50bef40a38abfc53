//! `interlinea mt …`: machine-translation providers and translations, and
//! the MT half of `interlinea pretranslate DOC --mt NAME`.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use interlinea::glossary::TermMatcher;
use interlinea::mt::keys::{self, KeyStore};
use interlinea::mt::{self, MtClient, MtRequest, Settings};
use interlinea::store::mt::{Provider, ProviderKind};
use interlinea::Workspace;
use serde::Serialize;

use crate::{open_workspace, DbArg, Format};

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Deepl,
    Libretranslate,
    Openai,
}

impl From<Kind> for ProviderKind {
    fn from(kind: Kind) -> ProviderKind {
        match kind {
            Kind::Deepl => ProviderKind::DeepL,
            Kind::Libretranslate => ProviderKind::LibreTranslate,
            Kind::Openai => ProviderKind::OpenAi,
        }
    }
}

#[derive(Subcommand)]
pub enum MtCommand {
    /// Add (or replace) a provider. The key is read from standard input
    /// with --key-stdin, or from INTERLINEA_KEY_<NAME> at each use; never
    /// from the command line
    Add {
        name: String,
        #[arg(long, value_enum)]
        kind: Kind,
        /// Scheme, host and port, e.g. http://127.0.0.1:8080; the API's usual
        /// path is appended [default: the service's public host, for DeepL
        /// and OpenAI]
        #[arg(long, value_name = "BASE_URL")]
        url: Option<String>,
        /// OpenAI: the model; DeepL: EN-GB (default) or EN-US
        #[arg(long)]
        model: Option<String>,
        /// Read the key from the first line of standard input
        #[arg(long)]
        key_stdin: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the providers (never their keys)
    Providers {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove a provider and forget its key
    Remove {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Translate TEXT, or each line of standard input, one translation per
    /// line; answers are cached in the workspace
    Translate {
        text: Option<String>,
        #[arg(long)]
        provider: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Serialize)]
struct ProviderLine<'a> {
    name: &'a str,
    kind: &'a str,
    url: &'a str,
    model: Option<&'a str>,
    key: &'a str,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the network runtime")
}

/// The DeepL glossary made from the workspace glossary (created at DeepL
/// the first time), for a DeepL provider; `None` otherwise.
fn deepl_glossary(
    runtime: &tokio::runtime::Runtime,
    ws: &mut Workspace,
    client: &MtClient,
    provider: &Provider,
    key: Option<&str>,
) -> anyhow::Result<Option<mt::DeeplGlossary>> {
    let Some(plan) = mt::deepl_glossary_plan(ws, provider)? else {
        return Ok(None);
    };
    Ok(runtime.block_on(mt::deepl_glossary(
        client,
        provider,
        key,
        plan,
        |id, version| ws.save_mt_glossary(&provider.name, version, id),
    ))?)
}

/// The provider's key: environment first, then the private keys file.
fn key_of(provider: &str) -> anyhow::Result<Option<String>> {
    Ok(KeyStore::default_location().get(provider)?)
}

pub fn run(out: &mut impl Write, command: MtCommand) -> anyhow::Result<()> {
    match command {
        MtCommand::Add {
            name,
            kind,
            url,
            model,
            key_stdin,
            db,
        } => {
            let kind = ProviderKind::from(kind);
            let key = if key_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("reading the key from standard input")?;
                let key = line.trim().to_string();
                if key.is_empty() {
                    bail!("--key-stdin: standard input holds no key");
                }
                Some(key)
            } else {
                None
            };
            let url = match url.or_else(|| kind.default_url(key.as_deref()).map(str::to_string)) {
                Some(url) => url,
                None => bail!("--url is needed for a {} provider", kind.as_str()),
            };
            if url_is_bad(&url) {
                bail!(
                    "--url {url}: expected a scheme, host and port such as http://127.0.0.1:8080"
                );
            }
            let provider = Provider {
                name: name.clone(),
                kind,
                url,
                model,
            };
            let mut ws = open_workspace(&db)?;
            ws.save_mt_provider(&provider)?;
            let store = KeyStore::default_location();
            if let Some(key) = key {
                store.set(&name, Some(&key))?;
                writeln!(
                    out,
                    "provider {name} added; its key is kept in {}",
                    store.path().display()
                )?;
            } else {
                writeln!(
                    out,
                    "provider {name} added; no key stored (set {} if it needs one)",
                    keys::variable(&name)
                )?;
            }
        }
        MtCommand::Providers { format, db } => {
            let ws = open_workspace(&db)?;
            for provider in ws.mt_providers()? {
                let key = match key_of(&provider.name)? {
                    Some(_) => "set",
                    None => "none",
                };
                match format {
                    Format::Text => writeln!(
                        out,
                        "{}\t{}\t{}\t{}\tkey: {key}",
                        provider.name,
                        provider.kind.as_str(),
                        provider.url,
                        provider.model.as_deref().unwrap_or("-")
                    )?,
                    Format::Jsonl => writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&ProviderLine {
                            name: &provider.name,
                            kind: provider.kind.as_str(),
                            url: &provider.url,
                            model: provider.model.as_deref(),
                            key,
                        })?
                    )?,
                }
            }
        }
        MtCommand::Remove { name, db } => {
            let mut ws = open_workspace(&db)?;
            ws.delete_mt_provider(&name)?;
            KeyStore::default_location().forget(&name)?;
            writeln!(out, "provider {name} removed")?;
        }
        MtCommand::Translate { text, provider, db } => {
            let mut ws = open_workspace(&db)?;
            let provider = ws.mt_provider(&provider)?;
            let key = key_of(&provider.name)?;
            let terms = TermMatcher::new(ws.glossary_entries(None, true)?);
            let client = MtClient::new(Settings::default());
            let runtime = runtime()?;
            let glossary = deepl_glossary(&runtime, &mut ws, &client, &provider, key.as_deref())?;
            let lines = crate::text_or_stdin_lines(text)?;
            for line in lines {
                let request = MtRequest {
                    terms: mt::glossary_terms(&terms, &line),
                    source: line,
                    deepl_glossary: glossary.clone(),
                    ..MtRequest::default()
                };
                let (text, _) = runtime.block_on(mt::translate_cached(
                    &mut ws,
                    &client,
                    &provider,
                    key.as_deref(),
                    &request,
                ))?;
                // One line per input line, whatever the service returned.
                writeln!(out, "{}", text.replace(['\n', '\r'], " "))?;
                out.flush()?;
            }
        }
    }
    Ok(())
}

fn url_is_bad(url: &str) -> bool {
    !(url.starts_with("http://") || url.starts_with("https://"))
}

/// Machine-translates the document's empty segments with `provider_name`;
/// prints how many were filled.
pub fn pretranslate(
    out: &mut impl Write,
    ws: &mut Workspace,
    doc_id: i64,
    provider_name: &str,
) -> anyhow::Result<()> {
    let provider = ws.mt_provider(provider_name)?;
    let key = key_of(&provider.name)?;
    let terms = TermMatcher::new(ws.glossary_entries(None, true)?);
    let client = Arc::new(MtClient::new(Settings::default()));
    let runtime = runtime()?;
    let glossary = deepl_glossary(&runtime, ws, &client, &provider, key.as_deref())?;
    let mut jobs = mt::empty_segments(ws, &terms, doc_id)?;
    for job in &mut jobs {
        job.request.deepl_glossary = glossary.clone();
    }
    let show = std::io::stderr().is_terminal();
    let cancel = AtomicBool::new(false);
    let ws = std::cell::RefCell::new(ws);
    let report = runtime.block_on(mt::translate_batch(
        &client,
        &provider,
        key.as_deref(),
        jobs,
        &cancel,
        |job| mt::cached(&ws.borrow(), &provider, &job.request),
        |job, text| mt::store_answer(&mut ws.borrow_mut(), &provider, doc_id, job, text),
        |done, total| {
            if show {
                eprint!("\r{done}/{total} segments");
            }
        },
    ))?;
    if show {
        eprintln!();
    }
    writeln!(
        out,
        "{} segments machine-translated by {} ({} from the cache)",
        report.filled, provider.name, report.from_cache
    )?;
    for (segment, why) in &report.failed {
        eprintln!("segment {segment}: {why}");
    }
    if !report.failed.is_empty() {
        bail!("{} segments could not be translated", report.failed.len());
    }
    Ok(())
}

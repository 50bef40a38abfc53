//! `interlinea mt …`: machine-translation providers and translations, and
//! the MT half of `interlinea pretranslate DOC --mt NAME`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use interlinea::mt::keys;
use interlinea::session::{ProviderForm, Session};
use interlinea::store::mt::ProviderKind;
use serde::Serialize;

use crate::{open_session, DbArg, Format};

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
            let key = if key_stdin {
                Some(key_from_stdin()?)
            } else {
                None
            };
            let has_key = key.is_some();
            let form = ProviderForm {
                name,
                kind: ProviderKind::from(kind),
                url,
                model,
                key,
            };
            let session = open_session(&db)?;
            let name = session.save_provider(form)?.provider.name;
            if has_key {
                let place = session.keys().path().display();
                writeln!(out, "provider {name} added; its key is kept in {place}")?;
            } else {
                let variable = keys::variable(&name);
                writeln!(
                    out,
                    "provider {name} added; no key stored (set {variable} if it needs one)"
                )?;
            }
        }
        MtCommand::Providers { format, db } => {
            for view in open_session(&db)?.providers()? {
                let provider = &view.provider;
                let key = if view.has_key { "set" } else { "none" };
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
            open_session(&db)?.remove_provider(&name)?;
            writeln!(out, "provider {name} removed")?;
        }
        MtCommand::Translate { text, provider, db } => {
            let lines = crate::text_or_stdin_lines(text)?;
            open_session(&db)?.mt_translate_lines_blocking(&provider, lines, |text| {
                // One line per input line, whatever the service returned.
                writeln!(out, "{}", text.replace(['\n', '\r'], " "))?;
                out.flush()
            })?;
        }
    }
    Ok(())
}

fn key_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the key from standard input")?;
    let key = line.trim().to_string();
    if key.is_empty() {
        bail!("--key-stdin: standard input holds no key");
    }
    Ok(key)
}

/// Machine-translates the document's empty segments with `provider`;
/// prints how many were filled.
pub fn pretranslate(
    out: &mut impl Write,
    session: &Session,
    doc_id: i64,
    provider: &str,
) -> anyhow::Result<()> {
    let show = std::io::stderr().is_terminal();
    let report = session.mt_translate_document_blocking(doc_id, provider, |done, total| {
        if show {
            eprint!("\r{done}/{total} segments");
        }
    })?;
    if show {
        eprintln!();
    }
    writeln!(
        out,
        "{} segments machine-translated by {provider} ({} from the cache)",
        report.filled, report.from_cache
    )?;
    for (segment, why) in &report.failed {
        eprintln!("segment {segment}: {why}");
    }
    if !report.failed.is_empty() {
        bail!("{} segments could not be translated", report.failed.len());
    }
    Ok(())
}

//! `interlinea mt …`: machine-translation providers and translations, and
//! the MT half of `interlinea pretranslate DOC --mt NAME`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, ensure, Context};
use clap::{Subcommand, ValueEnum};
use interlinea::mt::keys;
use interlinea::session::{ProviderForm, ProviderView, Session};
use interlinea::store::mt::ProviderKind;
use interlinea::text::count;
use serde::Serialize;

use crate::{open_session, print_rows, DbArg, Format};

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
    Add(AddArgs),
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
    Translate(TranslateArgs),
}

#[derive(clap::Args)]
pub struct AddArgs {
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
}

#[derive(clap::Args)]
pub struct TranslateArgs {
    text: Option<String>,
    #[arg(long)]
    provider: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Serialize)]
struct ProviderLine<'a> {
    name: &'a str,
    kind: &'a str,
    url: &'a str,
    model: Option<&'a str>,
    key: &'a str,
}

impl<'a> From<&'a ProviderView> for ProviderLine<'a> {
    fn from(view: &'a ProviderView) -> Self {
        let provider = &view.provider;
        ProviderLine {
            name: &provider.name,
            kind: provider.kind.as_str(),
            url: &provider.url,
            model: provider.model.as_deref(),
            key: key_state(view),
        }
    }
}

pub fn run(out: &mut impl Write, command: MtCommand) -> anyhow::Result<()> {
    match command {
        MtCommand::Add(args) => add(out, args),
        MtCommand::Providers { format, db } => providers(out, format, db),
        MtCommand::Remove { name, db } => remove(out, name, db),
        MtCommand::Translate(args) => translate(out, args),
    }
}

fn add(out: &mut impl Write, args: AddArgs) -> anyhow::Result<()> {
    let key = args.key_stdin.then(key_from_stdin).transpose()?;
    let stored = key.is_some();
    let session = open_session(&args.db)?;
    let name = session
        .save_provider(provider_form(args, key))?
        .provider
        .name;
    if stored {
        let place = session.keys().path().display();
        writeln!(out, "provider {name} added; its key is kept in {place}")?;
    } else {
        let variable = keys::variable(&name);
        writeln!(
            out,
            "provider {name} added; no key stored (set {variable} if it needs one)"
        )?;
    }
    Ok(())
}

fn provider_form(args: AddArgs, key: Option<String>) -> ProviderForm {
    let (name, kind, url, model) = (args.name, args.kind.into(), args.url, args.model);
    ProviderForm {
        name,
        kind,
        url,
        model,
        key,
    }
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

fn providers(out: &mut impl Write, format: Format, db: DbArg) -> anyhow::Result<()> {
    let providers = open_session(&db)?.providers()?;
    print_rows(out, format, &providers, ProviderLine::from, |view| {
        let p = &view.provider;
        let (kind, model) = (p.kind.as_str(), p.model.as_deref().unwrap_or("-"));
        format!(
            "{}\t{kind}\t{}\t{model}\tkey: {}",
            p.name,
            p.url,
            key_state(view)
        )
    })
}

/// Whether the provider has a key, never the key.
fn key_state(view: &ProviderView) -> &'static str {
    if view.has_key {
        "set"
    } else {
        "none"
    }
}

fn remove(out: &mut impl Write, name: String, db: DbArg) -> anyhow::Result<()> {
    open_session(&db)?.remove_provider(&name)?;
    writeln!(out, "provider {name} removed")?;
    Ok(())
}

fn translate(out: &mut impl Write, args: TranslateArgs) -> anyhow::Result<()> {
    // Standard input is read line by line once the provider is known.
    let lines: Box<dyn Iterator<Item = std::io::Result<String>>> = match args.text {
        Some(text) => Box::new(std::iter::once(Ok(text))),
        None => Box::new(std::io::stdin().lines()),
    };
    open_session(&args.db)?.mt_translate_lines_blocking(&args.provider, lines, |text| {
        // One line per input line, whatever the service returned.
        writeln!(out, "{}", text.replace(['\n', '\r'], " "))?;
        out.flush()
    })?;
    Ok(())
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
    let (filled, cached) = (report.filled, report.from_cache);
    writeln!(
        out,
        "{} machine-translated by {provider} ({cached} from the cache)",
        count(filled, "segment", "segments")
    )?;
    for (segment, why) in &report.failed {
        eprintln!("segment {segment}: {why}");
    }
    let failed = report.failed.len();
    ensure!(
        failed == 0,
        "{} not be translated",
        count(failed, "segment could", "segments could")
    );
    Ok(())
}

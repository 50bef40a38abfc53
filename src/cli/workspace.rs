//! `interlinea backup|restore|settings`: the workspace file as a whole,
//! and the settings kept in it.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use interlinea::store::default_path;

use crate::{open_session, open_workspace, DbArg};

#[derive(Subcommand)]
pub enum WorkspaceCommand {
    /// Back the workspace up: a rolling copy in the `backups` folder beside
    /// it (the newest 10 are kept), or a copy to FILE
    Backup {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Put a backup back in place of the workspace (after checking it; the
    /// workspace as it was becomes a backup). Close the app first
    Restore {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Show the settings (one JSON object), or change one
    Settings {
        #[command(subcommand)]
        change: Option<SettingsChange>,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
pub enum SettingsChange {
    /// Set KEY to VALUE: a number (`zoom 125`), a name (`english_variant us`,
    /// `theme dark`, `auto_fill off|translated|draft`), text (`font_family
    /// "Georgia, serif"`), `none` (`default_mt_provider none`) or JSON
    /// (`shortcuts '{"approve":"Ctrl+Shift+A"}'`); prints the settings now saved
    Set { key: String, value: String },
}

pub fn backup(out: &mut impl Write, target: Option<PathBuf>, db: DbArg) -> anyhow::Result<()> {
    let ws = open_workspace(&db)?;
    let written = match target {
        Some(target) => {
            ws.backup_to(&target)?;
            target
        }
        None => ws.backup()?,
    };
    writeln!(out, "{}", written.display())?;
    Ok(())
}

pub fn restore(out: &mut impl Write, file: PathBuf, db: DbArg) -> anyhow::Result<()> {
    let path = db.db.clone().unwrap_or_else(default_path);
    let kept = interlinea::store::backup::restore(&path, &file)
        .map_err(|e| anyhow::anyhow!("cannot restore: {e}"))?;
    writeln!(out, "{} restored from {}", path.display(), file.display())?;
    if let Some(kept) = kept {
        writeln!(out, "the workspace as it was is kept in {}", kept.display())?;
    }
    Ok(())
}

pub fn settings(
    out: &mut impl Write,
    change: Option<SettingsChange>,
    db: DbArg,
) -> anyhow::Result<()> {
    let session = open_session(&db)?;
    let mut open = session.lock();
    let settings = match change {
        None => open.settings()?,
        Some(SettingsChange::Set { key, value }) => open.set_setting(&key, &value)?,
    };
    writeln!(out, "{}", serde_json::to_string(&settings)?)?;
    Ok(())
}

pub fn run(out: &mut impl Write, command: WorkspaceCommand) -> anyhow::Result<()> {
    match command {
        WorkspaceCommand::Backup { out: target, db } => backup(out, target, db),
        WorkspaceCommand::Restore { file, db } => restore(out, file, db),
        WorkspaceCommand::Settings { change, db } => settings(out, change, db),
    }
}

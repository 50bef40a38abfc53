//! Interlinea's desktop shell: opens the workspace and serves the UI's
//! typed commands. All domain logic lives in the `interlinea` engine.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod commands;
mod dialogs;
mod dto;
mod history;
mod mt;
mod news;
mod opener;
mod settings;
mod spelling;
mod team;
mod team_documents;

// As the command line's: a team's bootstrap and a TMX import allocate
// units on one thread and free them on another, where glibc's allocator
// is slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::sync::Mutex;

use interlinea::store::default_path;
use interlinea::Workspace;

fn workspace_path() -> PathBuf {
    std::env::var_os("INTERLINEA_DB")
        .map(PathBuf::from)
        .unwrap_or_else(default_path)
}

/// Where the log goes: the file INTERLINEA_LOG names, else a log rotated
/// daily (a week kept) in the OS's per-user state folder. Returns the
/// folder or file that holds it, for the diagnostics report.
fn start_logging() -> Option<PathBuf> {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    if let Some(file) = std::env::var_os("INTERLINEA_LOG").map(PathBuf::from) {
        if let Ok(writer) = std::fs::File::create(&file) {
            logs.with_writer(Mutex::new(writer)).init();
            return Some(file);
        }
    }
    let folder = dirs::state_dir()
        .or_else(dirs::data_local_dir)?
        .join("interlinea")
        .join("logs");
    // The appender looks for old logs to delete before it makes the folder,
    // and says so on stderr when the folder is not there yet (a first start).
    let _ = std::fs::create_dir_all(&folder);
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("interlinea.log")
        .max_log_files(7)
        .build(&folder);
    match appender {
        Ok(appender) => {
            logs.with_writer(Mutex::new(appender)).init();
            Some(folder)
        }
        Err(_) => {
            logs.with_writer(std::io::stderr).init();
            None
        }
    }
}

/// Asks whether to put the latest good backup in place of the damaged
/// workspace (which is kept beside it). The question is asked by a child
/// process of this program: a dialog shown here would keep GTK's main
/// context from the window that opens afterwards.
fn offer_restore(path: &std::path::Path, backup: &std::path::Path, detail: &str) -> bool {
    let Ok(program) = std::env::current_exe() else {
        return false;
    };
    std::process::Command::new(program)
        .env(ASK_RESTORE, "1")
        .arg(path)
        .arg(backup)
        .arg(detail)
        .status()
        .is_ok_and(|status| status.success())
}

/// Set for the child that asks the question of [`offer_restore`].
const ASK_RESTORE: &str = "INTERLINEA_ASK_RESTORE";

/// The child of [`offer_restore`]: shows the question, exits 0 for yes.
fn ask_restore() -> ! {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, backup, detail] = args.as_slice() else {
        std::process::exit(2);
    };
    let restore = "Restore the backup".to_string();
    let answer = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Warning)
        .set_title("Interlinea: the workspace is damaged")
        .set_description(format!(
            "{path} cannot be read ({detail}).\n\nThe latest good backup is {backup}. Put it in place? \
             The damaged file is kept beside it."
        ))
        .set_buttons(rfd::MessageButtons::OkCancelCustom(restore.clone(), "Quit".into()))
        .show();
    std::process::exit(if answer == rfd::MessageDialogResult::Custom(restore) {
        0
    } else {
        1
    })
}

/// Every command the UI may call and every event it may hear: the one
/// list, from which the handler, the event registry and the UI's
/// bindings (`ui/src/lib/bindings.ts`) are made.
fn ipc() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::new()
        .commands(tauri_specta::collect_commands![
            commands::workspace_info,
            dialogs::choose_files,
            dialogs::choose_save_path,
            commands::list_documents,
            commands::import_file,
            commands::import_sample,
            commands::open_document,
            commands::predict_phrases,
            commands::delete_document,
            commands::save_target,
            commands::set_block_translatable,
            commands::split_segment,
            commands::merge_segment,
            commands::add_exception,
            commands::lookup_matches,
            commands::best_scores,
            commands::list_tms,
            commands::import_tmx,
            commands::export_tmx,
            commands::delete_tm,
            commands::set_tm_read_only,
            commands::concordance,
            commands::find_terms,
            commands::check_terms,
            commands::list_glossaries,
            commands::set_glossary_enabled,
            commands::add_glossary_entry,
            commands::search_glossary,
            commands::delete_glossary_entry,
            commands::import_glossary,
            commands::export_glossary,
            commands::update_glossary_entry,
            settings::get_settings,
            settings::save_settings,
            history::segment_history,
            history::restore_version,
            history::edit_tm_unit,
            history::delete_tm_unit,
            spelling::misspellings,
            spelling::spelling_suggestions,
            spelling::add_spelling_word,
            spelling::ignore_spelling_word,
            commands::export_document,
            commands::import_review,
            commands::set_note,
            commands::qa_document,
            commands::diagnostics,
            commands::document_stats,
            commands::ignore_qa,
            mt::list_providers,
            mt::save_provider,
            mt::remove_provider,
            mt::test_provider,
            mt::mt_suggest,
            mt::mt_translate_document,
            mt::cancel_mt_batch,
            mt::note_suggestion,
            news::import_url,
            news::reimport_document,
            news::document_revision,
            news::document_meta,
            news::style_presets,
            news::set_document_style,
            news::style_suggestions,
            news::fact_checklist,
            opener::open_exported,
            opener::show_exported,
            team::team_status,
            team::team_join,
            team::team_leave,
            team::team_sync_now,
            team::team_replace_token,
            team::team_drop_rejected,
            team::team_retry_rejected,
            team::team_conflicts,
            team::settle_team_conflict,
            team_documents::team_documents,
            team_documents::team_role,
            team_documents::share_document,
            team_documents::assign_document,
            team_documents::release_document,
            team_documents::open_shared_document,
            team_documents::segment_conflicts,
            team_documents::dismiss_segment_conflict,
            team_documents::take_segment_conflict,
        ])
        .events(tauri_specta::collect_events![
            commands::TmxProgress,
            mt::MtProgress,
            team::TeamSynced
        ])
}

fn main() {
    if std::env::var_os(ASK_RESTORE).is_some() {
        ask_restore();
    }
    if let Ok(request) = std::env::var(dialogs::FILE_DIALOG) {
        dialogs::run_child(&request);
    }
    let log = start_logging();
    let path = workspace_path();
    let workspace = match Workspace::open(&path) {
        Ok(ws) => ws,
        Err(interlinea::StoreError::Damaged {
            detail,
            latest_backup: Some(backup),
            ..
        }) if offer_restore(&path, &backup, &detail) => {
            match interlinea::store::backup::restore(&path, &backup)
                .map_err(|e| e.to_string())
                .and_then(|_| Workspace::open(&path).map_err(|e| e.to_string()))
            {
                Ok(ws) => {
                    tracing::warn!(backup = %backup.display(), "damaged workspace restored from a backup");
                    ws
                }
                Err(e) => {
                    eprintln!("error: restoring {}: {e}", backup.display());
                    std::process::exit(1);
                }
            }
        }
        Err(e) => {
            tracing::error!("opening workspace {}: {e}", path.display());
            eprintln!("error: opening workspace {}: {e}", path.display());
            std::process::exit(1);
        }
    };
    tracing::info!(path = %path.display(), "workspace open");
    // A rolling backup once a day, on a connection of its own so the
    // window does not wait for it.
    let backup_of = path.clone();
    std::thread::spawn(move || {
        match Workspace::open(&backup_of).and_then(|ws| ws.backup_if_due()) {
            Ok(Some(copy)) => tracing::info!(backup = %copy.display(), "workspace backed up"),
            Ok(None) => {}
            Err(e) => tracing::warn!("no backup made: {e}"),
        }
    });
    let ipc = ipc();
    tauri::Builder::default()
        .manage(commands::LogPlace(log))
        .manage(opener::ExportedFiles::default())
        .manage(commands::AppState {
            session: interlinea::session::Session::new(workspace, path),
        })
        .invoke_handler(ipc.invoke_handler())
        .setup(move |app| {
            ipc.mount_events(app);
            team::start_background_sync(app.handle());
            Ok(())
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("error: the app stopped: {e}");
            std::process::exit(1);
        });
}

#[cfg(test)]
mod tests {
    /// A command registered without its permission would be refused to
    /// the window, and one missing from the bindings could not be called
    /// by the UI: each one is listed in build.rs, granted in the capability
    /// and generated.
    #[test]
    fn every_registered_command_is_granted() {
        let build = include_str!("../build.rs");
        let capability = include_str!("../capabilities/default.json");
        let bindings = include_str!("../../ui/src/lib/bindings.ts");
        let registered = crate::bindings::command_names(&super::ipc());
        assert!(registered.len() > 40, "{registered:?}");
        for command in registered {
            assert!(
                build.contains(&format!("\"{command}\"")),
                "{command} is not in build.rs"
            );
            let permission = format!("\"allow-{}\"", command.replace('_', "-"));
            assert!(capability.contains(&permission), "{command} is not granted");
            assert!(
                bindings.contains(&format!("(\"{command}\"")),
                "{command} is not in the bindings"
            );
        }
    }
}

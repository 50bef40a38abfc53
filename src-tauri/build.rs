//! Generates the Tauri context (config, capabilities, icons) at build time,
//! with a permission for each of the app's commands: the window may call
//! only those its capability names (`capabilities/default.json`).

/// Every command the shell registers (`ipc()` in `main.rs`), each one the
/// UI calls; a test there fails when one is missing here.
const COMMANDS: &[&str] = &[
    "workspace_info",
    "choose_files",
    "choose_save_path",
    "list_documents",
    "import_file",
    "import_sample",
    "open_document",
    "delete_document",
    "save_target",
    "set_block_translatable",
    "split_segment",
    "merge_segment",
    "add_exception",
    "lookup_matches",
    "list_tms",
    "import_tmx",
    "export_tmx",
    "delete_tm",
    "set_tm_read_only",
    "concordance",
    "find_terms",
    "check_terms",
    "list_glossaries",
    "set_glossary_enabled",
    "add_glossary_entry",
    "search_glossary",
    "delete_glossary_entry",
    "import_glossary",
    "export_glossary",
    "update_glossary_entry",
    "export_document",
    "import_review",
    "set_note",
    "qa_document",
    "diagnostics",
    "document_stats",
    "ignore_qa",
    "list_providers",
    "save_provider",
    "remove_provider",
    "test_provider",
    "mt_suggest",
    "mt_translate_document",
    "cancel_mt_batch",
    "note_suggestion",
    "import_url",
    "reimport_document",
    "document_revision",
    "document_meta",
    "style_presets",
    "set_document_style",
    "style_suggestions",
    "fact_checklist",
    "misspellings",
    "spelling_suggestions",
    "add_spelling_word",
    "ignore_spelling_word",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step");
}

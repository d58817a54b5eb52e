//! The Varde desktop shell: a Tauri 2 window over the Varde core. The shell holds the session
//! and forwards the window's commands to the core API; every rule (access, validation,
//! workflow, audit) is the core's, exactly as for the `varde` CLI.

#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod gdpr;
mod state;
mod sync;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use varde::Varde;

use crate::state::AppState;

/// Where the data lives: `VARDE_DATA_DIR`, else the per-user directory the CLI uses too.
fn data_dir() -> PathBuf {
    std::env::var_os("VARDE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(varde::config::default_data_dir)
        .unwrap_or_else(|| PathBuf::from("varde-data"))
}

/// WebKitGTK's accelerated compositing costs the web process about 100 MiB (GL buffers; Mesa's
/// software rasteriser where there is no GPU) and buys nothing for forms, tables and document
/// pages. Off unless the user's environment says otherwise.
fn prefer_lean_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

pub fn run() {
    let started = Instant::now();
    // Before any thread starts: WebKit reads the environment when it loads.
    prefer_lean_rendering();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VARDE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let state = Arc::new(AppState::new(Varde::at(&data_dir()), started));
    let idle_state = state.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(move |app| {
            idle_state.attach(app.handle().clone());
            state::watch_idle(app.handle().clone(), idle_state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::ui_ready,
            commands::create_store,
            commands::sign_in,
            commands::recover,
            commands::sign_out,
            commands::touch,
            commands::case_counts,
            commands::list_cases,
            commands::create_case,
            commands::check_national_id,
            commands::open_case,
            commands::start_review,
            commands::approve,
            commands::reject,
            commands::resubmit,
            commands::case_timeline,
            commands::add_document,
            commands::document_detail,
            commands::page_preview,
            commands::list_jobs,
            commands::retry_job,
            commands::verify_audit,
            commands::audit_entries,
            commands::export_audit,
            commands::settings,
            commands::set_setting,
            commands::list_users,
            commands::add_user,
            commands::remove_user,
            gdpr::find_case_for_break_glass,
            gdpr::break_glass_events,
            gdpr::acknowledge_break_glass,
            gdpr::erase_case,
            gdpr::export_subject,
            gdpr::backup_store,
            sync::sync_status,
            sync::sync_enroll,
            sync::sync_now,
            sync::set_sync_enabled,
        ])
        .run(tauri::generate_context!())
        .expect("the Varde window could not start");
}

//! The window's doors to access and GDPR rights: finding and opening a case by break-glass, the
//! auditor's break-glass queue, erasure, the subject's data export saved where the user chooses,
//! and the store's backup. Each is one core call; who may do what is the core's decision.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;
use varde::api::{BackupReport, ErasureReason, FoundCase};
use varde::records::BreakGlassEvent;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

#[tauri::command(async, rename_all = "snake_case")]
pub fn find_case_for_break_glass(
    state: AppStateRef<'_>,
    query: String,
) -> CommandResult<Option<FoundCase>> {
    state.with_session(|s| s.find_case_for_break_glass(&query))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn break_glass_events(
    state: AppStateRef<'_>,
    only_unreviewed: bool,
) -> CommandResult<Vec<BreakGlassEvent>> {
    state.with_session(|s| s.break_glass_events(only_unreviewed))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn acknowledge_break_glass(state: AppStateRef<'_>, id: String) -> CommandResult<()> {
    state.with_session(|s| s.acknowledge_break_glass(&id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn erase_case(
    state: AppStateRef<'_>,
    case_id: String,
    reason: ErasureReason,
    detail: Option<String>,
) -> CommandResult<()> {
    state.with_session(|s| s.erase_case(&case_id, reason, detail.as_deref()))
}

/// A file the window wrote where the user chose.
#[derive(Serialize, TS)]
pub struct SavedFile {
    #[ts(type = "string")]
    path: PathBuf,
    #[ts(type = "number")]
    bytes: u64,
}

/// Asks where to save `file_name` (the system's save dialog). Debug builds for the end-to-end
/// tests, which cannot drive a native dialog, take the folder from `VARDE_TEST_SAVE_DIR`.
fn choose_save_path(
    app: &AppHandle,
    file_name: &str,
    title: &str,
    filter: (&str, &str),
) -> Option<PathBuf> {
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os("VARDE_TEST_SAVE_DIR") {
        return Some(Path::new(&dir).join(file_name));
    }
    use tauri_plugin_dialog::DialogExt;
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter.0, &[filter.1])
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Writes `bytes` to `path`, readable by this user only, flushed to disk before it returns.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Everything stored about a case's subject (an access or portability request), saved as JSON
/// where the admin chooses. `None` when the dialog was cancelled: nothing is exported then.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_subject(
    app: AppHandle,
    state: AppStateRef<'_>,
    case_id: String,
    dialog_title: String,
) -> CommandResult<Option<SavedFile>> {
    let short: String = case_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect();
    let name = format!("varde-subject-{short}.json");
    let Some(path) = choose_save_path(&app, &name, &dialog_title, ("JSON", "json")) else {
        return Ok(None);
    };
    let export = state.with_session(|s| s.export_subject(&case_id))?;
    let json = serde_json::to_vec_pretty(&export)
        .map_err(|e| CommandError::invalid(format!("the export could not be written: {e}")))?;
    write_private(&path, &json)
        .map_err(|e| CommandError::invalid(format!("could not write {}: {e}", path.display())))?;
    Ok(Some(SavedFile {
        bytes: json.len() as u64,
        path,
    }))
}

/// A backup of the whole store (still encrypted), written where the admin chooses. `None` when
/// the dialog was cancelled.
#[tauri::command(async, rename_all = "snake_case")]
pub fn backup_store(
    app: AppHandle,
    state: AppStateRef<'_>,
    dialog_title: String,
    file_name: String,
) -> CommandResult<Option<BackupReport>> {
    // Only a name is proposed; the dialog (or the test folder) decides where.
    let name = Path::new(&file_name)
        .file_name()
        .map_or("varde-backup.vbak".into(), |n| {
            n.to_string_lossy().into_owned()
        });
    let Some(path) = choose_save_path(&app, &name, &dialog_title, ("Varde backup", "vbak")) else {
        return Ok(None);
    };
    state.with_session(|s| s.backup(&path)).map(Some)
}

//! The audit sync commands: status, enrollment, sync now and the on/off switch, each a thin call
//! of the core API (which refuses non-admins and audits), and each telling the status bar.

use std::sync::Arc;
use ts_rs::TS;

use serde::Deserialize;
use tauri::State;
use varde::api::{SyncReport, SyncStatus};

use crate::error::CommandResult;
use crate::state::AppState;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_status(state: AppStateRef<'_>) -> CommandResult<SyncStatus> {
    state.with_session(|s| s.sync_status())
}

#[derive(Deserialize, TS)]
// What the window may leave out, it may send without.
#[ts(optional_fields = nullable)]
pub struct Enrollment {
    server_url: String,
    token: String,
    pin_sha256: Option<String>,
    device_name: Option<String>,
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_enroll(state: AppStateRef<'_>, enrollment: Enrollment) -> CommandResult<SyncStatus> {
    let name = enrollment
        .device_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(host_name);
    let pin = enrollment.pin_sha256.filter(|p| !p.trim().is_empty());
    let status = state.with_session(|s| {
        s.sync_enroll(
            &enrollment.server_url,
            &enrollment.token,
            pin.as_deref(),
            &name,
        )
    })?;
    state.emit_sync_status(&status);
    state.wake_sync();
    Ok(status)
}

/// Pushes now on a connection of its own: the session stays free for the user's work while
/// the batches go out.
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_now(state: AppStateRef<'_>) -> CommandResult<SyncReport> {
    let mut agent = state.with_session(|s| s.sync_agent())?;
    let outcome = agent.sync_now();
    if let Ok(status) = agent.status() {
        state.emit_sync_status(&status);
    }
    Ok(outcome.map_err(varde::api::Error::from)?)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_sync_enabled(state: AppStateRef<'_>, enabled: bool) -> CommandResult<SyncStatus> {
    let status = state.with_session(|s| s.set_sync_enabled(enabled))?;
    state.emit_sync_status(&status);
    if enabled {
        state.wake_sync();
    }
    Ok(status)
}

/// The name the console shows for this workstation when the admin gives none: the host name.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "varde-workstation".to_string())
}

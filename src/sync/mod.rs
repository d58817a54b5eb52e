//! Audit sync, workstation side: delivers this device's signed audit chain to the clinic's
//! central audit server (`varde-server`) exactly once, and keeps the server's receipts and signed
//! checkpoints in the encrypted store so that a rewritten server log or a rolled-back local
//! store is noticed.
//!
//! - [`client`]: HTTP(S) with rustls, certificate pinning, signed requests, timeouts;
//! - [`protocol`]: one sync pass (head, batches, receipts, inclusion and consistency proofs);
//! - [`agent`]: [`SyncAgent`], a handle with its own store connection for another thread;
//! - [`runner`]: [`SyncRunner`], background sync with exponential backoff and jitter;
//! - [`tls`]: the pinned-certificate verifier and the TLS connector.
//!
//! Only sealed audit entries leave the machine (they hold ids and codes, never PHI); error
//! messages name URLs, sequence numbers and codes, never entry contents.

pub mod agent;
pub mod client;
pub mod protocol;
pub mod runner;
#[cfg(test)]
mod tests;
pub mod tls;

use serde::Serialize;
use ts_rs::TS;

use crate::api::ErrorKind;
use crate::audit::AuditError;
use crate::store::StoreError;

pub use agent::SyncAgent;
pub use runner::SyncRunner;

/// The sync state as the status bar, `varde sync status` and the settings screen show it.
#[derive(Serialize, Clone, Debug, PartialEq, TS)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub enabled: bool,
    pub device_id: String,
    pub server: Option<String>,
    /// Local entries the server has not acknowledged yet.
    #[ts(type = "number")]
    pub pending: u64,
    /// The local chain's last seq.
    #[ts(type = "number")]
    pub local_head: u64,
    /// RFC 3339 UTC.
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    /// Since when the server has been unreachable (RFC 3339 UTC), while it is.
    pub offline_since: Option<String>,
    /// The server's last known head of this device.
    #[ts(type = "number | null")]
    pub server_head: Option<u64>,
    /// The size of the last verified checkpoint of the server's tree.
    #[ts(type = "number | null")]
    pub checkpoint_size: Option<u64>,
    /// `ok`, `fork_detected`, `revoked` (the server's word), or what this workstation found:
    /// `local_rollback`, `server_inconsistent`.
    pub server_state: Option<String>,
}

/// What one `sync now` did.
#[derive(Serialize, Clone, Debug, TS)]
pub struct SyncReport {
    /// Entries the server newly stored.
    #[ts(type = "number")]
    pub pushed: u64,
    /// Entries the server already held (a retry after a crash): stored once.
    #[ts(type = "number")]
    pub duplicates: u64,
    /// Batches sent.
    #[ts(type = "number")]
    pub batches: u64,
    pub status: SyncStatus,
}

/// Why a sync did not happen or did not finish. Each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this device is not enrolled with an audit server: an admin runs `varde sync enroll URL --token TOKEN`")]
    NotEnrolled,
    #[error("audit sync is switched off: an admin runs `varde sync enable`")]
    Disabled,
    #[error("{0}")]
    BadUrl(String),
    #[error("the certificate fingerprint must be 64 hex characters (the SHA-256 of the server's certificate)")]
    BadPin,
    #[error("the audit server {server} is not reachable ({reason}); entries wait and are sent when it is")]
    Unreachable { server: String, reason: String },
    #[error("the audit server refused the request ({code}, HTTP {status}): {message}{}", seq.map_or(String::new(), |s| format!(" (entry {s})")))]
    Refused {
        status: u16,
        code: String,
        message: String,
        seq: Option<u64>,
    },
    #[error("the audit server misbehaved: {0}; nothing more is sent to it until an admin has checked it")]
    ServerMisbehaved(String),
    #[error("the local audit log ends at entry {local_head} but the server holds entries up to {server_head}: entries were removed or the store was rolled back")]
    LocalRollback { local_head: u64, server_head: u64 },
    #[error("the local audit log differs from what the server holds at entry {seq}: the store was rolled back or restored from a backup (a fork)")]
    Fork { seq: u64 },
    #[error("the audit server has revoked this device: an admin must enroll it again")]
    Revoked,
    #[error("the receipt file cannot be used: {0}")]
    BadReceipt(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Store(StoreError::Sqlite(e))
    }
}

impl SyncError {
    /// A short stable code, for audit context and `--json` errors.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::NotEnrolled => "sync_not_enrolled",
            SyncError::Disabled => "sync_disabled",
            SyncError::BadUrl(_) => "sync_bad_url",
            SyncError::BadPin => "sync_bad_pin",
            SyncError::Unreachable { .. } => "sync_unreachable",
            SyncError::Refused { .. } => "sync_refused",
            SyncError::ServerMisbehaved(_) => "sync_server_inconsistent",
            SyncError::LocalRollback { .. } => "sync_local_rollback",
            SyncError::Fork { .. } => "sync_fork",
            SyncError::Revoked => "sync_revoked",
            SyncError::BadReceipt(_) => "sync_bad_receipt",
            SyncError::Store(_) => "store_error",
            SyncError::Audit(_) => "audit_error",
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            SyncError::NotEnrolled => ErrorKind::NotFound,
            SyncError::BadUrl(_) | SyncError::BadPin | SyncError::BadReceipt(_) => {
                ErrorKind::InvalidInput
            }
            SyncError::Disabled
            | SyncError::LocalRollback { .. }
            | SyncError::Fork { .. }
            | SyncError::ServerMisbehaved(_) => ErrorKind::Conflict,
            SyncError::Revoked => ErrorKind::PermissionDenied,
            SyncError::Refused { status, .. } if *status == 401 || *status == 403 => {
                ErrorKind::Authentication
            }
            _ => ErrorKind::Other,
        }
    }

    /// Whether trying again later may help (the runner backs off and retries these).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Unreachable { .. } => true,
            SyncError::Refused { status, code, .. } => {
                *status >= 500 || code == "stale_timestamp" || code == "replayed_request"
            }
            _ => false,
        }
    }

    /// The server state this error shows, when it shows one.
    pub(crate) fn server_state(&self) -> Option<&'static str> {
        match self {
            SyncError::ServerMisbehaved(_) => Some("server_inconsistent"),
            SyncError::LocalRollback { .. } => Some("local_rollback"),
            SyncError::Fork { .. } => Some("fork_detected"),
            SyncError::Revoked => Some("revoked"),
            SyncError::Refused { code, .. } if code == "fork_detected" => Some("fork_detected"),
            SyncError::Refused { code, .. } if code == "revoked_device" => Some("revoked"),
            _ => None,
        }
    }
}

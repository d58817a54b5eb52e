//! The audit log the server keeps: its identity (origin and signing key), enrollment, verified
//! ingest into one Merkle tree, and proofs. Everything here is synchronous and runs on the
//! database's transactions; the HTTP layer calls it off the async workers.

pub mod audit_verify;
pub mod enroll;
pub mod export;
mod import;
mod ingest;
mod proofs;
mod tree;
pub mod views;

use std::sync::Arc;

use varde_sync_wire::{Checkpoint, ErrorBody, ErrorCode, ServerKey};

use crate::db::{Database, DbError, TreeState};

pub use enroll::{create_enroll_token, enroll, parse_duration};
pub use import::import_segment;
pub use ingest::ingest;
pub use proofs::{consistency_proof, inclusion_proof};

/// Why the log refused or failed a request. Each maps to one API error code; messages never
/// hold entry contents.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    BadToken(String),
    #[error("no device {0:?} is enrolled")]
    UnknownDevice(String),
    #[error("the device was revoked by an admin")]
    Revoked,
    #[error("{0}")]
    AlreadyEnrolled(String),
    #[error("the batch has {0} entries; at most {max} are taken at once", max = varde_sync_wire::MAX_BATCH_ENTRIES)]
    TooLarge(usize),
    #[error("the request body is larger than {max} bytes", max = varde_sync_wire::MAX_BODY_BYTES)]
    BodyTooLarge,
    #[error("entry {seq} differs from the entry the server holds at that seq: the device is marked fork_detected")]
    Fork { seq: u64 },
    #[error("entry {seq}: {reason}")]
    BrokenChain { seq: u64, reason: String },
    #[error("entry {seq}: {reason}")]
    BadEntry { seq: u64, reason: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequestSignature(String),
    #[error("the request's timestamp is more than {skew} s from the server's clock: check the workstation's clock", skew = varde_sync_wire::request::MAX_CLOCK_SKEW_SECS)]
    StaleTimestamp,
    #[error("this request was sent before: a replay is refused")]
    Replayed,
    #[error("{0}")]
    Unauthorized(String),
    #[error("the server's signing key failed: {0}")]
    Key(String),
    /// A file the admin named could not be written.
    #[error("{0}")]
    File(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl LogError {
    /// The API error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            LogError::Malformed(_) => ErrorCode::Malformed,
            LogError::BadToken(_) => ErrorCode::BadToken,
            LogError::UnknownDevice(_) => ErrorCode::UnknownDevice,
            LogError::Revoked => ErrorCode::RevokedDevice,
            LogError::AlreadyEnrolled(_) => ErrorCode::AlreadyEnrolled,
            LogError::TooLarge(_) | LogError::BodyTooLarge => ErrorCode::TooLarge,
            LogError::Fork { .. } => ErrorCode::ForkDetected,
            LogError::BrokenChain { .. } => ErrorCode::BrokenChain,
            LogError::BadEntry { .. } => ErrorCode::BadEntry,
            LogError::NotFound(_) => ErrorCode::NotFound,
            LogError::BadRequestSignature(_) => ErrorCode::BadRequestSignature,
            LogError::StaleTimestamp => ErrorCode::StaleTimestamp,
            LogError::Replayed => ErrorCode::ReplayedRequest,
            LogError::Unauthorized(_) => ErrorCode::Unauthorized,
            LogError::Key(_) | LogError::File(_) | LogError::Db(_) => ErrorCode::Internal,
        }
    }

    /// The entry at fault, if one is.
    pub fn seq(&self) -> Option<u64> {
        match self {
            LogError::Fork { seq }
            | LogError::BrokenChain { seq, .. }
            | LogError::BadEntry { seq, .. } => Some(*seq),
            _ => None,
        }
    }

    /// The wire form. Internal failures say only that: details stay in the server's log.
    pub fn body(&self) -> ErrorBody {
        let message = match self.code() {
            ErrorCode::Internal => "the server failed; its log says why".to_string(),
            _ => self.to_string(),
        };
        ErrorBody::new(self.code(), message, self.seq())
    }
}

/// The log: its database, name and key.
#[derive(Clone)]
pub struct Log {
    pub db: Database,
    pub origin: String,
    pub key: Arc<ServerKey>,
}

const META_ORIGIN: &str = "origin";
const META_KEY: &str = "server_key_pkcs8";

/// The default log name: `varde-audit/<host name>`.
pub fn default_origin() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "server".into());
    let clean: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    format!("varde-audit/{clean}")
}

/// Now, as entries and the database write timestamps.
pub fn now_string() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

/// `2026-11-22T07:01:02.123Z`.
pub fn format_time(t: time::OffsetDateTime) -> String {
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_default()
}

impl Log {
    /// Opens the log in `db`, giving it its name and key on first use. `origin` names a new log;
    /// an existing log keeps its name and refuses another.
    pub fn open(db: Database, origin: Option<&str>) -> Result<Log, LogError> {
        let wanted = origin.map(str::to_string).unwrap_or_else(default_origin);
        if wanted.is_empty() || wanted.contains(char::is_whitespace) || wanted.contains('+') {
            return Err(LogError::Malformed(
                "a log name (--origin) has no spaces or '+'".into(),
            ));
        }
        let (_, pkcs8) = ServerKey::generate().map_err(|e| LogError::Key(e.to_string()))?;
        let (origin_stored, key_stored) = db.write(|tx| {
            tx.insert_meta_if_absent(META_ORIGIN, wanted.clone().into_bytes())?;
            tx.insert_meta_if_absent(META_KEY, pkcs8)?;
            Ok::<_, DbError>((tx.meta(META_ORIGIN)?, tx.meta(META_KEY)?))
        })?;
        let stored_origin = String::from_utf8(origin_stored.unwrap_or_default())
            .map_err(|_| DbError::Corrupt("the stored log name".into()))?;
        if let Some(asked) = origin {
            if asked != stored_origin {
                return Err(LogError::Malformed(format!(
                    "this database's log is named {stored_origin:?}; it cannot be renamed to {asked:?}"
                )));
            }
        }
        let key = ServerKey::from_pkcs8(&key_stored.unwrap_or_default())
            .map_err(|e| LogError::Key(e.to_string()))?;
        let log = Log {
            db,
            origin: stored_origin,
            key: Arc::new(key),
        };
        let empty = log.state_for(0, tlog_tiles::EMPTY_HASH.0)?;
        log.db.write(|tx| {
            tx.init_tree(&empty)?;
            tx.insert_checkpoint(&empty, &now_string())
        })?;
        Ok(log)
    }

    /// A tree state with its freshly signed checkpoint.
    pub fn state_for(&self, size: u64, root: [u8; 32]) -> Result<TreeState, LogError> {
        let note = Checkpoint {
            origin: self.origin.clone(),
            size,
            root,
        }
        .sign(&self.key)
        .map_err(|e| LogError::Key(e.to_string()))?;
        Ok(TreeState { size, root, note })
    }

    /// The latest signed checkpoint.
    pub fn checkpoint(&self) -> Result<String, LogError> {
        let state = self.db.read(|tx| tx.tree())?;
        state
            .map(|s| s.note)
            .ok_or_else(|| LogError::Db(DbError::Corrupt("the tree state row is missing".into())))
    }
}

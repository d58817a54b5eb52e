//! Request and response bodies of the sync API, and its error codes.

use serde::{Deserialize, Serialize};
use varde_audit_chain::Entry;

use crate::receipt::Receipt;

/// `POST /v1/enroll`: a workstation registers its device with a one-time token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The one-time token from `varde-server token create`.
    pub token: String,
    /// The device id the workstation's chain uses.
    pub device_id: String,
    /// The device's Ed25519 public key (64 lowercase hex), which signs its entries.
    pub public_key: String,
    /// A name for the console, e.g. the workstation's host name (not a person's name).
    pub name: String,
}

/// The answer to an enrollment: what the workstation pins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// The enrolled device id.
    pub device_id: String,
    /// The site the token was made for.
    pub site: String,
    /// The log's origin: the key name of its checkpoints.
    pub origin: String,
    /// The server's Ed25519 public key (64 lowercase hex).
    pub server_public_key: String,
    /// The latest signed checkpoint.
    pub checkpoint: String,
    /// What the server already holds of this device (a re-enrollment after a restore).
    pub head: Head,
}

/// `POST /v1/entries`: a batch of consecutive entries of the signing device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestRequest {
    /// Entries in seq order; they may begin at or before the server's head (those are checked
    /// against what it holds and not stored twice).
    pub entries: Vec<Entry>,
    /// The device's newest local seq when it sent the batch, for the console's lag.
    #[serde(default)]
    pub local_head: Option<u64>,
}

/// A chain head: the last entry's seq and hash (`0` and 64 zeros before the first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// The last seq held.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
}

/// The answer to an accepted batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestResponse {
    /// The device the batch was for.
    pub device_id: String,
    /// The server's head of this device after the batch.
    pub head: Head,
    /// Entries newly stored.
    pub accepted: u64,
    /// Entries the server already held (same seq, same hash): accepted again, stored once.
    pub duplicates: u64,
    /// A receipt for the head entry; `None` only while the device has no entries.
    pub receipt: Option<Receipt>,
    /// The latest signed checkpoint (covering the receipt's leaf).
    pub checkpoint: String,
}

/// `GET /v1/head`: what the server holds of the signing device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadResponse {
    /// The device.
    pub device_id: String,
    /// Its head on the server.
    pub head: Head,
    /// Its state.
    pub state: DeviceState,
    /// The latest signed checkpoint.
    pub checkpoint: String,
}

/// A device as the server sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// Syncing normally.
    Ok,
    /// A different entry was offered at a seq the server holds. Cleared only by an admin.
    ForkDetected,
    /// Revoked by an admin: refused from then on.
    Revoked,
}

impl DeviceState {
    /// The snake_case name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Ok => "ok",
            DeviceState::ForkDetected => "fork_detected",
            DeviceState::Revoked => "revoked",
        }
    }

    /// Parses [`as_str`](Self::as_str)'s names.
    pub fn parse(s: &str) -> Option<DeviceState> {
        match s {
            "ok" => Some(DeviceState::Ok),
            "fork_detected" => Some(DeviceState::ForkDetected),
            "revoked" => Some(DeviceState::Revoked),
            _ => None,
        }
    }
}

/// `GET /v1/proof/inclusion?index=I&size=N`: leaf `index` is in the tree of `size` leaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The leaf index.
    pub index: u64,
    /// The tree size.
    pub size: u64,
    /// The proof's hashes, lowercase hex.
    pub hashes: Vec<String>,
}

/// `GET /v1/proof/consistency?from=M&to=N`: the tree of `from` leaves is a prefix of `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The older size.
    pub from: u64,
    /// The newer size.
    pub to: u64,
    /// The proof's hashes, lowercase hex.
    pub hashes: Vec<String>,
}

/// Every refusal: `{"error": {"code", "message", "seq"?}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The refusal itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A stable code to act on.
    pub code: ErrorCode,
    /// A plain sentence for a person (never entry contents).
    pub message: String,
    /// The entry at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
}

/// The stable error codes of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body or a parameter is not what the endpoint takes (400).
    Malformed,
    /// The enrollment token is unknown, used or expired (401).
    BadToken,
    /// No device with this id is enrolled (401).
    UnknownDevice,
    /// The request signature is missing or does not verify (401).
    BadRequestSignature,
    /// The request's timestamp is outside the allowed window (401).
    StaleTimestamp,
    /// The request's nonce was used before: a replay (401).
    ReplayedRequest,
    /// No or a wrong admin token (401).
    Unauthorized,
    /// The device was revoked (403).
    RevokedDevice,
    /// No such thing (404).
    NotFound,
    /// A different entry at a seq the server holds: the device is marked fork_detected (409).
    ForkDetected,
    /// This device id is enrolled already with another key (409).
    AlreadyEnrolled,
    /// The batch is too big (413).
    TooLarge,
    /// The entries do not continue the chain the server holds (422).
    BrokenChain,
    /// An entry's hash or signature does not verify (422).
    BadEntry,
    /// The server failed (500).
    Internal,
}

impl ErrorCode {
    /// The HTTP status of this code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Malformed => 400,
            ErrorCode::BadToken
            | ErrorCode::UnknownDevice
            | ErrorCode::BadRequestSignature
            | ErrorCode::StaleTimestamp
            | ErrorCode::ReplayedRequest
            | ErrorCode::Unauthorized => 401,
            ErrorCode::RevokedDevice => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::ForkDetected | ErrorCode::AlreadyEnrolled => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::BrokenChain | ErrorCode::BadEntry => 422,
            ErrorCode::Internal => 500,
        }
    }

    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::BadToken => "bad_token",
            ErrorCode::UnknownDevice => "unknown_device",
            ErrorCode::BadRequestSignature => "bad_request_signature",
            ErrorCode::StaleTimestamp => "stale_timestamp",
            ErrorCode::ReplayedRequest => "replayed_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::RevokedDevice => "revoked_device",
            ErrorCode::NotFound => "not_found",
            ErrorCode::ForkDetected => "fork_detected",
            ErrorCode::AlreadyEnrolled => "already_enrolled",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::BrokenChain => "broken_chain",
            ErrorCode::BadEntry => "bad_entry",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Wraps an error for the wire.
impl ErrorBody {
    /// An error body.
    pub fn new(code: ErrorCode, message: impl Into<String>, seq: Option<u64>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
                seq,
            },
        }
    }
}

/// Entries as the air-gapped receipt file carries them back: the same as a sync's answer.
pub type ImportReceipt = IngestResponse;

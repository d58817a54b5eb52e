//! The sync protocol between a Varde workstation and the clinic's central audit server
//! (`varde-server`): wire types both sides compile against, so they agree byte for byte.
//!
//! # What crosses the network
//! Only sealed audit entries ([`varde_audit_chain::Entry`]: ids, roles, actions, outcomes,
//! codes), device ids and public keys, and the server's hashes and signatures. Never a name,
//! national ID number or document text: entries hold none by construction.
//!
//! # Endpoints (JSON bodies unless said otherwise)
//! | method, path | who | body → answer |
//! |---|---|---|
//! | `POST /v1/enroll` | a workstation with a one-time token | [`EnrollRequest`] → [`EnrollResponse`] |
//! | `POST /v1/entries` | a device, [signed](request) | [`IngestRequest`] → [`IngestResponse`] |
//! | `GET /v1/head` | a device, signed | → [`HeadResponse`] (what the server holds of this device) |
//! | `GET /v1/checkpoint` | a device or an admin | → the latest signed checkpoint, `text/plain` ([`note`]) |
//! | `GET /v1/proof/inclusion?index=I&size=N` | a device or an admin | → [`InclusionProof`] |
//! | `GET /v1/proof/consistency?from=M&to=N` | a device or an admin | → [`ConsistencyProof`] |
//!
//! Errors are [`ErrorBody`] `{"error": {"code", "message", "seq"?}}` with the status codes of
//! [`ErrorCode::status`].
//!
//! # Transparency
//! The server appends every accepted entry to one Merkle tree (RFC 6962 hashing) in acceptance
//! order; leaf `i` is [`tree::leaf_data`] of the entry's device, seq and hash. Each answer to an
//! ingest carries a checkpoint (C2SP `tlog-checkpoint` in a C2SP `signed-note`, signed by the
//! server's Ed25519 key) and a [`Receipt`] for the batch's last entry. A workstation keeps its
//! last checkpoint and, on every sync, checks a consistency proof from it to the new one, so
//! the server cannot rewrite or drop history without the workstation noticing.

#![forbid(unsafe_code)]

mod api;
pub mod note;
pub mod receipt;
pub mod request;
pub mod segment;
mod server_key;
pub mod tree;

pub use api::*;
pub use note::{Checkpoint, NoteError};
pub use receipt::Receipt;
pub use segment::Segment;
pub use server_key::ServerKey;
pub use varde_audit_chain::Entry;

/// The largest batch a device sends in one request, in entries. A server refuses more with 413.
pub const MAX_BATCH_ENTRIES: usize = 5000;

/// The largest request body a server accepts, in bytes (413 beyond it).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

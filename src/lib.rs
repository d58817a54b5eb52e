//! Varde's core: the encrypted case store, the review workflow, the signed audit log, and the one
//! API ([`api::Varde`], [`api::Session`]) that the CLI and the desktop shell are thin doors over.
//!
//! Layers, innermost first:
//! - [`domain`] (crate `varde-domain`): the rules (workflow, access, national ID numbers, retention) — no I/O;
//! - [`vault`]: keys, key slots, encrypted blobs; [`store`]: SQLCipher and repositories;
//!   [`audit`]: the hash-chained, signed log;
//! - [`api`]: operations that check the rules, change the store and audit, in one transaction.

pub mod api;
pub mod config;
pub mod records;

// The api is the only door: the store, the keys and the log are reached through its operations,
// which check access and audit, never directly.
mod audit;
mod clock;
mod fsio;
mod store;
mod sync;
mod vault;

pub use api::{Error, ErrorKind, Session, Varde};

/// The store, vault and audit internals, for the benchmarks (`benches/`, `examples/`) alone (they measure
/// them against plain SQLite). Not an API: the doors use [`api`].
#[doc(hidden)]
pub mod bench_internals {
    pub use crate::audit::{verify as verify_audit, AuditLog, Event};
    pub use crate::store::cases::{
        count as count_cases, insert as insert_case, list as list_cases, synthetic_for_benchmarks,
        CaseFilter,
    };
    pub use crate::store::{open as open_store, open_unencrypted_for_benchmark};
    pub use crate::vault::{KeySlots, SecretKey};
}

/// The rules, in their own crate (`varde-domain`), under the path the core has always used.
pub use varde_domain as domain;
/// The document pipeline, in its own crate (`varde-pipeline`), which cannot reach the store or keys.
pub use varde_pipeline as pipeline;

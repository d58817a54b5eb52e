//! Varde's core: the encrypted case store, the review workflow, the signed audit log, and the one
//! API ([`api::Varde`], [`api::Session`]) that the CLI and the desktop shell are thin doors over.
//!
//! Layers, innermost first:
//! - [`domain`] (crate `varde-domain`): the rules (workflow, access, national ID numbers, retention) — no I/O;
//! - [`vault`]: keys, key slots, encrypted blobs; [`store`]: SQLCipher and repositories;
//!   [`audit`]: the hash-chained, signed log;
//! - [`api`]: operations that check the rules, change the store and audit, in one transaction.

pub mod api;
pub mod audit;
pub mod clock;
pub mod config;
pub mod fsio;
pub mod model;
pub mod store;
pub mod sync;
pub mod vault;

pub use api::{Error, ErrorKind, Session, Varde};

/// The rules, in their own crate (`varde-domain`), under the path the core has always used.
pub use varde_domain as domain;
/// The document pipeline, in its own crate (`varde-pipeline`), which cannot reach the store or keys.
pub use varde_pipeline as pipeline;

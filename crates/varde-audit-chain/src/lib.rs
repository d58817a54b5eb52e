//! The audit record of Varde: its format, canonical encoding, hash chain, Ed25519
//! signature and verification.
//!
//! The desktop app seals one [`Entry`] per audited action with its [`DeviceKey`] and appends
//! it to the device's chain; a verifier holding only the device's public key checks the chain
//! with [`verify_chain`] or, batch by batch, with a [`ChainVerifier`]. Records never contain
//! personal or clinical data: keeping it out is the caller's job.
//!
//! # The chain
//!
//! Each device keeps one chain. Entry `seq` 1 has `prev_hash` [`GENESIS_PREV_HASH`]
//! (64 zeros); every later entry has `seq` one more than the entry before it and `prev_hash`
//! equal to that entry's `hash`. So deleting, inserting or reordering entries breaks the
//! sequence, and changing any entry breaks its hash, its signature or the next link.
//!
//! Two limits follow from the design. Cutting entries off the *end* of a chain leaves a valid,
//! shorter chain: detect it by comparing with a head recorded elsewhere (for example the
//! server's, using [`ChainVerifier::resume_after`]). And anyone holding the device's private
//! key can write a whole new valid chain: the key must stay protected.
//!
//! # Sealing an entry
//!
//! 1. `canonical` = [`EntryBody::canonical_bytes`], laid out below.
//! 2. `hash` = SHA-256(`canonical`), written as 64 lowercase hex characters.
//! 3. `signature` = Ed25519 signature (RFC 8032, the device key) over the **32 raw bytes**
//!    of the hash, not over its hex text; written as 128 lowercase hex characters.
//!
//! All hex in records (`hash`, `signature`, `prev_hash`, the public key) is lowercase;
//! verification rejects any other spelling.
//!
//! # Canonical encoding, byte by byte
//!
//! The canonical bytes are a 16-byte header followed by a list of fields:
//!
//! | Bytes | Content |
//! |-------|---------|
//! | 0–11  | ASCII `varde-audit` then one `0x00` byte: `76 61 72 64 65 2d 61 75 64 69 74 00` |
//! | 12–15 | [`FORMAT_VERSION`] as a big-endian `u32`: `00 00 00 01` |
//! | 16–   | the fields below, in this order |
//!
//! Every field is a big-endian `u32` giving the byte length of its value, then the value as
//! UTF-8 (no terminator, no padding). For example the field `"1"` is `00 00 00 01 31` and the
//! empty string is `00 00 00 00`. Numbers are written as ASCII decimal without sign or leading
//! zeros.
//!
//! | # | Field | Value |
//! |---|-------|-------|
//! | 1 | `seq` | decimal, e.g. `17` |
//! | 2 | `id` | as given |
//! | 3 | `timestamp` | as given |
//! | 4 | `device_id` | as given |
//! | 5 | actor presence | `1` if `actor` is `Some`, `0` if `None` |
//! | 6 | `actor.user_id` | only if presence is `1` |
//! | 7 | `actor.role` | only if presence is `1` |
//! | 8 | `action` | as given |
//! | 9 | resource presence | `1` if `resource` is `Some`, `0` if `None` |
//! | 10 | `resource.kind` | only if presence is `1` |
//! | 11 | `resource.id` | only if presence is `1` |
//! | 12 | `outcome` | `success`, `failure` or `denied` |
//! | 13 | context count | number of `context` pairs, decimal |
//! | 14… | `context` | key, then value, for each pair in ascending byte-wise order of key |
//! | last | `prev_hash` | as given (64 lowercase hex characters) |
//!
//! Because every value carries its length and every optional part its presence flag, no two
//! different bodies have the same encoding. The bytes do not depend on JSON: `Entry`'s JSON
//! form (the body's fields at top level, plus `hash` and `signature`) is only for storage and
//! transport, and its key order or whitespace does not matter.
//!
//! ## Worked example
//!
//! This example is compiled and run as a test, so the layout and hash shown are exact.
//!
//! ```
//! use std::collections::BTreeMap;
//! use varde_audit_chain::{EntryBody, Outcome, GENESIS_PREV_HASH};
//!
//! let body = EntryBody {
//!     seq: 1,
//!     id: "e1".into(),
//!     timestamp: "2026-01-01T00:00:00Z".into(),
//!     device_id: "d1".into(),
//!     actor: None,
//!     action: "retention.purge".into(),
//!     resource: None,
//!     outcome: Outcome::Success,
//!     context: BTreeMap::from([("days".to_string(), "30".to_string())]),
//!     prev_hash: GENESIS_PREV_HASH.into(),
//! };
//!
//! let mut expected = b"varde-audit\0".to_vec();
//! expected.extend([0, 0, 0, 1]); // FORMAT_VERSION
//! for field in [
//!     "1", "e1", "2026-01-01T00:00:00Z", "d1",
//!     "0",                 // no actor
//!     "retention.purge",
//!     "0",                 // no resource
//!     "success",
//!     "1", "days", "30",   // one context pair
//!     GENESIS_PREV_HASH,
//! ] {
//!     expected.extend(u32::try_from(field.len()).unwrap().to_be_bytes());
//!     expected.extend(field.as_bytes());
//! }
//! assert_eq!(body.canonical_bytes(), expected);
//! assert_eq!(
//!     body.compute_hash(),
//!     "d43aefc4f05047179d3abf6a2edb54b5fe24a96e66333113e241b108c38730c5"
//! );
//! ```
//!
//! # Sealing and verifying
//!
//! ```
//! # use std::collections::BTreeMap;
//! use varde_audit_chain::{
//!     verify_chain, Actor, DeviceKey, EntryBody, Outcome, Resource, GENESIS_PREV_HASH,
//! };
//!
//! let (key, _pkcs8_to_store_encrypted) = DeviceKey::generate()?;
//! let entry = key.seal(EntryBody {
//!     seq: 1,
//!     id: "6f1c2a4e-0b7d-4d0e-9a57-3f5b8c1e2d90".into(),
//!     timestamp: "2026-11-22T07:01:02.123Z".into(),
//!     device_id: "device-1".into(),
//!     actor: Some(Actor { user_id: "u-17".into(), role: "reviewer".into() }),
//!     action: "case.create".into(),
//!     resource: Some(Resource { kind: "case".into(), id: "c-1".into() }),
//!     outcome: Outcome::Success,
//!     context: BTreeMap::new(),
//!     prev_hash: GENESIS_PREV_HASH.into(),
//! });
//! assert_eq!(verify_chain(&key.public_key_hex(), [&entry])?, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod canonical;
mod entry;
pub mod fhir;
pub mod hex;
mod key;
mod verify;

pub use canonical::CANONICAL_MAGIC;
pub use entry::{Actor, Entry, EntryBody, Outcome, ParseOutcomeError, Resource};
pub use key::{verify_detached, DeviceKey, KeyError};
pub use verify::{verify_chain, ChainVerifier, VerifyError};

/// The `prev_hash` of entry `seq` 1: 64 hex zeros.
pub const GENESIS_PREV_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// The version of the canonical encoding, written into every encoding.
pub const FORMAT_VERSION: u32 = 1;

//! The canonical encoding of an [`EntryBody`]: the exact bytes that are hashed.
//!
//! The layout is described byte by byte in the crate documentation. It is built only from
//! length-prefixed UTF-8 fields in a fixed order, so two different bodies can never encode
//! to the same bytes, and any language can reproduce it without a JSON or serde library.

use ring::digest::{digest, SHA256};

use crate::entry::EntryBody;
use crate::FORMAT_VERSION;

/// The bytes every canonical encoding starts with: ASCII `varde-audit` followed by one zero byte.
pub const CANONICAL_MAGIC: &[u8; 12] = b"varde-audit\0";

/// Builds the canonical bytes of `body`.
///
/// # Panics
///
/// If a single field is longer than `u32::MAX` bytes (4 GiB), which no audit record can be.
pub(crate) fn encode(body: &EntryBody) -> Vec<u8> {
    let mut out = Encoder(Vec::with_capacity(256));
    out.0.extend_from_slice(CANONICAL_MAGIC);
    out.0.extend_from_slice(&FORMAT_VERSION.to_be_bytes());

    out.field(&body.seq.to_string());
    out.field(&body.id);
    out.field(&body.timestamp);
    out.field(&body.device_id);
    match &body.actor {
        None => out.field(ABSENT),
        Some(actor) => {
            out.field(PRESENT);
            out.field(&actor.user_id);
            out.field(&actor.role);
        }
    }
    out.field(&body.action);
    match &body.resource {
        None => out.field(ABSENT),
        Some(resource) => {
            out.field(PRESENT);
            out.field(&resource.kind);
            out.field(&resource.id);
        }
    }
    out.field(body.outcome.as_str());
    out.field(&body.context.len().to_string());
    for (key, value) in &body.context {
        out.field(key);
        out.field(value);
    }
    out.field(&body.prev_hash);
    out.0
}

/// SHA-256 of the canonical bytes of `body`.
pub(crate) fn hash(body: &EntryBody) -> [u8; 32] {
    let bytes = encode(body);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, &bytes).as_ref());
    out
}

/// The presence field of an optional part that is absent.
const ABSENT: &str = "0";
/// The presence field of an optional part that is present.
const PRESENT: &str = "1";

/// Appends length-prefixed fields.
struct Encoder(Vec<u8>);

impl Encoder {
    /// Appends the byte length of `value` as a big-endian `u32`, then its UTF-8 bytes.
    fn field(&mut self, value: &str) {
        let len = u32::try_from(value.len()).expect("audit record field longer than 4 GiB");
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0.extend_from_slice(value.as_bytes());
    }
}

//! Air-gapped transfer: a segment of a device's chain written to removable media, signed by the
//! device, and ingested by `varde-server import` with the same checks as a sync.
//!
//! The device signs ([`DeviceKey::sign_detached`], domain [`DOMAIN`]) the text
//! `device_id\nfirst_seq\nlast_seq\ncount\n` followed by every entry's hash and `\n`.

use serde::{Deserialize, Serialize};
use varde_audit_chain::{verify_detached, DeviceKey, Entry};

/// The signing domain of segments.
pub const DOMAIN: &str = "varde-audit-segment-v1";
/// The `format` field of a segment file.
pub const FORMAT: &str = "varde-audit-segment/1";

/// A signed run of consecutive entries of one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Always [`FORMAT`].
    pub format: String,
    /// The device whose chain this is.
    pub device_id: String,
    /// The entries, in seq order.
    pub entries: Vec<Entry>,
    /// The device's signature over the segment.
    pub signature: String,
}

impl Segment {
    fn signed_text(device_id: &str, entries: &[Entry]) -> Vec<u8> {
        let first = entries.first().map_or(0, |e| e.body.seq);
        let last = entries.last().map_or(0, |e| e.body.seq);
        let mut text = format!("{device_id}\n{first}\n{last}\n{}\n", entries.len());
        for e in entries {
            text.push_str(&e.hash);
            text.push('\n');
        }
        text.into_bytes()
    }

    /// A segment of `entries`, signed by the device key.
    pub fn seal(key: &DeviceKey, device_id: &str, entries: Vec<Entry>) -> Segment {
        let signature = key.sign_detached(DOMAIN, &Self::signed_text(device_id, &entries));
        Segment {
            format: FORMAT.to_string(),
            device_id: device_id.to_string(),
            entries,
            signature,
        }
    }

    /// Whether the segment's signature is the device's (`public_key_hex` as enrolled). The
    /// entries themselves are checked like any batch.
    pub fn signature_is_valid(&self, public_key_hex: &str) -> bool {
        self.format == FORMAT
            && verify_detached(
                public_key_hex,
                DOMAIN,
                &Self::signed_text(&self.device_id, &self.entries),
                &self.signature,
            )
    }
}

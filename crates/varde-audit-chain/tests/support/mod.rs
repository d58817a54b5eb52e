//! Builders shared by the integration tests.

use std::collections::BTreeMap;

use varde_audit_chain::{Actor, DeviceKey, Entry, EntryBody, Outcome, Resource, GENESIS_PREV_HASH};

/// A fresh device key.
pub fn key() -> DeviceKey {
    DeviceKey::generate().expect("generate device key").0
}

/// A plausible body at `seq`; every fifth entry is a system action without actor or resource.
pub fn body(seq: u64, prev_hash: &str) -> EntryBody {
    let system = seq.is_multiple_of(5);
    EntryBody {
        seq,
        id: format!("00000000-0000-4000-8000-{seq:012}"),
        timestamp: format!("2026-11-22T07:{:02}:{:02}.123Z", seq / 60, seq % 60),
        device_id: "device-a".into(),
        actor: (!system).then(|| Actor {
            user_id: format!("u-{}", 1000 + seq % 3),
            role: "reviewer".into(),
        }),
        action: if system {
            "retention.purge"
        } else {
            "case.view"
        }
        .into(),
        resource: (!system).then(|| Resource {
            kind: "case".into(),
            id: format!("c-{seq}"),
        }),
        outcome: if seq.is_multiple_of(7) {
            Outcome::Denied
        } else {
            Outcome::Success
        },
        context: BTreeMap::from([
            ("client".to_string(), "desktop".to_string()),
            ("n".to_string(), seq.to_string()),
        ]),
        prev_hash: prev_hash.into(),
    }
}

/// A correctly sealed chain of `len` entries.
pub fn chain(key: &DeviceKey, len: u64) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for seq in 1..=len {
        let prev = entries
            .last()
            .map_or(GENESIS_PREV_HASH, |e| e.hash.as_str());
        let entry = key.seal(body(seq, prev));
        entries.push(entry);
    }
    entries
}

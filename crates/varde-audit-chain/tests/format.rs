//! The record format: canonical encoding, its golden hash, and the JSON form.

use std::collections::BTreeMap;

use crate::support::{chain, key};
use varde_audit_chain::{
    verify_chain, Actor, Entry, EntryBody, Outcome, Resource, CANONICAL_MAGIC, FORMAT_VERSION,
    GENESIS_PREV_HASH,
};

/// A body using every part of the format, including a non-ASCII value and keys whose
/// byte-wise order differs from case-insensitive order.
fn golden_body() -> EntryBody {
    EntryBody {
        seq: 42,
        id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        timestamp: "2026-11-22T07:01:02.123Z".into(),
        device_id: "dev-7f3a".into(),
        actor: Some(Actor {
            user_id: "u-1001".into(),
            role: "reviewer".into(),
        }),
        action: "case.create".into(),
        resource: Some(Resource {
            kind: "case".into(),
            id: "c-2026-0001".into(),
        }),
        outcome: Outcome::Denied,
        context: BTreeMap::from([
            ("reason".to_string(), "intake".to_string()),
            ("channel".to_string(), "scan".to_string()),
            ("Zone".to_string(), "nord-øst".to_string()),
        ]),
        prev_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
    }
}

/// The encoding of `fields` as the crate documentation specifies, written out independently.
fn spec_encoding(fields: &[&str]) -> Vec<u8> {
    let mut out = b"varde-audit\0".to_vec();
    out.extend(1u32.to_be_bytes());
    for field in fields {
        out.extend(u32::try_from(field.len()).unwrap().to_be_bytes());
        out.extend(field.as_bytes());
    }
    out
}

/// Pins format version 1. The expected hash was computed once with an independent
/// implementation of the documented layout; if this test fails, the format changed and
/// every existing chain would stop verifying.
#[test]
fn golden_body_hash_is_pinned() {
    assert_eq!(FORMAT_VERSION, 1);
    assert_eq!(CANONICAL_MAGIC, b"varde-audit\0");
    assert_eq!(
        golden_body().compute_hash(),
        "bea4894d409c39d432fb78410ed5ca4ca88ceb8f5ad98e14c6749a241e22c9f9"
    );
}

#[test]
fn canonical_bytes_follow_the_documented_layout() {
    let body = golden_body();
    let expected = spec_encoding(&[
        "42",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "2026-11-22T07:01:02.123Z",
        "dev-7f3a",
        "1",
        "u-1001",
        "reviewer",
        "case.create",
        "1",
        "case",
        "c-2026-0001",
        "denied",
        "3",
        "Zone",
        "nord-øst",
        "channel",
        "scan",
        "reason",
        "intake",
        &body.prev_hash,
    ]);
    assert_eq!(body.canonical_bytes(), expected);
}

#[test]
fn absent_actor_and_resource_are_a_single_zero_field() {
    let body = EntryBody {
        actor: None,
        resource: None,
        context: BTreeMap::new(),
        outcome: Outcome::Failure,
        ..golden_body()
    };
    let expected = spec_encoding(&[
        "42",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "2026-11-22T07:01:02.123Z",
        "dev-7f3a",
        "0",
        "case.create",
        "0",
        "failure",
        "0",
        &body.prev_hash,
    ]);
    assert_eq!(body.canonical_bytes(), expected);
}

#[test]
fn moving_bytes_between_adjacent_fields_changes_the_hash() {
    let base = golden_body();
    let variants = [
        EntryBody {
            id: format!("{}2", base.id),
            timestamp: base.timestamp[1..].to_string(),
            ..base.clone()
        },
        EntryBody {
            actor: Some(Actor {
                user_id: "u-1001r".into(),
                role: "eviewer".into(),
            }),
            ..base.clone()
        },
        EntryBody {
            resource: Some(Resource {
                kind: "casec".into(),
                id: "-2026-0001".into(),
            }),
            ..base.clone()
        },
        EntryBody {
            context: BTreeMap::from([
                ("Zone".to_string(), "nord-øst".to_string()),
                ("channel".to_string(), "scan".to_string()),
                ("reasoni".to_string(), "ntake".to_string()),
            ]),
            ..base.clone()
        },
    ];
    let base_hash = base.compute_hash();
    for variant in variants {
        // Same bytes in total, only the boundary moved.
        assert_eq!(
            variant.canonical_bytes().len(),
            base.canonical_bytes().len()
        );
        assert_ne!(variant.compute_hash(), base_hash, "{variant:?}");
    }
}

#[test]
fn absent_actor_differs_from_empty_actor() {
    let none = EntryBody {
        actor: None,
        ..golden_body()
    };
    let empty = EntryBody {
        actor: Some(Actor {
            user_id: String::new(),
            role: String::new(),
        }),
        ..golden_body()
    };
    assert_ne!(none.compute_hash(), empty.compute_hash());
}

#[test]
fn json_round_trip_keeps_the_chain_valid() {
    let key = key();
    let entries = chain(&key, 20);
    let lines: Vec<String> = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let parsed: Vec<Entry> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(parsed, entries);
    assert_eq!(verify_chain(&key.public_key_hex(), &parsed), Ok(20));
}

#[test]
fn json_form_has_body_fields_at_top_level() {
    let key = key();
    let entry = key.seal(EntryBody {
        actor: None,
        prev_hash: GENESIS_PREV_HASH.into(),
        seq: 1,
        ..golden_body()
    });
    let value = serde_json::to_value(&entry).unwrap();
    let object = value.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "actor",
            "context",
            "device_id",
            "hash",
            "id",
            "outcome",
            "prev_hash",
            "resource",
            "seq",
            "signature",
            "timestamp"
        ]
    );
    assert_eq!(object["seq"], 1);
    assert_eq!(object["actor"], serde_json::Value::Null);
    assert_eq!(object["outcome"], "denied");
    assert_eq!(object["hash"].as_str().unwrap(), entry.hash);
}

#[test]
fn outcome_names_match_in_text_json_and_encoding() {
    for outcome in [Outcome::Success, Outcome::Failure, Outcome::Denied] {
        let name = outcome.as_str();
        assert_eq!(name.parse::<Outcome>(), Ok(outcome));
        assert_eq!(outcome.to_string(), name);
        assert_eq!(serde_json::to_value(outcome).unwrap(), name);
    }
    assert!("Success".parse::<Outcome>().is_err());
    assert!("".parse::<Outcome>().is_err());
}

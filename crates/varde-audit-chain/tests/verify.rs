//! Verification of sealed chains and detection of every kind of tampering.

use crate::support::{body, chain, key};
use varde_audit_chain::{
    verify_chain, Actor, ChainVerifier, Entry, VerifyError, GENESIS_PREV_HASH,
};

const LEN: u64 = 20;

/// Verifies `entries` with the key that sealed the chain.
fn verify(key: &varde_audit_chain::DeviceKey, entries: &[Entry]) -> Result<u64, VerifyError> {
    verify_chain(&key.public_key_hex(), entries)
}

/// Seals a fresh chain, changes entry `seq` with `tamper` (without resealing) and verifies.
fn tamper_body(seq: u64, tamper: impl FnOnce(&mut Entry)) -> Result<u64, VerifyError> {
    let key = key();
    let mut entries = chain(&key, LEN);
    tamper(&mut entries[index(seq)]);
    verify(&key, &entries)
}

fn index(seq: u64) -> usize {
    usize::try_from(seq - 1).unwrap()
}

#[test]
fn sealed_chain_of_twenty_entries_verifies() {
    let key = key();
    let entries = chain(&key, LEN);
    assert_eq!(verify(&key, &entries), Ok(LEN));

    let mut verifier = ChainVerifier::new(&key.public_key_hex()).unwrap();
    assert_eq!(verifier.head(), (0, GENESIS_PREV_HASH));
    for entry in &entries {
        verifier.push(entry).unwrap();
    }
    assert_eq!(verifier.verified(), LEN);
    assert_eq!(
        verifier.head(),
        (LEN, entries.last().unwrap().hash.as_str())
    );
}

#[test]
fn empty_chain_verifies_as_zero_entries() {
    assert_eq!(verify(&key(), &[]), Ok(0));
}

#[test]
fn modified_action_is_hash_mismatch() {
    let result = tamper_body(7, |e| e.body.action = "case.export".into());
    assert_eq!(result, Err(VerifyError::HashMismatch { seq: 7 }));
}

#[test]
fn modified_context_value_is_hash_mismatch() {
    let result = tamper_body(11, |e| {
        e.body.context.insert("client".into(), "server".into());
    });
    assert_eq!(result, Err(VerifyError::HashMismatch { seq: 11 }));
}

#[test]
fn modified_timestamp_is_hash_mismatch() {
    let result = tamper_body(3, |e| e.body.timestamp = "2026-11-21T07:00:03.123Z".into());
    assert_eq!(result, Err(VerifyError::HashMismatch { seq: 3 }));
}

#[test]
fn modified_actor_is_hash_mismatch() {
    let other_user = tamper_body(4, |e| {
        e.body.actor = Some(Actor {
            user_id: "u-9999".into(),
            role: "reviewer".into(),
        });
    });
    assert_eq!(other_user, Err(VerifyError::HashMismatch { seq: 4 }));

    let removed = tamper_body(4, |e| e.body.actor = None);
    assert_eq!(removed, Err(VerifyError::HashMismatch { seq: 4 }));
}

#[test]
fn modified_entry_with_recomputed_hash_is_bad_signature() {
    let result = tamper_body(9, |e| {
        e.body.action = "case.delete".into();
        e.hash = e.body.compute_hash();
    });
    assert_eq!(result, Err(VerifyError::BadSignature { seq: 9 }));
}

#[test]
fn deleted_entry_is_sequence_gap() {
    let key = key();
    let mut entries = chain(&key, LEN);
    entries.remove(index(8));
    assert_eq!(
        verify(&key, &entries),
        Err(VerifyError::SequenceGap {
            expected: 8,
            found: 9
        })
    );
}

#[test]
fn inserted_entry_signed_with_another_key_is_bad_signature() {
    let key = key();
    let mut entries = chain(&key, LEN);
    // A forger who knows the format but not the device key: correct seq, link and hash.
    let forged = crate::support::key().seal(body(6, &entries[index(5)].hash));
    entries.insert(index(6), forged);
    assert_eq!(
        verify(&key, &entries),
        Err(VerifyError::BadSignature { seq: 6 })
    );
}

#[test]
fn replayed_entry_is_sequence_gap() {
    let key = key();
    let mut entries = chain(&key, LEN);
    let copy = entries[index(5)].clone();
    entries.insert(index(6), copy);
    assert_eq!(
        verify(&key, &entries),
        Err(VerifyError::SequenceGap {
            expected: 6,
            found: 5
        })
    );
}

#[test]
fn reordered_entries_are_sequence_gap() {
    let key = key();
    let mut entries = chain(&key, LEN);
    entries.swap(index(12), index(13));
    assert_eq!(
        verify(&key, &entries),
        Err(VerifyError::SequenceGap {
            expected: 12,
            found: 13
        })
    );
}

#[test]
fn broken_link_resealed_by_the_same_key_is_broken_link() {
    let key = key();
    let mut entries = chain(&key, LEN);
    // Validly sealed by the device itself, but pointing at the wrong predecessor.
    let wrong_prev = entries[index(3)].hash.clone();
    entries[index(5)] = key.seal(body(5, &wrong_prev));
    assert_eq!(
        verify(&key, &entries),
        Err(VerifyError::BrokenLink { seq: 5 })
    );
}

#[test]
fn first_entry_must_link_to_genesis() {
    let key = key();
    let mut entries = chain(&key, 3);
    entries[0] = key.seal(body(1, &"1".repeat(64)));
    assert_eq!(
        verify(&key, &entries),
        Err(VerifyError::BrokenLink { seq: 1 })
    );
}

#[test]
fn chain_signed_by_another_device_key_is_bad_signature() {
    let other = key();
    let entries = chain(&other, LEN);
    assert_eq!(
        verify(&key(), &entries),
        Err(VerifyError::BadSignature { seq: 1 })
    );
}

#[test]
fn resume_after_continues_from_a_known_head() {
    let key = key();
    let entries = chain(&key, LEN);
    let (first, rest) = entries.split_at(12);

    let mut start = ChainVerifier::new(&key.public_key_hex()).unwrap();
    first.iter().try_for_each(|e| start.push(e)).unwrap();
    let (seq, hash) = start.head();
    assert_eq!(seq, 12);

    let mut resumed = ChainVerifier::resume_after(&key.public_key_hex(), seq, hash).unwrap();
    assert_eq!(resumed.head(), (12, first[11].hash.as_str()));
    rest.iter().try_for_each(|e| resumed.push(e)).unwrap();
    assert_eq!(resumed.verified(), 8);
    assert_eq!(resumed.head(), (LEN, entries[index(LEN)].hash.as_str()));
}

#[test]
fn resume_after_a_different_head_is_broken_link() {
    let key = key();
    let entries = chain(&key, LEN);
    let mut resumed =
        ChainVerifier::resume_after(&key.public_key_hex(), 12, &entries[10].hash).unwrap();
    assert_eq!(
        resumed.push(&entries[index(13)]),
        Err(VerifyError::BrokenLink { seq: 13 })
    );
}

#[test]
fn resume_after_with_missing_entries_is_sequence_gap() {
    let key = key();
    let entries = chain(&key, LEN);
    let mut resumed =
        ChainVerifier::resume_after(&key.public_key_hex(), 12, &entries[index(12)].hash).unwrap();
    assert_eq!(
        resumed.push(&entries[index(15)]),
        Err(VerifyError::SequenceGap {
            expected: 13,
            found: 15
        })
    );
}

#[test]
fn resume_after_genesis_is_a_fresh_chain() {
    let key = key();
    let entries = chain(&key, 3);
    let mut resumed =
        ChainVerifier::resume_after(&key.public_key_hex(), 0, GENESIS_PREV_HASH).unwrap();
    entries.iter().try_for_each(|e| resumed.push(e)).unwrap();
    assert_eq!(resumed.verified(), 3);
}

#[test]
fn resume_after_rejects_an_impossible_head() {
    let key = key().public_key_hex();
    let bad = |seq, hash: &str| {
        matches!(
            ChainVerifier::resume_after(&key, seq, hash),
            Err(VerifyError::BadHead { .. })
        )
    };
    assert!(bad(3, "abc"));
    assert!(bad(3, &"A".repeat(64)));
    assert!(bad(0, &"1".repeat(64)));
    assert!(bad(3, GENESIS_PREV_HASH));
}

#[test]
fn no_entry_can_follow_the_largest_seq() {
    let key = key();
    let head = "1".repeat(64);
    let mut verifier = ChainVerifier::resume_after(&key.public_key_hex(), u64::MAX, &head).unwrap();
    let entry = key.seal(body(u64::MAX, &head));
    assert!(matches!(
        verifier.push(&entry),
        Err(VerifyError::Malformed { seq: u64::MAX, .. })
    ));
}

#[test]
fn rejected_entry_leaves_the_head_unchanged() {
    let key = key();
    let entries = chain(&key, 3);
    let mut verifier = ChainVerifier::new(&key.public_key_hex()).unwrap();
    verifier.push(&entries[0]).unwrap();

    let mut modified = entries[1].clone();
    modified.body.action = "case.export".into();
    assert_eq!(
        verifier.push(&modified),
        Err(VerifyError::HashMismatch { seq: 2 })
    );
    assert_eq!(verifier.head(), (1, entries[0].hash.as_str()));
    assert_eq!(verifier.verified(), 1);

    verifier.push(&entries[1]).unwrap();
    verifier.push(&entries[2]).unwrap();
    assert_eq!(verifier.verified(), 3);
}

#[test]
fn malformed_hex_is_reported_with_its_field() {
    let short_hash = tamper_body(2, |e| {
        e.hash.pop();
    });
    let Err(VerifyError::Malformed { seq: 2, reason }) = short_hash else {
        panic!("expected Malformed for entry 2, got {short_hash:?}");
    };
    assert!(reason.starts_with("hash "), "{reason}");

    let upper_signature = tamper_body(4, |e| e.signature = e.signature.to_uppercase());
    let Err(VerifyError::Malformed { seq: 4, reason }) = upper_signature else {
        panic!("expected Malformed for entry 4, got {upper_signature:?}");
    };
    assert!(reason.starts_with("signature "), "{reason}");

    let bad_prev = tamper_body(6, |e| e.body.prev_hash = "zz".repeat(32));
    let Err(VerifyError::Malformed { seq: 6, reason }) = bad_prev else {
        panic!("expected Malformed for entry 6, got {bad_prev:?}");
    };
    assert!(reason.starts_with("prev_hash "), "{reason}");
}

#[test]
fn public_key_must_be_64_lowercase_hex_characters() {
    let key = key().public_key_hex();
    assert!(ChainVerifier::new(&key).is_ok());
    for bad in [&key[..62], &key.to_uppercase(), "", &format!("{key}00")] {
        assert_eq!(
            ChainVerifier::new(bad).err(),
            Some(VerifyError::BadPublicKey),
            "{bad:?}"
        );
        assert_eq!(
            ChainVerifier::resume_after(bad, 0, GENESIS_PREV_HASH).err(),
            Some(VerifyError::BadPublicKey)
        );
    }
}

#[test]
fn errors_name_the_entry_in_plain_english() {
    assert_eq!(
        VerifyError::HashMismatch { seq: 17 }.to_string(),
        "audit entry 17: contents do not match its hash (modified after it was written)"
    );
    assert_eq!(
        VerifyError::SequenceGap {
            expected: 4,
            found: 5
        }
        .to_string(),
        "audit entry 5: found where entry 4 was expected \
         (an entry was deleted, inserted or reordered)"
    );
    for (error, seq) in [
        (VerifyError::BadPublicKey, None),
        (VerifyError::BadHead { reason: "x".into() }, None),
        (
            VerifyError::SequenceGap {
                expected: 4,
                found: 5,
            },
            Some(5),
        ),
        (VerifyError::BrokenLink { seq: 6 }, Some(6)),
        (VerifyError::HashMismatch { seq: 7 }, Some(7)),
        (VerifyError::BadSignature { seq: 8 }, Some(8)),
        (
            VerifyError::Malformed {
                seq: 9,
                reason: "x".into(),
            },
            Some(9),
        ),
    ] {
        assert_eq!(error.seq(), seq, "{error}");
        if let Some(seq) = seq {
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("audit entry {seq}: ")),
                "{error}"
            );
        }
    }
}

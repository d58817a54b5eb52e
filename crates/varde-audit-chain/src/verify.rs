//! Verification of a chain of entries against the device's public key.

use std::fmt;

use ring::signature::{UnparsedPublicKey, ED25519};

use crate::entry::Entry;
use crate::hex::{self, HexError};
use crate::{canonical, GENESIS_PREV_HASH};

/// Why verification stopped. Entry variants name the first bad entry by its `seq`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The public key given to the verifier is not 64 lowercase hex characters.
    #[error(
        "the device public key is not valid: expected 64 lowercase hex characters \
         (a 32-byte Ed25519 key)"
    )]
    BadPublicKey,
    /// The head given to [`ChainVerifier::resume_after`] is not a possible chain head.
    #[error("cannot resume verification from the given head: {reason}")]
    BadHead {
        /// What is wrong with the head.
        reason: String,
    },
    /// The entry is not the next one: an entry was deleted, inserted or reordered.
    #[error(
        "audit entry {found}: found where entry {expected} was expected \
         (an entry was deleted, inserted or reordered)"
    )]
    SequenceGap {
        /// The `seq` that should have come next.
        expected: u64,
        /// The `seq` of the entry that came instead.
        found: u64,
    },
    /// The entry's `prev_hash` is not the hash of the entry before it.
    #[error(
        "audit entry {seq}: does not follow the previous entry \
         (its prev_hash is not the previous entry's hash)"
    )]
    BrokenLink {
        /// The entry whose link is broken.
        seq: u64,
    },
    /// The entry's body does not hash to its recorded `hash`.
    #[error("audit entry {seq}: contents do not match its hash (modified after it was written)")]
    HashMismatch {
        /// The modified entry.
        seq: u64,
    },
    /// The signature is not this device's signature over the entry's `hash`.
    #[error(
        "audit entry {seq}: signature is not valid for this device's key \
         (forged, modified, or written by another device)"
    )]
    BadSignature {
        /// The entry with the bad signature.
        seq: u64,
    },
    /// A field that must have a fixed form does not.
    #[error("audit entry {seq}: malformed: {reason}")]
    Malformed {
        /// The malformed entry.
        seq: u64,
        /// Which field is wrong and how.
        reason: String,
    },
}

impl VerifyError {
    /// The `seq` of the rejected entry, or `None` when no entry is at fault.
    ///
    /// For [`SequenceGap`](Self::SequenceGap) this is the entry that was found.
    pub fn seq(&self) -> Option<u64> {
        match self {
            VerifyError::BadPublicKey | VerifyError::BadHead { .. } => None,
            VerifyError::SequenceGap { found, .. } => Some(*found),
            VerifyError::BrokenLink { seq }
            | VerifyError::HashMismatch { seq }
            | VerifyError::BadSignature { seq }
            | VerifyError::Malformed { seq, .. } => Some(*seq),
        }
    }
}

/// Streaming verifier: feed entries in order with [`push`](Self::push).
///
/// Each entry is checked in this order, and the first failure is returned:
///
/// 1. `hash`, `signature` and `prev_hash` are lowercase hex of the right length
///    ([`Malformed`](VerifyError::Malformed));
/// 2. `seq` is one more than the head's ([`SequenceGap`](VerifyError::SequenceGap));
/// 3. the body hashes to `hash` ([`HashMismatch`](VerifyError::HashMismatch));
/// 4. `signature` verifies over the raw `hash` bytes with the device key
///    ([`BadSignature`](VerifyError::BadSignature));
/// 5. `prev_hash` equals the head's hash ([`BrokenLink`](VerifyError::BrokenLink)).
///
/// An accepted entry becomes the new head; a rejected entry leaves the verifier unchanged.
#[derive(Clone)]
pub struct ChainVerifier {
    public_key: [u8; 32],
    head_seq: u64,
    head_hash: String,
    verified: u64,
}

impl ChainVerifier {
    /// A verifier for a whole chain, starting before `seq` 1.
    pub fn new(public_key_hex: &str) -> Result<Self, VerifyError> {
        Ok(ChainVerifier {
            public_key: parse_public_key(public_key_hex)?,
            head_seq: 0,
            head_hash: GENESIS_PREV_HASH.to_owned(),
            verified: 0,
        })
    }

    /// A verifier for entries that continue a chain whose last verified entry is
    /// (`last_seq`, `last_hash`). `(0, GENESIS_PREV_HASH)` is the same as [`new`](Self::new).
    pub fn resume_after(
        public_key_hex: &str,
        last_seq: u64,
        last_hash: &str,
    ) -> Result<Self, VerifyError> {
        let public_key = parse_public_key(public_key_hex)?;
        if let Err(e) = hex::decode_array::<32>(last_hash) {
            return Err(VerifyError::BadHead {
                reason: format!("the last hash {e}"),
            });
        }
        let is_genesis = last_hash == GENESIS_PREV_HASH;
        if (last_seq == 0) != is_genesis {
            return Err(VerifyError::BadHead {
                reason: "GENESIS_PREV_HASH is the head at seq 0 and only there".to_owned(),
            });
        }
        Ok(ChainVerifier {
            public_key,
            head_seq: last_seq,
            head_hash: last_hash.to_owned(),
            verified: 0,
        })
    }

    /// Checks `entry` as the next one in the chain and, if it passes, makes it the head.
    pub fn push(&mut self, entry: &Entry) -> Result<(), VerifyError> {
        let seq = entry.body.seq;
        let malformed = |field: &str, e: HexError| VerifyError::Malformed {
            seq,
            reason: format!("{field} {e}"),
        };
        let hash = hex::decode_array::<32>(&entry.hash).map_err(|e| malformed("hash", e))?;
        let signature =
            hex::decode_array::<64>(&entry.signature).map_err(|e| malformed("signature", e))?;
        hex::decode_array::<32>(&entry.body.prev_hash).map_err(|e| malformed("prev_hash", e))?;

        let Some(expected) = self.head_seq.checked_add(1) else {
            return Err(VerifyError::Malformed {
                seq,
                reason: "the chain is already at the largest possible seq".to_owned(),
            });
        };
        if seq != expected {
            return Err(VerifyError::SequenceGap {
                expected,
                found: seq,
            });
        }
        if canonical::hash(&entry.body) != hash {
            return Err(VerifyError::HashMismatch { seq });
        }
        UnparsedPublicKey::new(&ED25519, &self.public_key)
            .verify(&hash, &signature)
            .map_err(|_| VerifyError::BadSignature { seq })?;
        if entry.body.prev_hash != self.head_hash {
            return Err(VerifyError::BrokenLink { seq });
        }

        self.head_seq = seq;
        self.head_hash.clone_from(&entry.hash);
        self.verified += 1;
        Ok(())
    }

    /// How many entries this verifier has accepted.
    pub fn verified(&self) -> u64 {
        self.verified
    }

    /// The `seq` and `hash` of the last accepted entry; `(0, GENESIS_PREV_HASH)` before
    /// the first entry of a chain, or the resume point before the first push.
    pub fn head(&self) -> (u64, &str) {
        (self.head_seq, &self.head_hash)
    }
}

impl fmt::Debug for ChainVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainVerifier")
            .field("head_seq", &self.head_seq)
            .field("head_hash", &self.head_hash)
            .field("verified", &self.verified)
            .finish_non_exhaustive()
    }
}

/// Verifies a whole chain from `seq` 1 and returns the number of entries.
///
/// A chain that was cut short at its end still verifies; compare the returned count or
/// the last hash with a head recorded elsewhere to detect that.
pub fn verify_chain<'a>(
    public_key_hex: &str,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Result<u64, VerifyError> {
    let mut verifier = ChainVerifier::new(public_key_hex)?;
    for entry in entries {
        verifier.push(entry)?;
    }
    Ok(verifier.verified())
}

/// Decodes a 32-byte public key from lowercase hex.
fn parse_public_key(public_key_hex: &str) -> Result<[u8; 32], VerifyError> {
    hex::decode_array::<32>(public_key_hex).map_err(|_| VerifyError::BadPublicKey)
}

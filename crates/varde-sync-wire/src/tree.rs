//! The server's Merkle tree (RFC 6962 hashing) as both sides see it: what a leaf is, and
//! checking inclusion and consistency proofs. Building the tree and proofs is the server's
//! (`tlog_tiles` over hashes stored in its database).

use tlog_tiles::Hash;
use varde_audit_chain::hex;

use crate::{ConsistencyProof, InclusionProof};

/// The tag at the start of every leaf, so a leaf can never be read as something else.
const LEAF_TAG: &[u8] = b"varde-leaf-v1\0";

/// Why a proof does not check out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// A hash in the proof, or the entry hash, is not 64 lowercase hex characters.
    #[error("the proof is malformed: {0}")]
    Malformed(String),
    /// The proof does not lead to the checkpoint's root.
    #[error("the server's proof does not match its signed checkpoint ({0})")]
    Invalid(String),
}

/// The bytes of the leaf for entry `seq` (hash `entry_hash`, lowercase hex) of `device_id`:
/// the tag, the device id's length (big-endian u32) and bytes, `seq` (big-endian u64) and the
/// 32 raw bytes of the entry hash.
pub fn leaf_data(device_id: &str, seq: u64, entry_hash: &str) -> Result<Vec<u8>, ProofError> {
    let hash = hex::decode_array::<32>(entry_hash)
        .map_err(|e| ProofError::Malformed(format!("entry hash {e}")))?;
    let id_len = u32::try_from(device_id.len())
        .map_err(|_| ProofError::Malformed("device id too long".into()))?;
    let mut data = Vec::with_capacity(LEAF_TAG.len() + 4 + device_id.len() + 8 + 32);
    data.extend_from_slice(LEAF_TAG);
    data.extend_from_slice(&id_len.to_be_bytes());
    data.extend_from_slice(device_id.as_bytes());
    data.extend_from_slice(&seq.to_be_bytes());
    data.extend_from_slice(&hash);
    Ok(data)
}

/// RFC 6962 leaf hash: SHA-256(0x00 ‖ leaf data).
pub fn leaf_hash(device_id: &str, seq: u64, entry_hash: &str) -> Result<[u8; 32], ProofError> {
    Ok(tlog_tiles::record_hash(&leaf_data(device_id, seq, entry_hash)?).0)
}

/// Lowercase hex of a tree hash, as proofs carry them.
pub fn hash_hex(hash: &[u8; 32]) -> String {
    hex::encode(hash)
}

fn parse_hashes(hashes: &[String]) -> Result<Vec<Hash>, ProofError> {
    hashes
        .iter()
        .map(|h| {
            hex::decode_array::<32>(h)
                .map(Hash)
                .map_err(|e| ProofError::Malformed(format!("proof hash {e}")))
        })
        .collect()
}

/// Checks that leaf `proof.index` of the tree of `proof.size` leaves with root `root` is
/// `leaf_hash`.
pub fn verify_inclusion(
    proof: &InclusionProof,
    root: &[u8; 32],
    leaf_hash: &[u8; 32],
) -> Result<(), ProofError> {
    let hashes = parse_hashes(&proof.hashes)?;
    tlog_tiles::check_record(
        &hashes,
        proof.size,
        Hash(*root),
        proof.index,
        Hash(*leaf_hash),
    )
    .map_err(|e| ProofError::Invalid(e.to_string()))
}

/// Checks that the tree of `proof.from` leaves with root `from_root` is a prefix of the tree of
/// `proof.to` leaves with root `to_root`: nothing accepted before was changed or dropped.
/// Equal sizes need equal roots; a tree of size 0 is a prefix of every tree.
pub fn verify_consistency(
    proof: &ConsistencyProof,
    from_root: &[u8; 32],
    to_root: &[u8; 32],
) -> Result<(), ProofError> {
    if proof.from > proof.to {
        return Err(ProofError::Invalid(format!(
            "the tree shrank from {} to {} entries",
            proof.from, proof.to
        )));
    }
    if proof.from == 0 {
        return Ok(());
    }
    if proof.from == proof.to {
        return if from_root == to_root {
            Ok(())
        } else {
            Err(ProofError::Invalid("same size, different root".into()))
        };
    }
    let hashes = parse_hashes(&proof.hashes)?;
    tlog_tiles::check_tree(
        &hashes,
        proof.to,
        Hash(*to_root),
        proof.from,
        Hash(*from_root),
    )
    .map_err(|e| ProofError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    struct Store(RefCell<HashMap<u64, Hash>>);
    impl tlog_tiles::HashReader for Store {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
            let m = self.0.borrow();
            indexes
                .iter()
                .map(|i| m.get(i).copied().ok_or(tlog_tiles::Error::IndexesNotInTree))
                .collect()
        }
    }

    fn tree(n: u64) -> (Store, Vec<[u8; 32]>) {
        let store = Store(RefCell::new(HashMap::new()));
        let mut leaves = Vec::new();
        for i in 0..n {
            let h = leaf_hash("dev", i + 1, &"ab".repeat(32)).unwrap();
            leaves.push(h);
            let stored = tlog_tiles::stored_hashes_for_record_hash(i, Hash(h), &store).unwrap();
            let base = tlog_tiles::stored_hash_index(0, i);
            for (k, s) in stored.into_iter().enumerate() {
                store.0.borrow_mut().insert(base + k as u64, s);
            }
        }
        (store, leaves)
    }

    #[test]
    fn inclusion_and_consistency_proofs_verify_and_tampered_ones_do_not() {
        let (store, leaves) = tree(13);
        let root7 = tlog_tiles::tree_hash(7, &store).unwrap().0;
        let root13 = tlog_tiles::tree_hash(13, &store).unwrap().0;
        let hex_all = |v: Vec<Hash>| v.iter().map(|h| hash_hex(&h.0)).collect::<Vec<_>>();

        let p = InclusionProof {
            index: 5,
            size: 13,
            hashes: hex_all(tlog_tiles::prove_record(13, 5, &store).unwrap()),
        };
        verify_inclusion(&p, &root13, &leaves[5]).unwrap();
        assert!(verify_inclusion(&p, &root13, &leaves[4]).is_err());

        let c = ConsistencyProof {
            from: 7,
            to: 13,
            hashes: hex_all(tlog_tiles::prove_tree(13, 7, &store).unwrap()),
        };
        verify_consistency(&c, &root7, &root13).unwrap();
        let mut tampered = c.clone();
        tampered.hashes[0] = "00".repeat(32);
        assert!(matches!(
            verify_consistency(&tampered, &root7, &root13),
            Err(ProofError::Invalid(_))
        ));
        assert!(verify_consistency(&c, &[1; 32], &root13).is_err());
    }

    #[test]
    fn leaves_of_different_devices_or_seqs_differ() {
        let h = "cd".repeat(32);
        assert_ne!(leaf_hash("a", 1, &h), leaf_hash("b", 1, &h));
        assert_ne!(leaf_hash("a", 1, &h), leaf_hash("a", 2, &h));
        assert!(leaf_hash("a", 1, "XYZ").is_err());
    }
}

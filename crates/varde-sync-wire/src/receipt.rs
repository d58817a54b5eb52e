//! Receipts: the server's signed statement that it holds a device's entry `seq` with a given
//! hash, at `tree_index` in its tree, covered by `checkpoint`.
//!
//! The signature is Ed25519 by the server key over [`Receipt::signed_bytes`]: the line
//! `varde-receipt-v1`, then device id, seq, entry hash, tree index, each on its own line, then
//! the checkpoint note as sent.

use serde::{Deserialize, Serialize};
use varde_audit_chain::hex;

use crate::note::{Checkpoint, NoteError};
use crate::server_key::{self, ServerKey};

/// A signed receipt for one entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The device whose chain holds the entry.
    pub device_id: String,
    /// The entry's seq.
    pub seq: u64,
    /// The entry's hash (64 lowercase hex).
    pub entry_hash: String,
    /// The entry's leaf index in the server's tree.
    pub tree_index: u64,
    /// The signed checkpoint of a tree that includes the leaf.
    pub checkpoint: String,
    /// The server's signature (128 lowercase hex).
    pub signature: String,
}

/// Why a receipt is not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The receipt's checkpoint does not verify.
    #[error(transparent)]
    Checkpoint(#[from] NoteError),
    /// The receipt is not signed by the enrolled server's key.
    #[error("the receipt is not signed by the enrolled server's key")]
    BadSignature,
    /// The receipt names a leaf its own checkpoint does not cover.
    #[error("the receipt's tree index {index} is outside its checkpoint's tree of {size}")]
    OutsideTree {
        /// The receipt's index.
        index: u64,
        /// The checkpoint's size.
        size: u64,
    },
}

impl Receipt {
    /// A receipt signed by `key`.
    pub fn issue(
        key: &ServerKey,
        device_id: &str,
        seq: u64,
        entry_hash: &str,
        tree_index: u64,
        checkpoint: &str,
    ) -> Receipt {
        let mut r = Receipt {
            device_id: device_id.to_string(),
            seq,
            entry_hash: entry_hash.to_string(),
            tree_index,
            checkpoint: checkpoint.to_string(),
            signature: String::new(),
        };
        r.signature = hex::encode(&key.sign(&r.signed_bytes()));
        r
    }

    /// What the server signs.
    pub fn signed_bytes(&self) -> Vec<u8> {
        format!(
            "varde-receipt-v1\n{}\n{}\n{}\n{}\n{}",
            self.device_id, self.seq, self.entry_hash, self.tree_index, self.checkpoint
        )
        .into_bytes()
    }

    /// Checks the signature and the checkpoint, and returns the checkpoint.
    pub fn verify(
        &self,
        origin: &str,
        server_public_key_hex: &str,
    ) -> Result<Checkpoint, ReceiptError> {
        let checkpoint = Checkpoint::verify(&self.checkpoint, origin, server_public_key_hex)?;
        let key = hex::decode_array::<32>(server_public_key_hex)
            .map_err(|_| ReceiptError::BadSignature)?;
        let sig =
            hex::decode_array::<64>(&self.signature).map_err(|_| ReceiptError::BadSignature)?;
        if !server_key::verify(&key, &self.signed_bytes(), &sig) {
            return Err(ReceiptError::BadSignature);
        }
        if self.tree_index >= checkpoint.size {
            return Err(ReceiptError::OutsideTree {
                index: self.tree_index,
                size: checkpoint.size,
            });
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_verifies_and_a_changed_one_does_not() {
        let (key, _) = ServerKey::generate().unwrap();
        let cp = Checkpoint {
            origin: "o".into(),
            size: 3,
            root: [1; 32],
        }
        .sign(&key)
        .unwrap();
        let r = Receipt::issue(&key, "dev", 9, &"ab".repeat(32), 2, &cp);
        let pk = key.public_key_hex();
        assert_eq!(r.verify("o", &pk).unwrap().size, 3);
        let mut changed = r.clone();
        changed.seq = 10;
        assert_eq!(changed.verify("o", &pk), Err(ReceiptError::BadSignature));
        let outside = Receipt::issue(&key, "dev", 9, &"ab".repeat(32), 3, &cp);
        assert!(matches!(
            outside.verify("o", &pk),
            Err(ReceiptError::OutsideTree { .. })
        ));
    }
}

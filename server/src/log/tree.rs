//! The Merkle tree over the database: tlog_tiles' stored-hash layout read from the
//! `tree_hashes` table, with the hashes of a batch not yet written kept in memory.

use std::cell::RefCell;
use std::collections::HashMap;

use tlog_tiles::{Hash, HashReader};

use crate::db::{DbError, Tx};

/// Reads stored hashes from the transaction, or from the batch being appended.
pub struct TreeReader<'t, 'a> {
    tx: RefCell<&'t mut Tx<'a>>,
    pending: RefCell<HashMap<u64, Hash>>,
    failure: RefCell<Option<DbError>>,
}

impl<'t, 'a> TreeReader<'t, 'a> {
    pub fn new(tx: &'t mut Tx<'a>) -> Self {
        TreeReader {
            tx: RefCell::new(tx),
            pending: RefCell::new(HashMap::new()),
            failure: RefCell::new(None),
        }
    }

    /// Appends the leaf `leaf_hash` at index `index` (the tree's current size).
    pub fn append(&self, index: u64, leaf_hash: [u8; 32]) -> Result<(), DbError> {
        let stored = tlog_tiles::stored_hashes_for_record_hash(index, Hash(leaf_hash), self)
            .map_err(|e| self.explain(e))?;
        let base = tlog_tiles::stored_hash_index(0, index);
        let mut pending = self.pending.borrow_mut();
        for (k, h) in stored.into_iter().enumerate() {
            pending.insert(base + k as u64, h);
        }
        Ok(())
    }

    /// The root of the tree of `size` leaves.
    pub fn root(&self, size: u64) -> Result<[u8; 32], DbError> {
        tlog_tiles::tree_hash(size, self)
            .map(|h| h.0)
            .map_err(|e| self.explain(e))
    }

    /// The proof that leaf `index` is in the tree of `size`.
    pub fn prove_record(&self, size: u64, index: u64) -> Result<Vec<[u8; 32]>, DbError> {
        tlog_tiles::prove_record(size, index, self)
            .map(|p| p.into_iter().map(|h| h.0).collect())
            .map_err(|e| self.explain(e))
    }

    /// The proof that the tree of `from` is a prefix of the tree of `to`.
    pub fn prove_tree(&self, to: u64, from: u64) -> Result<Vec<[u8; 32]>, DbError> {
        tlog_tiles::prove_tree(to, from, self)
            .map(|p| p.into_iter().map(|h| h.0).collect())
            .map_err(|e| self.explain(e))
    }

    /// The hashes appended, to write in the same transaction.
    pub fn into_pending(self) -> Vec<(u64, [u8; 32])> {
        let mut v: Vec<(u64, [u8; 32])> = self
            .pending
            .into_inner()
            .into_iter()
            .map(|(i, h)| (i, h.0))
            .collect();
        v.sort_unstable_by_key(|(i, _)| *i);
        v
    }

    fn explain(&self, e: tlog_tiles::Error) -> DbError {
        self.failure
            .borrow_mut()
            .take()
            .unwrap_or_else(|| DbError::Corrupt(format!("the tree: {e}")))
    }
}

impl HashReader for TreeReader<'_, '_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        let pending = self.pending.borrow();
        let missing: Vec<u64> = indexes
            .iter()
            .copied()
            .filter(|i| !pending.contains_key(i))
            .collect();
        let fetched = if missing.is_empty() {
            HashMap::new()
        } else {
            match self.tx.borrow_mut().read_hashes(&missing) {
                Ok(hashes) => missing.into_iter().zip(hashes).collect(),
                Err(e) => {
                    *self.failure.borrow_mut() = Some(e);
                    return Err(tlog_tiles::Error::IndexesNotInTree);
                }
            }
        };
        Ok(indexes
            .iter()
            .map(|i| pending.get(i).copied().unwrap_or_else(|| Hash(fetched[i])))
            .collect())
    }
}

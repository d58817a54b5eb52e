//! Inclusion and consistency proofs of the tree, for trees up to its current size.

use varde_sync_wire::{tree::hash_hex, ConsistencyProof, InclusionProof};

use super::tree::TreeReader;
use super::{Log, LogError};

fn current_size(log: &Log) -> Result<u64, LogError> {
    Ok(log.db.read(|tx| tx.tree())?.map_or(0, |s| s.size))
}

/// Proves leaf `index` is in the tree of `size` leaves.
pub fn inclusion_proof(log: &Log, index: u64, size: u64) -> Result<InclusionProof, LogError> {
    let current = current_size(log)?;
    if size > current {
        return Err(LogError::NotFound(format!(
            "the tree has {current} entries, not {size}"
        )));
    }
    if index >= size {
        return Err(LogError::Malformed(format!(
            "leaf {index} is not in a tree of {size} entries"
        )));
    }
    let hashes = log
        .db
        .read(|tx| TreeReader::new(tx).prove_record(size, index))?;
    Ok(InclusionProof {
        index,
        size,
        hashes: hashes.iter().map(hash_hex).collect(),
    })
}

/// Proves the tree of `from` leaves is a prefix of the tree of `to`.
pub fn consistency_proof(log: &Log, from: u64, to: u64) -> Result<ConsistencyProof, LogError> {
    let current = current_size(log)?;
    if to > current {
        return Err(LogError::NotFound(format!(
            "the tree has {current} entries, not {to}"
        )));
    }
    if from > to {
        return Err(LogError::Malformed(format!(
            "a tree of {from} entries cannot be a prefix of one of {to}"
        )));
    }
    let hashes = if from == 0 || from == to {
        Vec::new()
    } else {
        log.db.read(|tx| TreeReader::new(tx).prove_tree(to, from))?
    };
    Ok(ConsistencyProof {
        from,
        to,
        hashes: hashes.iter().map(hash_hex).collect(),
    })
}

//! Re-verifies everything the server holds, from one snapshot: the signed checkpoint, every
//! device's chain from its first entry with its enrolled key, each device's recorded head, and the
//! Merkle tree recomputed from the stored leaves against the stored hashes and the checkpoint.

use std::cell::RefCell;

use serde_json::{json, Value};
use tlog_tiles::{Hash, HashReader};
use varde_audit_chain::{ChainVerifier, Entry};
use varde_sync_wire::{tree, Checkpoint};

use super::{Log, LogError};
use crate::db::{DbError, Tx};

const PAGE: u64 = 5000;

/// A tree held in memory while it is recomputed.
struct MemoryTree(RefCell<Vec<Hash>>);

impl HashReader for MemoryTree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        let hashes = self.0.borrow();
        indexes
            .iter()
            .map(|&i| {
                hashes
                    .get(i as usize)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

fn problem(code: &str, message: String, device: Option<&str>, seq: Option<u64>) -> Value {
    json!({"code": code, "message": message, "device_id": device, "seq": seq})
}

fn chains(tx: &mut Tx<'_>, entries: &mut u64) -> Result<Option<Value>, DbError> {
    for d in tx.devices()? {
        let Ok(mut verifier) = ChainVerifier::new(&d.public_key) else {
            return Ok(Some(problem(
                "bad_device_key",
                format!("device {} has no valid key", d.id),
                Some(&d.id),
                None,
            )));
        };
        let mut after = 0;
        loop {
            let page = tx.device_entries(&d.id, after, PAGE)?;
            if page.is_empty() {
                break;
            }
            for row in &page {
                let parsed: Option<Entry> = serde_json::from_str(&row.entry_json).ok();
                let Some(entry) = parsed.filter(|e| {
                    e.body.seq == row.seq && e.hash == row.hash && e.body.device_id == d.id
                }) else {
                    return Ok(Some(problem(
                        "entry_row_mismatch",
                        format!(
                            "the stored row of entry {} of device {} does not match its entry",
                            row.seq, d.id
                        ),
                        Some(&d.id),
                        Some(row.seq),
                    )));
                };
                if let Err(e) = verifier.push(&entry) {
                    return Ok(Some(problem(
                        "chain_broken",
                        format!("device {}: {e}", d.id),
                        Some(&d.id),
                        e.seq(),
                    )));
                }
                *entries += 1;
                after = row.seq;
            }
        }
        let (seq, hash) = verifier.head();
        if seq != d.head_seq || hash != d.head_hash {
            return Ok(Some(problem(
                "head_mismatch",
                format!(
                    "device {} is recorded at entry {} but its stored chain ends at {seq}",
                    d.id, d.head_seq
                ),
                Some(&d.id),
                Some(seq),
            )));
        }
    }
    Ok(None)
}

fn tree_problem(tx: &mut Tx<'_>, size: u64, root: [u8; 32]) -> Result<Option<Value>, DbError> {
    let memory = MemoryTree(RefCell::new(Vec::new()));
    let mut next = 0;
    while next < size {
        let page = tx.entries_from_index(next, PAGE)?;
        if page.is_empty() {
            break;
        }
        for row in page {
            if row.tree_index != next {
                return Ok(Some(problem(
                    "tree_gap",
                    format!("tree leaf {next} has no entry"),
                    None,
                    None,
                )));
            }
            let Ok(leaf) = tree::leaf_hash(&row.device_id, row.seq, &row.hash) else {
                return Ok(Some(problem(
                    "entry_row_mismatch",
                    format!("leaf {next} holds a malformed hash"),
                    Some(&row.device_id),
                    Some(row.seq),
                )));
            };
            let stored = tlog_tiles::stored_hashes_for_record_hash(next, Hash(leaf), &memory)
                .map_err(|e| DbError::Corrupt(format!("the tree: {e}")))?;
            memory.0.borrow_mut().extend(stored);
            next += 1;
        }
    }
    if next != size {
        return Ok(Some(problem(
            "tree_gap",
            format!("the tree has {size} leaves but only {next} entries"),
            None,
            None,
        )));
    }
    let recomputed = tlog_tiles::tree_hash(size, &memory)
        .map_err(|e| DbError::Corrupt(format!("the tree: {e}")))?;
    if recomputed.0 != root {
        return Ok(Some(problem(
            "tree_mismatch",
            "the tree recomputed from its entries does not have the signed root".into(),
            None,
            None,
        )));
    }
    let expected = memory.0.into_inner();
    for (start, chunk) in expected.chunks(PAGE as usize).enumerate() {
        let indexes: Vec<u64> = (0..chunk.len() as u64)
            .map(|k| start as u64 * PAGE + k)
            .collect();
        let held = tx.read_hashes(&indexes)?;
        if let Some(k) = held.iter().zip(chunk).position(|(h, e)| *h != e.0) {
            return Ok(Some(problem(
                "tree_mismatch",
                format!(
                    "stored tree hash {} differs from the one recomputed from the entries",
                    indexes[k]
                ),
                None,
                None,
            )));
        }
    }
    Ok(None)
}

/// `{ok, devices, entries, tree_size, problem}`: the first problem found, or none.
pub fn verify(log: &Log) -> Result<Value, LogError> {
    Ok(log.db.read(|tx| {
        // A read-only snapshot: the tree and every entry as of one moment, while ingest goes on.
        let state = tx
            .tree()?
            .ok_or_else(|| DbError::Corrupt("the tree has no state".into()))?;
        let devices = tx.devices()?.len();
        let mut entries = 0;
        let signed = Checkpoint::verify(&state.note, &log.origin, &log.key.public_key_hex());
        let found = match signed {
            Ok(cp) if cp.size == state.size && cp.root == state.root => {
                match chains(tx, &mut entries)? {
                    Some(p) => Some(p),
                    None => tree_problem(tx, state.size, state.root)?,
                }
            }
            _ => Some(problem(
                "checkpoint_invalid",
                "the latest checkpoint is not the server's signature over the tree's size and root"
                    .into(),
                None,
                None,
            )),
        };
        Ok::<_, DbError>(json!({
            "ok": found.is_none(), "devices": devices, "entries": entries,
            "tree_size": state.size, "problem": found,
        }))
    })?)
}

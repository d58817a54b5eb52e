//! Verified ingest of a batch of a device's entries: every hash and signature checked (in
//! parallel, before any lock), continuity from the head the server holds, duplicates accepted
//! once, a different entry at a held seq marks the device forked, and accepted entries appended
//! to the tree with a new signed checkpoint and a receipt, all in one transaction.

use varde_audit_chain::{ChainVerifier, Entry, VerifyError};
use varde_sync_wire::{tree, DeviceState, Head, IngestResponse, Receipt, MAX_BATCH_ENTRIES};

use super::tree::TreeReader;
use super::{now_string, Log, LogError};
use crate::db::{DbError, NewEntry, TreeState, Tx};

/// Below this many entries the signatures are checked on the calling thread.
const PARALLEL_FROM: usize = 256;

fn refusal(e: VerifyError, fallback_seq: u64) -> LogError {
    let seq = e.seq().unwrap_or(fallback_seq);
    match e {
        VerifyError::SequenceGap { .. } | VerifyError::BrokenLink { .. } => LogError::BrokenChain {
            seq,
            reason: e.to_string(),
        },
        _ => LogError::BadEntry {
            seq,
            reason: e.to_string(),
        },
    }
}

/// Checks what can be checked without the stored head: every entry belongs to the device, the
/// seqs are consecutive, each hash and signature verifies, and each entry links to the one before.
pub fn verify_batch(public_key: &str, device_id: &str, entries: &[Entry]) -> Result<(), LogError> {
    let Some(first) = entries.first() else {
        return Ok(());
    };
    for (i, e) in entries.iter().enumerate() {
        if e.body.device_id != device_id {
            return Err(LogError::BadEntry {
                seq: e.body.seq,
                reason: "the entry belongs to another device's chain".into(),
            });
        }
        if e.body.seq != first.body.seq.saturating_add(i as u64) {
            return Err(LogError::BrokenChain {
                seq: e.body.seq,
                reason: "the batch's entries are not consecutive".into(),
            });
        }
    }
    let verify_chunk = |start: usize, chunk: &[Entry]| -> Result<(), LogError> {
        let seq0 = chunk[0].body.seq;
        let mut verifier = if start == 0 {
            if seq0 == 1 {
                ChainVerifier::new(public_key)
            } else {
                ChainVerifier::resume_after(public_key, seq0 - 1, &chunk[0].body.prev_hash)
            }
        } else {
            let prev = &entries[start - 1];
            ChainVerifier::resume_after(public_key, prev.body.seq, &prev.hash)
        }
        .map_err(|e| match e {
            VerifyError::BadPublicKey => LogError::Db(DbError::Corrupt("a device key".into())),
            other => LogError::BrokenChain {
                seq: seq0,
                reason: other.to_string(),
            },
        })?;
        for e in chunk {
            verifier.push(e).map_err(|err| refusal(err, e.body.seq))?;
        }
        Ok(())
    };
    if entries.len() < PARALLEL_FROM {
        return verify_chunk(0, entries);
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let size = entries.len().div_ceil(threads);
    let results: Vec<Result<(), LogError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(size)
            .enumerate()
            .map(|(k, chunk)| scope.spawn(move || verify_chunk(k * size, chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(LogError::Key("a verifier thread failed".into())))
            })
            .collect()
    });
    // The first problem by seq is the one to report.
    results
        .into_iter()
        .filter_map(Result::err)
        .min_by_key(|e| e.seq().unwrap_or(0))
        .map_or(Ok(()), Err)
}

fn row(e: &Entry, tree_index: u64, received_at: &str) -> Result<NewEntry, LogError> {
    Ok(NewEntry {
        tree_index,
        device_id: e.body.device_id.clone(),
        seq: e.body.seq,
        hash: e.hash.clone(),
        timestamp: e.body.timestamp.clone(),
        actor: e.body.actor.as_ref().map(|a| a.user_id.clone()),
        action: e.body.action.clone(),
        outcome: e.body.outcome.to_string(),
        received_at: received_at.to_string(),
        entry_json: serde_json::to_string(e)
            .map_err(|err| LogError::Db(DbError::Corrupt(format!("an entry: {err}"))))?,
    })
}

/// The entries of a batch the server does not hold yet. Entries it holds must be the same ones:
/// a different one is a fork, recorded on the device and returned as the inner error. A batch
/// that starts after the head, or does not follow it, breaks the chain.
fn fresh_entries<'e>(
    tx: &mut Tx<'_>,
    device_id: &str,
    entries: &'e [Entry],
    head_seq: u64,
    head_hash: &str,
    now: &str,
) -> Result<Result<&'e [Entry], LogError>, LogError> {
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Ok(Ok(entries));
    };
    let (first_seq, last_seq) = (first.body.seq, last.body.seq);
    if first_seq > head_seq + 1 {
        return Err(LogError::BrokenChain {
            seq: head_seq + 1,
            reason: format!(
                "the server holds this chain up to entry {head_seq}; the batch starts at {first_seq}"
            ),
        });
    }
    let overlap_end = last_seq.min(head_seq);
    if first_seq <= overlap_end {
        let held = tx.entry_hashes(device_id, first_seq, overlap_end)?;
        for (e, (seq, hash)) in entries.iter().zip(held.iter()) {
            if e.body.seq != *seq || e.hash != *hash {
                tx.mark_fork(device_id, e.body.seq, now)?;
                tracing::warn!(device = %device_id, seq = e.body.seq, "fork detected");
                return Ok(Err(LogError::Fork { seq: e.body.seq }));
            }
        }
    }
    let skip = (overlap_end + 1).saturating_sub(first_seq) as usize;
    let fresh = &entries[skip.min(entries.len())..];
    if let Some(next) = fresh.first() {
        if skip == 0 && next.body.prev_hash != head_hash {
            return Err(LogError::BrokenChain {
                seq: next.body.seq,
                reason: format!(
                    "the entry does not follow entry {head_seq}, the last one the server holds"
                ),
            });
        }
    }
    Ok(Ok(fresh))
}

/// Appends `fresh` to the tree and the entry table and signs the new checkpoint; returns the
/// tree's new state.
fn append_entries(
    log: &Log,
    tx: &mut Tx<'_>,
    state: &TreeState,
    device_id: &str,
    fresh: &[Entry],
    now: &str,
) -> Result<TreeState, LogError> {
    let mut rows = Vec::with_capacity(fresh.len());
    let reader = TreeReader::new(tx);
    for (i, e) in fresh.iter().enumerate() {
        let index = state.size + i as u64;
        let leaf =
            tree::leaf_hash(device_id, e.body.seq, &e.hash).map_err(|err| LogError::BadEntry {
                seq: e.body.seq,
                reason: err.to_string(),
            })?;
        reader.append(index, leaf)?;
        rows.push(row(e, index, now)?);
    }
    let size = state.size + fresh.len() as u64;
    let root = reader.root(size)?;
    let hashes = reader.into_pending();
    tx.insert_hashes(&hashes)?;
    tx.insert_entries(&rows)?;
    let next = log.state_for(size, root)?;
    tx.set_tree(&next)?;
    tx.insert_checkpoint(&next, now)?;
    Ok(next)
}

/// Ingests `entries` of `device_id` (whose request signature was checked already).
pub fn ingest(
    log: &Log,
    device_id: &str,
    entries: &[Entry],
    local_head: Option<u64>,
) -> Result<IngestResponse, LogError> {
    if entries.len() > MAX_BATCH_ENTRIES {
        return Err(LogError::TooLarge(entries.len()));
    }
    let device = log
        .db
        .read(|tx| tx.device(device_id))?
        .ok_or_else(|| LogError::UnknownDevice(device_id.to_string()))?;
    verify_batch(&device.public_key, device_id, entries)?;

    let now = now_string();
    let outcome = log
        .db
        .write(|tx| -> Result<Result<IngestResponse, LogError>, LogError> {
            let mut state = tx.lock_tree()?;
            let device = tx
                .device(device_id)?
                .ok_or_else(|| LogError::UnknownDevice(device_id.to_string()))?;
            match device.state {
                DeviceState::Revoked => return Err(LogError::Revoked),
                DeviceState::ForkDetected => {
                    return Err(LogError::Fork {
                        seq: device.fork_seq.unwrap_or(0),
                    })
                }
                DeviceState::Ok => {}
            }
            let (head_seq, head_hash) = (device.head_seq, device.head_hash.clone());
            let fresh = match fresh_entries(tx, device_id, entries, head_seq, &head_hash, &now)? {
                Ok(fresh) => fresh,
                // The fork is recorded (the transaction commits), and the batch refused.
                Err(fork) => return Ok(Err(fork)),
            };
            let receipt_index = if let Some(last) = fresh.last() {
                state = append_entries(log, tx, &state, device_id, fresh, &now)?;
                tx.set_device_head(device_id, last.body.seq, &last.hash)?;
                Some(state.size - 1)
            } else if head_seq > 0 {
                tx.tree_index_of(device_id, head_seq)?
            } else {
                None
            };
            tx.touch_device(device_id, &now, local_head)?;

            let head = match fresh.last() {
                Some(last) => Head {
                    seq: last.body.seq,
                    hash: last.hash.clone(),
                },
                None => Head {
                    seq: head_seq,
                    hash: head_hash,
                },
            };
            let receipt = receipt_index.map(|index| {
                Receipt::issue(
                    &log.key,
                    device_id,
                    head.seq,
                    &head.hash,
                    index,
                    &state.note,
                )
            });
            Ok(Ok(IngestResponse {
                device_id: device_id.to_string(),
                accepted: fresh.len() as u64,
                duplicates: (entries.len() - fresh.len()) as u64,
                head,
                receipt,
                checkpoint: state.note.clone(),
            }))
        })?;
    if let Ok(r) = &outcome {
        tracing::info!(
            device = %device_id,
            first_seq = entries.first().map(|e| e.body.seq),
            head = r.head.seq,
            accepted = r.accepted,
            duplicates = r.duplicates,
            "batch accepted"
        );
    }
    outcome
}

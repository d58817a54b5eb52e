//! One sync pass: learn what the server holds of this device, refuse to push over a local
//! rollback or fork, send the rest in batches, and accept each answer only when its receipt is
//! signed by the pinned server key for the entry just sent, the receipt's leaf is proven to be
//! in the signed tree, and that tree is proven to extend the last one this workstation saw.

use rusqlite::{Connection, TransactionBehavior};
use varde_sync_wire::tree::{self, ProofError};
use varde_sync_wire::{
    Checkpoint, ConsistencyProof, DeviceState, IngestRequest, Receipt, MAX_BATCH_ENTRIES,
};

use super::client::SyncClient;
use super::SyncError;
use crate::store::audit_log;
use crate::store::sync_state::{self, StoredCheckpoint, SyncConfig};

/// What a pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassOutcome {
    pub pushed: u64,
    pub duplicates: u64,
    pub batches: u64,
    pub server_head: u64,
    pub server_state: String,
}

fn misbehaved(what: impl Into<String>) -> SyncError {
    SyncError::ServerMisbehaved(what.into())
}

/// Checks a signed checkpoint against the pinned origin and key.
pub fn verify_checkpoint(note: &str, cfg: &SyncConfig) -> Result<Checkpoint, SyncError> {
    Checkpoint::verify(note, &cfg.origin, &cfg.server_public_key)
        .map_err(|e| misbehaved(format!("its checkpoint does not verify ({e})")))
}

fn root_of(stored: &StoredCheckpoint) -> Result<[u8; 32], SyncError> {
    varde_audit_chain::hex::decode_array::<32>(&stored.root).map_err(|e| {
        SyncError::Store(crate::store::StoreError::Corrupt(format!(
            "a stored checkpoint root {e}"
        )))
    })
}

/// Proves that `new` extends the largest checkpoint stored: the server neither rewrote nor
/// dropped anything it had published.
pub fn check_extends_last(
    conn: &Connection,
    client: &SyncClient,
    new: &Checkpoint,
) -> Result<(), SyncError> {
    let Some(last) = sync_state::latest_checkpoint(conn)? else {
        return Ok(());
    };
    let last_root = root_of(&last)?;
    if new.size < last.size {
        return Err(misbehaved(format!(
            "its tree shrank from {} to {} entries",
            last.size, new.size
        )));
    }
    let proof = if last.size == 0 || last.size == new.size {
        ConsistencyProof {
            from: last.size,
            to: new.size,
            hashes: Vec::new(),
        }
    } else {
        let p = client.consistency(last.size, new.size)?;
        if p.from != last.size || p.to != new.size {
            return Err(misbehaved(format!(
                "it answered a consistency proof from {} to {} with one from {} to {}",
                last.size, new.size, p.from, p.to
            )));
        }
        p
    };
    tree::verify_consistency(&proof, &last_root, &new.root).map_err(|e| {
        misbehaved(format!(
            "its tree of {} entries does not extend the one of {} this device saw ({e})",
            new.size, last.size
        ))
    })
}

/// Proves that the receipt's leaf is in the tree of the receipt's checkpoint.
pub fn check_inclusion(
    client: &SyncClient,
    receipt: &Receipt,
    checkpoint: &Checkpoint,
) -> Result<(), SyncError> {
    let leaf = tree::leaf_hash(&receipt.device_id, receipt.seq, &receipt.entry_hash)
        .map_err(|e| misbehaved(format!("its receipt is malformed ({e})")))?;
    let proof = client.inclusion(receipt.tree_index, checkpoint.size)?;
    if proof.index != receipt.tree_index || proof.size != checkpoint.size {
        return Err(misbehaved(
            "it answered an inclusion proof for another leaf or tree",
        ));
    }
    verify_inclusion_proof(&proof, checkpoint, &leaf, receipt.seq)
}

/// The inclusion check itself (also used on a proof read from elsewhere).
pub fn verify_inclusion_proof(
    proof: &varde_sync_wire::InclusionProof,
    checkpoint: &Checkpoint,
    leaf: &[u8; 32],
    seq: u64,
) -> Result<(), SyncError> {
    tree::verify_inclusion(proof, &checkpoint.root, leaf).map_err(|e: ProofError| {
        misbehaved(format!(
            "its proof that entry {seq} is in its tree does not verify ({e})"
        ))
    })
}

/// Checks a receipt for the entry `seq` with hash `hash` of `device_id`; returns its checkpoint.
pub fn check_receipt(
    receipt: &Receipt,
    cfg: &SyncConfig,
    device_id: &str,
    seq: u64,
    hash: &str,
) -> Result<Checkpoint, SyncError> {
    if receipt.device_id != device_id || receipt.seq != seq || receipt.entry_hash != hash {
        return Err(misbehaved(format!(
            "its receipt is for entry {} of another chain, not for entry {seq} just sent",
            receipt.seq
        )));
    }
    receipt
        .verify(&cfg.origin, &cfg.server_public_key)
        .map_err(|e| misbehaved(format!("its receipt for entry {seq} does not verify ({e})")))
}

/// Stores a verified receipt and its checkpoint, and moves the acknowledged head, in one
/// transaction.
pub fn store_receipt(
    conn: &mut Connection,
    receipt: &Receipt,
    checkpoint: &Checkpoint,
    source: &str,
) -> Result<(), SyncError> {
    let now = crate::clock::format(crate::clock::now());
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    sync_state::insert_receipt(&tx, receipt, &now, source)?;
    sync_state::insert_checkpoint(
        &tx,
        &StoredCheckpoint {
            size: checkpoint.size,
            root: tree::hash_hex(&checkpoint.root),
            note: receipt.checkpoint.clone(),
        },
        &now,
    )?;
    let mut progress = sync_state::progress(&tx)?;
    if receipt.seq >= progress.acked_seq {
        progress.acked_seq = receipt.seq;
        progress.acked_hash = receipt.entry_hash.clone();
    }
    progress.server_head = Some(progress.server_head.unwrap_or(0).max(receipt.seq));
    sync_state::save_progress(&tx, &progress)?;
    tx.commit()?;
    Ok(())
}

fn store_checkpoint(conn: &Connection, cp: &Checkpoint, note: &str) -> Result<(), SyncError> {
    let now = crate::clock::format(crate::clock::now());
    sync_state::insert_checkpoint(
        conn,
        &StoredCheckpoint {
            size: cp.size,
            root: tree::hash_hex(&cp.root),
            note: note.to_string(),
        },
        &now,
    )?;
    Ok(())
}

/// The store no longer extends what the server holds (put back from a copy, or entries removed):
/// offer the server the local entries after the last acknowledged one, so it compares them with
/// its own and flags the device `fork_detected` for the auditors when they differ, instead of
/// this workstation failing on its own unseen. Returns the error to report.
fn report_divergence(conn: &Connection, client: &SyncClient, found: SyncError) -> SyncError {
    let Ok(progress) = sync_state::progress(conn) else {
        return found;
    };
    let entries = match audit_log::range(conn, progress.acked_seq + 1, MAX_BATCH_ENTRIES) {
        Ok(entries) if !entries.is_empty() => entries,
        _ => return found,
    };
    let local_head = entries.last().map(|e| e.body.seq);
    match client.push(&IngestRequest {
        entries,
        local_head,
    }) {
        Err(SyncError::Refused {
            status: 409,
            seq: Some(seq),
            ..
        }) => {
            tracing::error!(seq, "the audit server flagged this device: its log forked");
            SyncError::Fork { seq }
        }
        _ => found,
    }
}

/// One pass. `stop` is asked between batches (a runner shutting down).
pub fn run_pass(
    conn: &mut Connection,
    cfg: &SyncConfig,
    client: &SyncClient,
    device_id: &str,
    stop: &dyn Fn() -> bool,
) -> Result<PassOutcome, SyncError> {
    let head = client.head()?;
    if head.device_id != device_id {
        return Err(misbehaved("it answered for another device"));
    }
    match head.state {
        DeviceState::Revoked => return Err(SyncError::Revoked),
        DeviceState::ForkDetected => {
            return Err(SyncError::Refused {
                status: 409,
                code: "fork_detected".into(),
                message: "the server has marked this device fork_detected; an admin must check it"
                    .into(),
                seq: None,
            })
        }
        DeviceState::Ok => {}
    }
    let cp = verify_checkpoint(&head.checkpoint, cfg)?;
    check_extends_last(conn, client, &cp)?;
    store_checkpoint(conn, &cp, &head.checkpoint)?;

    let server_seq = head.head.seq;
    let local_seq = audit_log::head(conn)?.map_or(0, |(s, _)| s);
    if server_seq > local_seq {
        let found = SyncError::LocalRollback {
            local_head: local_seq,
            server_head: server_seq,
        };
        return Err(report_divergence(conn, client, found));
    }
    if server_seq > 0 && audit_log::hash_at(conn, server_seq)?.as_deref() != Some(&head.head.hash) {
        let found = SyncError::Fork { seq: server_seq };
        return Err(report_divergence(conn, client, found));
    }
    let acked = sync_state::progress(conn)?.acked_seq;
    if server_seq < acked {
        return Err(misbehaved(format!(
            "it holds this device's entries only up to {server_seq} but acknowledged up to {acked}"
        )));
    }

    let mut outcome = PassOutcome {
        server_head: server_seq,
        server_state: head.state.as_str().to_string(),
        ..PassOutcome::default()
    };
    let mut from = server_seq + 1;
    while !stop() {
        let entries = audit_log::range(conn, from, MAX_BATCH_ENTRIES)?;
        let Some(last) = entries.last() else { break };
        let (last_seq, last_hash) = (last.body.seq, last.hash.clone());
        let local_head = audit_log::head(conn)?.map(|(s, _)| s);
        let resp = client.push(&IngestRequest {
            entries,
            local_head,
        })?;
        outcome.batches += 1;
        if resp.device_id != device_id || resp.head.seq != last_seq || resp.head.hash != last_hash {
            return Err(misbehaved(format!(
                "it answered a batch up to entry {last_seq} with head {}",
                resp.head.seq
            )));
        }
        let receipt = resp
            .receipt
            .ok_or_else(|| misbehaved(format!("it sent no receipt for entry {last_seq}")))?;
        let cp = check_receipt(&receipt, cfg, device_id, last_seq, &last_hash)?;
        check_inclusion(client, &receipt, &cp)?;
        check_extends_last(conn, client, &cp)?;
        store_receipt(conn, &receipt, &cp, "sync")?;
        outcome.pushed += resp.accepted;
        outcome.duplicates += resp.duplicates;
        outcome.server_head = last_seq;
        from = last_seq + 1;
    }
    Ok(outcome)
}

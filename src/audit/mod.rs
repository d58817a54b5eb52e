//! The audit log of this device: every access and change, appended in the same transaction as the
//! change it records, hash-chained and signed with the device key (format and verification in the
//! `varde-audit-chain` crate, shared with the central audit server).
//!
//! Entries hold ids, roles, actions, outcomes and small facts — never names, national ID numbers or
//! document text.

pub mod actions;

use std::collections::BTreeMap;
use ts_rs::TS;

use rusqlite::Connection;
use varde_audit_chain::{
    Actor, ChainVerifier, DeviceKey, EntryBody, Outcome, Resource, VerifyError, GENESIS_PREV_HASH,
};

pub use varde_audit_chain::Entry;

use crate::store::{self, audit_log, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("the audit chain is broken: {0}")]
    Broken(#[from] VerifyError),
    #[error("the device signing key could not be loaded: {0}")]
    Key(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The chain is shorter than what the audit server already received (its receipt, or its
    /// head of this device).
    #[error("the audit log ends at entry {local_head} but the audit server has received entries up to {covered}: entries were removed or the store was rolled back")]
    RolledBack { local_head: u64, covered: u64 },
    /// The chain holds another entry where the server's receipt says which one it received.
    #[error("entry {seq} of the audit log is not the one the audit server received: the log was rewritten or restored from another copy")]
    Diverged { seq: u64 },
}

/// One thing that happened, before it is sealed into the chain.
/// What a typed id that is not well-formed becomes in the audit log.
pub const MALFORMED_ID: &str = "malformed";

/// `id` if it is well-formed (a UUID, as every id Varde makes), else [`MALFORMED_ID`].
pub fn loggable_id(id: &str) -> String {
    if uuid::Uuid::try_parse(id).is_ok() {
        id.to_string()
    } else {
        MALFORMED_ID.to_string()
    }
}

#[derive(Clone, Debug)]
pub struct Event {
    actor: Option<Actor>,
    action: String,
    resource: Option<Resource>,
    outcome: Outcome,
    context: BTreeMap<String, String>,
}

impl Event {
    pub fn new(action: &str) -> Event {
        Event {
            actor: None,
            action: action.to_string(),
            resource: None,
            outcome: Outcome::Success,
            context: BTreeMap::new(),
        }
    }

    pub fn by(mut self, user_id: &str, role: &str) -> Event {
        self.actor = Some(Actor {
            user_id: user_id.to_string(),
            role: role.to_string(),
        });
        self
    }

    /// The resource acted on. An id that is not one Varde made (a UUID) is recorded as
    /// [`MALFORMED_ID`]: whatever a user typed where an id belongs (a name, say) never enters
    /// the log, whose entries are never erased.
    pub fn on(mut self, kind: &str, id: &str) -> Event {
        self.resource = Some(Resource {
            kind: kind.to_string(),
            id: loggable_id(id),
        });
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Event {
        self.outcome = outcome;
        self
    }

    /// Adds a fact. Callers pass ids, codes and numbers only — never PHI.
    pub fn with(mut self, key: &str, value: impl ToString) -> Event {
        self.context.insert(key.to_string(), value.to_string());
        self
    }
}

/// Seals events into this device's chain.
pub struct AuditLog {
    device_id: String,
    key: DeviceKey,
}

impl AuditLog {
    pub fn new(device_id: String, key: DeviceKey) -> AuditLog {
        AuditLog { device_id, key }
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    pub fn public_key_hex(&self) -> String {
        self.key.public_key_hex()
    }

    /// The device key, for what else the device signs: sync requests and air-gap segments.
    pub(crate) fn device_key(&self) -> &DeviceKey {
        &self.key
    }

    /// Appends `event` after the current head. Call inside the write transaction of the change it
    /// records (an IMMEDIATE one, so two processes cannot fork the chain).
    pub fn append(&self, conn: &Connection, event: Event) -> Result<Entry, AuditError> {
        let (seq, prev_hash) = match audit_log::head(conn)? {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS_PREV_HASH.to_string()),
        };
        let entry = self.key.seal(EntryBody {
            seq,
            id: uuid::Uuid::new_v4().to_string(),
            timestamp: crate::clock::format(crate::clock::now()),
            device_id: self.device_id.clone(),
            actor: event.actor,
            action: event.action,
            resource: event.resource,
            outcome: event.outcome,
            context: event.context,
            prev_hash,
        });
        audit_log::insert(conn, &entry)?;
        tracing::debug!(seq = entry.body.seq, action = %entry.body.action, "audit entry appended");
        Ok(entry)
    }
}

/// The result of a full verification.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, TS)]
pub struct VerifyReport {
    #[ts(type = "number")]
    pub entries: u64,
    #[ts(type = "number")]
    pub head_seq: u64,
    pub head_hash: String,
    pub device_public_key: String,
    /// The last receipt of the audit server the chain was proven to extend.
    #[ts(type = "number | null")]
    pub receipt_seq: Option<u64>,
    /// The audit server's head of this device, when it was asked and answered.
    #[ts(type = "number | null")]
    pub server_head: Option<u64>,
}

/// Checks the whole chain (hashes, links, signatures, sequence without gaps) against the device's
/// public key; the error names the first bad entry.
///
/// Signature checks dominate the cost and are independent per entry, so each batch is split
/// across the cores: every part after the first resumes from the head its predecessor claims,
/// and the part before it proves that claim (its last entry's hash and signature are checked),
/// so together every hash, link and signature is verified exactly once.
pub fn verify(conn: &Connection, public_key_hex: &str) -> Result<VerifyReport, AuditError> {
    const BATCH: usize = 8192;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut head = ChainVerifier::new(public_key_hex)?;
    let mut total = 0u64;
    let mut batch: Vec<Entry> = Vec::with_capacity(BATCH);
    let mut result: Result<(), VerifyError> = Ok(());
    audit_log::for_each(conn, |entry| {
        if result.is_ok() {
            batch.push(entry);
            if batch.len() == BATCH {
                result = verify_batch(&mut head, &batch, public_key_hex, threads);
                total += batch.len() as u64;
                batch.clear();
            }
        }
        Ok(())
    })?;
    result?;
    verify_batch(&mut head, &batch, public_key_hex, threads)?;
    total += batch.len() as u64;
    let (head_seq, head_hash) = head.head();
    Ok(VerifyReport {
        entries: total,
        head_seq,
        head_hash: head_hash.to_string(),
        device_public_key: public_key_hex.to_string(),
        receipt_seq: None,
        server_head: None,
    })
}

/// Proves that the verified chain still extends what the audit server received: entry `seq`
/// (from a receipt or the server's head) is in the log with `hash`. A rollback or truncation
/// after a sync fails here, named.
pub fn check_extends(
    conn: &Connection,
    report: &VerifyReport,
    seq: u64,
    hash: &str,
) -> Result<(), AuditError> {
    if seq == 0 {
        return Ok(());
    }
    if report.head_seq < seq {
        return Err(AuditError::RolledBack {
            local_head: report.head_seq,
            covered: seq,
        });
    }
    if audit_log::hash_at(conn, seq)?.as_deref() != Some(hash) {
        return Err(AuditError::Diverged { seq });
    }
    Ok(())
}

/// Verifies `entries`, which follow `head`, in up to `threads` parts at once; on success `head`
/// becomes the verifier of the last part (its head is the chain's new head).
fn verify_batch(
    head: &mut ChainVerifier,
    entries: &[Entry],
    public_key_hex: &str,
    threads: usize,
) -> Result<(), VerifyError> {
    if entries.len() < 256 || threads < 2 {
        return entries.iter().try_for_each(|e| head.push(e));
    }
    let part = entries.len().div_ceil(threads);
    let parts: Vec<&[Entry]> = entries.chunks(part).collect();
    let mut verifiers = Vec::with_capacity(parts.len());
    verifiers.push(head.clone());
    for window in parts.windows(2) {
        let before = window[0].last().expect("chunks are not empty");
        verifiers.push(ChainVerifier::resume_after(
            public_key_hex,
            before.body.seq,
            &before.hash,
        )?);
    }
    let outcomes: Vec<Result<ChainVerifier, VerifyError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .zip(verifiers)
            .map(|(entries, mut v)| {
                scope.spawn(move || entries.iter().try_for_each(|e| v.push(e)).map(|()| v))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a verifier thread panicked"))
            .collect()
    });
    // Parts are in chain order, so the first error is the first bad entry.
    let mut last = None;
    for outcome in outcomes {
        last = Some(outcome?);
    }
    *head = last.expect("at least one part");
    Ok(())
}

/// Writes every entry as one JSON object per line.
pub fn export_jsonl(conn: &Connection, out: &mut dyn std::io::Write) -> Result<u64, AuditError> {
    let mut n = 0;
    store::audit_log::for_each(conn, |entry| {
        let line = serde_json::to_string(&entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        writeln!(out, "{line}")
            .map_err(|e| StoreError::Corrupt(format!("could not write: {e}")))?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Writes the whole log as a FHIR R4 `Bundle` of `AuditEvent`s (IHE BALP coding, the same
/// mapping the audit server exports); returns the number of entries.
pub fn export_fhir(
    conn: &Connection,
    out: &mut dyn std::io::Write,
    site: Option<&str>,
) -> Result<u64, AuditError> {
    use varde_audit_chain::fhir;
    let write = |out: &mut dyn std::io::Write, bytes: &[u8]| {
        out.write_all(bytes)
            .map_err(|e| StoreError::Corrupt(format!("could not write: {e}")))
    };
    write(
        out,
        fhir::bundle_start(&crate::clock::format(crate::clock::now())).as_bytes(),
    )?;
    let mut n = 0u64;
    store::audit_log::for_each(conn, |entry| {
        if n > 0 {
            write(out, b",")?;
        }
        let resource = fhir::bundle_entry(fhir::audit_event(&entry, site, None));
        write(out, resource.to_string().as_bytes())?;
        n += 1;
        Ok(())
    })?;
    write(out, fhir::BUNDLE_END.as_bytes())?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::SecretKey;

    fn chain(n: u64) -> (tempfile::TempDir, Connection, AuditLog) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn =
            store::open(&dir.path().join("a.db"), &SecretKey::random().unwrap()).unwrap();
        let log = AuditLog::new("dev".into(), DeviceKey::generate().unwrap().0);
        let tx = conn.transaction().unwrap();
        for i in 0..n {
            log.append(&tx, Event::new("case.view").on("case", "c1").with("i", i))
                .unwrap();
        }
        tx.commit().unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_log_is_append_only_update; DROP TRIGGER audit_log_is_append_only_delete;",
        )
        .unwrap();
        (dir, conn, log)
    }

    #[test]
    fn a_long_chain_verified_in_parallel_parts_counts_every_entry() {
        let (_d, conn, log) = chain(1000);
        let r = verify(&conn, &log.public_key_hex()).unwrap();
        assert_eq!((r.entries, r.head_seq), (1000, 1000));
    }

    #[test]
    fn tampering_is_found_in_any_part_and_at_part_boundaries() {
        // With 2+ threads, 1000 entries split at 500/501; check around it, at both ends, inside.
        for seq in [1u64, 250, 499, 500, 501, 502, 999, 1000] {
            let (_d, conn, log) = chain(1000);
            conn.execute(
                "UPDATE audit_log SET context = '{}' WHERE seq = ?1",
                [seq as i64],
            )
            .unwrap();
            let err = verify(&conn, &log.public_key_hex()).unwrap_err();
            match err {
                AuditError::Broken(e) => assert_eq!(e.seq(), Some(seq), "{e}"),
                other => panic!("{other}"),
            }
        }
    }

    #[test]
    fn a_forged_link_across_a_part_boundary_is_found() {
        let (_d, conn, log) = chain(1000);
        // Entry 501 claims a different predecessor hash: the second part resumes from 500's
        // claimed hash, and the link check must still fail on 501.
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?1 WHERE seq = 501",
            ["ab".repeat(32)],
        )
        .unwrap();
        let err = verify(&conn, &log.public_key_hex())
            .unwrap_err()
            .to_string();
        assert!(err.contains("501"), "{err}");
    }
}

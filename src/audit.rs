//! The audit log of this device: every access and change, appended in the same transaction as the
//! change it records, hash-chained and signed with the device key (format and verification in the
//! `varde-audit-chain` crate, shared with the central audit server).
//!
//! Entries hold ids, roles, actions, outcomes and small facts — never names, national ID numbers or
//! document text.

use std::collections::BTreeMap;

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
}

/// One thing that happened, before it is sealed into the chain.
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

    pub fn on(mut self, kind: &str, id: &str) -> Event {
        self.resource = Some(Resource {
            kind: kind.to_string(),
            id: id.to_string(),
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
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub head_seq: u64,
    pub head_hash: String,
    pub device_public_key: String,
}

/// Checks the whole chain (hashes, links, signatures, sequence without gaps) against the device's
/// public key; the error names the first bad entry.
pub fn verify(conn: &Connection, public_key_hex: &str) -> Result<VerifyReport, AuditError> {
    let mut verifier = ChainVerifier::new(public_key_hex)?;
    let mut broken: Option<VerifyError> = None;
    audit_log::for_each(conn, |entry| {
        if broken.is_none() {
            if let Err(e) = verifier.push(&entry) {
                broken = Some(e);
            }
        }
        Ok(())
    })?;
    if let Some(e) = broken {
        return Err(e.into());
    }
    let (head_seq, head_hash) = verifier.head();
    Ok(VerifyReport {
        entries: verifier.verified(),
        head_seq,
        head_hash: head_hash.to_string(),
        device_public_key: public_key_hex.to_string(),
    })
}

/// Writes every entry as one JSON object per line.
pub fn export_jsonl(conn: &Connection, out: &mut dyn std::io::Write) -> Result<u64, AuditError> {
    let mut n = 0;
    store::audit_log::for_each(conn, |entry| {
        let line = serde_json::to_string(&entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        writeln!(out, "{line}").map_err(|e| StoreError::Corrupt(format!("could not write: {e}")))?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

//! Audit sync through the session: enrollment and the on/off switch (admins, audited), pushing
//! now, status, a [`SyncAgent`] for background sync, and the air-gapped segment and receipt.

use crate::audit::actions;
use std::path::Path;

use varde_sync_wire::{Checkpoint, EnrollRequest, ImportReceipt, Segment};

use super::{begin, Error, Result, Session, DB_FILE, DB_KEY_LABEL};
use crate::domain::{self, Operation};
use crate::store::{self, audit_log, sync_state};
use crate::sync::agent::{self, Interrupter};
use crate::sync::client::{ServerUrl, SyncClient};
use crate::sync::tls::normalize_pin;
use crate::sync::{protocol, SyncAgent, SyncError, SyncReport, SyncStatus};

impl Session {
    fn require_admin(&mut self, action: &str) -> Result<()> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ChangeSettings, None, None) {
            return self.refuse(self.event(action), e);
        }
        Ok(())
    }

    /// Admin only. Enrolls this device with the server (`POST /v1/enroll`), pins the server key,
    /// origin and first checkpoint, stores the config in the encrypted store; audited
    /// (`sync.enroll`, without the token).
    pub fn sync_enroll(
        &mut self,
        server_url: &str,
        token: &str,
        pin_sha256: Option<&str>,
        device_name: &str,
    ) -> Result<SyncStatus> {
        self.require_admin(actions::SYNC_ENROLL)?;
        let pin = match pin_sha256 {
            Some(p) => Some(normalize_pin(p).ok_or(SyncError::BadPin)?),
            None => None,
        };
        let url = ServerUrl::parse(server_url)?.as_string();
        let name = device_name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(Error::Invalid(
                "the device name must be 1 to 200 characters".into(),
            ));
        }
        let client = SyncClient::new(&url, pin.as_deref(), self.audit.clone())?;
        let attempt = self
            .event(actions::SYNC_ENROLL)
            .on("device", self.audit.device_id())
            .with("pinned", pin.is_some());
        let answer = client
            .enroll(&EnrollRequest {
                token: token.trim().to_string(),
                device_id: self.audit.device_id().to_string(),
                public_key: self.audit.public_key_hex(),
                name: name.to_string(),
            })
            .and_then(|r| {
                if r.device_id != self.audit.device_id() {
                    return Err(SyncError::ServerMisbehaved(
                        "it enrolled another device id".into(),
                    ));
                }
                let cp = Checkpoint::verify(&r.checkpoint, &r.origin, &r.server_public_key)
                    .map_err(|e| {
                        SyncError::ServerMisbehaved(format!("its checkpoint does not verify ({e})"))
                    })?;
                Ok((r, cp))
            });
        let (resp, checkpoint) = match answer {
            Ok(v) => v,
            Err(e) => {
                let code = e.code();
                return self.refuse(attempt.with("reason", code), e);
            }
        };
        let now = crate::clock::format(crate::clock::now());
        let previous = sync_state::config(&self.conn)?;
        let same_server = previous.as_ref().is_some_and(|p| {
            p.server_public_key == resp.server_public_key && p.origin == resp.origin
        });
        let event = attempt
            .with("site", &resp.site)
            .with("origin", &resp.origin)
            .with("server_head", resp.head.seq);
        let tx = begin(&mut self.conn)?;
        if !same_server {
            // Another log: its tree and its view of this device start afresh.
            sync_state::clear_checkpoints(&tx)?;
            sync_state::save_progress(
                &tx,
                &sync_state::SyncProgress {
                    acked_seq: resp.head.seq,
                    acked_hash: resp.head.hash.clone(),
                    server_head: Some(resp.head.seq),
                    server_state: Some("ok".into()),
                    ..Default::default()
                },
            )?;
        }
        sync_state::save_config(
            &tx,
            &sync_state::SyncConfig {
                server_url: url,
                pin_sha256: pin,
                origin: resp.origin.clone(),
                server_public_key: resp.server_public_key.clone(),
                site: resp.site.clone(),
                device_name: name.to_string(),
                enabled: true,
                enrolled_at: now.clone(),
            },
        )?;
        sync_state::insert_checkpoint(
            &tx,
            &sync_state::StoredCheckpoint {
                size: checkpoint.size,
                root: varde_sync_wire::tree::hash_hex(&checkpoint.root),
                note: resp.checkpoint.clone(),
            },
            &now,
        )?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        tracing::info!(site = %resp.site, "device enrolled for audit sync");
        self.sync_status()
    }

    /// Pushes everything pending now (batches of up to `MAX_BATCH_ENTRIES`), verifies receipts,
    /// inclusion of each receipt's leaf and consistency from the last stored checkpoint; stores
    /// receipts and checkpoints. Creates no audit entry unless it finds a problem.
    pub fn sync_now(&mut self) -> Result<SyncReport> {
        Ok(agent::sync_on(
            &mut self.conn,
            &self.audit,
            &Interrupter::default(),
        )?)
    }

    pub fn sync_status(&mut self) -> Result<SyncStatus> {
        Ok(agent::status_on(&self.conn, &self.audit)?)
    }

    /// Admin only: the settings switch (on after enrollment). Audited.
    pub fn set_sync_enabled(&mut self, enabled: bool) -> Result<SyncStatus> {
        let action = if enabled {
            actions::SYNC_ENABLE
        } else {
            actions::SYNC_DISABLE
        };
        self.require_admin(action)?;
        if sync_state::config(&self.conn)?.is_none() {
            return Err(SyncError::NotEnrolled.into());
        }
        let event = self.event(action);
        let tx = begin(&mut self.conn)?;
        sync_state::set_enabled(&tx, enabled)?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        self.sync_status()
    }

    /// An independent handle for background sync on another thread: its own connection to the
    /// encrypted store (same key) and the device key, so sync never blocks the session's work.
    pub fn sync_agent(&self) -> Result<SyncAgent> {
        let conn = store::open(
            &self.varde.dir.join(DB_FILE),
            &self.master.derive(DB_KEY_LABEL),
        )?;
        Ok(SyncAgent::new(conn, self.audit.clone()))
    }

    /// Air-gapped: imports a receipt file written by `varde-server import`, after checking its
    /// signature against the pinned server key and that it matches the local chain. Audited.
    pub fn sync_import_receipt(&mut self, path: &Path) -> Result<SyncStatus> {
        let bytes = std::fs::read(path).map_err(|e| {
            SyncError::BadReceipt(format!("cannot read {}: {}", path.display(), e.kind()))
        })?;
        self.sync_import_receipt_bytes(&bytes)
    }

    /// As [`sync_import_receipt`](Self::sync_import_receipt), from the file's bytes.
    pub fn sync_import_receipt_bytes(&mut self, bytes: &[u8]) -> Result<SyncStatus> {
        self.require_admin(actions::SYNC_RECEIPT_IMPORT)?;
        let cfg = sync_state::config(&self.conn)?.ok_or(SyncError::NotEnrolled)?;
        let file: ImportReceipt = serde_json::from_slice(bytes).map_err(|e| {
            SyncError::BadReceipt(format!(
                "it is not a receipt file of varde-server import ({e})"
            ))
        })?;
        let device_id = self.audit.device_id().to_string();
        let receipt = file
            .receipt
            .ok_or_else(|| SyncError::BadReceipt("it holds no receipt".into()))?;
        if receipt.device_id != device_id {
            return Err(SyncError::BadReceipt("it is for another device".into()).into());
        }
        let local = audit_log::hash_at(&self.conn, receipt.seq)?;
        if local.as_deref() != Some(receipt.entry_hash.as_str()) {
            return Err(SyncError::BadReceipt(format!(
                "it covers entry {} with a hash the local audit log does not have there",
                receipt.seq
            ))
            .into());
        }
        let checkpoint = receipt
            .verify(&cfg.origin, &cfg.server_public_key)
            .map_err(|e| SyncError::BadReceipt(format!("it does not verify ({e})")))?;
        protocol::store_receipt(&mut self.conn, &receipt, &checkpoint, "import")?;
        self.record(
            self.event(actions::SYNC_RECEIPT_IMPORT)
                .with("seq", receipt.seq)
                .with("tree_size", checkpoint.size),
        )?;
        self.sync_status()
    }

    /// Air-gapped (auditors and admins): the device-signed segment of every entry after the
    /// last one the server acknowledged, for removable media. Audited.
    pub fn export_segment_since_last_receipt(&mut self) -> Result<Segment> {
        self.require_audit_reader(actions::AUDIT_EXPORT)?;
        let from = sync_state::progress(&self.conn)?.acked_seq + 1;
        let mut entries = Vec::new();
        let mut next = from;
        loop {
            let batch = audit_log::range(&self.conn, next, 10_000)?;
            let Some(last) = batch.last() else { break };
            next = last.body.seq + 1;
            entries.extend(batch);
        }
        let segment = Segment::seal(self.audit.device_key(), self.audit.device_id(), entries);
        self.record(
            self.event(actions::AUDIT_EXPORT)
                .with("format", "segment")
                .with("entries", segment.entries.len())
                .with("from_seq", from),
        )?;
        Ok(segment)
    }
}

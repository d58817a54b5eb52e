//! [`SyncAgent`]: sync on its own store connection (same key) with the device key, so a
//! background thread can push while the session goes on with the user's work; and the pass
//! bookkeeping both the agent and the session use (status, recording an outcome).

use crate::audit::actions;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, TransactionBehavior};
use varde_audit_chain::Outcome;

use super::client::SyncClient;
use super::protocol::{self, PassOutcome};
use super::{SyncError, SyncReport, SyncStatus};
use crate::audit::{AuditLog, Event};
use crate::store::{audit_log, sync_state};

/// Lets another thread interrupt a sync in flight (a runner stopping, the app closing).
#[derive(Clone, Default)]
pub struct Interrupter {
    stopped: Arc<AtomicBool>,
    current: Arc<Mutex<Option<SyncClient>>>,
}

impl Interrupter {
    /// Stops between batches and cuts any request in flight; the next pass runs normally
    /// again only after [`resume`](Self::resume).
    pub fn interrupt(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Some(c) = self
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            c.shutdown();
        }
    }

    pub fn resume(&self) {
        self.stopped.store(false, Ordering::SeqCst);
    }

    pub fn is_interrupted(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

/// A sync handle independent of the session: its own connection to the encrypted store.
pub struct SyncAgent {
    conn: Connection,
    audit: Arc<AuditLog>,
    interrupter: Interrupter,
}

impl SyncAgent {
    pub(crate) fn new(conn: Connection, audit: Arc<AuditLog>) -> SyncAgent {
        SyncAgent {
            conn,
            audit,
            interrupter: Interrupter::default(),
        }
    }

    /// Pushes everything pending (see [`crate::Session::sync_now`]).
    pub fn sync_now(&mut self) -> Result<SyncReport, SyncError> {
        sync_on(&mut self.conn, &self.audit, &self.interrupter)
    }

    pub fn status(&self) -> Result<SyncStatus, SyncError> {
        status_on(&self.conn, &self.audit)
    }

    /// Whether there is anything to do: enrolled and switched on.
    pub fn is_active(&self) -> Result<bool, SyncError> {
        Ok(sync_state::config(&self.conn)?.is_some_and(|c| c.enabled))
    }

    pub fn interrupter(&self) -> Interrupter {
        self.interrupter.clone()
    }
}

/// The status from the store.
pub(crate) fn status_on(conn: &Connection, audit: &AuditLog) -> Result<SyncStatus, SyncError> {
    let cfg = sync_state::config(conn)?;
    let progress = sync_state::progress(conn)?;
    let local_head = audit_log::head(conn)?.map_or(0, |(s, _)| s);
    let checkpoint = sync_state::latest_checkpoint(conn)?;
    Ok(SyncStatus {
        enrolled: cfg.is_some(),
        enabled: cfg.as_ref().is_some_and(|c| c.enabled),
        device_id: audit.device_id().to_string(),
        server: cfg.as_ref().map(|c| c.server_url.clone()),
        pending: local_head.saturating_sub(progress.acked_seq),
        local_head,
        last_success: progress.last_success,
        last_error: progress.last_error,
        offline_since: progress.offline_since,
        server_head: progress.server_head,
        checkpoint_size: checkpoint.map(|c| c.size),
        server_state: progress.server_state,
    })
}

/// A client for the enrolled server, registered with `interrupter` so it can be cut off.
fn client_for(
    cfg: &sync_state::SyncConfig,
    audit: &Arc<AuditLog>,
    interrupter: &Interrupter,
) -> Result<SyncClient, SyncError> {
    let client = SyncClient::new(&cfg.server_url, cfg.pin_sha256.as_deref(), audit.clone())?;
    *interrupter
        .current
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(client.clone());
    Ok(client)
}

/// One full sync on `conn`: a pass, then its outcome recorded.
pub(crate) fn sync_on(
    conn: &mut Connection,
    audit: &Arc<AuditLog>,
    interrupter: &Interrupter,
) -> Result<SyncReport, SyncError> {
    let cfg = sync_state::config(conn)?.ok_or(SyncError::NotEnrolled)?;
    if !cfg.enabled {
        return Err(SyncError::Disabled);
    }
    let result = client_for(&cfg, audit, interrupter).and_then(|client| {
        protocol::run_pass(conn, &cfg, &client, audit.device_id(), &|| {
            interrupter.is_interrupted()
        })
    });
    interrupter
        .current
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    record_outcome(conn, audit, &result)?;
    let outcome = result?;
    Ok(SyncReport {
        pushed: outcome.pushed,
        duplicates: outcome.duplicates,
        batches: outcome.batches,
        status: status_on(conn, audit)?,
    })
}

/// Records how a pass went. Routine passes add no audit entry (they would feed themselves);
/// a newly found rollback, fork or misbehaving server does, once.
fn record_outcome(
    conn: &mut Connection,
    audit: &AuditLog,
    result: &Result<PassOutcome, SyncError>,
) -> Result<(), SyncError> {
    let now = crate::clock::format(crate::clock::now());
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut p = sync_state::progress(&tx)?;
    match result {
        Ok(o) => {
            p.last_success = Some(now);
            p.last_error = None;
            p.offline_since = None;
            p.server_head = Some(o.server_head);
            p.server_state = Some(o.server_state.clone());
        }
        Err(e) => {
            p.last_error = Some(e.to_string());
            if e.is_transient() {
                p.offline_since.get_or_insert(now);
            } else {
                p.offline_since = None;
            }
            if let SyncError::LocalRollback { server_head, .. } = e {
                p.server_head = Some(*server_head);
            }
            if let Some(state) = e.server_state() {
                let new = p.server_state.as_deref() != Some(state);
                p.server_state = Some(state.to_string());
                if new {
                    if let Some(event) = alarm(e) {
                        audit.append(&tx, event)?;
                    }
                }
            }
        }
    }
    sync_state::save_progress(&tx, &p)?;
    tx.commit()?;
    Ok(())
}

/// The audit entry for a problem found by sync (no actor: the workstation found it).
fn alarm(e: &SyncError) -> Option<Event> {
    let event = match e {
        SyncError::ServerMisbehaved(_) => Event::new(actions::SYNC_SERVER_INCONSISTENT),
        SyncError::LocalRollback {
            local_head,
            server_head,
        } => Event::new(actions::SYNC_LOCAL_ROLLBACK)
            .with("local_head", local_head)
            .with("server_head", server_head),
        SyncError::Fork { seq } => Event::new(actions::SYNC_FORK_DETECTED).with("seq", seq),
        SyncError::Refused { code, .. } if code == "fork_detected" => {
            Event::new(actions::SYNC_FORK_DETECTED)
        }
        _ => return None,
    };
    Some(event.outcome(Outcome::Failure).with("error", e.code()))
}

//! Reading the audit log: verify the chain, export it, a case's timeline.

use crate::audit::actions;
use std::collections::HashMap;
use ts_rs::TS;

use serde::{Deserialize, Serialize};
use varde_audit_chain::Entry;

use super::{Error, Result, Session};
use crate::audit::{self, VerifyReport};
use crate::domain::{self, Operation};
use crate::records::Page;
use crate::store;

/// What the audit screen asks for. Dates are `YYYY-MM-DD`, inclusive; `actor` matches part of a
/// user name, `action` the start of an action name.
#[derive(Clone, Debug, Default, Deserialize, TS)]
// What the window may leave out, it may send without.
#[ts(optional_fields = nullable)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[ts(type = "number")]
    pub limit: u64,
    #[ts(type = "number")]
    pub offset: u64,
}

/// Where an audit export was written, and how many entries it holds.
#[derive(Clone, Debug, Serialize, TS)]
pub struct AuditExport {
    pub path: std::path::PathBuf,
    #[ts(type = "number")]
    pub entries: u64,
}

fn timeline_entry(e: Entry, names: &HashMap<String, String>) -> AuditTimelineEntry {
    let actor_user_id = e.body.actor.as_ref().map(|a| a.user_id.clone());
    AuditTimelineEntry {
        seq: e.body.seq,
        timestamp: e.body.timestamp,
        action: e.body.action,
        actor_name: actor_user_id.as_ref().and_then(|id| names.get(id).cloned()),
        actor_user_id,
        actor_role: e.body.actor.map(|a| a.role),
        outcome: e.body.outcome.as_str().to_string(),
        context: e.body.context,
    }
}

/// One line of a case's audit timeline.
#[derive(Clone, Debug, Serialize, TS)]
pub struct AuditTimelineEntry {
    #[ts(type = "number")]
    pub seq: u64,
    pub timestamp: String,
    pub action: String,
    pub actor_user_id: Option<String>,
    /// The actor's user name (user names are not PHI; they say who did what).
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub outcome: String,
    pub context: std::collections::BTreeMap<String, String>,
}

/// How the log is exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditFormat {
    /// One signed entry per line, as stored: re-verifiable with the device's key.
    Jsonl,
    /// A FHIR R4 Bundle of AuditEvents coded after IHE BALP.
    Fhir,
}

impl AuditFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditFormat::Jsonl => "jsonl",
            AuditFormat::Fhir => "fhir",
        }
    }
}

impl Session {
    pub(super) fn require_audit_reader(&mut self, action: &str) -> Result<()> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ReadAudit, None, None) {
            return self.refuse(self.event(action), e);
        }
        Ok(())
    }

    /// Verifies the whole chain (auditors and admins), and that it still extends the audit
    /// server's last receipt and (when sync is on and the server answers) the server's head of
    /// this device. The check itself is audited afterwards, with its result.
    pub fn verify_audit(&mut self) -> Result<VerifyReport> {
        self.require_audit_reader(actions::AUDIT_VERIFY)?;
        let result = audit::verify(&self.conn, &self.audit.public_key_hex())
            .and_then(|report| self.check_against_server(report));
        match &result {
            Ok(r) => self.record(self.event(actions::AUDIT_VERIFY).with("entries", r.entries))?,
            Err(audit::AuditError::Broken(e)) => {
                tracing::error!(first_bad_entry = ?e.seq(), "audit chain verification failed");
                self.record(
                    self.event(actions::AUDIT_VERIFY)
                        .outcome(varde_audit_chain::Outcome::Failure)
                        .with(
                            "first_bad_entry",
                            e.seq().map_or("unknown".into(), |s| s.to_string()),
                        ),
                )?
            }
            Err(
                e @ (audit::AuditError::RolledBack { .. } | audit::AuditError::Diverged { .. }),
            ) => {
                tracing::error!("the audit log no longer extends what the audit server received");
                let reason = match e {
                    audit::AuditError::RolledBack { .. } => "rolled_back",
                    _ => "diverged",
                };
                self.record(
                    self.event(actions::AUDIT_VERIFY)
                        .outcome(varde_audit_chain::Outcome::Failure)
                        .with("reason", reason),
                )?
            }
            Err(_) => {}
        }
        Ok(result?)
    }

    /// The receipt check, and the server's head when it can be asked.
    fn check_against_server(
        &self,
        mut report: VerifyReport,
    ) -> std::result::Result<VerifyReport, audit::AuditError> {
        if let Some(r) = store::sync_state::last_receipt(&self.conn, self.audit.device_id())? {
            audit::check_extends(&self.conn, &report, r.seq, &r.entry_hash)?;
            report.receipt_seq = Some(r.seq);
        }
        let Some(cfg) = store::sync_state::config(&self.conn)?.filter(|c| c.enabled) else {
            return Ok(report);
        };
        let head = crate::sync::client::SyncClient::new(
            &cfg.server_url,
            cfg.pin_sha256.as_deref(),
            self.audit.clone(),
        )
        .and_then(|c| c.head());
        match head {
            Ok(h) if h.device_id == self.audit.device_id() => {
                audit::check_extends(&self.conn, &report, h.head.seq, &h.head.hash)?;
                report.server_head = Some(h.head.seq);
            }
            Ok(_) => {}
            Err(e) => tracing::info!(error = e.code(), "audit server not asked during verify"),
        }
        Ok(report)
    }

    /// Writes the whole log as JSON lines (auditors and admins); returns the number of entries.
    pub fn export_audit(&mut self, out: &mut dyn std::io::Write) -> Result<u64> {
        self.export_audit_as(AuditFormat::Jsonl, out)
    }

    /// Writes the whole log in `format` (auditors and admins); audited with the count and format.
    pub fn export_audit_as(
        &mut self,
        format: AuditFormat,
        out: &mut dyn std::io::Write,
    ) -> Result<u64> {
        self.require_audit_reader(actions::AUDIT_EXPORT)?;
        let n = match format {
            AuditFormat::Jsonl => audit::export_jsonl(&self.conn, out)?,
            AuditFormat::Fhir => {
                let site = store::sync_state::config(&self.conn)?.map(|c| c.site);
                audit::export_fhir(&self.conn, out, site.as_deref())?
            }
        };
        self.record(
            self.event(actions::AUDIT_EXPORT)
                .with("entries", n)
                .with("format", format.as_str()),
        )?;
        Ok(n)
    }

    /// Writes the whole log to a new file in `dir`, named by the time (`varde-audit-<UTC>.jsonl`),
    /// flushed to disk before it returns; an existing file is never overwritten.
    pub fn export_audit_to_dir(&mut self, dir: &std::path::Path) -> Result<AuditExport> {
        let stamp = crate::clock::format(crate::clock::now()).replace(':', "");
        let path = dir.join(format!("varde-audit-{stamp}.jsonl"));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let entries = self.export_audit(&mut file)?;
        file.sync_all()?;
        Ok(AuditExport { path, entries })
    }

    /// The audit entries about one case, for its timeline (whoever may open the case).
    pub fn case_timeline(&mut self, case_id: &str) -> Result<Vec<AuditTimelineEntry>> {
        let Some(case) = store::cases::get(&self.conn, case_id)? else {
            return Err(Error::NotFound {
                what: "case",
                id: case_id.to_string(),
            });
        };
        self.authorize_case(&case, Operation::ViewCase, actions::CASE_TIMELINE, None)?;
        let entries = store::audit_log::for_resource(&self.conn, case_id)?;
        let names = self.user_names()?;
        Ok(entries
            .into_iter()
            .map(|e| timeline_entry(e, &names))
            .collect())
    }

    /// A page of the whole log, newest first, filtered by actor name, action prefix and dates
    /// (auditors and admins).
    pub fn audit_entries(&mut self, q: &AuditQuery) -> Result<Page<AuditTimelineEntry>> {
        self.require_audit_reader(actions::AUDIT_LIST)?;
        let names = self.user_names()?;
        let actor = q.actor.as_deref().map(str::trim).filter(|a| !a.is_empty());
        let date = |d: &Option<String>, what: &str| -> Result<Option<String>> {
            match d.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                None => Ok(None),
                Some(d) => {
                    time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                        .map(|_| Some(d.to_string()))
                        .map_err(|_| Error::Invalid(format!("the {what} date must be YYYY-MM-DD")))
                }
            }
        };
        let limit = q.limit.clamp(1, 500);
        let filter = store::audit_log::AuditFilter {
            actor_user_ids: actor.map(|a| {
                let a = a.to_lowercase();
                names
                    .iter()
                    .filter(|(_, name)| name.contains(&a))
                    .map(|(id, _)| id.clone())
                    .collect()
            }),
            action_prefix: q.action.as_deref().map(str::trim).map(str::to_string),
            from_date: date(&q.from, "from")?,
            to_date: date(&q.to, "to")?,
            limit,
            offset: q.offset,
        };
        let (entries, total) = store::audit_log::page(&self.conn, &filter)?;
        self.record(
            self.event(actions::AUDIT_LIST)
                .with("returned", entries.len())
                .with("total", total),
        )?;
        Ok(Page {
            total,
            offset: q.offset,
            limit,
            items: entries
                .into_iter()
                .map(|e| timeline_entry(e, &names))
                .collect(),
        })
    }

    /// The device's audit identity: id and public key (for the audit server, for auditors).
    pub fn device_identity(&self) -> (String, String) {
        (
            self.audit.device_id().to_string(),
            self.audit.public_key_hex(),
        )
    }
}

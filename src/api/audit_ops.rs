//! Reading the audit log: verify the chain, export it, a case's timeline.

use serde::Serialize;

use super::{Error, Result, Session};
use crate::audit::{self, VerifyReport};
use crate::domain::{self, Operation};
use crate::store;

/// One line of a case's audit timeline.
#[derive(Clone, Debug, Serialize)]
pub struct AuditTimelineEntry {
    pub seq: u64,
    pub timestamp: String,
    pub action: String,
    pub actor_user_id: Option<String>,
    pub actor_role: Option<String>,
    pub outcome: String,
    pub context: std::collections::BTreeMap<String, String>,
}

impl Session {
    fn require_audit_reader(&mut self, action: &str) -> Result<()> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ReadAudit, None, None) {
            return self.refuse(self.event(action), e);
        }
        Ok(())
    }

    /// Verifies the whole chain (auditors and admins). The check itself is audited afterwards,
    /// with its result.
    pub fn verify_audit(&mut self) -> Result<VerifyReport> {
        self.require_audit_reader("audit.verify")?;
        let result = audit::verify(&self.conn, &self.audit.public_key_hex());
        match &result {
            Ok(r) => self.record(self.event("audit.verify").with("entries", r.entries))?,
            Err(audit::AuditError::Broken(e)) => {
                tracing::error!(first_bad_entry = ?e.seq(), "audit chain verification failed");
                self.record(
                    self.event("audit.verify")
                        .outcome(varde_audit_chain::Outcome::Failure)
                        .with(
                            "first_bad_entry",
                            e.seq().map_or("unknown".into(), |s| s.to_string()),
                        ),
                )?
            }
            Err(_) => {}
        }
        Ok(result?)
    }

    /// Writes the whole log as JSON lines (auditors and admins); returns the number of entries.
    pub fn export_audit(&mut self, out: &mut dyn std::io::Write) -> Result<u64> {
        self.require_audit_reader("audit.export")?;
        let n = audit::export_jsonl(&self.conn, out)?;
        self.record(
            self.event("audit.export")
                .with("entries", n)
                .with("format", "jsonl"),
        )?;
        Ok(n)
    }

    /// The audit entries about one case, for its timeline (whoever may open the case).
    pub fn case_timeline(&mut self, case_id: &str) -> Result<Vec<AuditTimelineEntry>> {
        let Some(case) = store::cases::get(&self.conn, case_id)? else {
            return Err(Error::NotFound {
                what: "case",
                id: case_id.to_string(),
            });
        };
        self.authorize_case(&case, Operation::ViewCase, "case.timeline", None)?;
        let entries = store::audit_log::for_resource(&self.conn, case_id)?;
        Ok(entries
            .into_iter()
            .map(|e| AuditTimelineEntry {
                seq: e.body.seq,
                timestamp: e.body.timestamp,
                action: e.body.action,
                actor_user_id: e.body.actor.as_ref().map(|a| a.user_id.clone()),
                actor_role: e.body.actor.map(|a| a.role),
                outcome: e.body.outcome.as_str().to_string(),
                context: e.body.context,
            })
            .collect())
    }

    /// The device's audit identity: id and public key (for the audit server, for auditors).
    pub fn device_identity(&self) -> (String, String) {
        (
            self.audit.device_id().to_string(),
            self.audit.public_key_hex(),
        )
    }
}

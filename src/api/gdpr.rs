//! GDPR: erasure on request, retention purge, and the subject's data export (access and
//! portability requests).
//!
//! Erasure deletes the case, its documents and blobs, and destroys its data key: copies of the
//! blobs elsewhere (backups, disk images) become unreadable. Only audit entries remain, which hold
//! no PHI, plus one recording the erasure.

use crate::audit::actions;
use serde::Serialize;
use varde_audit_chain::Outcome;

use super::{begin, Error, Result, Session};
use crate::audit::Event;
use crate::domain::{self, Operation};
use crate::records::{BreakGlassEvent, Case, Document};
use crate::store;

/// What a purge did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PurgeReport {
    pub purged_cases: Vec<String>,
    pub orphan_blobs_removed: u64,
}

/// Everything stored about a case's subject.
#[derive(Clone, Debug, Serialize)]
pub struct SubjectExport {
    pub format: &'static str,
    pub exported_at: String,
    pub exported_by: String,
    pub case: Case,
    pub documents: Vec<ExportedDocument>,
    pub break_glass_access: Vec<BreakGlassEvent>,
    pub audit_trail: Vec<super::AuditTimelineEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExportedDocument {
    #[serde(flatten)]
    pub metadata: Document,
    pub content_base64: String,
}

const MIN_ERASE_REASON: usize = 10;

impl Session {
    /// Erases a case on request (admins). The reason is kept in the audit entry, so it must not
    /// name the subject.
    pub fn erase_case(&mut self, case_id: &str, reason: &str) -> Result<()> {
        let case = match store::cases::get(&self.conn, case_id)? {
            Some(c) => c,
            None => {
                return self.refuse(
                    self.event(actions::CASE_ERASE).on("case", case_id),
                    Error::NotFound {
                        what: "case",
                        id: case_id.to_string(),
                    },
                )
            }
        };
        if let Err(e) = domain::authorize(&self.actor(), Operation::EraseCase, None, None) {
            return self.refuse(self.event(actions::CASE_ERASE).on("case", case_id), e);
        }
        let reason = reason.trim();
        if reason.chars().count() < MIN_ERASE_REASON || reason.chars().count() > 500 {
            return Err(Error::Invalid(format!(
                "give the reason for the erasure ({MIN_ERASE_REASON}–500 characters), e.g. \"subject's request under GDPR art. 17\""
            )));
        }
        if mentions_subject(reason, &case) {
            return Err(Error::Invalid(
                "the reason is kept in the audit log and must not name the subject or their ID number".into(),
            ));
        }
        let event = self
            .event(actions::CASE_ERASE)
            .on("case", case_id)
            .with("reason", reason);
        self.destroy_case(&case, event)
    }

    /// Removes a case and its blobs in one step, recording `event` in the same transaction.
    fn destroy_case(&mut self, case: &Case, event: Event) -> Result<()> {
        let docs = store::documents::list_for_case(&self.conn, &case.id)?;
        let event = event
            .with("documents", docs.len())
            .with("status", case.status.as_str());
        let tx = begin(&mut self.conn)?;
        store::cases::delete(&tx, &case.id)?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        // The data key is gone with the commit; deleting the blobs is tidiness, and any that fail
        // to delete are unreadable and swept by the next purge.
        for d in docs {
            if let Err(e) = self.blobs.delete(&d.blob_id) {
                tracing::warn!(document_id = %d.id, error = %e, "could not delete an erased blob");
            }
        }
        tracing::info!(case_id = %case.id, "case erased");
        Ok(())
    }

    /// Erases every closed case past its retention (admins on demand; also at every sign-in).
    pub fn purge(&mut self) -> Result<PurgeReport> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::Purge, None, None) {
            return self.refuse(self.event(actions::CASE_PURGE), e);
        }
        self.purge_due()
    }

    pub(super) fn purge_due(&mut self) -> Result<PurgeReport> {
        let now = crate::clock::format(crate::clock::now());
        let mut report = PurgeReport::default();
        for id in store::cases::due_for_purge(&self.conn, &now)? {
            let Some(case) = store::cases::get(&self.conn, &id)? else {
                continue;
            };
            let event = Event::new(actions::CASE_PURGE)
                .on("case", &id)
                .with("reason", "retention")
                .with("retention_days", self.config.retention_days)
                .with("triggered_by", &self.user.id);
            self.destroy_case(&case, event)?;
            report.purged_cases.push(id);
        }
        let known: std::collections::HashSet<String> = store::documents::all_blob_ids(&self.conn)?
            .into_iter()
            .collect();
        for blob in self.blobs.ids()? {
            if !known.contains(&blob) && self.blobs.delete(&blob).is_ok() {
                report.orphan_blobs_removed += 1;
            }
        }
        if !report.purged_cases.is_empty() {
            tracing::info!(cases = report.purged_cases.len(), "retention purge");
        }
        Ok(report)
    }

    /// Everything stored about a case's subject, documents included (admins; audited).
    pub fn export_subject(&mut self, case_id: &str) -> Result<SubjectExport> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ExportSubject, None, None) {
            return self.refuse(self.event(actions::SUBJECT_EXPORT).on("case", case_id), e);
        }
        let Some(case) = store::cases::get(&self.conn, case_id)? else {
            return self.refuse(
                self.event(actions::SUBJECT_EXPORT).on("case", case_id),
                Error::NotFound {
                    what: "case",
                    id: case_id.to_string(),
                },
            );
        };
        let key = self.case_data_key(case_id)?;
        let mut documents = Vec::new();
        for d in store::documents::list_for_case(&self.conn, case_id)? {
            let bytes = self.blobs.get(&key, &d.blob_id)?;
            documents.push(ExportedDocument {
                metadata: d,
                content_base64: base64(&bytes),
            });
        }
        let break_glass_access = store::cases::list_break_glass(&self.conn, false)?
            .into_iter()
            .filter(|e| e.case_id == case_id)
            .collect();
        let audit_trail = self.case_timeline(case_id)?;
        self.record(
            self.event(actions::SUBJECT_EXPORT)
                .on("case", case_id)
                .with("documents", documents.len())
                .with("format", "json")
                .outcome(Outcome::Success),
        )?;
        Ok(SubjectExport {
            format: "varde-subject-export/1",
            exported_at: crate::clock::format(crate::clock::now()),
            exported_by: self.user.id.clone(),
            case,
            documents,
            break_glass_access,
            audit_trail,
        })
    }
}

/// Whether `text` contains the subject's name (any word of 3+ letters of it) or ID number.
fn mentions_subject(text: &str, case: &Case) -> bool {
    let lower = text.to_lowercase();
    let by_name = case
        .subject
        .name
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .any(|w| lower.contains(&w.to_lowercase()));
    let by_id = case
        .subject
        .national_id
        .as_deref()
        .is_some_and(|id| text.replace(' ', "").contains(id));
    by_name || by_id
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe]), "//4=");
    }
}

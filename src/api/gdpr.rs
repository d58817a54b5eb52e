//! GDPR: erasure on request, retention purge, and the subject's data export (access and
//! portability requests).
//!
//! Erasure deletes the case, its documents and blobs, and destroys its data key: copies of the
//! blobs elsewhere (backups, disk images) become unreadable. Only audit entries remain, which hold
//! no PHI, plus one recording the erasure.

use crate::audit::actions;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
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

/// Why a case is erased: a code from a fixed list, the only thing about the reason the audit
/// chain records (audit entries are never erased, so no free text goes there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The subject asked for it (GDPR art. 17).
    SubjectRequest,
    /// Its retention has run out.
    Retention,
    /// It was created by mistake (wrong patient, duplicate, test).
    EnteredInError,
    Other,
}

impl ErasureReason {
    pub const ALL: [ErasureReason; 4] = [
        ErasureReason::SubjectRequest,
        ErasureReason::Retention,
        ErasureReason::EnteredInError,
        ErasureReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErasureReason::SubjectRequest => "subject_request",
            ErasureReason::Retention => "retention",
            ErasureReason::EnteredInError => "entered_in_error",
            ErasureReason::Other => "other",
        }
    }
}

impl std::str::FromStr for ErasureReason {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        ErasureReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                let codes: Vec<_> = ErasureReason::ALL.iter().map(|r| r.as_str()).collect();
                format!(
                    "the erasure reason must be one of: {} (free text goes in the detail)",
                    codes.join(", ")
                )
            })
    }
}

/// The longest erasure detail kept.
pub const MAX_ERASURE_DETAIL: usize = 2000;

impl Session {
    /// Erases a case (admins). The audit entry records `reason` as its code only; `detail`,
    /// free text that may name the subject, is kept with the case in the encrypted store and
    /// erased with it, never written to the audit chain.
    pub fn erase_case(
        &mut self,
        case_id: &str,
        reason: ErasureReason,
        detail: Option<&str>,
    ) -> Result<()> {
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
        let detail = detail.map(str::trim).filter(|d| !d.is_empty());
        if detail.is_some_and(|d| d.chars().count() > MAX_ERASURE_DETAIL) {
            return Err(Error::Invalid(format!(
                "the erasure detail is longer than {MAX_ERASURE_DETAIL} characters"
            )));
        }
        let event = self
            .event(actions::CASE_ERASE)
            .on("case", case_id)
            .with("reason", reason.as_str())
            .with("detail_given", detail.is_some());
        self.destroy_case(&case, detail, event)
    }

    /// Removes a case and its blobs in one step, recording `event` in the same transaction.
    /// `detail` is written to the case's row in the same transaction that deletes it, so it
    /// exists exactly as long as the case does.
    fn destroy_case(&mut self, case: &Case, detail: Option<&str>, event: Event) -> Result<()> {
        let docs = store::documents::list_for_case(&self.conn, &case.id)?;
        let event = event
            .with("documents", docs.len())
            .with("status", case.status.as_str());
        let tx = begin(&mut self.conn)?;
        if let Some(detail) = detail {
            store::cases::set_erasure_detail(&tx, &case.id, detail)?;
        }
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
                .with("reason", ErasureReason::Retention.as_str())
                .with("retention_days", self.config.retention_days)
                .with("triggered_by", &self.user.id);
            self.destroy_case(&case, None, event)?;
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

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
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

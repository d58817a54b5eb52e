//! The records the core API returns and the store persists: plain data, serialisable for the CLI's
//! `--json` and the desktop shell. Rules about them live in `domain`.

use serde::Serialize;

use crate::domain::{CaseKind, CaseStatus, Role};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct User {
    pub id: String,
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub slot_id: String,
    pub created_at: String,
    pub removed_at: Option<String>,
}

/// Who or what a case is about. Holds PHI: never logged, never in audit entries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Subject {
    pub name: String,
    pub date_of_birth: Option<String>,
    pub national_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Consent {
    pub given: bool,
    pub at: String,
    pub policy_version: String,
}

/// The AI's signal for a case (a label, a confidence, a suggestion); a human decides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AiSignal {
    pub label: Option<String>,
    pub confidence: Option<f64>,
    pub suggestion: String,
    pub model: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Case {
    pub id: String,
    pub kind: CaseKind,
    pub subject: Subject,
    pub consent: Consent,
    pub status: CaseStatus,
    pub version: i64,
    pub created_by: String,
    pub reviewer_id: Option<String>,
    pub ai: Option<AiSignal>,
    pub decision: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
    pub purge_after: Option<String>,
}

impl Case {
    /// A case just opened: a new id, PENDING, version 1, no AI signal, review or decision yet.
    pub fn opened(
        kind: CaseKind,
        subject: Subject,
        consent: Consent,
        created_by: &str,
        at: &str,
    ) -> Case {
        Case {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            subject,
            consent,
            status: CaseStatus::Pending,
            version: 1,
            created_by: created_by.to_string(),
            reviewer_id: None,
            ai: None,
            decision: None,
            decision_reason: None,
            decided_at: None,
            created_at: at.to_string(),
            updated_at: at.to_string(),
            closed_at: None,
            purge_after: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Document {
    pub id: String,
    pub case_id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    #[serde(skip)]
    pub blob_id: String,
    /// The same file (same SHA-256) is also in another case.
    pub duplicate: bool,
    pub added_by: String,
    pub added_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakGlassEvent {
    pub id: String,
    pub case_id: String,
    pub user_id: String,
    pub reason: String,
    pub at: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
}

/// One page of a listing, with the total the filter matches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    pub items: Vec<T>,
}

//! The records the core API returns and the store persists: plain data, serialisable for the CLI's
//! `--json` and the desktop shell. Rules about them live in `domain`.

use serde::Serialize;
use ts_rs::TS;

use crate::domain::{CaseKind, CaseStatus, Decision, Role, Screen, Suggestion};

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

/// The signed-in user as a client shows them: who they are, their role, and the screens the
/// access rules give that role (the window's menu; the first is where they land).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct SignedIn {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub screens: Vec<Screen>,
}

impl From<User> for SignedIn {
    fn from(u: User) -> Self {
        SignedIn {
            screens: crate::domain::screens(u.role),
            id: u.id,
            name: u.name,
            role: u.role,
        }
    }
}

/// Who or what a case is about. Holds PHI: never logged, never in audit entries.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Subject {
    pub name: String,
    pub date_of_birth: Option<String>,
    pub national_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Consent {
    pub given: bool,
    pub at: String,
    pub policy_version: String,
}

/// The AI's signal for a case (a label, a confidence, a suggestion); a human decides.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct AiSignal {
    /// The labels of the case's analysed documents, each once, in the order they were added.
    pub labels: Vec<String>,
    pub confidence: Option<f64>,
    pub suggestion: Suggestion,
    pub model: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Case {
    pub id: String,
    pub kind: CaseKind,
    pub subject: Subject,
    pub consent: Consent,
    pub status: CaseStatus,
    #[ts(type = "number")]
    pub version: i64,
    pub created_by: String,
    pub reviewer_id: Option<String>,
    pub ai: Option<AiSignal>,
    pub decision: Option<Decision>,
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

#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Document {
    pub id: String,
    pub case_id: String,
    pub file_name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub sha256: String,
    #[serde(skip)]
    pub blob_id: String,
    /// The same file (same SHA-256) is also in another case.
    pub duplicate: bool,
    pub added_by: String,
    pub added_at: String,
}

/// A clinician's opening of a case not theirs, with the reason they gave, for an auditor to
/// review. Kept in the encrypted store (the audit chain records only its id); an unreviewed one
/// outlives the case's erasure.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct BreakGlassEvent {
    pub id: String,
    pub case_id: String,
    pub user_id: String,
    /// The clinician's user name (None once the user row is gone).
    pub user_name: Option<String>,
    pub reason: String,
    pub at: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    /// The case has been erased or purged since.
    pub case_erased: bool,
}

/// One page of a listing, with the total the filter matches.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Page<T> {
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub offset: u64,
    #[ts(type = "number")]
    pub limit: u64,
    pub items: Vec<T>,
}

/// Where a background job is in its life: queued → processing → done, or failed (waiting out a
/// backoff before it is retried) → … → dead (out of attempts, until a user retries it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Processing,
    Done,
    Failed,
    Dead,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Queued,
        JobStatus::Processing,
        JobStatus::Done,
        JobStatus::Failed,
        JobStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Processing => "processing",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
            JobStatus::Dead => "dead",
        }
    }

    /// Done or dead: nothing more will happen without a user.
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::Dead)
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for JobStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JobStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| "status must be one of queued, processing, done, failed, dead".into())
    }
}

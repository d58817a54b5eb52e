//! The review workflow of a case: its kinds, states and the transitions between them, and how a
//! human decision is compared with the AI's suggestion.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a case is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, TS, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseKind {
    /// Identity check of a patient or a provider.
    Identity,
    /// Intake of clinical documents.
    Clinical,
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Identity => "identity",
            CaseKind::Clinical => "clinical",
        }
    }
}

impl FromStr for CaseKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "identity" => Ok(CaseKind::Identity),
            "clinical" => Ok(CaseKind::Clinical),
            _ => Err("case kind must be 'identity' or 'clinical'".into()),
        }
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a case is in review. APPROVED is terminal; REJECTED goes back to PENDING on resubmission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, TS, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseStatus {
    Pending,
    InReview,
    Approved,
    Rejected,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Pending,
        CaseStatus::InReview,
        CaseStatus::Approved,
        CaseStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Pending => "PENDING",
            CaseStatus::InReview => "IN_REVIEW",
            CaseStatus::Approved => "APPROVED",
            CaseStatus::Rejected => "REJECTED",
        }
    }

    /// A closed case has a human decision; its retention clock runs from the moment it closed.
    pub fn is_closed(self) -> bool {
        matches!(self, CaseStatus::Approved | CaseStatus::Rejected)
    }

    /// Documents may be added while the owner is still preparing the case (or fixing a rejected one),
    /// never while a reviewer is looking at it or after approval.
    pub fn accepts_documents(self) -> bool {
        matches!(self, CaseStatus::Pending | CaseStatus::Rejected)
    }

    /// The state `action` leads to from `self`, or why it is not allowed.
    pub fn apply(self, action: ReviewAction) -> Result<CaseStatus, TransitionError> {
        use CaseStatus::*;
        use ReviewAction::*;
        let to = action.target();
        match (self, action) {
            (Pending, StartReview)
            | (InReview, Approve)
            | (InReview, Reject)
            | (Rejected, Resubmit) => Ok(to),
            _ => Err(TransitionError { from: self, to }),
        }
    }
}

impl FromStr for CaseStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().replace('-', "_").as_str() {
            "PENDING" => Ok(CaseStatus::Pending),
            "IN_REVIEW" | "INREVIEW" => Ok(CaseStatus::InReview),
            "APPROVED" => Ok(CaseStatus::Approved),
            "REJECTED" => Ok(CaseStatus::Rejected),
            _ => Err("status must be one of PENDING, IN_REVIEW, APPROVED, REJECTED".into()),
        }
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a user asks to do with a case's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    StartReview,
    Approve,
    Reject,
    Resubmit,
}

impl ReviewAction {
    /// The state this action leads to when it is allowed.
    pub fn target(self) -> CaseStatus {
        match self {
            ReviewAction::StartReview => CaseStatus::InReview,
            ReviewAction::Approve => CaseStatus::Approved,
            ReviewAction::Reject => CaseStatus::Rejected,
            ReviewAction::Resubmit => CaseStatus::Pending,
        }
    }

    /// The audit action name.
    pub fn audit_action(self) -> &'static str {
        match self {
            ReviewAction::StartReview => "review.start",
            ReviewAction::Approve => "review.approve",
            ReviewAction::Reject => "review.reject",
            ReviewAction::Resubmit => "case.resubmit",
        }
    }
}

/// A transition the workflow does not allow; names both states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a case cannot go from {from} to {to} (allowed: PENDING → IN_REVIEW → APPROVED | REJECTED, REJECTED → PENDING)")]
pub struct TransitionError {
    pub from: CaseStatus,
    pub to: CaseStatus,
}

/// The AI's suggestion for a case (filled by the document pipeline). Without a signal it is
/// manual review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Suggestion {
    Approve,
    #[default]
    ManualReview,
}

impl Suggestion {
    pub fn as_str(self) -> &'static str {
        match self {
            Suggestion::Approve => "approve",
            Suggestion::ManualReview => "manual_review",
        }
    }
}

impl FromStr for Suggestion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "approve" => Ok(Suggestion::Approve),
            "manual_review" => Ok(Suggestion::ManualReview),
            _ => Err("suggestion must be 'approve' or 'manual_review'".into()),
        }
    }
}

/// A reviewer's final decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approved,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }
}

impl FromStr for Decision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "approved" => Ok(Decision::Approved),
            "rejected" => Ok(Decision::Rejected),
            _ => Err("a decision is 'approved' or 'rejected'".into()),
        }
    }
}

/// How the human decision relates to the AI's suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Divergence {
    /// There was no AI signal to compare with.
    NoSignal,
    /// The AI asked for a human look and did not take a side.
    NotApplicable,
    Agrees,
    Diverges,
}

impl Divergence {
    /// Compares a decision with the suggestion. Only a confident "approve" takes a side: a
    /// rejection against it is a divergence, which the audit log records for model oversight.
    pub fn between(ai: Option<Suggestion>, human: Decision) -> Divergence {
        match (ai, human) {
            (None, _) => Divergence::NoSignal,
            (Some(Suggestion::ManualReview), _) => Divergence::NotApplicable,
            (Some(Suggestion::Approve), Decision::Approved) => Divergence::Agrees,
            (Some(Suggestion::Approve), Decision::Rejected) => Divergence::Diverges,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Divergence::NoSignal => "no_signal",
            Divergence::NotApplicable => "not_applicable",
            Divergence::Agrees => "agrees",
            Divergence::Diverges => "diverges",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;
    use ReviewAction::*;

    #[test]
    fn the_happy_path_and_resubmission_are_allowed() {
        assert_eq!(Pending.apply(StartReview), Ok(InReview));
        assert_eq!(InReview.apply(Approve), Ok(Approved));
        assert_eq!(InReview.apply(Reject), Ok(Rejected));
        assert_eq!(Rejected.apply(Resubmit), Ok(Pending));
    }

    #[test]
    fn every_other_transition_is_refused_naming_both_states() {
        let allowed = [
            (Pending, StartReview),
            (InReview, Approve),
            (InReview, Reject),
            (Rejected, Resubmit),
        ];
        for from in CaseStatus::ALL {
            for action in [StartReview, Approve, Reject, Resubmit] {
                if allowed.contains(&(from, action)) {
                    continue;
                }
                let err = from.apply(action).unwrap_err();
                let msg = err.to_string();
                assert!(msg.contains(from.as_str()), "{msg}");
                assert!(msg.contains(action.target().as_str()), "{msg}");
            }
        }
    }

    #[test]
    fn approved_is_terminal() {
        for action in [StartReview, Approve, Reject, Resubmit] {
            assert!(Approved.apply(action).is_err());
        }
    }

    #[test]
    fn statuses_and_kinds_round_trip_through_text() {
        for s in CaseStatus::ALL {
            assert_eq!(s.as_str().parse::<CaseStatus>(), Ok(s));
        }
        assert_eq!("in-review".parse::<CaseStatus>(), Ok(InReview));
        assert!("DONE".parse::<CaseStatus>().is_err());
        assert_eq!("Clinical".parse::<CaseKind>(), Ok(CaseKind::Clinical));
        assert!("passport".parse::<CaseKind>().is_err());
    }

    #[test]
    fn only_a_rejection_against_a_confident_approve_diverges() {
        use Divergence as D;
        assert_eq!(
            D::between(Some(Suggestion::Approve), Decision::Rejected),
            D::Diverges
        );
        assert_eq!(
            D::between(Some(Suggestion::Approve), Decision::Approved),
            D::Agrees
        );
        assert_eq!(
            D::between(Some(Suggestion::ManualReview), Decision::Rejected),
            D::NotApplicable
        );
        assert_eq!(D::between(None, Decision::Approved), D::NoSignal);
    }

    #[test]
    fn documents_are_accepted_only_before_review_or_after_rejection() {
        assert!(Pending.accepts_documents());
        assert!(Rejected.accepts_documents());
        assert!(!InReview.accepts_documents());
        assert!(!Approved.accepts_documents());
    }
}

//! Who may do what. Every operation of the core API asks [`authorize`] first, whichever door
//! (CLI, desktop) the request came through; the UI only hides what this refuses anyway.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user's role. One per user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, TS, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Creates cases, adds documents, sees their own cases.
    Clinician,
    /// Sees all cases and decides them.
    Reviewer,
    /// Manages users and settings; everything a reviewer can, and may open cases of their own.
    Admin,
    /// Reads and verifies the audit log; never case content.
    Auditor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clinician => "clinician",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "clinician" => Ok(Role::Clinician),
            "reviewer" => Ok(Role::Reviewer),
            "admin" => Ok(Role::Admin),
            "auditor" => Ok(Role::Auditor),
            _ => Err("role must be one of clinician, reviewer, admin, auditor".into()),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn article(role: Role) -> &'static str {
    match role {
        Role::Admin | Role::Auditor => "an",
        Role::Clinician | Role::Reviewer => "a",
    }
}

/// The signed-in user as the rules see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
}

/// Everything the core lets a user do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    CreateCase,
    ListCases,
    ViewCase,
    AddDocument,
    ViewDocument,
    StartReview,
    Decide,
    Resubmit,
    EraseCase,
    ExportSubject,
    Purge,
    ManageUsers,
    ChangeSettings,
    /// Back up the whole store (its encrypted files) or restore one.
    BackUp,
    ReadAudit,
    ReviewBreakGlass,
    /// Run queued document analyses (reveals no content to the user).
    RunPipeline,
    /// See and retry the job queue.
    ManageJobs,
}

impl Operation {
    fn describe(self) -> &'static str {
        match self {
            Operation::CreateCase => "create cases",
            Operation::ListCases => "list cases",
            Operation::ViewCase => "open this case",
            Operation::AddDocument => "add documents to this case",
            Operation::ViewDocument => "open this document",
            Operation::StartReview => "start a review",
            Operation::Decide => "decide a case",
            Operation::Resubmit => "resubmit this case",
            Operation::EraseCase => "erase cases",
            Operation::ExportSubject => "export a subject's data",
            Operation::Purge => "run the retention purge",
            Operation::ManageUsers => "manage users",
            Operation::ChangeSettings => "change settings",
            Operation::BackUp => "back up or restore the store",
            Operation::ReadAudit => "read the audit log",
            Operation::ReviewBreakGlass => "review break-glass access",
            Operation::RunPipeline => "run document analyses",
            Operation::ManageJobs => "manage the job queue",
        }
    }
}

/// How access was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    Allowed,
    /// A clinician opened a case not theirs, giving a reason: allowed, audited and flagged.
    BreakGlass,
}

/// A refusal, with what the user can do about it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccessDenied {
    #[error("permission denied: {} {role} may not {what}", article(*role))]
    Role { role: Role, what: &'static str },
    #[error("permission denied: this case belongs to another clinician; to open it in an emergency, give a break-glass reason")]
    NotOwner,
    #[error("permission denied: a break-glass reason must say why (at least 10 characters)")]
    BreakGlassReasonTooShort,
    #[error("permission denied: nobody reviews a case they created (four-eyes rule)")]
    FourEyes,
}

/// The case facts access depends on.
#[derive(Clone, Copy, Debug)]
pub struct CaseRef<'a> {
    pub created_by: &'a str,
}

/// Which cases a list may show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListScope {
    All,
    CreatedBy(String),
}

/// The shortest break-glass reason accepted: a word or two is no reason.
pub const MIN_BREAK_GLASS_REASON: usize = 10;

/// Decides whether `actor` may perform `op` (on `case`, where the operation concerns one).
/// `break_glass` is the reason a clinician gives to open a case that is not theirs.
pub fn authorize(
    actor: &Actor,
    op: Operation,
    case: Option<CaseRef<'_>>,
    break_glass: Option<&str>,
) -> Result<Grant, AccessDenied> {
    use Operation::*;
    use Role::*;
    let deny = || AccessDenied::Role {
        role: actor.role,
        what: op.describe(),
    };
    let owns = case.is_some_and(|c| c.created_by == actor.user_id);
    match (op, actor.role) {
        // Admins in small clinics are often clinicians too; four-eyes still keeps them off
        // reviewing what they created.
        (CreateCase, Clinician | Admin) => Ok(Grant::Allowed),
        (ListCases, Clinician | Reviewer | Admin) => Ok(Grant::Allowed),
        (ViewCase | ViewDocument, Reviewer | Admin) => Ok(Grant::Allowed),
        (ViewCase | ViewDocument, Clinician) => {
            if owns {
                return Ok(Grant::Allowed);
            }
            match break_glass.map(str::trim) {
                None | Some("") => Err(AccessDenied::NotOwner),
                Some(r) if r.chars().count() < MIN_BREAK_GLASS_REASON => {
                    Err(AccessDenied::BreakGlassReasonTooShort)
                }
                Some(_) => Ok(Grant::BreakGlass),
            }
        }
        (AddDocument | Resubmit, Clinician | Admin) if owns => Ok(Grant::Allowed),
        (AddDocument | Resubmit, Clinician) => Err(AccessDenied::NotOwner),
        (StartReview | Decide, Reviewer | Admin) => {
            if owns {
                Err(AccessDenied::FourEyes)
            } else {
                Ok(Grant::Allowed)
            }
        }
        (EraseCase | ExportSubject | Purge | ManageUsers | ChangeSettings | BackUp, Admin) => {
            Ok(Grant::Allowed)
        }
        (ReadAudit | ReviewBreakGlass, Auditor | Admin) => Ok(Grant::Allowed),
        (RunPipeline, Clinician | Reviewer | Admin) => Ok(Grant::Allowed),
        (ManageJobs, Reviewer | Admin) => Ok(Grant::Allowed),
        _ => Err(deny()),
    }
}

/// The cases `actor` may list: clinicians their own, reviewers and admins all, auditors none.
pub fn list_scope(actor: &Actor) -> Result<ListScope, AccessDenied> {
    authorize(actor, Operation::ListCases, None, None)?;
    Ok(match actor.role {
        Role::Clinician => ListScope::CreatedBy(actor.user_id.clone()),
        _ => ListScope::All,
    })
}

/// A screen of the window's menu. Which ones a user is shown follows from [`authorize`], so the
/// menu never offers a screen whose first command the core would refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Screen {
    Cases,
    NewCase,
    Audit,
    Settings,
}

impl Screen {
    /// The operation a screen cannot do without: it is shown only to roles allowed it.
    fn needs(self) -> Operation {
        match self {
            Screen::Cases => Operation::ListCases,
            Screen::NewCase => Operation::CreateCase,
            Screen::Audit => Operation::ReadAudit,
            Screen::Settings => Operation::ChangeSettings,
        }
    }
}

/// The screens `role` is shown, in menu order; the first is where a user lands after signing in.
pub fn screens(role: Role) -> Vec<Screen> {
    let actor = Actor {
        user_id: String::new(),
        role,
    };
    [
        Screen::Cases,
        Screen::NewCase,
        Screen::Audit,
        Screen::Settings,
    ]
    .into_iter()
    .filter(|s| authorize(&actor, s.needs(), None, None).is_ok())
    .collect()
}

/// What a user may do with one case in its current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    StartReview,
    Approve,
    Reject,
    Resubmit,
    AddDocument,
    /// GDPR erasure of the case, its documents and its data key.
    Erase,
    /// The subject's data for an access or portability request.
    ExportSubject,
}

/// The actions `actor` may take now on a case created by `created_by` in `status`: access and
/// the workflow together, so a client shows only buttons the core would accept.
pub fn permitted_case_actions(
    actor: &Actor,
    created_by: &str,
    status: super::CaseStatus,
) -> Vec<CaseAction> {
    use super::ReviewAction;
    let case = Some(CaseRef { created_by });
    let allowed = |op| authorize(actor, op, case, None).is_ok();
    let can_move = |a: ReviewAction| status.apply(a).is_ok();
    let mut out = Vec::new();
    if allowed(Operation::StartReview) && can_move(ReviewAction::StartReview) {
        out.push(CaseAction::StartReview);
    }
    if allowed(Operation::Decide) && can_move(ReviewAction::Approve) {
        out.push(CaseAction::Approve);
        out.push(CaseAction::Reject);
    }
    if allowed(Operation::Resubmit) && can_move(ReviewAction::Resubmit) {
        out.push(CaseAction::Resubmit);
    }
    if allowed(Operation::AddDocument) && status.accepts_documents() {
        out.push(CaseAction::AddDocument);
    }
    if allowed(Operation::ExportSubject) {
        out.push(CaseAction::ExportSubject);
    }
    if allowed(Operation::EraseCase) {
        out.push(CaseAction::Erase);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_is_shown_only_the_screens_the_core_lets_it_use() {
        use Screen::*;
        assert_eq!(screens(Role::Clinician), vec![Cases, NewCase]);
        assert_eq!(screens(Role::Reviewer), vec![Cases]);
        assert_eq!(screens(Role::Admin), vec![Cases, NewCase, Audit, Settings]);
        // Auditors never list cases: they land on the audit log, not on a refused case list.
        assert_eq!(screens(Role::Auditor), vec![Audit]);
    }

    #[test]
    fn permitted_actions_follow_role_ownership_and_state() {
        use crate::CaseStatus::*;
        let reviewer = Actor {
            user_id: "r".into(),
            role: Role::Reviewer,
        };
        let clinician = Actor {
            user_id: "c".into(),
            role: Role::Clinician,
        };
        assert_eq!(
            permitted_case_actions(&reviewer, "c", Pending),
            vec![CaseAction::StartReview]
        );
        assert_eq!(
            permitted_case_actions(&reviewer, "c", InReview),
            vec![CaseAction::Approve, CaseAction::Reject]
        );
        assert!(permitted_case_actions(&reviewer, "r", Pending).is_empty());
        assert_eq!(
            permitted_case_actions(&clinician, "c", Pending),
            vec![CaseAction::AddDocument]
        );
        assert_eq!(
            permitted_case_actions(&clinician, "c", Rejected),
            vec![CaseAction::Resubmit, CaseAction::AddDocument]
        );
        assert!(permitted_case_actions(&clinician, "c", Approved).is_empty());
        // Only admins erase a case or export its subject's data, in any state.
        let admin = Actor {
            user_id: "a".into(),
            role: Role::Admin,
        };
        assert_eq!(
            permitted_case_actions(&admin, "c", Approved),
            vec![CaseAction::ExportSubject, CaseAction::Erase]
        );
    }

    fn actor(id: &str, role: Role) -> Actor {
        Actor {
            user_id: id.into(),
            role,
        }
    }

    const OWNED_BY_ANNA: CaseRef<'static> = CaseRef { created_by: "anna" };

    #[test]
    fn a_clinician_opens_own_cases_but_not_others_without_break_glass() {
        let anna = actor("anna", Role::Clinician);
        let bo = actor("bo", Role::Clinician);
        let view = Operation::ViewCase;
        assert_eq!(
            authorize(&anna, view, Some(OWNED_BY_ANNA), None),
            Ok(Grant::Allowed)
        );
        assert_eq!(
            authorize(&bo, view, Some(OWNED_BY_ANNA), None),
            Err(AccessDenied::NotOwner)
        );
        assert_eq!(
            authorize(&bo, view, Some(OWNED_BY_ANNA), Some("urgent")),
            Err(AccessDenied::BreakGlassReasonTooShort)
        );
        assert_eq!(
            authorize(
                &bo,
                view,
                Some(OWNED_BY_ANNA),
                Some("patient unconscious in A&E")
            ),
            Ok(Grant::BreakGlass)
        );
    }

    #[test]
    fn break_glass_never_lets_a_clinician_change_another_clinicians_case() {
        let bo = actor("bo", Role::Clinician);
        for op in [Operation::AddDocument, Operation::Resubmit] {
            assert_eq!(
                authorize(&bo, op, Some(OWNED_BY_ANNA), Some("a long enough reason")),
                Err(AccessDenied::NotOwner)
            );
        }
    }

    #[test]
    fn nobody_reviews_a_case_they_created() {
        let admin = actor("anna", Role::Admin);
        assert_eq!(
            authorize(&admin, Operation::Decide, Some(OWNED_BY_ANNA), None),
            Err(AccessDenied::FourEyes)
        );
        let rita = actor("rita", Role::Reviewer);
        assert_eq!(
            authorize(&rita, Operation::StartReview, Some(OWNED_BY_ANNA), None),
            Ok(Grant::Allowed)
        );
    }

    #[test]
    fn auditors_read_the_log_but_never_case_content() {
        let aud = actor("ola", Role::Auditor);
        assert!(authorize(&aud, Operation::ReadAudit, None, None).is_ok());
        for op in [
            Operation::ViewCase,
            Operation::ViewDocument,
            Operation::ExportSubject,
        ] {
            assert!(
                authorize(&aud, op, Some(OWNED_BY_ANNA), Some("a long enough reason")).is_err()
            );
        }
        assert!(list_scope(&aud).is_err());
    }

    #[test]
    fn only_admins_manage_users_settings_and_erasure() {
        for role in [Role::Clinician, Role::Reviewer, Role::Auditor] {
            let a = actor("x", role);
            for op in [
                Operation::ManageUsers,
                Operation::ChangeSettings,
                Operation::EraseCase,
                Operation::BackUp,
            ] {
                let err = authorize(&a, op, None, None).unwrap_err();
                assert!(err.to_string().contains(role.as_str()));
            }
        }
        let admin = actor("x", Role::Admin);
        assert!(authorize(&admin, Operation::ManageUsers, None, None).is_ok());
    }

    #[test]
    fn reviewers_do_not_create_cases_and_clinicians_do_not_review() {
        assert!(authorize(
            &actor("r", Role::Reviewer),
            Operation::CreateCase,
            None,
            None
        )
        .is_err());
        assert!(authorize(
            &actor("c", Role::Clinician),
            Operation::Decide,
            Some(OWNED_BY_ANNA),
            None
        )
        .is_err());
    }

    #[test]
    fn clinicians_list_only_their_own_cases() {
        assert_eq!(
            list_scope(&actor("anna", Role::Clinician)),
            Ok(ListScope::CreatedBy("anna".into()))
        );
        assert_eq!(
            list_scope(&actor("rita", Role::Reviewer)),
            Ok(ListScope::All)
        );
    }
}

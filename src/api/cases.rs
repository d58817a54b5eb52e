//! Cases: create, list, open (with break-glass), and move through review.

use crate::audit::{actions, Event};
use serde::Serialize;
use ts_rs::TS;
use varde_audit_chain::Outcome;

use super::{begin, Error, Result, Session, CASE_KEY_LABEL};
use crate::domain::access::CaseRef;
use crate::domain::national_id::{BirthDate, NationalId, NationalIdKind};
use crate::domain::{
    self, retention, CaseAction, CaseKind, CaseStatus, Decision, Divergence, Grant, ListScope,
    Operation, ReviewAction, Suggestion,
};
use crate::records::{BreakGlassEvent, Case, Consent, Document, Page, Subject};
pub use crate::store::cases::CaseSort;
use crate::store::{self, cases::CaseFilter};
use crate::vault::{crypto, SecretKey};

/// What a clinician gives to open a case.
#[derive(Clone, Debug, Default)]
pub struct NewCase {
    pub kind: Option<CaseKind>,
    pub subject_name: String,
    pub subject_dob: Option<String>,
    pub subject_national_id: Option<String>,
    pub consent_given: bool,
    /// The version of the consent text the subject agreed to; `None` means the one this
    /// store shows now (`consent_policy_version` in its settings).
    pub policy_version: Option<String>,
}

/// A listing request. The default lists the most recently updated first.
#[derive(Clone, Debug)]
pub struct CaseQuery {
    pub status: Option<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub search: Option<String>,
    pub sort: CaseSort,
    pub descending: bool,
    pub limit: Option<u64>,
    pub offset: u64,
}

impl Default for CaseQuery {
    fn default() -> Self {
        CaseQuery {
            status: None,
            kind: None,
            search: None,
            sort: CaseSort::Updated,
            descending: true,
            limit: None,
            offset: 0,
        }
    }
}

/// A case with its documents, as a reviewer opens it.
#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    pub documents: Vec<Document>,
    /// Opened under break-glass (the access is flagged for an auditor).
    pub break_glass: bool,
}

/// A case found for a break-glass opening: enough to recognise it, nothing of its subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct FoundCase {
    pub id: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub created_at: String,
    /// The signed-in user created it (no break-glass is needed to open it).
    pub own: bool,
}

/// Cases per status, for the summary cards.
#[derive(Clone, Debug, Serialize, TS)]
pub struct CaseCounts {
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number")]
    pub in_review: u64,
    #[ts(type = "number")]
    pub approved: u64,
    #[ts(type = "number")]
    pub rejected: u64,
}

pub const DEFAULT_PAGE: u64 = 50;
pub const MAX_PAGE: u64 = 1000;
const MAX_NAME_CHARS: usize = 200;
const MAX_REASON_CHARS: usize = 2000;

fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

/// Checks what the user typed; returns the subject to store.
/// A national ID number checked as it is typed: valid, or why not. Pure rules, no session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct NationalIdCheck {
    pub valid: bool,
    pub reason: Option<String>,
    /// `fnr`, `dnr` or `hnr` when valid.
    pub id_type: Option<&'static str>,
    /// `YYYY-MM-DD` when the number gives the birth date exactly.
    pub birth_date: Option<String>,
}

/// Checks a fødselsnummer, D- or H-nummer against the control-digit rules.
pub fn check_national_id(text: &str) -> NationalIdCheck {
    let today = crate::clock::now().date();
    match NationalId::parse(text, today) {
        Ok(id) => NationalIdCheck {
            valid: true,
            reason: None,
            id_type: Some(match id.kind() {
                NationalIdKind::Fodselsnummer => "fnr",
                NationalIdKind::DNumber => "dnr",
                NationalIdKind::HNumber => "hnr",
            }),
            birth_date: match id.birth_date() {
                BirthDate::Exact(d) => Some(d.to_string()),
                BirthDate::Hint(_) => None,
            },
        },
        Err(e) => NationalIdCheck {
            valid: false,
            reason: Some(e.to_string()),
            id_type: None,
            birth_date: None,
        },
    }
}

fn validate_new_case(n: &NewCase, today: time::Date) -> Result<(CaseKind, Subject)> {
    let kind = n
        .kind
        .ok_or_else(|| invalid("choose the case kind: identity or clinical"))?;
    let name = n.subject_name.trim();
    if name.is_empty() {
        return Err(invalid("the subject's full name is required"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(invalid(format!(
            "the subject's name must be at most {MAX_NAME_CHARS} characters, without control characters"
        )));
    }
    if !n.consent_given {
        return Err(invalid(
            "the subject's consent is required to create a case (record it, then pass --consent)",
        ));
    }
    let policy = n.policy_version.as_deref().unwrap_or("").trim();
    if policy.is_empty() || policy.len() > 64 {
        return Err(invalid(
            "the consent policy version is required (at most 64 characters)",
        ));
    }
    let dob = match n
        .subject_dob
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(text) => {
            let d = crate::clock::parse_date(text).ok_or_else(|| {
                invalid("the date of birth must be a real date written YYYY-MM-DD")
            })?;
            if d > today {
                return Err(invalid("the date of birth is in the future"));
            }
            Some(d)
        }
    };
    let national_id = match n
        .subject_national_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(text) => Some(NationalId::parse(text, today)?),
    };
    // An H-number's date is an assigned one, not always the birth date; a 2032-rule number
    // states only the day and month.
    if let (Some(d), Some(id)) = (dob, &national_id) {
        if id.kind() != NationalIdKind::HNumber && !id.is_consistent_with_birth_date(d) {
            return Err(invalid(
                "the date of birth does not match the national ID number; check both",
            ));
        }
    }
    Ok((
        kind,
        Subject {
            name: name.to_string(),
            date_of_birth: dob.map(crate::clock::format_date),
            national_id: national_id.map(|id| id.as_str().to_string()),
        },
    ))
}

impl Session {
    /// Opens a new case in PENDING (clinicians).
    pub fn create_case(&mut self, new: NewCase) -> Result<Case> {
        let actor = self.actor();
        if let Err(e) = domain::authorize(&actor, Operation::CreateCase, None, None) {
            return self.refuse(self.event(actions::CASE_CREATE), e);
        }
        let mut new = new;
        if new.policy_version.is_none() {
            new.policy_version = Some(self.config().consent_policy_version.clone());
        }
        let now = crate::clock::now();
        let (kind, subject) = match validate_new_case(&new, now.date()) {
            Ok(v) => v,
            Err(e) => return self.refuse(self.event(actions::CASE_CREATE), e),
        };
        let ts = crate::clock::format(now);
        let consent = Consent {
            given: true,
            at: ts.clone(),
            policy_version: new
                .policy_version
                .as_deref()
                .unwrap_or("")
                .trim()
                .to_string(),
        };
        let case = Case::opened(kind, subject, consent, &self.user.id, &ts);
        let data_key = SecretKey::random()?;
        let wrapped = crypto::seal(
            &self.master.derive(CASE_KEY_LABEL),
            case.id.as_bytes(),
            data_key.expose(),
        )?;
        let event = self
            .event(actions::CASE_CREATE)
            .on("case", &case.id)
            .with("kind", kind.as_str())
            .with("policy_version", &case.consent.policy_version)
            .with("has_national_id", case.subject.national_id.is_some())
            .with("has_date_of_birth", case.subject.date_of_birth.is_some());
        let tx = begin(&mut self.conn)?;
        store::cases::insert(&tx, &case, &wrapped)?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        tracing::info!(case_id = %case.id, kind = %kind, "case created");
        Ok(case)
    }

    /// A page of the cases this user may see, most recently updated first.
    pub fn list_cases(&mut self, q: &CaseQuery) -> Result<Page<Case>> {
        let scope = match domain::list_scope(&self.actor()) {
            Ok(s) => s,
            Err(e) => return self.refuse(self.event(actions::CASE_LIST), e),
        };
        let limit = q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let filter = CaseFilter {
            status: q.status,
            kind: q.kind,
            search: q.search.clone(),
            created_by: match scope {
                ListScope::All => None,
                ListScope::CreatedBy(id) => Some(id),
            },
            sort: q.sort,
            descending: q.descending,
            limit,
            offset: q.offset,
        };
        let items = store::cases::list(&self.conn, &filter)?;
        let total = store::cases::count(&self.conn, &filter)?;
        let mut event = self
            .event(actions::CASE_LIST)
            .with("returned", items.len())
            .with("total", total);
        if let Some(s) = q.status {
            event = event.with("status", s.as_str());
        }
        if let Some(k) = q.kind {
            event = event.with("kind", k.as_str());
        }
        // Search text may be a name: record only that there was one.
        if filter
            .search
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
        {
            event = event.with("search", "yes");
        }
        self.record(event)?;
        Ok(Page {
            total,
            offset: q.offset,
            limit,
            items,
        })
    }

    /// Case counts per status among the cases this user may see.
    pub fn case_counts(&mut self) -> Result<CaseCounts> {
        let scope = match domain::list_scope(&self.actor()) {
            Ok(s) => s,
            Err(e) => return self.refuse(self.event(actions::CASE_LIST), e),
        };
        let owner = match &scope {
            ListScope::All => None,
            ListScope::CreatedBy(id) => Some(id.as_str()),
        };
        let counts = store::cases::counts_by_status(&self.conn, owner)?;
        let get = |s: CaseStatus| counts.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n);
        Ok(CaseCounts {
            pending: get(CaseStatus::Pending),
            in_review: get(CaseStatus::InReview),
            approved: get(CaseStatus::Approved),
            rejected: get(CaseStatus::Rejected),
        })
    }

    /// Loads a case or records a not-found refusal.
    pub(super) fn load_case(&mut self, id: &str, action: &str) -> Result<Case> {
        match store::cases::get(&self.conn, id)? {
            Some(c) => Ok(c),
            None => self.refuse(
                self.event(action).on("case", id),
                Error::NotFound {
                    what: "case",
                    id: id.to_string(),
                },
            ),
        }
    }

    /// Checks access to a case for `op`; a refusal is audited under `action`. A break-glass grant
    /// is recorded as an event for auditors to review.
    pub(super) fn authorize_case(
        &mut self,
        case: &Case,
        op: Operation,
        action: &str,
        break_glass: Option<&str>,
    ) -> Result<Grant> {
        let cref = CaseRef {
            created_by: &case.created_by,
        };
        // A case this session opened under break-glass stays open for reading under that one
        // record; writing still needs what it always needs.
        let break_glass = break_glass.or_else(|| {
            matches!(op, Operation::ViewCase | Operation::ViewDocument)
                .then(|| self.break_glass_opened.get(&case.id).map(String::as_str))
                .flatten()
        });
        match domain::authorize(&self.actor(), op, Some(cref), break_glass) {
            Ok(grant) => Ok(grant),
            Err(e) => self.refuse(self.event(action).on("case", &case.id), e),
        }
    }

    pub(super) fn record_break_glass(
        &mut self,
        case_id: &str,
        reason: &str,
        action: &str,
    ) -> Result<()> {
        if self.break_glass_opened.contains_key(case_id) {
            // Already recorded in this session: one opening is one record.
            return Ok(());
        }
        let event = BreakGlassEvent {
            id: uuid::Uuid::new_v4().to_string(),
            case_id: case_id.to_string(),
            user_id: self.user.id.clone(),
            user_name: Some(self.user.name.clone()),
            reason: reason.trim().to_string(),
            at: crate::clock::format(crate::clock::now()),
            reviewed_by: None,
            reviewed_at: None,
            case_erased: false,
        };
        let audit_event = self
            .event(actions::ACCESS_BREAK_GLASS)
            .on("case", case_id)
            .with("break_glass_id", &event.id)
            .with("for_action", action)
            .with("flagged_for_review", true);
        let tx = begin(&mut self.conn)?;
        store::cases::insert_break_glass(&tx, &event)?;
        self.audit.append(&tx, audit_event)?;
        tx.commit()?;
        self.break_glass_opened
            .insert(case_id.to_string(), event.reason);
        tracing::warn!(case_id = %case_id, "break-glass access");
        Ok(())
    }

    /// Finds a case for a break-glass opening by its id or by its subject's national ID number,
    /// exact matches only, so a clinician can reach a case that is not theirs without a listing
    /// of others' patients. Returns no subject data. The search is audited by what was searched
    /// for (a case id or a national ID number) and what was found, never by the number typed;
    /// text that is neither is refused before anything is looked up or recorded.
    pub fn find_case_for_break_glass(&mut self, query: &str) -> Result<Option<FoundCase>> {
        let compact: String = query.chars().filter(|c| !c.is_whitespace()).collect();
        let by = if uuid::Uuid::try_parse(&compact).is_ok() {
            "case_id"
        } else if compact.len() == 11 && compact.bytes().all(|b| b.is_ascii_digit()) {
            "national_id"
        } else {
            return Err(invalid(
                "search by the case id or by the subject's 11-digit national ID number",
            ));
        };
        if let Err(e) = domain::authorize(&self.actor(), Operation::ListCases, None, None) {
            return self.refuse(self.event(actions::CASE_FIND).with("by", by), e);
        }
        let (case_id, national_id) = match by {
            "case_id" => (Some(compact.to_lowercase()), None),
            _ => (None, Some(compact)),
        };
        let found = store::cases::find_for_break_glass(
            &self.conn,
            case_id.as_deref(),
            national_id.as_deref(),
        )?
        .map(|id| store::cases::get(&self.conn, &id))
        .transpose()?
        .flatten();
        let mut event = self
            .event(actions::CASE_FIND)
            .with("by", by)
            .with("found", found.is_some());
        if let Some(c) = &found {
            event = event.on("case", &c.id);
        }
        self.record(event)?;
        Ok(found.map(|c| FoundCase {
            own: c.created_by == self.user.id,
            id: c.id,
            kind: c.kind,
            status: c.status,
            created_at: c.created_at,
        }))
    }

    /// Opens a case with its documents. A clinician opening another's case must give a
    /// break-glass reason.
    pub fn open_case(&mut self, id: &str, break_glass: Option<&str>) -> Result<CaseView> {
        let case = self.load_case(id, actions::CASE_VIEW)?;
        let grant =
            self.authorize_case(&case, Operation::ViewCase, actions::CASE_VIEW, break_glass)?;
        let is_break_glass = grant == Grant::BreakGlass;
        if is_break_glass {
            self.record_break_glass(id, break_glass.unwrap_or_default(), actions::CASE_VIEW)?;
        }
        let documents = store::documents::list_for_case(&self.conn, id)?;
        self.record(
            self.event(actions::CASE_VIEW)
                .on("case", id)
                .with("version", case.version)
                .with("break_glass", is_break_glass),
        )?;
        Ok(CaseView {
            case,
            documents,
            break_glass: is_break_glass,
        })
    }

    /// What the signed-in user may do with `case` now (for showing only the buttons that work;
    /// each operation checks again).
    pub fn permitted_actions(&self, case: &Case) -> Vec<CaseAction> {
        domain::permitted_case_actions(&self.actor(), &case.created_by, case.status)
    }

    /// PENDING → IN_REVIEW (reviewers and admins; not on a case they created).
    pub fn start_review(&mut self, id: &str, expected_version: i64) -> Result<Case> {
        self.transition(id, ReviewAction::StartReview, expected_version, None)
    }

    /// IN_REVIEW → APPROVED.
    pub fn approve(
        &mut self,
        id: &str,
        expected_version: i64,
        reason: Option<&str>,
    ) -> Result<Case> {
        self.transition(id, ReviewAction::Approve, expected_version, reason)
    }

    /// IN_REVIEW → REJECTED; a reason is required.
    pub fn reject(&mut self, id: &str, expected_version: i64, reason: &str) -> Result<Case> {
        self.transition(id, ReviewAction::Reject, expected_version, Some(reason))
    }

    /// REJECTED → PENDING (the clinician who created the case).
    pub fn resubmit(&mut self, id: &str, expected_version: i64) -> Result<Case> {
        self.transition(id, ReviewAction::Resubmit, expected_version, None)
    }

    fn transition(
        &mut self,
        id: &str,
        action: ReviewAction,
        expected_version: i64,
        reason: Option<&str>,
    ) -> Result<Case> {
        let audit_action = action.audit_action();
        let op = match action {
            ReviewAction::StartReview => Operation::StartReview,
            ReviewAction::Approve | ReviewAction::Reject => Operation::Decide,
            ReviewAction::Resubmit => Operation::Resubmit,
        };
        let reason = review_reason(action, reason)?;
        let case = self.load_case(id, audit_action)?;
        self.authorize_case(&case, op, audit_action, None)?;
        let base_event = self
            .event(audit_action)
            .on("case", id)
            .with("expected_version", expected_version);
        if case.version != expected_version {
            return self.refuse(
                base_event.with("current_version", case.version),
                Error::StaleVersion {
                    expected: expected_version,
                    current: case.version,
                },
            );
        }
        let to = match case.status.apply(action) {
            Ok(to) => to,
            Err(e) => return self.refuse(base_event.with("from", case.status.as_str()), e),
        };
        let now = crate::clock::now();
        let ts = crate::clock::format(now);
        let mut next = case.clone();
        next.status = to;
        next.version = case.version + 1;
        next.updated_at = ts.clone();
        let event = base_event
            .with("from", case.status.as_str())
            .with("to", to.as_str())
            .with("version", next.version);
        let event = record_outcome(
            &case,
            &mut next,
            action,
            TransitionBy {
                user_id: &self.user.id,
                reason,
                now,
                retention_days: self.config.retention_days,
            },
            event,
        );
        self.save_transition(&next, audit_action, expected_version, event)?;
        tracing::info!(case_id = %id, from = %case.status, to = %to, "case transition");
        Ok(next)
    }

    /// Writes the case's next state and its audit entry in one transaction, if the case is
    /// still at `expected_version`; a write that lost the race is refused as stale.
    fn save_transition(
        &mut self,
        next: &Case,
        audit_action: &str,
        expected_version: i64,
        event: Event,
    ) -> Result<()> {
        let tx = begin(&mut self.conn)?;
        if !store::cases::update_if_version(&tx, next, expected_version)? {
            drop(tx);
            let current = store::cases::get(&self.conn, &next.id)?.map_or(0, |c| c.version);
            return self.refuse(
                self.event(audit_action)
                    .on("case", &next.id)
                    .with("current_version", current),
                Error::StaleVersion {
                    expected: expected_version,
                    current,
                },
            );
        }
        self.audit.append(&tx, event.outcome(Outcome::Success))?;
        tx.commit()?;
        Ok(())
    }

    /// Break-glass events, unreviewed first (auditors and admins).
    pub fn break_glass_events(&mut self, only_unreviewed: bool) -> Result<Vec<BreakGlassEvent>> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ReviewBreakGlass, None, None) {
            return self.refuse(self.event(actions::BREAK_GLASS_LIST), e);
        }
        let events = store::cases::list_break_glass(&self.conn, only_unreviewed)?;
        self.record(
            self.event(actions::BREAK_GLASS_LIST)
                .with("returned", events.len()),
        )?;
        Ok(events)
    }

    /// Marks a break-glass event as reviewed by this auditor.
    pub fn acknowledge_break_glass(&mut self, id: &str) -> Result<()> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ReviewBreakGlass, None, None) {
            return self.refuse(
                self.event(actions::BREAK_GLASS_REVIEW)
                    .on("break_glass", id),
                e,
            );
        }
        let ts = crate::clock::format(crate::clock::now());
        let event = self
            .event(actions::BREAK_GLASS_REVIEW)
            .on("break_glass", id);
        let user_id = self.user.id.clone();
        let tx = begin(&mut self.conn)?;
        if !store::cases::mark_break_glass_reviewed(&tx, id, &user_id, &ts)? {
            return Err(Error::NotFound {
                what: "unreviewed break-glass event",
                id: id.to_string(),
            });
        }
        self.audit.append(&tx, event)?;
        tx.commit()?;
        Ok(())
    }
}

/// A review reason, trimmed: required for a rejection, bounded in length.
fn review_reason(action: ReviewAction, reason: Option<&str>) -> Result<Option<&str>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if action == ReviewAction::Reject && reason.is_none() {
        return Err(invalid(
            "a rejection needs a reason the clinician can act on (--reason)",
        ));
    }
    if reason.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
        return Err(invalid(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    Ok(reason)
}

/// Who moves a case, why and when: what a transition writes into the case besides its state.
struct TransitionBy<'a> {
    user_id: &'a str,
    reason: Option<&'a str>,
    now: time::OffsetDateTime,
    retention_days: u32,
}

/// Writes what `action` means into `next` (reviewer, decision, retention; a resubmission
/// clears them) and adds to `event` what the audit records of a decision: the AI's suggestion,
/// the human's decision and how they diverge.
fn record_outcome(
    case: &Case,
    next: &mut Case,
    action: ReviewAction,
    o: TransitionBy<'_>,
    mut event: Event,
) -> Event {
    let ts = crate::clock::format(o.now);
    match action {
        ReviewAction::StartReview => next.reviewer_id = Some(o.user_id.to_string()),
        ReviewAction::Approve | ReviewAction::Reject => {
            let decision = if action == ReviewAction::Approve {
                Decision::Approved
            } else {
                Decision::Rejected
            };
            let ai = case.ai.as_ref().map(|a| a.suggestion);
            let divergence = Divergence::between(ai, decision);
            next.reviewer_id = Some(o.user_id.to_string());
            next.decision = Some(decision);
            next.decision_reason = o.reason.map(str::to_string);
            next.decided_at = Some(ts.clone());
            next.closed_at = Some(ts.clone());
            next.purge_after =
                retention::purge_after(Some(o.now), o.retention_days).map(crate::clock::format);
            event = event
                .with("ai_suggestion", ai.map_or("none", Suggestion::as_str))
                .with("human_decision", decision.as_str())
                .with("divergence", divergence.as_str())
                .with("reason_given", o.reason.is_some());
            if let Some(ai) = case.ai.as_ref().filter(|a| !a.labels.is_empty()) {
                event = event.with("ai_label", ai.labels.join(", "));
            }
        }
        ReviewAction::Resubmit => {
            next.reviewer_id = None;
            next.decision = None;
            next.decision_reason = None;
            next.decided_at = None;
            next.closed_at = None;
            next.purge_after = None;
        }
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn new_case() -> NewCase {
        NewCase {
            kind: Some(CaseKind::Identity),
            subject_name: "Test Testesen".into(),
            subject_dob: Some("1990-01-01".into()),
            subject_national_id: None,
            consent_given: true,
            policy_version: Some("2026-01".into()),
        }
    }

    #[test]
    fn a_case_needs_consent_a_name_and_a_plausible_birth_date() {
        let today = date!(2026 - 11 - 22);
        assert!(validate_new_case(&new_case(), today).is_ok());
        let no_consent = NewCase {
            consent_given: false,
            ..new_case()
        };
        assert!(validate_new_case(&no_consent, today)
            .unwrap_err()
            .to_string()
            .contains("consent"));
        let no_name = NewCase {
            subject_name: "  ".into(),
            ..new_case()
        };
        assert!(validate_new_case(&no_name, today).is_err());
        let future = NewCase {
            subject_dob: Some("2030-01-01".into()),
            ..new_case()
        };
        assert!(validate_new_case(&future, today).is_err());
        let bad_date = NewCase {
            subject_dob: Some("1990-02-30".into()),
            ..new_case()
        };
        assert!(validate_new_case(&bad_date, today).is_err());
    }

    /// The first fødselsnummer for `ddmmyy` with an individual number from `from` on.
    fn fnr(ddmmyy: &str, from: u32) -> String {
        (from..1000)
            .find_map(|i| {
                let mut d: Vec<u32> = format!("{ddmmyy}{i:03}")
                    .chars()
                    .map(|c| c.to_digit(10).unwrap())
                    .collect();
                for w in [
                    &[3, 7, 6, 1, 8, 9, 4, 5, 2][..],
                    &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2],
                ] {
                    let k = 11 - w.iter().zip(&d).map(|(a, b)| a * b).sum::<u32>() % 11;
                    match k {
                        10 => return None,
                        11 => d.push(0),
                        k => d.push(k),
                    }
                }
                Some(d.iter().map(|x| x.to_string()).collect())
            })
            .unwrap()
    }

    #[test]
    fn a_subjects_birth_date_must_fit_their_national_id_number() {
        let today = date!(2026 - 11 - 22);
        let with = |dob: &str, id: String| NewCase {
            subject_dob: Some(dob.into()),
            subject_national_id: Some(id),
            ..new_case()
        };
        assert!(validate_new_case(&with("1990-01-01", fnr("010190", 100)), today).is_ok());
        let err = validate_new_case(&with("1991-01-01", fnr("010190", 100)), today).unwrap_err();
        assert!(err.to_string().contains("does not match"), "{err}");
    }
}

//! Cases, their wrapped data keys and break-glass events.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, ToSql};
use ts_rs::TS;

use super::{escape_like, like_pattern, Result, StoreError};
use crate::domain::{CaseKind, CaseStatus, Decision, Suggestion};
use crate::records::{AiSignal, BreakGlassEvent, Case, Consent, Subject};

const COLUMNS: &str = "id, kind, subject_name, subject_dob, subject_national_id, consent_given, \
    consent_at, consent_policy_version, status, version, created_by, reviewer_id, ai_label, \
    ai_confidence, ai_suggestion, ai_model, decision, decision_reason, decided_at, created_at, \
    updated_at, closed_at, purge_after";

/// The `ai_label` column holds the labels joined by ", " (labels are snake_case words).
fn join_labels(labels: &[String]) -> Option<String> {
    (!labels.is_empty()).then(|| labels.join(", "))
}

fn split_labels(column: Option<String>) -> Vec<String> {
    column
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_col<T: std::str::FromStr<Err = String>>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    let ai_suggestion: Option<String> = r.get(14)?;
    let ai_suggestion = ai_suggestion
        .map(|s| {
            s.parse::<Suggestion>().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(14, rusqlite::types::Type::Text, e.into())
            })
        })
        .transpose()?;
    Ok(Case {
        id: r.get(0)?,
        kind: parse_col::<CaseKind>(r, 1)?,
        subject: Subject {
            name: r.get(2)?,
            date_of_birth: r.get(3)?,
            national_id: r.get(4)?,
        },
        consent: Consent {
            given: r.get(5)?,
            at: r.get(6)?,
            policy_version: r.get(7)?,
        },
        status: parse_col::<CaseStatus>(r, 8)?,
        version: r.get(9)?,
        created_by: r.get(10)?,
        reviewer_id: r.get(11)?,
        ai: match ai_suggestion {
            Some(suggestion) => Some(AiSignal {
                labels: split_labels(r.get(12)?),
                confidence: r.get(13)?,
                suggestion,
                model: r.get(15)?,
            }),
            None => None,
        },
        decision: {
            let text: Option<String> = r.get(16)?;
            text.map(|_| parse_col::<Decision>(r, 16)).transpose()?
        },
        decision_reason: r.get(17)?,
        decided_at: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
        closed_at: r.get(21)?,
        purge_after: r.get(22)?,
    })
}

/// The `i`-th of a set of synthetic cases spread over statuses, kinds and dates, for benchmarks
/// that need a full table (`benches/core.rs`, `examples/seed_desktop_bench.rs`). Not used by
/// Varde itself.
#[doc(hidden)]
pub fn synthetic_for_benchmarks(i: usize, created_by: &str) -> Case {
    let ts = format!(
        "2026-{:02}-{:02}T{:02}:{:02}:00.000Z",
        1 + i % 10,
        1 + i % 28,
        i % 24,
        i % 60
    );
    let kind = if i.is_multiple_of(3) {
        CaseKind::Identity
    } else {
        CaseKind::Clinical
    };
    let subject = Subject {
        name: format!("Synthetic Subject {i:06}"),
        date_of_birth: Some("1980-01-01".into()),
        national_id: None,
    };
    let consent = Consent {
        given: true,
        at: ts.clone(),
        policy_version: "2026-01".into(),
    };
    let mut case = Case::opened(kind, subject, consent, created_by, &ts);
    case.status = CaseStatus::ALL[i % 4];
    case
}

pub fn insert(conn: &Connection, c: &Case, wrapped_key: &[u8]) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO cases ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"),
        params![
            c.id,
            c.kind.as_str(),
            c.subject.name,
            c.subject.date_of_birth,
            c.subject.national_id,
            c.consent.given,
            c.consent.at,
            c.consent.policy_version,
            c.status.as_str(),
            c.version,
            c.created_by,
            c.reviewer_id,
            c.ai.as_ref().and_then(|a| join_labels(&a.labels)),
            c.ai.as_ref().and_then(|a| a.confidence),
            c.ai.as_ref().map(|a| a.suggestion.as_str()),
            c.ai.as_ref().and_then(|a| a.model.clone()),
            c.decision.map(Decision::as_str),
            c.decision_reason,
            c.decided_at,
            c.created_at,
            c.updated_at,
            c.closed_at,
            c.purge_after,
        ],
    )?;
    conn.execute(
        "INSERT INTO case_keys (case_id, wrapped_key) VALUES (?1, ?2)",
        params![c.id, wrapped_key],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Case>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM cases WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

pub fn wrapped_key(conn: &Connection, case_id: &str) -> Result<Vec<u8>> {
    conn.query_row(
        "SELECT wrapped_key FROM case_keys WHERE case_id = ?1",
        [case_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::Corrupt("a case has no data key".into()))
}

/// What a case listing filters on. `search` matches the subject's name (case-insensitive), the
/// national ID number exactly, or the start of the case id.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub search: Option<String>,
    pub created_by: Option<String>,
    pub sort: CaseSort,
    pub descending: bool,
    pub limit: u64,
    pub offset: u64,
}

/// The column a case listing is ordered by (ties broken by id, so pages never overlap).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    #[default]
    Updated,
    Created,
    Subject,
    Status,
    Kind,
}

impl CaseSort {
    fn column(self) -> &'static str {
        match self {
            CaseSort::Updated => "updated_at",
            CaseSort::Created => "created_at",
            CaseSort::Subject => "subject_name COLLATE NOCASE",
            CaseSort::Status => "status",
            CaseSort::Kind => "kind",
        }
    }
}

fn where_clause(f: &CaseFilter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut clauses: Vec<&str> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(s) = f.status {
        clauses.push("status = ?");
        args.push(Box::new(s.as_str()));
    }
    if let Some(k) = f.kind {
        clauses.push("kind = ?");
        args.push(Box::new(k.as_str()));
    }
    if let Some(owner) = &f.created_by {
        clauses.push("created_by = ?");
        args.push(Box::new(owner.clone()));
    }
    if let Some(text) = f.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        clauses.push(
            "(subject_name LIKE ? ESCAPE '\\' OR subject_national_id = ? OR id LIKE ? ESCAPE '\\')",
        );
        args.push(Box::new(like_pattern(text)));
        args.push(Box::new(text.to_string()));
        args.push(Box::new(format!("{}%", escape_like(text))));
    }
    if clauses.is_empty() {
        (String::new(), args)
    } else {
        (format!("WHERE {}", clauses.join(" AND ")), args)
    }
}

/// A page of cases in the filter's order.
pub fn list(conn: &Connection, f: &CaseFilter) -> Result<Vec<Case>> {
    let (clause, mut args) = where_clause(f);
    let direction = if f.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM cases {clause} ORDER BY {} {direction}, id {direction} LIMIT ? OFFSET ?",
        f.sort.column()
    );
    args.push(Box::new(f.limit as i64));
    args.push(Box::new(f.offset as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection, f: &CaseFilter) -> Result<u64> {
    let (clause, args) = where_clause(f);
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM cases {clause}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Case counts per status (for the summary cards), limited to one owner where given.
pub fn counts_by_status(
    conn: &Connection,
    created_by: Option<&str>,
) -> Result<Vec<(CaseStatus, u64)>> {
    let mut out = Vec::new();
    for s in CaseStatus::ALL {
        let f = CaseFilter {
            status: Some(s),
            created_by: created_by.map(str::to_string),
            ..CaseFilter::default()
        };
        out.push((s, count(conn, &f)?));
    }
    Ok(out)
}

/// Writes a changed case only if nobody changed it since `expected_version` (optimistic locking):
/// returns false when the stored version differs.
pub fn update_if_version(conn: &Connection, c: &Case, expected_version: i64) -> Result<bool> {
    let n = conn.execute(
        "UPDATE cases SET status = ?3, version = ?4, reviewer_id = ?5, decision = ?6,
             decision_reason = ?7, decided_at = ?8, updated_at = ?9, closed_at = ?10,
             purge_after = ?11
         WHERE id = ?1 AND version = ?2",
        params![
            c.id,
            expected_version,
            c.status.as_str(),
            c.version,
            c.reviewer_id,
            c.decision.map(Decision::as_str),
            c.decision_reason,
            c.decided_at,
            c.updated_at,
            c.closed_at,
            c.purge_after,
        ],
    )?;
    Ok(n == 1)
}

/// Records the AI's signal for a case (from the document pipeline).
pub fn set_ai_signal(
    conn: &Connection,
    case_id: &str,
    ai: &AiSignal,
    updated_at: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE cases SET ai_label = ?2, ai_confidence = ?3, ai_suggestion = ?4, ai_model = ?5,
             updated_at = ?6
         WHERE id = ?1",
        params![
            case_id,
            join_labels(&ai.labels),
            ai.confidence,
            ai.suggestion.as_str(),
            ai.model,
            updated_at
        ],
    )?;
    Ok(())
}

/// Ids of closed cases whose retention has run out at `now`.
pub fn due_for_purge(conn: &Connection, now: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT id FROM cases WHERE purge_after IS NOT NULL AND purge_after <= ?1")?;
    let rows = stmt.query_map([now], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes a case with its documents, data key and erasure detail (by cascade), and the
/// break-glass records an auditor has reviewed. Unreviewed ones stay until an auditor has read
/// them: they hold ids and the clinician's reason, nothing of the subject.
pub fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM break_glass WHERE case_id = ?1 AND reviewed_at IS NOT NULL",
        [id],
    )?;
    conn.execute("DELETE FROM cases WHERE id = ?1", [id])?;
    Ok(())
}

/// Keeps an erasure's free-text detail with the case it concerns (this encrypted store, never
/// the audit chain), so it is erased with the case.
pub fn set_erasure_detail(conn: &Connection, id: &str, detail: &str) -> Result<()> {
    conn.execute(
        "UPDATE cases SET erasure_detail = ?2 WHERE id = ?1",
        params![id, detail],
    )?;
    Ok(())
}

/// A case found for a break-glass opening: by its id, or by its subject's national ID number
/// (exact matches only). Returns the case's id.
pub fn find_for_break_glass(
    conn: &Connection,
    case_id: Option<&str>,
    national_id: Option<&str>,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM cases WHERE id = ?1 OR subject_national_id = ?2 \
             ORDER BY updated_at DESC, id LIMIT 1",
            params![case_id, national_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn insert_break_glass(conn: &Connection, e: &BreakGlassEvent) -> Result<()> {
    conn.execute(
        "INSERT INTO break_glass (id, case_id, user_id, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![e.id, e.case_id, e.user_id, e.reason, e.at],
    )?;
    Ok(())
}

const BREAK_GLASS_COLUMNS: &str = "b.id, b.case_id, b.user_id, u.name, b.reason, b.at, \
    b.reviewed_by, b.reviewed_at, NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = b.case_id)";

pub fn list_break_glass(conn: &Connection, only_unreviewed: bool) -> Result<Vec<BreakGlassEvent>> {
    let filter = if only_unreviewed {
        "WHERE b.reviewed_at IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {BREAK_GLASS_COLUMNS} FROM break_glass b LEFT JOIN users u ON u.id = b.user_id \
         {filter} ORDER BY b.at, b.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(BreakGlassEvent {
            id: r.get(0)?,
            case_id: r.get(1)?,
            user_id: r.get(2)?,
            user_name: r.get(3)?,
            reason: r.get(4)?,
            at: r.get(5)?,
            reviewed_by: r.get(6)?,
            reviewed_at: r.get(7)?,
            case_erased: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks a break-glass record reviewed; returns false when there is no unreviewed one with that
/// id. The record of a case erased meanwhile has served its purpose once read and goes.
pub fn mark_break_glass_reviewed(conn: &Connection, id: &str, by: &str, at: &str) -> Result<bool> {
    let n = conn.execute(
        "UPDATE break_glass SET reviewed_by = ?2, reviewed_at = ?3 WHERE id = ?1 AND reviewed_at IS NULL",
        params![id, by, at],
    )?;
    conn.execute(
        "DELETE FROM break_glass WHERE id = ?1 AND reviewed_at IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = break_glass.case_id)",
        [id],
    )?;
    Ok(n == 1)
}

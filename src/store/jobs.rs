//! The durable job queue and the analyses jobs produce.
//!
//! A job is claimed by a runner in one transaction (status `processing`, its worker id, a lease);
//! its result, the job's `done` and the audit entries are written in one transaction. If Varde is
//! killed in between, the job is still `processing` with a dead runner or an expired lease, and
//! [`requeue_abandoned`] puts it back: every job ends done or runs again, and a document never gets
//! two results (one analysis row per document).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use super::{Result, StoreError};
use crate::domain::Suggestion;
use crate::pipeline::analysis::Analysis;
use crate::records::JobStatus;

#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub case_id: String,
    pub document_id: String,
    pub status: JobStatus,
    #[ts(type = "number")]
    pub progress: i64,
    #[ts(type = "number")]
    pub attempts: i64,
    #[ts(type = "number")]
    pub max_attempts: i64,
    pub worker_id: Option<String>,
    pub lease_until: Option<String>,
    pub not_before: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

const COLUMNS: &str = "id, kind, case_id, document_id, status, progress, attempts, max_attempts, \
    worker_id, lease_until, not_before, last_error, created_at, updated_at, started_at, finished_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: r.get(0)?,
        kind: r.get(1)?,
        case_id: r.get(2)?,
        document_id: r.get(3)?,
        status: {
            let text: String = r.get(4)?;
            text.parse().map_err(|e: String| {
                rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
            })?
        },
        progress: r.get(5)?,
        attempts: r.get(6)?,
        max_attempts: r.get(7)?,
        worker_id: r.get(8)?,
        lease_until: r.get(9)?,
        not_before: r.get(10)?,
        last_error: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        started_at: r.get(14)?,
        finished_at: r.get(15)?,
    })
}

pub fn insert(conn: &Connection, job: &Job) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO jobs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
        params![
            job.id, job.kind, job.case_id, job.document_id, job.status.as_str(), job.progress, job.attempts,
            job.max_attempts, job.worker_id, job.lease_until, job.not_before, job.last_error,
            job.created_at, job.updated_at, job.started_at, job.finished_at
        ],
    )?;
    Ok(())
}

/// Whether any job is queued or waiting out a backoff.
pub fn any_runnable(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('queued', 'failed'))",
        [],
        |r| r.get(0),
    )?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Job>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

pub fn list(
    conn: &Connection,
    status: Option<JobStatus>,
    case_id: Option<&str>,
) -> Result<Vec<Job>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR case_id = ?2)
         ORDER BY created_at, id"
    ))?;
    let status = status.map(JobStatus::as_str);
    let rows = stmt.query_map(params![status, case_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn for_document(conn: &Connection, document_id: &str) -> Result<Vec<Job>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE document_id = ?1 ORDER BY created_at"
    ))?;
    let rows = stmt.query_map([document_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Takes the oldest runnable job for `worker_id` (call inside an IMMEDIATE transaction).
pub fn claim_next(
    conn: &Connection,
    worker_id: &str,
    now: &str,
    lease_until: &str,
) -> Result<Option<Job>> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM jobs WHERE status IN ('queued', 'failed') AND not_before <= ?1
             ORDER BY not_before, created_at, id LIMIT 1",
            [now],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    conn.execute(
        "UPDATE jobs SET status = 'processing', worker_id = ?2, lease_until = ?3, attempts = attempts + 1,
             progress = 5, started_at = ?4, updated_at = ?4, last_error = last_error
         WHERE id = ?1",
        params![id, worker_id, lease_until, now],
    )?;
    get(conn, &id)
}

pub fn set_progress(
    conn: &Connection,
    id: &str,
    worker_id: &str,
    progress: i64,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET progress = ?3, updated_at = ?4 WHERE id = ?1 AND worker_id = ?2 AND status = 'processing'",
        params![id, worker_id, progress, now],
    )?;
    Ok(())
}

/// Marks a job done, if `worker_id` still holds it (a runner whose claim was taken over must not
/// finish it twice). Returns whether it did.
pub fn finish(conn: &Connection, id: &str, worker_id: &str, now: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE jobs SET status = 'done', progress = 100, finished_at = ?3, updated_at = ?3,
             lease_until = NULL, last_error = NULL
         WHERE id = ?1 AND worker_id = ?2 AND status = 'processing'",
        params![id, worker_id, now],
    )? == 1)
}

/// Records a failure: `failed` with a backoff until `not_before`, or `dead` after the last attempt.
pub fn fail(
    conn: &Connection,
    id: &str,
    worker_id: &str,
    error: &str,
    dead: bool,
    not_before: &str,
    now: &str,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE jobs SET status = ?3, last_error = ?4, not_before = ?5, updated_at = ?6, lease_until = NULL,
             finished_at = CASE WHEN ?3 = 'dead' THEN ?6 ELSE NULL END
         WHERE id = ?1 AND worker_id = ?2 AND status = 'processing'",
        params![id, worker_id, if dead { "dead" } else { "failed" }, error, not_before, now],
    )? == 1)
}

/// A user's retry of a dead job: back to `queued` with a fresh set of attempts.
pub fn retry(conn: &Connection, id: &str, now: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE jobs SET status = 'queued', attempts = 0, not_before = ?2, updated_at = ?2, progress = 0,
             worker_id = NULL, finished_at = NULL
         WHERE id = ?1 AND status = 'dead'",
        params![id, now],
    )? == 1)
}

/// Puts back jobs whose runner is gone: `is_alive(worker_id)` says whether a runner still runs;
/// a lease that ran out counts as gone too. Returns the ids requeued.
pub fn requeue_abandoned(
    conn: &Connection,
    now: &str,
    is_alive: impl Fn(&str) -> bool,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for job in list(conn, Some(JobStatus::Processing), None)? {
        let expired = job.lease_until.as_deref().is_none_or(|l| l <= now);
        let alive = job.worker_id.as_deref().is_some_and(&is_alive);
        if expired || !alive {
            conn.execute(
                "UPDATE jobs SET status = 'queued', worker_id = NULL, lease_until = NULL, progress = 0,
                     updated_at = ?2, last_error = 'interrupted: the runner stopped before finishing'
                 WHERE id = ?1 AND status = 'processing'",
                params![job.id, now],
            )?;
            out.push(job.id);
        }
    }
    Ok(out)
}

/// A stored analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredAnalysis {
    pub document_id: String,
    pub job_id: String,
    pub label: Option<String>,
    pub confidence: Option<f64>,
    pub suggestion: Suggestion,
    pub model: Option<String>,
    /// The full analysis (holds document text: it lives only in the encrypted store).
    pub analysis: Analysis,
    pub created_at: String,
}

/// Inserts the analysis of a document; fails if the document already has one.
pub fn insert_analysis(conn: &Connection, a: &StoredAnalysis) -> Result<()> {
    conn.execute(
        "INSERT INTO document_analyses (document_id, job_id, label, confidence, suggestion, model, analysis, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            a.document_id, a.job_id, a.label, a.confidence, a.suggestion.as_str(), a.model,
            serde_json::to_string(&a.analysis).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            a.created_at
        ],
    )?;
    Ok(())
}

pub fn analysis_of(conn: &Connection, document_id: &str) -> Result<Option<StoredAnalysis>> {
    let row = conn
        .query_row(
            "SELECT document_id, job_id, label, confidence, suggestion, model, analysis, created_at
             FROM document_analyses WHERE document_id = ?1",
            [document_id],
            |r| {
                let suggestion: String = r.get(4)?;
                let analysis: String = r.get(6)?;
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<f64>>(3)?,
                    suggestion,
                    r.get::<_, Option<String>>(5)?,
                    analysis,
                    r.get::<_, String>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((document_id, job_id, label, confidence, suggestion, model, analysis, created_at)) =
        row
    else {
        return Ok(None);
    };
    let corrupt = |what: &str, e: String| {
        StoreError::Corrupt(format!("the {what} of document {document_id}: {e}"))
    };
    Ok(Some(StoredAnalysis {
        suggestion: suggestion.parse().map_err(|e| corrupt("suggestion", e))?,
        analysis: serde_json::from_str(&analysis)
            .map_err(|e| corrupt("stored analysis", e.to_string()))?,
        document_id,
        job_id,
        label,
        confidence,
        model,
        created_at,
    }))
}

/// The AI signal of one analysed document, as the case's signal is derived from it.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentSignal {
    pub suggestion: Suggestion,
    pub label: Option<String>,
    pub confidence: Option<f64>,
    pub model: Option<String>,
}

/// The signals of a case's analysed documents, in the order they were added.
pub fn analyses_of_case(conn: &Connection, case_id: &str) -> Result<Vec<DocumentSignal>> {
    let mut stmt = conn.prepare(
        "SELECT a.suggestion, a.label, a.confidence, a.model FROM document_analyses a
         JOIN documents d ON d.id = a.document_id WHERE d.case_id = ?1 ORDER BY d.added_at",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (suggestion, label, confidence, model) = row?;
        out.push(DocumentSignal {
            suggestion: suggestion.parse().map_err(StoreError::Corrupt)?,
            label,
            confidence,
            model,
        });
    }
    Ok(out)
}

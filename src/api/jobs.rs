//! The document pipeline's jobs: queued when a document is added, run by a pool of isolated
//! worker processes (one per core), retried with backoff and jitter, `dead` after the last attempt
//! (a user can retry a dead job). Every step is audited with ids, codes and timings — no content.

use crate::audit::actions;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rusqlite::Connection;
use serde::Serialize;
use varde_audit_chain::Outcome;

use super::{begin, Error, Result, Session, CASE_KEY_LABEL, DB_FILE, DB_KEY_LABEL};
use crate::audit::{AuditLog, Event};
use crate::domain::signal::case_suggestion;
use crate::domain::{self, Operation, Suggestion};
use crate::pipeline::analysis::{Analysis, Request, Stage, TextOrigin};
use crate::pipeline::worker::{PipelineError, Worker, WorkerLimits};
use crate::records::{AiSignal, Case, Document, JobStatus};
use crate::store::{self, jobs::Job, jobs::StoredAnalysis};
use crate::vault::{crypto, BlobStore, SecretKey};

/// Attempts before a job goes `dead`.
pub const MAX_ATTEMPTS: i64 = 3;
/// Jobs that may wait to run (queued or backing off); a document added beyond this is refused
/// until the queue drains, so a flood of uploads cannot grow the backlog without end.
pub const MAX_PENDING_JOBS: i64 = 10_000;

/// How a pool of runners works through the queue.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Worker processes (and runner threads); default: one per core.
    pub workers: usize,
    /// Keep running and wait for new jobs (`varde worker --follow`).
    pub follow: bool,
    /// Per-document limits of each worker process.
    pub limits: WorkerLimits,
    /// Stop once this job is done or dead (`varde doc add --wait`).
    pub until_job: Option<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            follow: false,
            limits: WorkerLimits::default(),
            until_job: None,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunReport {
    pub done: u64,
    pub retried: u64,
    pub dead: u64,
    /// Jobs found abandoned by a runner that stopped (killed, crashed) and put back in the queue.
    pub requeued: Vec<String>,
}

/// A document with its analysis and jobs, as `varde doc show` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentDetail {
    #[serde(flatten)]
    pub document: Document,
    pub analysis: Option<Analysis>,
    pub jobs: Vec<Job>,
}

/// Runner ids active in this process: a job held by one of them is not abandoned.
fn active_runners() -> &'static Mutex<HashSet<String>> {
    static ACTIVE: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    ACTIVE.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Whether the runner `id` ("pid:uuid") is still running.
fn runner_alive(id: &str) -> bool {
    let Some(pid) = id.split(':').next().and_then(|p| p.parse::<i32>().ok()) else {
        return false;
    };
    if pid == std::process::id() as i32 {
        return active_runners()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(id);
    }
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

fn now_ts() -> String {
    crate::clock::format(crate::clock::now())
}

fn later_ts(d: Duration) -> String {
    crate::clock::format(crate::clock::now() + time::Duration::milliseconds(d.as_millis() as i64))
}

/// Exponential backoff with jitter: 2 s, 4 s, 8 s … (capped at 5 min) plus up to 1 s at random,
/// so that many failed jobs do not all come back at once.
pub fn backoff(attempt: i64) -> Duration {
    let base = 2u64.saturating_pow(attempt.clamp(1, 16) as u32).min(300);
    let jitter = crypto::random_bytes::<2>().map_or(0, |b| u64::from(u16::from_le_bytes(b)) % 1000);
    Duration::from_secs(base) + Duration::from_millis(jitter)
}

/// Works through the job queue in isolated workers, independently of the session that made it.
pub struct JobRunner {
    ctx: RunnerContext,
    stop: Arc<AtomicBool>,
}

impl JobRunner {
    /// Runs a pool of runner threads until the queue is empty (or, with `follow`, until
    /// [`JobRunner::stop`]). A job in progress when asked to stop is finished first.
    pub fn run(&self, opts: &RunOptions) -> Result<RunReport> {
        let workers = opts.workers.max(1);
        let results: Vec<Result<RunReport>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    let ctx = self.ctx.clone();
                    let stop = self.stop.clone();
                    scope.spawn(move || run_one_runner(&ctx, opts, &stop))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::Invalid("a job runner panicked".into())))
                })
                .collect()
        });
        let mut report = RunReport::default();
        for r in results {
            let r = r?;
            report.done += r.done;
            report.retried += r.retried;
            report.dead += r.dead;
        }
        Ok(report)
    }

    /// Asks every runner thread to stop after its current job.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Everything a runner thread needs, without the session's connection (each runner has its own).
#[derive(Clone)]
struct RunnerContext {
    db_path: PathBuf,
    db_key: SecretKey,
    case_key_root: SecretKey,
    blobs: BlobStore,
    audit: Arc<AuditLog>,
    user_id: String,
    role: &'static str,
    threshold: f64,
    max_bytes: u64,
    worker_program: Option<PathBuf>,
}

impl RunnerContext {
    fn event(&self, action: &str) -> Event {
        Event::new(action).by(&self.user_id, self.role)
    }

    /// A worker whose replies may be at most the upload limit (plus a margin).
    fn spawn_worker(&self, limits: WorkerLimits) -> std::result::Result<Worker, PipelineError> {
        let limits = WorkerLimits {
            max_document_bytes: self.max_bytes,
            ..limits
        };
        match &self.worker_program {
            Some(p) => Worker::spawn_program(p, limits),
            None => Worker::spawn(limits),
        }
    }

    fn decrypt(&self, conn: &Connection, doc: &Document) -> Result<Vec<u8>> {
        let wrapped = store::cases::wrapped_key(conn, &doc.case_id)?;
        let raw = crypto::open(
            &self.case_key_root,
            doc.case_id.as_bytes(),
            &wrapped,
            "case data key",
        )?;
        Ok(self
            .blobs
            .get(&SecretKey::from_bytes(&raw)?, &doc.blob_id)?)
    }
}

impl Session {
    fn runner_context(&self) -> RunnerContext {
        RunnerContext {
            db_path: self.varde.dir.join(DB_FILE),
            db_key: self.master.derive(DB_KEY_LABEL),
            case_key_root: self.master.derive(CASE_KEY_LABEL),
            blobs: self.blobs.clone(),
            audit: self.audit.clone(),
            user_id: self.user.id.clone(),
            role: self.user.role.as_str(),
            threshold: self.config.ai_confidence_threshold,
            max_bytes: self.config.upload_limit_bytes(),
            worker_program: self.varde.worker_program.clone(),
        }
    }

    /// A worker process, started from the configured worker program, its replies capped by the
    /// upload limit.
    pub(super) fn spawn_worker(
        &self,
        limits: WorkerLimits,
    ) -> std::result::Result<Worker, PipelineError> {
        let limits = WorkerLimits {
            max_document_bytes: self.config.upload_limit_bytes(),
            ..limits
        };
        match &self.varde.worker_program {
            Some(p) => Worker::spawn_program(p, limits),
            None => Worker::spawn(limits),
        }
    }

    /// Validates a document by content in an isolated worker, before anything is stored.
    pub(super) fn validate_isolated(
        &self,
        file_name: &str,
        bytes: &[u8],
    ) -> std::result::Result<Analysis, PipelineError> {
        let ctx = self.runner_context();
        let limits = WorkerLimits {
            timeout: Duration::from_secs(120),
            ..WorkerLimits::default()
        };
        let req = Request::new(
            Some(file_name.to_string()),
            Stage::Validate,
            ctx.max_bytes,
            ctx.threshold,
        );
        ctx.spawn_worker(limits)?.analyze(&req, bytes)
    }

    /// Works through the job queue with a pool of isolated workers.
    pub fn run_jobs(&mut self, opts: &RunOptions) -> Result<RunReport> {
        let (runner, requeued) = self.job_runner()?;
        let mut report = runner.run(opts)?;
        report.requeued = requeued;
        Ok(report)
    }

    /// A runner that works through the queue without holding this session, so a desktop app can
    /// keep it going in the background; also returns the jobs it found abandoned and requeued.
    /// It holds copies of the keys it needs: stop it when the session ends.
    pub fn job_runner(&mut self) -> Result<(JobRunner, Vec<String>)> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::RunPipeline, None, None) {
            return self.refuse(self.event(actions::JOBS_RUN), e);
        }
        let now = now_ts();
        let requeued = {
            let requeue = self
                .event(actions::JOB_REQUEUE)
                .with("reason", "runner_stopped");
            let tx = begin(&mut self.conn)?;
            let ids = store::jobs::requeue_abandoned(&tx, &now, runner_alive)?;
            for id in &ids {
                self.audit.append(&tx, requeue.clone().on("job", id))?;
            }
            tx.commit()?;
            ids
        };
        let runner = JobRunner {
            ctx: self.runner_context(),
            stop: Arc::new(AtomicBool::new(false)),
        };
        Ok((runner, requeued))
    }

    /// Jobs, optionally by status or of one case (reviewers and admins; a case's own jobs for
    /// whoever may open the case).
    pub fn list_jobs(
        &mut self,
        status: Option<JobStatus>,
        case_id: Option<&str>,
    ) -> Result<Vec<Job>> {
        match case_id {
            Some(id) => {
                let case = self.load_case(id, actions::JOBS_LIST)?;
                self.authorize_case(&case, Operation::ViewCase, actions::JOBS_LIST, None)?;
            }
            None => {
                if let Err(e) = domain::authorize(&self.actor(), Operation::ManageJobs, None, None)
                {
                    return self.refuse(self.event(actions::JOBS_LIST), e);
                }
            }
        }
        Ok(store::jobs::list(&self.conn, status, case_id)?)
    }

    /// Puts a dead job back in the queue (reviewers and admins).
    pub fn retry_job(&mut self, job_id: &str) -> Result<Job> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::ManageJobs, None, None) {
            return self.refuse(self.event(actions::JOB_RETRY).on("job", job_id), e);
        }
        let Some(job) = store::jobs::get(&self.conn, job_id)? else {
            return Err(Error::NotFound {
                what: "job",
                id: job_id.to_string(),
            });
        };
        if job.status != JobStatus::Dead {
            return Err(Error::Invalid(format!(
                "only a dead job can be retried; this one is {}",
                job.status
            )));
        }
        let event = self
            .event(actions::JOB_RETRY)
            .on("job", job_id)
            .with("document_id", &job.document_id);
        let tx = begin(&mut self.conn)?;
        store::jobs::retry(&tx, job_id, &now_ts())?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        Ok(store::jobs::get(&self.conn, job_id)?.expect("just updated"))
    }

    /// A document's metadata, analysis and jobs (audited as a view: the analysis holds its text).
    pub fn document_detail(
        &mut self,
        case_id: &str,
        document_id: &str,
        break_glass: Option<&str>,
    ) -> Result<DocumentDetail> {
        let case = self.load_case(case_id, actions::DOCUMENT_VIEW)?;
        let grant = self.authorize_case(
            &case,
            Operation::ViewDocument,
            actions::DOCUMENT_VIEW,
            break_glass,
        )?;
        let Some(document) = store::documents::get(&self.conn, case_id, document_id)? else {
            return Err(Error::NotFound {
                what: "document",
                id: document_id.to_string(),
            });
        };
        if grant == domain::Grant::BreakGlass {
            self.record_break_glass(
                case_id,
                break_glass.unwrap_or_default(),
                actions::DOCUMENT_VIEW,
            )?;
        }
        self.show_document(&case, document)
    }

    /// A document of `case` (access already decided) with its analysis, checked against the
    /// case's subject, and its jobs; audited as a view, since the analysis holds its text.
    pub(super) fn show_document(
        &mut self,
        case: &Case,
        document: Document,
    ) -> Result<DocumentDetail> {
        let mut analysis = store::jobs::analysis_of(&self.conn, &document.id)?.map(|a| a.analysis);
        if let Some(a) = analysis.as_mut() {
            add_subject_warnings(case, a);
        }
        let jobs = store::jobs::for_document(&self.conn, &document.id)?;
        self.record(
            self.event(actions::DOCUMENT_VIEW)
                .on("case", &case.id)
                .with("document_id", &document.id)
                .with("analysis", analysis.is_some()),
        )?;
        Ok(DocumentDetail {
            document,
            analysis,
            jobs,
        })
    }
}

/// The worker's analysis with what only the core can see added to its signal: fields that do
/// not belong to the case's subject, and a file already in another case. Either turns an
/// `approve` into manual review, with the warning codes as its reasons.
fn with_case_concerns(conn: &Connection, job: &Job, a: &Analysis) -> Result<Analysis> {
    let mut more: Vec<domain::signal::Concern> = match store::cases::get(conn, &job.case_id)? {
        Some(case) => subject_findings(&case, &a.fields)
            .into_iter()
            .filter_map(|(_, warning)| domain::signal::Concern::of_warning(warning))
            .collect(),
        None => Vec::new(),
    };
    let duplicate =
        store::documents::get(conn, &job.case_id, &job.document_id)?.is_some_and(|d| d.duplicate);
    if duplicate {
        more.push(domain::signal::Concern::DuplicateFile);
    }
    let mut a = a.clone();
    let c = &mut a.classification;
    domain::signal::add_concerns(&mut c.suggestion, &mut c.concerns, &more);
    Ok(a)
}

/// Marks fields read from the document that do not belong to the case's subject (name, birth
/// date, national ID number). Checked when shown, so a corrected subject never leaves a stale
/// warning behind.
fn add_subject_warnings(case: &Case, analysis: &mut Analysis) {
    for (key, warning) in subject_findings(case, &analysis.fields) {
        if let Some(field) = analysis.fields.get_mut(&key) {
            field.warn(warning);
        }
    }
}

/// Each field that disagrees with the case's subject, and how.
fn subject_findings(
    case: &Case,
    fields: &domain::document::Fields,
) -> Vec<(domain::document::FieldKey, domain::document::FieldWarning)> {
    domain::checks::subject_warnings(
        &case.subject.name,
        case.subject.date_of_birth.as_deref(),
        case.subject.national_id.as_deref(),
        fields,
    )
}

/// Queues the analysis of a document (inside the transaction that adds it), unless
/// [`MAX_PENDING_JOBS`] already wait.
pub(super) fn queue_analysis(conn: &Connection, doc: &Document) -> Result<Job> {
    let pending: i64 = conn.query_row(
        "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'failed')",
        [],
        |r| r.get(0),
    )?;
    if pending >= MAX_PENDING_JOBS {
        return Err(Error::QueueFull {
            limit: MAX_PENDING_JOBS,
        });
    }
    let now = now_ts();
    let job = Job {
        id: uuid::Uuid::new_v4().to_string(),
        kind: "analyze".into(),
        case_id: doc.case_id.clone(),
        document_id: doc.id.clone(),
        status: JobStatus::Queued,
        progress: 0,
        attempts: 0,
        max_attempts: MAX_ATTEMPTS,
        worker_id: None,
        lease_until: None,
        not_before: now.clone(),
        last_error: None,
        created_at: now.clone(),
        updated_at: now,
        started_at: None,
        finished_at: None,
    };
    store::jobs::insert(conn, &job)?;
    Ok(job)
}

/// Whether anything in the queue could still run: queued or waiting out a backoff.
fn pending_work(conn: &Connection) -> Result<bool> {
    Ok(store::jobs::any_runnable(conn)?)
}

fn job_finished(conn: &Connection, id: &str) -> Result<bool> {
    Ok(store::jobs::get(conn, id)?.is_none_or(|j| j.status.is_final()))
}

/// One runner thread: its own connection and worker process; claims jobs until there are none.
fn run_one_runner(ctx: &RunnerContext, opts: &RunOptions, stop: &AtomicBool) -> Result<RunReport> {
    let runner_id = format!("{}:{}", std::process::id(), uuid::Uuid::new_v4());
    active_runners()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(runner_id.clone());
    let result = runner_loop(ctx, opts, stop, &runner_id);
    active_runners()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&runner_id);
    result
}

fn runner_loop(
    ctx: &RunnerContext,
    opts: &RunOptions,
    stop: &AtomicBool,
    runner_id: &str,
) -> Result<RunReport> {
    let mut conn = store::open(&ctx.db_path, &ctx.db_key)?;
    let mut worker: Option<CaseWorker> = None;
    let mut report = RunReport::default();
    let lease = opts.limits.timeout + Duration::from_secs(60);
    while !stop.load(Ordering::Relaxed) {
        if let Some(id) = &opts.until_job {
            if job_finished(&conn, id)? {
                stop.store(true, Ordering::Relaxed);
                break;
            }
        }
        let job = {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let job = store::jobs::claim_next(&tx, runner_id, &now_ts(), &later_ts(lease))?;
            tx.commit()?;
            job
        };
        let Some(job) = job else {
            let pending = pending_work(&conn)?;
            if !pending && !opts.follow && opts.until_job.is_none() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
            continue;
        };
        tracing::info!(job_id = %job.id, document_id = %job.document_id, attempt = job.attempts, "job started");
        let outcome = process(ctx, &conn, &job, runner_id, &mut worker, opts.limits);
        match outcome {
            Ok(analysis) => {
                write_success(ctx, &mut conn, &job, runner_id, &analysis)?;
                report.done += 1;
            }
            Err(e) => {
                let dead = write_failure(ctx, &mut conn, &job, runner_id, &e)?;
                if dead {
                    report.dead += 1;
                } else {
                    report.retried += 1;
                }
            }
        }
    }
    Ok(report)
}

/// A runner's worker and the one case whose documents it may see: what a hostile document does
/// to a worker can reach no other case's document.
struct CaseWorker {
    case_id: String,
    worker: Worker,
}

fn process(
    ctx: &RunnerContext,
    conn: &Connection,
    job: &Job,
    runner_id: &str,
    worker: &mut Option<CaseWorker>,
    limits: WorkerLimits,
) -> std::result::Result<Analysis, PipelineError> {
    let internal = |e: Error| PipelineError::Spawn(format!("could not read the document: {e}"));
    let doc = store::documents::get(conn, &job.case_id, &job.document_id)
        .map_err(|e| internal(e.into()))?
        .ok_or_else(|| PipelineError::Spawn("the document is gone".into()))?;
    let bytes = ctx.decrypt(conn, &doc).map_err(internal)?;
    let _ = store::jobs::set_progress(conn, &job.id, runner_id, 20, &now_ts());
    if worker.as_ref().is_some_and(|w| w.case_id != job.case_id) {
        *worker = None;
    }
    if worker.is_none() {
        *worker = Some(CaseWorker {
            case_id: job.case_id.clone(),
            worker: ctx.spawn_worker(limits)?,
        });
    }
    let req = Request::new(
        Some(doc.file_name.clone()),
        Stage::Full,
        ctx.max_bytes,
        ctx.threshold,
    );
    let result = worker
        .as_mut()
        .expect("just spawned")
        .worker
        .analyze(&req, &bytes);
    let retired = worker.as_ref().is_some_and(|w| w.worker.is_retired());
    if retired || result.as_ref().is_err_and(PipelineError::is_retryable) {
        // The worker died, was killed or retired: the next document gets a fresh one.
        *worker = None;
    }
    result
}

fn round2(x: f32) -> String {
    format!("{x:.2}")
}

fn write_success(
    ctx: &RunnerContext,
    conn: &mut Connection,
    job: &Job,
    runner_id: &str,
    a: &Analysis,
) -> Result<()> {
    let now = now_ts();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if !store::jobs::finish(&tx, &job.id, runner_id, &now)? {
        // Another runner took this job over (our lease ran out): its result counts, not ours.
        tracing::warn!(job_id = %job.id, "job claim lost; result discarded");
        return Ok(());
    }
    let a = &with_case_concerns(&tx, job, a)?;
    let c = &a.classification;
    store::jobs::insert_analysis(
        &tx,
        &StoredAnalysis {
            document_id: job.document_id.clone(),
            job_id: job.id.clone(),
            label: c.label.clone(),
            confidence: c.confidence.map(f64::from),
            suggestion: c.suggestion,
            model: c.model.clone(),
            analysis: a.clone(),
            created_at: now.clone(),
        },
    )?;
    refresh_case_signal(&tx, &job.case_id, &now)?;
    let t = &a.timings_ms;
    let on = |action: &str| {
        ctx.event(action)
            .on("case", &job.case_id)
            .with("document_id", &job.document_id)
            .with("job_id", &job.id)
    };
    ctx.audit.append(
        &tx,
        on(actions::PIPELINE_VALIDATE)
            .with("media_type", &a.mime)
            .with("pages", a.pages)
            .with("duration_ms", t.validate),
    )?;
    ctx.audit.append(
        &tx,
        on(actions::PIPELINE_EXTRACT)
            .with(
                "text_source",
                a.text_source.map_or("none", TextOrigin::as_str),
            )
            .with(
                "ocr_confidence",
                a.ocr_confidence.map_or("none".into(), round2),
            )
            .with("duration_ms", t.extract)
            .with("ocr_ms", t.ocr),
    )?;
    let mut classify = on(actions::PIPELINE_CLASSIFY)
        .with("model", c.model.as_deref().unwrap_or("none"))
        .with("suggestion", c.suggestion.as_str())
        .with("duration_ms", t.classify);
    if let (Some(label), Some(conf)) = (&c.label, c.confidence) {
        classify = classify
            .with("label", label)
            .with("confidence", round2(conf));
    } else {
        classify = classify
            .outcome(Outcome::Failure)
            .with("reason", "no_classifier");
    }
    ctx.audit.append(&tx, classify)?;
    ctx.audit.append(
        &tx,
        on(actions::JOB_DONE)
            .with("attempt", job.attempts)
            .with("duration_ms", t.total),
    )?;
    tx.commit()?;
    tracing::info!(job_id = %job.id, ms = t.total, "job done");
    Ok(())
}

/// Records a failure; returns whether the job is now dead.
fn write_failure(
    ctx: &RunnerContext,
    conn: &mut Connection,
    job: &Job,
    runner_id: &str,
    e: &PipelineError,
) -> Result<bool> {
    let dead = !e.is_retryable() || job.attempts >= job.max_attempts;
    let not_before = if dead {
        now_ts()
    } else {
        later_ts(backoff(job.attempts))
    };
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if !store::jobs::fail(
        &tx,
        &job.id,
        runner_id,
        &e.to_string(),
        dead,
        &not_before,
        &now_ts(),
    )? {
        return Ok(false);
    }
    ctx.audit.append(
        &tx,
        ctx.event(if dead {
            actions::JOB_DEAD
        } else {
            actions::JOB_FAILED
        })
        .on("case", &job.case_id)
        .with("document_id", &job.document_id)
        .with("job_id", &job.id)
        .with("attempt", job.attempts)
        .with("error", e.code())
        .outcome(Outcome::Failure),
    )?;
    tx.commit()?;
    tracing::warn!(job_id = %job.id, error = e.code(), dead, "job failed");
    Ok(dead)
}

/// A case's AI signal from its documents': approve only when every document is analysed and
/// suggested for approval.
fn refresh_case_signal(conn: &Connection, case_id: &str, now: &str) -> Result<()> {
    let analyses = store::jobs::analyses_of_case(conn, case_id)?;
    let documents = store::documents::list_for_case(conn, case_id)?.len();
    let suggestions: Vec<Suggestion> = analyses.iter().map(|a| a.suggestion).collect();
    let suggestion = if analyses.len() == documents {
        case_suggestion(&suggestions)
    } else {
        Suggestion::ManualReview
    };
    let mut labels: Vec<String> = Vec::new();
    for label in analyses.iter().filter_map(|a| a.label.as_ref()) {
        if !labels.contains(label) {
            labels.push(label.clone());
        }
    }
    let signal = AiSignal {
        labels,
        confidence: analyses
            .iter()
            .filter_map(|a| a.confidence)
            .reduce(f64::min),
        suggestion,
        model: analyses.iter().find_map(|a| a.model.clone()),
    };
    store::cases::set_ai_signal(conn, case_id, &signal, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(n: usize) -> Document {
        Document {
            id: format!("doc-{n}"),
            case_id: "case".into(),
            file_name: "scan.pdf".into(),
            media_type: "application/pdf".into(),
            size_bytes: 1,
            sha256: String::new(),
            blob_id: format!("blob-{n}"),
            duplicate: false,
            added_by: "user".into(),
            added_at: now_ts(),
        }
    }

    #[test]
    fn a_full_queue_refuses_more_work_until_a_job_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = store::open_unencrypted_for_benchmark(&dir.path().join("q.db")).unwrap();
        // Only the queue is under test: jobs without their cases and documents.
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let tx = conn.transaction().unwrap();
        for n in 0..MAX_PENDING_JOBS as usize {
            queue_analysis(&tx, &document(n)).unwrap();
        }
        tx.commit().unwrap();
        let refused = queue_analysis(&conn, &document(usize::MAX));
        assert!(
            matches!(refused, Err(Error::QueueFull { limit }) if limit == MAX_PENDING_JOBS),
            "{refused:?}"
        );
        conn.execute(
            "UPDATE jobs SET status = 'done' WHERE id = (SELECT id FROM jobs LIMIT 1)",
            [],
        )
        .unwrap();
        queue_analysis(&conn, &document(usize::MAX)).unwrap();
    }
}

//! Isolation of parsers: documents are analysed in a separate worker process — the same `varde`
//! binary started in worker mode — that sandboxes itself before it reads a request (`sandbox`:
//! read-only access to what the pipeline needs, no network, no other process, no new programs),
//! with a memory limit (RLIMIT_DATA), a CPU-time backstop (RLIMIT_CPU), no core dumps (they would
//! hold document content), and a wall-clock watchdog per document. A panic, abort, hang or
//! out-of-memory in a parser fails that document with a clear reason; the worker is replaced and
//! the calling process, its keys and its store are untouched.
//!
//! The parent trusts nothing the worker says: every answer must answer the request it was asked
//! (an id), fit the frame cap (the upload limit plus a margin), and pass `checks` (labels, codes,
//! media types, suggestions from the known sets) before the caller sees it. A worker that fails
//! any of these is stopped. Only codes of its answers, never its text, are fit for a log.
//!
//! `protocol` holds the messages, `frames` their wire format, `parent` the parent's side,
//! `serve` the worker's, `faults` (debug builds) the misbehaviour tests inject.

mod checks;
#[cfg(debug_assertions)]
mod faults;
mod frames;
mod parent;
mod protocol;
pub mod sandbox;
mod serve;

use std::time::Duration;

use super::analysis::{Analysis, Refusal, Request};
use super::intake::Limits;

pub use checks::{ReplyProblem, KNOWN_LABELS, REFUSAL_CODES};
pub use parent::Worker;
pub use protocol::Confinement;
pub use serve::serve;

/// The hidden subcommand that starts a worker.
pub const WORKER_ARG: &str = "__pipeline-worker";

/// What a reply frame may hold beyond the document's own size: the analysis' JSON (text read by
/// OCR, fields, page reads) or a drawn page's PNG (at most 12 Mpixel).
pub const REPLY_MARGIN_BYTES: u64 = 64 * 1024 * 1024;

/// Exit code of a worker whose parser panicked.
const PANIC_EXIT: i32 = 70;
/// Exit code of a worker that could not sandbox itself (it read no request).
const SANDBOX_EXIT: i32 = 71;

/// Limits for one worker process and each document it handles.
#[derive(Clone, Copy, Debug)]
pub struct WorkerLimits {
    /// Wall-clock time for one document.
    pub timeout: Duration,
    /// Data segment (heap and anonymous mappings) of the worker process.
    pub memory_bytes: u64,
    /// The upload limit: no reply frame may be larger than this plus [`REPLY_MARGIN_BYTES`].
    pub max_document_bytes: u64,
}

impl Default for WorkerLimits {
    fn default() -> Self {
        WorkerLimits {
            timeout: Duration::from_secs(300),
            memory_bytes: 2 * 1024 * 1024 * 1024,
            max_document_bytes: Limits::default().max_bytes,
        }
    }
}

impl WorkerLimits {
    /// The largest frame the parent reads from the worker.
    pub fn reply_cap(&self) -> usize {
        usize::try_from(self.max_document_bytes.saturating_add(REPLY_MARGIN_BYTES))
            .unwrap_or(usize::MAX)
    }
}

/// Why a document produced no analysis.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    /// The document itself was refused (intake) or its text could not be read. The code is one
    /// of [`REFUSAL_CODES`]; the message is the worker's and is for the user, never for a log.
    #[error("{0}")]
    Refused(Refusal),
    #[error("processing the document took longer than {secs} s and was stopped")]
    TimedOut { secs: u64 },
    #[error("processing the document needed more than {limit_mib} MiB of memory and was stopped")]
    OutOfMemory { limit_mib: u64 },
    #[error("the document parser crashed ({how}); the document may be malformed")]
    Crashed { how: String },
    #[error("the document worker's answer failed Varde's checks: {0}; it was stopped and nothing of its answer was kept")]
    UntrustedReply(ReplyProblem),
    #[error("the document worker could not sandbox itself, so it parsed nothing: documents are never parsed unconfined (the kernel refused the sandbox)")]
    SandboxFailed,
    #[error("could not start the document worker: {0}")]
    Spawn(String),
}

impl PipelineError {
    /// A stable code for JSON, audit entries and logs.
    pub fn code(&self) -> &str {
        match self {
            PipelineError::Refused(r) => &r.code,
            PipelineError::TimedOut { .. } => "timeout",
            PipelineError::OutOfMemory { .. } => "out_of_memory",
            PipelineError::Crashed { .. } => "parser_crashed",
            PipelineError::UntrustedReply(_) => "worker_reply_invalid",
            PipelineError::SandboxFailed => "sandbox_unavailable",
            PipelineError::Spawn(_) => "worker_unavailable",
        }
    }

    /// Whether trying the same document again could succeed: a refusal will not, nor will an
    /// answer a document made the worker give.
    pub fn is_retryable(&self) -> bool {
        !matches!(
            self,
            PipelineError::Refused(_) | PipelineError::UntrustedReply(_)
        )
    }
}

/// Analyses one document in a fresh worker (for `varde analyze`).
pub fn analyze_isolated(
    req: &Request,
    bytes: &[u8],
    limits: WorkerLimits,
) -> Result<Analysis, PipelineError> {
    Worker::spawn(limits)?.analyze(req, bytes)
}

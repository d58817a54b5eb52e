//! The messages parent and worker exchange, in JSON frames. The parent sends a [`TaskFrame`] then
//! the document's bytes as a frame (plaintext never touches the disk); the worker answers with
//! one [`ReplyFrame`] (after a first frame, its [`Confinement`]), and for a preview the PNG as a second frame. Each reply carries the id of
//! the request it answers, so the parent never takes an answer to another question.

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, Refusal, Request};
use crate::preview::{Preview, PreviewRequest};

/// What the parent asks of a worker.
#[derive(Serialize, Deserialize)]
pub(crate) enum Task {
    /// Analyse the document that follows.
    Analyze(Request),
    /// Draw a page: of the document that follows, or (an empty frame) of the one already open.
    Preview(PreviewRequest),
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TaskFrame {
    /// Distinct for every request a worker gets.
    pub id: u64,
    pub task: Task,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum Reply {
    Done(Box<Analysis>),
    Refused(Refusal),
    /// Followed by a frame holding the PNG.
    Preview(Preview),
}

/// A reply, the request it answers, and whether the worker exits after it:
/// a page render it gave up may still be running on a thread that cannot be stopped, so it takes
/// no further document.
#[derive(Serialize, Deserialize)]
pub(crate) struct ReplyFrame {
    pub id: u64,
    pub reply: Reply,
    pub retiring: bool,
}

/// How far the worker's sandbox holds, as the worker found when it applied it: its first frame,
/// sent before it reads a request (so before any document could have a say in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confinement {
    /// Landlock (files, TCP, signals) and the system-call filter.
    LandlockAndSeccomp,
    /// The kernel has no Landlock: the system-call filter only.
    SeccompOnly,
    /// No sandbox on this operating system yet (resource limits and a clean environment only).
    Unsandboxed,
}

impl Confinement {
    pub fn as_str(self) -> &'static str {
        match self {
            Confinement::LandlockAndSeccomp => "landlock+seccomp",
            Confinement::SeccompOnly => "seccomp_only",
            Confinement::Unsandboxed => "unsandboxed",
        }
    }
}

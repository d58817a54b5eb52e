//! The parent's side of a worker: starting it with a clean environment and resource limits,
//! asking it one thing at a time, and taking its answer only when it answers that request, fits
//! the frame cap and passes the checks. A worker that fails any of these is killed.

use std::io::{self, Read};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::checks::{self, ReplyProblem};
use super::frames::{read_frame, write_frame, FrameError};
use super::protocol::{Confinement, Reply, ReplyFrame, Task, TaskFrame};
use super::{PipelineError, WorkerLimits, PANIC_EXIT, SANDBOX_EXIT};
use crate::analysis::{Analysis, Refusal, Request};
use crate::preview::{Preview, PreviewRequest, MAX_PREVIEW_WIDTH, MIN_PREVIEW_WIDTH};

/// The only environment variables a worker inherits: where its model, runtime and OCR data are,
/// the locale, and (debug builds) the fault-injection switch used by the tests.
const PASSED_ENV: &[&str] = &[
    "VARDE_MODEL_DIR",
    "VARDE_ORT_DYLIB",
    "TESSDATA_PREFIX",
    "LANG",
    "LC_ALL",
    #[cfg(debug_assertions)]
    "VARDE_WORKER_FAULT",
];

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

type FrameResult = Result<Option<Vec<u8>>, FrameError>;

/// A running worker process.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<FrameResult>,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
    limits: WorkerLimits,
    /// The id of the last request sent.
    last_id: u64,
    /// How the worker said it is confined, once it has said so.
    confinement: Option<Confinement>,
    retired: bool,
}

impl Worker {
    /// Starts a worker: this executable in worker mode, with Tesseract single-threaded.
    pub fn spawn(limits: WorkerLimits) -> Result<Worker, PipelineError> {
        let exe = std::env::current_exe().map_err(|e| PipelineError::Spawn(e.to_string()))?;
        Worker::spawn_program(&exe, limits)
    }

    /// Starts `program` (a `varde` binary) in worker mode.
    pub fn spawn_program(
        program: &std::path::Path,
        limits: WorkerLimits,
    ) -> Result<Worker, PipelineError> {
        let mut cmd = Command::new(program);
        // The worker parses hostile files: it gets only the environment it needs, never the
        // parent's (which may hold VARDE_PASSWORD).
        cmd.env_clear();
        for name in PASSED_ENV {
            if let Some(value) = std::env::var_os(name) {
                cmd.env(name, value);
            }
        }
        cmd.arg(super::WORKER_ARG)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let memory = limits.memory_bytes;
        let cpu = limits.timeout.as_secs().saturating_mul(4).max(60);
        // SAFETY: only async-signal-safe calls (setrlimit, prctl) between fork and exec.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
                set_limit(libc::RLIMIT_DATA, memory)?;
                set_limit(libc::RLIMIT_CORE, 0)?;
                set_limit(libc::RLIMIT_CPU, cpu)?;
                // The worker dies with its parent: no orphan keeps parsing.
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| PipelineError::Spawn(e.to_string()))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        // One frame waits at most: a worker that floods frames blocks instead of filling the
        // parent's memory.
        let (tx, replies) = mpsc::sync_channel(1);
        let cap = limits.reply_cap();
        std::thread::spawn(move || loop {
            let frame = read_frame(&mut stdout, cap);
            let end = !matches!(frame, Ok(Some(_)));
            if tx.send(frame).is_err() || end {
                break;
            }
        });
        // Keep the end of the worker's stderr to tell an out-of-memory abort from other crashes.
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = stderr_tail.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().unwrap_or_else(|p| p.into_inner());
                t.extend_from_slice(&buf[..n]);
                let excess = t.len().saturating_sub(8192);
                t.drain(..excess);
            }
        });
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr_tail,
            limits,
            last_id: 0,
            confinement: None,
            retired: false,
        })
    }

    /// Whether this worker has ended after its last document and a new one must be spawned.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// How the worker is sandboxed, once it has answered.
    pub fn confinement(&self) -> Option<Confinement> {
        self.confinement
    }

    /// Analyses one document. After an error other than a refusal, or once [`Worker::is_retired`],
    /// the worker is gone: spawn a new one.
    pub fn analyze(&mut self, req: &Request, bytes: &[u8]) -> Result<Analysis, PipelineError> {
        match self.ask(Task::Analyze(req.clone()), bytes)? {
            Reply::Done(a) => match checks::check_analysis(req, &a) {
                Ok(()) => Ok(*a),
                Err(problem) => Err(self.distrust(problem)),
            },
            Reply::Refused(r) => Err(self.refusal(r)),
            Reply::Preview(_) => Err(self.distrust(ReplyProblem::WrongKind)),
        }
    }

    /// Draws a page of `document` (which the worker then keeps open), or with `None` of the
    /// document it holds open from an earlier preview. Errors as for [`Worker::analyze`]; a
    /// refusal with code `not_open` means the worker holds no document.
    pub fn preview(
        &mut self,
        req: &PreviewRequest,
        document: Option<&[u8]>,
    ) -> Result<Preview, PipelineError> {
        let mut asked = req.clone();
        asked.width = req.width.clamp(MIN_PREVIEW_WIDTH, MAX_PREVIEW_WIDTH);
        match self.ask(Task::Preview(asked.clone()), document.unwrap_or_default())? {
            Reply::Preview(mut preview) => {
                if let Err(problem) = checks::check_preview(&asked, &preview) {
                    return Err(self.distrust(problem));
                }
                preview.png = self.next_frame()?;
                if !preview.png.starts_with(PNG_SIGNATURE) {
                    return Err(self.distrust(ReplyProblem::NotPng));
                }
                Ok(preview)
            }
            Reply::Refused(r) => Err(self.refusal(r)),
            Reply::Done(_) => Err(self.distrust(ReplyProblem::WrongKind)),
        }
    }

    fn refusal(&mut self, r: Refusal) -> PipelineError {
        match checks::check_refusal(&r) {
            Ok(()) => PipelineError::Refused(r),
            Err(problem) => self.distrust(problem),
        }
    }

    /// Stops a worker whose answer cannot be taken; nothing of that answer is kept.
    fn distrust(&mut self, problem: ReplyProblem) -> PipelineError {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.retired = true;
        PipelineError::UntrustedReply(problem)
    }

    fn ask(&mut self, task: Task, bytes: &[u8]) -> Result<Reply, PipelineError> {
        self.last_id += 1;
        let id = self.last_id;
        let header = serde_json::to_vec(&TaskFrame { id, task })
            .map_err(|e| PipelineError::Spawn(e.to_string()))?;
        let sent = write_frame(&mut self.stdin, &header)
            .and_then(|()| write_frame(&mut self.stdin, bytes));
        if sent.is_err() {
            return Err(self.diagnose_exit());
        }
        if self.confinement.is_none() {
            self.read_greeting()?;
        }
        let frame = self.next_frame()?;
        let Ok(ReplyFrame {
            id: answered,
            reply,
            retiring,
        }) = serde_json::from_slice::<ReplyFrame>(&frame)
        else {
            return Err(self.distrust(ReplyProblem::Unreadable));
        };
        if answered != id {
            return Err(self.distrust(ReplyProblem::WrongRequestId));
        }
        self.retired = retiring;
        Ok(reply)
    }

    /// The worker's first frame, sent once it has confined itself and before it reads a
    /// request: how far its sandbox holds. Logged by code, once per worker.
    fn read_greeting(&mut self) -> Result<(), PipelineError> {
        let frame = self.next_frame()?;
        let Ok(confinement) = serde_json::from_slice::<Confinement>(&frame) else {
            return Err(self.distrust(ReplyProblem::Unreadable));
        };
        let pid = self.child.id();
        match confinement {
            Confinement::LandlockAndSeccomp => {
                tracing::debug!(pid, sandbox = confinement.as_str(), "document worker sandboxed");
            }
            Confinement::SeccompOnly => tracing::warn!(
                pid,
                sandbox = confinement.as_str(),
                "this kernel has no Landlock: the document worker's files are not confined, only its system calls"
            ),
            Confinement::Unsandboxed => tracing::warn!(
                pid,
                sandbox = confinement.as_str(),
                "the document worker is not sandboxed on this operating system (resource limits only)"
            ),
        }
        self.confinement = Some(confinement);
        Ok(())
    }

    /// The worker's next frame, within its time limit.
    fn next_frame(&mut self) -> Result<Vec<u8>, PipelineError> {
        match self.replies.recv_timeout(self.limits.timeout) {
            Ok(Ok(Some(frame))) => Ok(frame),
            Ok(Err(FrameError::TooLarge { .. })) => Err(self.distrust(ReplyProblem::FrameTooLarge)),
            Ok(_) | Err(RecvTimeoutError::Disconnected) => Err(self.diagnose_exit()),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(PipelineError::TimedOut {
                    secs: self.limits.timeout.as_secs(),
                })
            }
        }
    }

    /// Why the worker stopped answering.
    fn diagnose_exit(&mut self) -> PipelineError {
        let status = match self.child.wait() {
            Ok(s) => s,
            Err(e) => return PipelineError::Crashed { how: e.to_string() },
        };
        // The stderr reader may still be draining the last bytes.
        std::thread::sleep(Duration::from_millis(50));
        // Read only to recognise an allocator's out-of-memory report; never repeated anywhere.
        let tail =
            String::from_utf8_lossy(&self.stderr_tail.lock().unwrap_or_else(|p| p.into_inner()))
                .into_owned();
        let oom = tail.contains("memory allocation of")
            || tail.contains("bad_alloc")
            || tail.contains("Out of memory")
            || tail.contains("out of memory");
        if oom {
            return PipelineError::OutOfMemory {
                limit_mib: self.limits.memory_bytes / (1024 * 1024),
            };
        }
        use std::os::unix::process::ExitStatusExt;
        let how = match (status.code(), status.signal()) {
            (Some(SANDBOX_EXIT), _) => return PipelineError::SandboxFailed,
            (_, Some(libc::SIGXCPU)) => "CPU time limit exceeded".to_string(),
            (_, Some(sig)) => format!("stopped by signal {sig}"),
            (Some(PANIC_EXIT), _) => "a parser panicked".to_string(),
            (Some(code), _) => format!("exit code {code}"),
            (None, None) => "unknown".to_string(),
        };
        PipelineError::Crashed { how }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin ends a healthy worker; kill makes sure of a stuck one.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) -> io::Result<()> {
    let lim = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit reads a valid rlimit struct.
    if unsafe { libc::setrlimit(resource, &lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

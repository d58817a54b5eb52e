//! Isolation of parsers: documents are analysed in a separate worker process — the same `varde`
//! binary started in worker mode — with a memory limit (RLIMIT_DATA), a CPU-time backstop
//! (RLIMIT_CPU), no core dumps (they would hold document content), and a wall-clock watchdog per
//! document. A panic, abort, hang or out-of-memory in a parser fails that document with a clear
//! reason; the worker is replaced and the calling process, its keys and its store are untouched.
//!
//! Protocol over the worker's stdin/stdout: frames of a u32 big-endian length and a body. The
//! parent sends a JSON [`Task`] frame then the document's bytes as a frame (plaintext never
//! touches the disk); the worker answers with one JSON reply frame, and for a preview the PNG as
//! a second frame. A preview of the document the worker already holds sends no bytes again.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::analysis::{self, Analysis, Engines, Refusal, Request};
use super::preview::{Preview, PreviewError, PreviewRequest, Previewer};

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

/// The hidden subcommand that starts a worker.
pub const WORKER_ARG: &str = "__pipeline-worker";
const MAX_FRAME: usize = 256 * 1024 * 1024;

/// Limits for one worker process and each document it handles.
#[derive(Clone, Copy, Debug)]
pub struct WorkerLimits {
    /// Wall-clock time for one document.
    pub timeout: Duration,
    /// Data segment (heap and anonymous mappings) of the worker process.
    pub memory_bytes: u64,
}

impl Default for WorkerLimits {
    fn default() -> Self {
        WorkerLimits {
            timeout: Duration::from_secs(300),
            memory_bytes: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// Why a document produced no analysis.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    /// The document itself was refused (intake) or its text could not be read.
    #[error("{0}")]
    Refused(Refusal),
    #[error("processing the document took longer than {secs} s and was stopped")]
    TimedOut { secs: u64 },
    #[error("processing the document needed more than {limit_mib} MiB of memory and was stopped")]
    OutOfMemory { limit_mib: u64 },
    #[error("the document parser crashed ({how}); the document may be malformed")]
    Crashed { how: String },
    #[error("could not start the document worker: {0}")]
    Spawn(String),
}

impl PipelineError {
    /// A stable code for JSON and audit entries.
    pub fn code(&self) -> &str {
        match self {
            PipelineError::Refused(r) => &r.code,
            PipelineError::TimedOut { .. } => "timeout",
            PipelineError::OutOfMemory { .. } => "out_of_memory",
            PipelineError::Crashed { .. } => "parser_crashed",
            PipelineError::Spawn(_) => "worker_unavailable",
        }
    }

    /// Whether trying the same document again could succeed (a refusal will not).
    pub fn is_retryable(&self) -> bool {
        !matches!(self, PipelineError::Refused(_))
    }
}

/// What the parent asks of a worker.
#[derive(Serialize, Deserialize)]
enum Task {
    /// Analyse the document that follows.
    Analyze(Request),
    /// Draw a page: of the document that follows, or (an empty frame) of the one already open.
    Preview(PreviewRequest),
}

#[derive(Serialize, Deserialize)]
enum Reply {
    Done(Box<Analysis>),
    Refused(Refusal),
    /// Followed by a frame holding the PNG.
    Preview(Preview),
}

/// A reply, and whether the worker exits after it: a page render it gave up may still be
/// running on a thread that cannot be stopped, so it takes no further document.
#[derive(Serialize, Deserialize)]
struct ReplyFrame {
    reply: Reply,
    retiring: bool,
}

fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    w.write_all(&(body.len() as u32).to_be_bytes())?;
    w.write_all(body)?;
    w.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

/// A running worker process.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<io::Result<Option<Vec<u8>>>>,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
    limits: WorkerLimits,
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
        cmd.arg(WORKER_ARG)
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
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || loop {
            let frame = read_frame(&mut stdout);
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
            retired: false,
        })
    }

    /// Whether this worker has ended after its last document and a new one must be spawned.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// Analyses one document. After an error other than a refusal, or once [`Worker::is_retired`],
    /// the worker is gone: spawn a new one.
    pub fn analyze(&mut self, req: &Request, bytes: &[u8]) -> Result<Analysis, PipelineError> {
        match self.ask(&Task::Analyze(req.clone()), bytes)? {
            Reply::Done(a) => Ok(*a),
            Reply::Refused(r) => Err(PipelineError::Refused(r)),
            Reply::Preview(_) => Err(unexpected("a preview")),
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
        match self.ask(&Task::Preview(req.clone()), document.unwrap_or_default())? {
            Reply::Preview(mut preview) => {
                preview.png = self.next_frame()?;
                Ok(preview)
            }
            Reply::Refused(r) => Err(PipelineError::Refused(r)),
            Reply::Done(_) => Err(unexpected("an analysis")),
        }
    }

    fn ask(&mut self, task: &Task, bytes: &[u8]) -> Result<Reply, PipelineError> {
        let header = serde_json::to_vec(task).map_err(|e| PipelineError::Spawn(e.to_string()))?;
        let sent = write_frame(&mut self.stdin, &header)
            .and_then(|()| write_frame(&mut self.stdin, bytes));
        if sent.is_err() {
            return Err(self.diagnose_exit());
        }
        let frame = self.next_frame()?;
        let ReplyFrame { reply, retiring } =
            serde_json::from_slice::<ReplyFrame>(&frame).map_err(|e| PipelineError::Crashed {
                how: format!("unreadable reply: {e}"),
            })?;
        self.retired = retiring;
        Ok(reply)
    }

    /// The worker's next frame, within its time limit.
    fn next_frame(&mut self) -> Result<Vec<u8>, PipelineError> {
        match self.replies.recv_timeout(self.limits.timeout) {
            Ok(Ok(Some(frame))) => Ok(frame),
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

fn unexpected(what: &str) -> PipelineError {
    PipelineError::Crashed {
        how: format!("it answered with {what}"),
    }
}

/// Exit code of a worker whose parser panicked.
const PANIC_EXIT: i32 = 70;

/// The worker's main loop: one task per request, engines (and the document open for previews)
/// kept warm, until stdin closes. A panic answers nothing and exits: the parent reports it and
/// starts a fresh worker, since a parser that panicked may have left shared state (the OCR
/// engine) inconsistent.
pub fn serve() -> ! {
    return_large_buffers_to_the_system();
    let mut stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    let mut engines = Engines::default();
    let mut open: Option<Previewer> = None;
    loop {
        let header = match read_frame(&mut stdin) {
            Ok(Some(h)) => h,
            _ => std::process::exit(0),
        };
        let Ok(Some(bytes)) = read_frame(&mut stdin) else {
            std::process::exit(0)
        };
        let (reply, png) = match serde_json::from_slice::<Task>(&header) {
            Ok(task) => {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    #[cfg(debug_assertions)]
                    if let Some(refusal) = injected_fault() {
                        return (Reply::Refused(refusal), None);
                    }
                    match task {
                        Task::Analyze(req) => match analysis::run(&req, &bytes, &mut engines) {
                            Ok(a) => (Reply::Done(Box::new(a)), None),
                            Err(r) => (Reply::Refused(r), None),
                        },
                        Task::Preview(req) => match draw_preview(&mut open, &req, bytes) {
                            Ok(mut preview) => {
                                let png = std::mem::take(&mut preview.png);
                                (Reply::Preview(preview), Some(png))
                            }
                            Err(e) => (Reply::Refused(e.to_refusal()), None),
                        },
                    }
                }));
                outcome.unwrap_or_else(|_| std::process::exit(PANIC_EXIT))
            }
            Err(e) => (
                Reply::Refused(Refusal {
                    code: "bad_request".into(),
                    message: format!("malformed request: {e}"),
                }),
                None,
            ),
        };
        let retiring = crate::text::render::render_abandoned();
        let body = serde_json::to_vec(&ReplyFrame { reply, retiring }).unwrap_or_default();
        let written = write_frame(&mut stdout, &body)
            .and_then(|()| png.map_or(Ok(()), |png| write_frame(&mut stdout, &png)));
        if written.is_err() || retiring {
            std::process::exit(0);
        }
    }
}

/// Page images are tens of megabytes each and freed after every page. glibc raises its mmap
/// threshold after the first such free, so later pages come from the heap and stay resident;
/// a fixed threshold hands every large buffer back to the system when it is freed.
fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; called before any document is read.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Opens `bytes` for previews when they are sent (replacing the open document), then draws.
fn draw_preview(
    open: &mut Option<Previewer>,
    req: &PreviewRequest,
    bytes: Vec<u8>,
) -> Result<Preview, PreviewError> {
    if !bytes.is_empty() {
        // Let go of the old document before opening the new one: only one is held at a time.
        *open = None;
        *open = Some(Previewer::open(bytes, req)?);
    }
    open.as_mut().ok_or(PreviewError::NotOpen)?.draw(req)
}

/// Debug builds only: makes the worker misbehave as a hostile file could make a parser misbehave,
/// so tests can prove that isolation holds. `VARDE_WORKER_FAULT` = panic | abort | hang | oom.
/// `env` answers with the names of the worker's environment variables instead.
#[cfg(debug_assertions)]
fn injected_fault() -> Option<Refusal> {
    match std::env::var("VARDE_WORKER_FAULT").as_deref() {
        Ok("panic") => panic!("injected parser panic"),
        Ok("abort") => std::process::abort(),
        Ok("hang") => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
        Ok("env") => {
            let names: Vec<String> = std::env::vars_os()
                .map(|(k, _)| k.to_string_lossy().into_owned())
                .collect();
            Some(Refusal {
                code: "environment".into(),
                message: names.join(","),
            })
        }
        Ok("oom") => {
            let mut hog: Vec<Vec<u8>> = Vec::new();
            loop {
                hog.push(vec![1u8; 64 * 1024 * 1024]);
            }
        }
        _ => None,
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

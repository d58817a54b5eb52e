//! The worker's side: confine itself, say how, then answer one task per request, engines (and
//! the document open for previews) kept warm, until stdin closes. A panic answers nothing and
//! exits: the parent reports it and starts a fresh worker, since a parser that panicked may have
//! left shared state (the OCR engine) inconsistent.

use std::io::{self, Write};

use super::frames::{read_frame, write_frame};
use super::protocol::{Reply, ReplyFrame, Task, TaskFrame};
use super::{sandbox, PANIC_EXIT, SANDBOX_EXIT};
use crate::analysis::{self, Engines, Refusal};
use crate::preview::{Preview, PreviewError, PreviewRequest, Previewer};

/// The largest request frame a worker reads (a document is at most the upload limit, which an
/// admin may raise).
const MAX_REQUEST_FRAME: usize = 256 * 1024 * 1024;

pub fn serve() -> ! {
    return_large_buffers_to_the_system();
    #[cfg(debug_assertions)]
    let fault = super::faults::Fault::from_env();
    let confinement = match sandbox::confine() {
        Ok(c) => c,
        Err(e) => {
            // The parent recognises the exit code; this line is for whoever runs it by hand.
            let _ = writeln!(io::stderr(), "varde worker: {e}");
            std::process::exit(SANDBOX_EXIT)
        }
    };
    let mut stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    let greeting = serde_json::to_vec(&confinement).unwrap_or_default();
    if write_frame(&mut stdout, &greeting).is_err() {
        std::process::exit(0);
    }
    let mut engines = Engines::default();
    let mut open: Option<Previewer> = None;
    loop {
        let header = match read_frame(&mut stdin, MAX_REQUEST_FRAME) {
            Ok(Some(h)) => h,
            _ => std::process::exit(0),
        };
        let Ok(Some(bytes)) = read_frame(&mut stdin, MAX_REQUEST_FRAME) else {
            std::process::exit(0)
        };
        let (id, reply, png) = match serde_json::from_slice::<TaskFrame>(&header) {
            Ok(TaskFrame { id, task }) => {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    #[cfg(debug_assertions)]
                    if let Some(reply) = fault.before(&task) {
                        return (reply, None);
                    }
                    answer(task, bytes, &mut engines, &mut open)
                }));
                let (reply, png) = outcome.unwrap_or_else(|_| std::process::exit(PANIC_EXIT));
                #[cfg(debug_assertions)]
                let reply = fault.after(reply);
                (id, reply, png)
            }
            Err(_) => (
                0,
                Reply::Refused(Refusal {
                    code: "bad_request".into(),
                    message: "the worker could not read the request".into(),
                }),
                None,
            ),
        };
        let retiring = crate::text::render::render_abandoned();
        #[cfg(debug_assertions)]
        let id = fault.answered_id(id);
        let body = serde_json::to_vec(&ReplyFrame {
            id,
            reply,
            retiring,
        })
        .unwrap_or_default();
        let written = write_frame(&mut stdout, &body)
            .and_then(|()| png.map_or(Ok(()), |png| write_frame(&mut stdout, &png)));
        if written.is_err() || retiring {
            std::process::exit(0);
        }
    }
}

/// One task's reply, and for a preview the PNG that follows it.
fn answer(
    task: Task,
    bytes: Vec<u8>,
    engines: &mut Engines,
    open: &mut Option<Previewer>,
) -> (Reply, Option<Vec<u8>>) {
    match task {
        Task::Analyze(req) => match analysis::run(&req, &bytes, engines) {
            Ok(a) => (Reply::Done(Box::new(a)), None),
            Err(r) => (Reply::Refused(r), None),
        },
        Task::Preview(req) => match draw_preview(open, &req, bytes) {
            Ok(mut preview) => {
                let png = std::mem::take(&mut preview.png);
                (Reply::Preview(preview), Some(png))
            }
            Err(e) => (Reply::Refused(e.to_refusal()), None),
        },
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

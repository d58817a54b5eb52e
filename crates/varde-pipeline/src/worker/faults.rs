//! Debug builds only: makes the worker misbehave as a hostile file could make a parser misbehave,
//! so tests can prove that isolation, the sandbox and the parent's checks hold.
//! `VARDE_WORKER_FAULT` is one of:
//! - `panic`, `abort`, `hang`, `oom`: the parser fails in that way;
//! - `env`: answers with the names of the worker's environment variables;
//! - `open:PATH`, `connect:HOST:PORT`, `parent-environ`: tries to read a file, reach a TCP port,
//!   or read the parent's environment, and refuses with `access_denied` when the sandbox stopped
//!   it, `sandbox_escaped` when it did not;
//! - `wrong-id`, `oversized-reply`, `foreign-label:LABEL`, `foreign-code:CODE`: answers what the
//!   parent must not accept;
//! - `count-tasks`: refuses every task with `fault_task` and how many this worker has had.

use std::cell::Cell;
use std::io::Write;
use std::time::Duration;

use super::protocol::{Reply, Task};
use super::REPLY_MARGIN_BYTES;
use crate::analysis::Refusal;

pub(super) enum Fault {
    None,
    Panic,
    Abort,
    Hang,
    Oom,
    Env,
    Open(String),
    Connect(String),
    ParentEnviron,
    WrongId,
    OversizedReply,
    ForeignLabel(String),
    ForeignCode(String),
    CountTasks(Cell<u32>),
}

fn refusal(code: &str, message: String) -> Reply {
    Reply::Refused(Refusal {
        code: code.into(),
        message,
    })
}

/// What became of an attempt the sandbox must stop.
fn attempted<T>(what: &str, result: std::io::Result<T>) -> Reply {
    match result {
        Err(e) => refusal(
            "access_denied",
            format!("the worker's sandbox denied it {what}: {e}"),
        ),
        Ok(_) => refusal(
            "sandbox_escaped",
            format!("the worker was not stopped from {what}"),
        ),
    }
}

impl Fault {
    /// Read once at start-up, before the sandbox is applied.
    pub(super) fn from_env() -> Fault {
        let value = std::env::var("VARDE_WORKER_FAULT").unwrap_or_default();
        let (name, arg) = value.split_once(':').unwrap_or((value.as_str(), ""));
        let arg = arg.to_string();
        match name {
            "panic" => Fault::Panic,
            "abort" => Fault::Abort,
            "hang" => Fault::Hang,
            "oom" => Fault::Oom,
            "env" => Fault::Env,
            "open" => Fault::Open(arg),
            "connect" => Fault::Connect(arg),
            "parent-environ" => Fault::ParentEnviron,
            "wrong-id" => Fault::WrongId,
            "oversized-reply" => Fault::OversizedReply,
            "foreign-label" => Fault::ForeignLabel(arg),
            "foreign-code" => Fault::ForeignCode(arg),
            "count-tasks" => Fault::CountTasks(Cell::new(0)),
            _ => Fault::None,
        }
    }

    /// Misbehaves in place of the task; `None` lets the task run.
    pub(super) fn before(&self, task: &Task) -> Option<Reply> {
        match self {
            Fault::None | Fault::WrongId | Fault::ForeignLabel(_) => None,
            Fault::Panic => panic!("injected parser panic"),
            Fault::Abort => std::process::abort(),
            Fault::Hang => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            Fault::Oom => {
                let mut hog: Vec<Vec<u8>> = Vec::new();
                loop {
                    hog.push(vec![1u8; 64 * 1024 * 1024]);
                }
            }
            Fault::Env => {
                let names: Vec<String> = std::env::vars_os()
                    .map(|(k, _)| k.to_string_lossy().into_owned())
                    .collect();
                Some(refusal("environment", names.join(",")))
            }
            Fault::Open(path) => Some(attempted("reading a file", std::fs::read(path))),
            Fault::Connect(address) => {
                let connected = address
                    .parse::<std::net::SocketAddr>()
                    .map_err(std::io::Error::other)
                    .and_then(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(5)));
                Some(attempted("connecting to a TCP port", connected))
            }
            Fault::ParentEnviron => {
                // SAFETY: getppid has no preconditions.
                let parent = unsafe { libc::getppid() };
                let read = std::fs::read(format!("/proc/{parent}/environ"));
                Some(attempted("reading its parent's environment", read))
            }
            Fault::OversizedReply => {
                let max_bytes = match task {
                    Task::Analyze(req) => req.max_bytes,
                    Task::Preview(req) => req.max_bytes,
                };
                // One byte over what the parent may read, announced and then not sent.
                let len = max_bytes + REPLY_MARGIN_BYTES + 1;
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(&(len as u32).to_be_bytes());
                let _ = out.flush();
                std::thread::sleep(Duration::from_secs(3600));
                None
            }
            Fault::ForeignCode(code) => Some(refusal(code, code.clone())),
            Fault::CountTasks(count) => {
                count.set(count.get() + 1);
                Some(refusal(
                    "fault_task",
                    format!("task {} of this worker", count.get()),
                ))
            }
        }
    }

    /// Alters the task's reply.
    pub(super) fn after(&self, reply: Reply) -> Reply {
        match (self, reply) {
            (Fault::ForeignLabel(label), Reply::Done(mut a)) => {
                a.classification.label = Some(label.clone());
                Reply::Done(a)
            }
            (_, reply) => reply,
        }
    }

    /// The request id the reply claims to answer.
    pub(super) fn answered_id(&self, id: u64) -> u64 {
        match self {
            Fault::WrongId => id + 1,
            _ => id,
        }
    }
}

//! The worker's sandbox, applied by the worker to itself at start-up, before it reads a request:
//! whatever a hostile document makes a parser do afterwards, it can read only what the pipeline
//! needs (the model, the runtime library, Tesseract's data, the system libraries), write nothing,
//! open no network connection and reach no other process. What it can be denied depends on the
//! operating system, so each has its own module: `linux` (Landlock and a seccomp filter) and
//! `other` (none yet: clinics run Windows, where a later step adds an AppContainer and a job
//! object; until then such a worker has its resource limits and clean environment only, and the
//! parent logs that it is not sandboxed).

use std::path::PathBuf;

pub use super::protocol::Confinement;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux as os;
#[cfg(not(target_os = "linux"))]
mod other;
#[cfg(not(target_os = "linux"))]
use other as os;

/// Why the sandbox could not be applied. The worker then exits before it reads a document.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the file and network rules (Landlock) could not be applied: {0}")]
    Landlock(String),
    #[error("the system-call filter (seccomp) could not be applied: {0}")]
    Seccomp(String),
}

/// Confines this process for good; returns how far the confinement holds.
pub fn confine() -> Result<Confinement, SandboxError> {
    os::confine(&readable_paths())
}

/// What the worker may read: its own executable, the ONNX Runtime library and the models, and
/// Tesseract's language data, wherever the pipeline would look for them. The system's library
/// directories are added by the OS module.
fn readable_paths() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    paths.extend(std::env::current_exe().ok());
    paths.extend(crate::onnx::runtime_candidates());
    paths.extend(crate::onnx::model_dir_candidates());
    paths.extend(std::env::var_os("TESSDATA_PREFIX").map(PathBuf::from));
    paths.extend(crate::text::ocr::installed_tessdata());
    // Debian's and Ubuntu's Tesseract packages put their data here.
    paths.push(PathBuf::from("/usr/share/tesseract-ocr"));
    paths
}

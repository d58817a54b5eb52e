//! Operating systems other than Linux: no sandbox yet. Clinics run Windows; a later step confines
//! the worker there with an AppContainer (no file system or network beyond what is granted) and
//! a job object (no child processes, memory cap). Until then the parent logs, for every worker it
//! starts, that the worker is unsandboxed.

use std::path::PathBuf;

use super::{Confinement, SandboxError};

pub(super) fn confine(_readable: &[PathBuf]) -> Result<Confinement, SandboxError> {
    Ok(Confinement::Unsandboxed)
}

//! The slot lock: an exclusive lock on `keyslots.lock` beside the slot file, held while a slot
//! change re-reads the file, applies itself and writes both copies, so two processes (the desktop
//! app and the CLI, say) never overwrite each other's change. The OS-specific part is the
//! standard library's `File::lock` (`flock` on Unix, `LockFileEx` on Windows); the lock goes with
//! the process, so a crash never leaves it held.

use std::fs::{File, OpenOptions};
use std::path::Path;

pub const LOCK_FILE: &str = "keyslots.lock";

/// Held until dropped.
#[derive(Debug)]
pub(crate) struct SlotLock(File);

impl SlotLock {
    /// Waits for the lock (another process's slot change takes milliseconds to a KDF's time).
    pub(crate) fn exclusive(dir: &Path) -> std::io::Result<SlotLock> {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(dir.join(LOCK_FILE))?;
        file.lock()?;
        Ok(SlotLock(file))
    }
}

impl Drop for SlotLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

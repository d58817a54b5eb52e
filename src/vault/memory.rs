//! Keeping keys out of places other processes or files can read: the process made non-dumpable
//! (no core dump, no same-user `/proc/<pid>/mem` or `environ` read, no ptrace attach), and key
//! pages locked in RAM so they are never swapped. Best effort: where the OS refuses, Varde runs on
//! (a log line says so). The OS-specific calls live here and nowhere else.

/// Makes this process non-dumpable. The document worker is a fresh `exec`, which the kernel
/// makes dumpable again; it sets its own limits (no core dumps) and, as a bonus, can no longer
/// read its parent's `/proc` entries.
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl with PR_SET_DUMPABLE takes plain integers and touches no memory of ours.
        let rc = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
        if rc != 0 {
            tracing::warn!("could not make the process non-dumpable");
        }
    }
}

/// Whether this process is dumpable (`Some(false)` after [`harden_process`]); `None` where the
/// OS has no such notion.
pub fn is_dumpable() -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: as above; PR_GET_DUMPABLE only returns a value.
        let rc = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        Some(rc != 0)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Locks the pages holding `bytes` into RAM (never swapped). Pages stay locked after the key is
/// wiped and freed: unlocking could unlock a page another key shares, and the few pages involved
/// are far below `RLIMIT_MEMLOCK`.
pub(crate) fn lock_in_ram(bytes: &[u8]) {
    #[cfg(unix)]
    {
        // SAFETY: mlock only changes the paging of the range, which is valid memory we own.
        let _ = unsafe { libc::mlock(bytes.as_ptr().cast(), bytes.len()) };
    }
    #[cfg(not(unix))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn a_hardened_process_is_not_dumpable() {
        harden_process();
        assert_eq!(is_dumpable(), Some(false));
    }
}

//! The sandbox on Linux: Landlock for files, TCP and signals, then a seccomp filter for what
//! Landlock does not cover (sockets of any kind, ptrace and reading other processes' memory,
//! running programs, changing identity, mounts and namespaces, kernel keys, BPF, io_uring, which
//! would bypass the filter). Both need `PR_SET_NO_NEW_PRIVS`, which also stops a set-uid binary
//! from ever raising the worker's rights.
//!
//! The filter is a deny-list that answers EPERM, so a library that probes a call it does not need
//! carries on; ONNX Runtime's and Tesseract's threads, memory mapping and `dlopen` stay allowed.
//! A kernel without Landlock gets the filter alone (the parent logs it); a filter that cannot be
//! installed stops the worker before it reads anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use landlock::{
    path_beneath_rules, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr,
    RulesetStatus, Scope, ABI,
};
use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};

use super::{Confinement, SandboxError};

/// The Landlock version the rules are written for (the newest these machines run); an older
/// kernel enforces what it can.
const LANDLOCK_ABI: ABI = ABI::V7;

/// Read-only, besides what the pipeline names: the dynamic loader's cache and library
/// directories (ONNX Runtime is loaded with `dlopen` on first use, with the C++ runtime it needs),
/// and the CPU topology ONNX Runtime reads to size its thread pool.
const SYSTEM_READABLE: &[&str] = &[
    "/usr/lib",
    "/usr/lib64",
    "/lib",
    "/lib64",
    "/usr/local/lib",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/proc/cpuinfo",
    "/sys/devices/system/cpu",
];

pub(super) fn confine(readable: &[PathBuf]) -> Result<Confinement, SandboxError> {
    // Landlock confines the calling thread and those it starts later; the seccomp filter is
    // applied to every thread (TSYNC). The only thread that exists this early is one a library
    // started while it loaded, before `main`: in the desktop binary, WebKitGTK's JavaScriptCore
    // starts its allocator's scavenger. It never sees input, and seccomp covers it; everything
    // that parses runs in this thread or ones it starts. A worker binary that does not link
    // WebKit would remove even that thread.
    let landlock = restrict_files_network_and_signals(readable)?;
    filter_system_calls()?;
    Ok(if landlock {
        Confinement::LandlockAndSeccomp
    } else {
        Confinement::SeccompOnly
    })
}

/// Whether the kernel enforces the rules (false: it has no Landlock).
fn restrict_files_network_and_signals(readable: &[PathBuf]) -> Result<bool, SandboxError> {
    let err = |e: landlock::RulesetError| SandboxError::Landlock(e.to_string());
    let paths = readable
        .iter()
        .map(PathBuf::as_path)
        .chain(SYSTEM_READABLE.iter().map(Path::new));
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(LANDLOCK_ABI))
        .map_err(err)?
        // Handled and never granted: no TCP bind or connect at all.
        .handle_access(AccessNet::from_all(LANDLOCK_ABI))
        .map_err(err)?
        // No signals to, and no abstract sockets of, processes outside the sandbox.
        .scope(Scope::from_all(LANDLOCK_ABI))
        .map_err(err)?
        .create()
        .map_err(err)?
        // Paths that do not exist here are left out: they cannot be opened anyway.
        .add_rules(path_beneath_rules(paths, AccessFs::from_read(LANDLOCK_ABI)))
        .map_err(err)?
        .restrict_self()
        .map_err(err)?;
    Ok(status.ruleset != RulesetStatus::NotEnforced)
}

/// System calls a document parser never needs and an attacker would.
fn denied_system_calls() -> Vec<i64> {
    let mut calls = vec![
        // Network and local sockets.
        libc::SYS_socket,
        libc::SYS_socketpair,
        libc::SYS_connect,
        libc::SYS_bind,
        libc::SYS_listen,
        libc::SYS_accept,
        libc::SYS_accept4,
        // Other processes: tracing, their memory, their file descriptors.
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_pidfd_getfd,
        libc::SYS_process_madvise,
        libc::SYS_kcmp,
        // Running another program (the worker itself was exec'ed before this).
        libc::SYS_execve,
        libc::SYS_execveat,
        // Identity and privileges.
        libc::SYS_setuid,
        libc::SYS_setgid,
        libc::SYS_setreuid,
        libc::SYS_setregid,
        libc::SYS_setresuid,
        libc::SYS_setresgid,
        libc::SYS_setfsuid,
        libc::SYS_setfsgid,
        libc::SYS_setgroups,
        libc::SYS_capset,
        libc::SYS_personality,
        // Mounts, namespaces, the root.
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_open_tree,
        libc::SYS_move_mount,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_mount_setattr,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        // Kernel keys, BPF, performance counters, io_uring (which the filter would not see).
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        // The machine itself.
        libc::SYS_kexec_load,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_acct,
        libc::SYS_syslog,
        libc::SYS_settimeofday,
        libc::SYS_clock_settime,
        libc::SYS_sethostname,
        libc::SYS_setdomainname,
    ];
    #[cfg(target_arch = "x86_64")]
    calls.extend([libc::SYS_iopl, libc::SYS_ioperm, libc::SYS_uselib]);
    calls
}

fn filter_system_calls() -> Result<(), SandboxError> {
    let err = |e: seccompiler::Error| SandboxError::Seccomp(e.to_string());
    let arch = TargetArch::try_from(std::env::consts::ARCH)
        .map_err(|e| SandboxError::Seccomp(e.to_string()))?;
    let rules: BTreeMap<i64, Vec<seccompiler::SeccompRule>> = denied_system_calls()
        .into_iter()
        .map(|call| (call, Vec::new()))
        .collect();
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| SandboxError::Seccomp(e.to_string()))?;
    let program: BpfProgram = filter
        .try_into()
        .map_err(|e: seccompiler::BackendError| SandboxError::Seccomp(e.to_string()))?;
    // Sets PR_SET_NO_NEW_PRIVS first; TSYNC so that no thread is left unfiltered.
    seccompiler::apply_filter_all_threads(&program).map_err(err)
}

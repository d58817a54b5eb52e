//! Which files of a store are present in a data directory, so that creating a store never
//! replaces one and opening one whose key slot file is missing says so; and private creation of
//! the directory and the database file (owner only).

use crate::audit::actions;
use std::path::Path;

use super::{BLOB_DIR, DB_FILE};
use crate::vault::KeySlots;

/// Written before `init` creates anything and removed when it has finished: its presence means
/// an `init` that did not finish, whose database was never keyed by a saved slot.
pub(super) const INIT_MARKER: &str = actions::INIT_INCOMPLETE;

/// What a data directory holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreState {
    /// Nothing of a store: `init` may create one.
    Empty,
    /// The key slot file (or its backup copy) is there: sign in.
    Ready,
    /// An `init` was cut off before it saved the key: its leftovers hold nothing readable.
    InitCutOff,
    /// A database, its WAL or documents, but neither copy of the key slot file: it must be
    /// restored, never replaced.
    SlotsMissing,
}

/// The files of a store other than the slot file, as present in `dir`.
fn store_parts(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| format!("{DB_FILE}{suffix}"))
        .filter(|name| dir.join(name).exists())
        .collect();
    let blobs = dir.join(BLOB_DIR);
    if std::fs::read_dir(&blobs).is_ok_and(|mut entries| entries.next().is_some()) {
        found.push(format!("{BLOB_DIR}/"));
    }
    found
}

pub(super) fn state(dir: &Path) -> StoreState {
    if KeySlots::exists(dir) {
        StoreState::Ready
    } else if dir.join(INIT_MARKER).exists() {
        StoreState::InitCutOff
    } else if store_parts(dir).is_empty() {
        StoreState::Empty
    } else {
        StoreState::SlotsMissing
    }
}

/// The store files present (for the message of a store whose slot file is missing).
pub(super) fn present(dir: &Path) -> String {
    store_parts(dir).join(", ")
}

pub(super) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Creates an empty file readable by the owner only (SQLite gives its WAL and shared-memory
/// files the database file's mode).
pub(super) fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

//! The slot file on disk, in two copies: `keyslots.json` and `keyslots.backup.json`.
//!
//! Each copy carries a `generation` (raised by every change) and a SHA-256 `checksum` of its
//! content, so that a damaged copy (it does not parse, or its checksum is wrong) and the newer of
//! two good copies are decidable. A change writes the backup first, then the primary, each
//! atomically: a crash between the two leaves a newer backup, which the next load takes. Loading
//! repairs the other copy under the slot lock and logs a plain warning (file names only).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::lock::SlotLock;
use super::Slot;
use crate::fsio::write_atomically;
use crate::vault::crypto::{self, hex};
use crate::vault::VaultError;

pub const SLOTS_FILE: &str = "keyslots.json";
pub const SLOTS_BACKUP_FILE: &str = "keyslots.backup.json";
/// Format 1: PBKDF2 slots, one copy, no generation or checksum (read, upgraded on write).
const LEGACY_FORMAT: u32 = 1;
pub(crate) const FILE_FORMAT: u32 = 2;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SlotFile {
    pub format: u32,
    #[serde(default)]
    pub generation: u64,
    /// A public commitment to the master key the slots wrap (a derived key's first 16 bytes),
    /// so that a session holding a rotated-away master cannot add slots for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_check: Option<String>,
    /// During a rotation: the commitment to the new master each slot's `pending_master` holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_check: Option<String>,
    pub slots: Vec<Slot>,
    /// hex SHA-256 of this file serialised without the checksum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

impl SlotFile {
    pub(crate) fn empty() -> SlotFile {
        SlotFile {
            format: FILE_FORMAT,
            generation: 0,
            master_check: None,
            pending_check: None,
            slots: Vec::new(),
            checksum: None,
        }
    }

    fn compute_checksum(&self) -> Result<String, VaultError> {
        let mut body = self.clone();
        body.checksum = None;
        let bytes =
            serde_json::to_vec(&body).map_err(|e| VaultError::DamagedSlots(e.to_string()))?;
        Ok(hex(&crypto::sha256(&bytes)))
    }

    fn to_bytes(&self) -> Result<Vec<u8>, VaultError> {
        let mut sealed = self.clone();
        sealed.format = FILE_FORMAT;
        sealed.checksum = Some(sealed.compute_checksum()?);
        let text = serde_json::to_string_pretty(&sealed)
            .map_err(|e| VaultError::DamagedSlots(e.to_string()))?;
        Ok(text.into_bytes())
    }
}

/// One copy as found on disk.
enum Copy {
    Missing,
    Damaged(String),
    Good(SlotFile),
}

fn read_copy(path: &Path) -> Copy {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Copy::Missing,
        Err(e) => return Copy::Damaged(format!("unreadable ({})", e.kind())),
    };
    let file: SlotFile = match serde_json::from_str(&text) {
        Ok(f) => f,
        Err(e) => return Copy::Damaged(format!("does not parse ({e})")),
    };
    match file.format {
        LEGACY_FORMAT => Copy::Good(file),
        FILE_FORMAT => match (&file.checksum, file.compute_checksum()) {
            (Some(stored), Ok(computed))
                if crypto::constant_time_eq(stored.as_bytes(), computed.as_bytes()) =>
            {
                Copy::Good(file)
            }
            _ => Copy::Damaged("its checksum does not match its content".into()),
        },
        other => Copy::Damaged(format!(
            "format {other} is not known to this version of Varde"
        )),
    }
}

fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join(SLOTS_FILE), dir.join(SLOTS_BACKUP_FILE))
}

/// What loading decided: the file to use and which copy (if any) must be rewritten from it.
struct Decision {
    file: SlotFile,
    repair: Option<&'static str>,
    reason: String,
}

fn decide(dir: &Path) -> Result<Decision, VaultError> {
    let (primary, backup) = paths(dir);
    let good = |file, repair, reason: String| {
        Ok(Decision {
            file,
            repair,
            reason,
        })
    };
    match (read_copy(&primary), read_copy(&backup)) {
        (Copy::Good(p), Copy::Good(b)) => {
            if b.generation > p.generation {
                good(
                    b,
                    Some(SLOTS_FILE),
                    "it is older than the backup copy".into(),
                )
            } else if p.generation > b.generation || p.checksum != b.checksum {
                good(
                    p,
                    Some(SLOTS_BACKUP_FILE),
                    "it differs from the primary copy".into(),
                )
            } else {
                good(p, None, String::new())
            }
        }
        (Copy::Good(p), Copy::Missing) => good(p, Some(SLOTS_BACKUP_FILE), "it is missing".into()),
        (Copy::Good(p), Copy::Damaged(why)) => good(p, Some(SLOTS_BACKUP_FILE), why),
        (Copy::Missing, Copy::Good(b)) => good(b, Some(SLOTS_FILE), "it is missing".into()),
        (Copy::Damaged(why), Copy::Good(b)) => good(b, Some(SLOTS_FILE), why),
        (Copy::Missing, Copy::Missing) => Err(VaultError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no key slot file",
        ))),
        (Copy::Damaged(p), Copy::Damaged(b)) => Err(VaultError::DamagedSlots(format!(
            "{SLOTS_FILE} {p}, and {SLOTS_BACKUP_FILE} {b}"
        ))),
        (Copy::Damaged(p), Copy::Missing) => Err(VaultError::DamagedSlots(format!(
            "{SLOTS_FILE} {p}, and there is no {SLOTS_BACKUP_FILE} to restore it from"
        ))),
        (Copy::Missing, Copy::Damaged(b)) => Err(VaultError::DamagedSlots(format!(
            "{SLOTS_FILE} is missing, and {SLOTS_BACKUP_FILE} {b}"
        ))),
    }
}

/// Loads and verifies the slot file of the store in `dir`. When a copy is missing, damaged or
/// older, takes the slot lock, decides again (a writer may have been between its two writes) and
/// repairs it.
pub(crate) fn load(dir: &Path) -> Result<SlotFile, VaultError> {
    let first = decide(dir)?;
    if first.repair.is_none() {
        return Ok(first.file);
    }
    let lock = SlotLock::exclusive(dir)?;
    load_locked(dir, &lock)
}

/// As [`load`], for a caller that holds the slot lock.
pub(crate) fn load_locked(dir: &Path, _lock: &SlotLock) -> Result<SlotFile, VaultError> {
    let mut d = decide(dir)?;
    if d.file.format == LEGACY_FORMAT {
        // A store from before the backup copy: both copies are written in the current format.
        d.file.format = FILE_FORMAT;
        save_locked(dir, &d.file, _lock)?;
        tracing::info!("key slot file converted to format {FILE_FORMAT}, with its backup copy");
        return Ok(d.file);
    }
    if let Some(name) = d.repair {
        tracing::warn!(
            "key slot file {name} was not usable ({}); rewrote it from the other copy",
            d.reason
        );
        let (primary, backup) = paths(dir);
        let bytes = d.file.to_bytes()?;
        write_atomically(
            if name == SLOTS_FILE {
                &primary
            } else {
                &backup
            },
            &bytes,
        )?;
    }
    Ok(d.file)
}

/// Writes both copies, backup first (see the module's note). The caller holds the slot lock and
/// has raised the generation.
pub(crate) fn save_locked(dir: &Path, file: &SlotFile, _lock: &SlotLock) -> Result<(), VaultError> {
    let (primary, backup) = paths(dir);
    let bytes = file.to_bytes()?;
    write_atomically(&backup, &bytes)?;
    write_atomically(&primary, &bytes)?;
    Ok(())
}

/// Loads and verifies one slot file without touching anything (for backup and restore: a slot
/// file inside a snapshot). Fails when it does not parse or its checksum does not match.
pub(crate) fn load_one(path: &Path) -> Result<SlotFile, VaultError> {
    match read_copy(path) {
        Copy::Good(f) => Ok(f),
        Copy::Missing => Err(VaultError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no key slot file",
        ))),
        Copy::Damaged(why) => Err(VaultError::DamagedSlots(why)),
    }
}

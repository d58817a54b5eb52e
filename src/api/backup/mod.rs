//! Backup and restore of a whole store, while Varde is in use.
//!
//! A backup is one file (`archive`): a consistent SQLCipher snapshot of the database (exported
//! inside one read transaction, still encrypted under the store's key), the encrypted blobs of
//! exactly the documents that snapshot lists, the key slot files and the settings, with a
//! manifest and a checksum. It opens only with a password (or the recovery code) that opened
//! the store when the backup was made.
//!
//! Restoring writes into an empty directory: the archive's checksum is checked first, then the
//! files are unpacked into a staging directory beside the target, an admin signs in there, the
//! audit chain is verified and the restore is recorded; only then is the staging directory moved
//! into place. A restore that fails at any step leaves no half-restored store behind.
//!
//! A backup holds every case key of its moment: a case erased later is still readable from a
//! backup made before. Backups must therefore be kept no longer than the retention policy allows
//! (README, "Backups and erasure").

mod archive;

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::store_files::create_private_file;
use super::{Error, Result, Session, Varde, BLOB_DIR, DB_FILE, SLOTS_FILE};
use crate::audit::{self, actions};
use crate::config;
use crate::domain::{self, Operation, Role};
use crate::store;
use archive::{ArchiveWriter, Manifest};

/// What can go wrong reading a backup file.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this file is not a Varde backup")]
    NotABackup,
    #[error("the backup file is damaged: {0}; restore from another copy")]
    Damaged(String),
    #[error("the backup was written in format {0}, which this version of Varde does not know: restore it with a newer Varde")]
    UnknownFormat(u16),
    #[error("the backup holds a file Varde does not write ({0}); it was not restored")]
    UnexpectedFile(String),
    #[error("{0} is not empty: a backup is restored only into an empty or new directory, so that no store is ever replaced")]
    TargetNotEmpty(PathBuf),
    #[error("the restored store's audit log does not verify ({0}); nothing was restored")]
    AuditBroken(String),
    #[error("only an admin can restore a store; nothing was restored")]
    NotAdmin,
    #[error("file system error: {0}")]
    Io(#[from] std::io::Error),
}

/// What a backup wrote.
#[derive(Clone, Debug, Serialize, TS)]
pub struct BackupReport {
    #[ts(type = "string")]
    pub path: PathBuf,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub documents: u64,
    #[ts(type = "number")]
    pub audit_entries: u64,
    /// The archive's checksum (its last 32 bytes), to compare copies by.
    pub sha256: String,
}

/// What a restore brought back.
#[derive(Clone, Debug, Serialize)]
pub struct RestoreReport {
    pub data_dir: PathBuf,
    pub backup_created_at: String,
    pub documents: u64,
    /// Entries in the chain when the backup was made.
    pub audit_entries: u64,
    /// Entries verified after the restore (the backup's, and the restoring admin's sign-in).
    pub verified_entries: u64,
    pub backup_sha256: String,
}

impl Session {
    /// Writes a consistent backup of the whole store to `out` (admins); audited with counts and
    /// the checksum, never the path (a file name can name a person).
    pub fn backup(&mut self, out: &Path) -> Result<BackupReport> {
        if let Err(e) = domain::authorize(&self.actor(), Operation::BackUp, None, None) {
            return self.refuse(self.event(actions::STORE_BACKUP), e);
        }
        match self.write_backup(out) {
            Ok(report) => {
                self.record(
                    self.event(actions::STORE_BACKUP)
                        .with("bytes", report.bytes)
                        .with("documents", report.documents)
                        .with("audit_entries", report.audit_entries)
                        .with("sha256", &report.sha256),
                )?;
                tracing::info!(bytes = report.bytes, "backup written");
                Ok(report)
            }
            Err(e) => self.refuse(self.event(actions::STORE_BACKUP), e),
        }
    }

    fn write_backup(&mut self, out: &Path) -> Result<BackupReport> {
        if out.exists() {
            return Err(Error::Invalid(format!(
                "{} already exists: choose a new file name for the backup",
                out.display()
            )));
        }
        let dir = self.varde.dir.clone();
        let parent = parent_dir(out);
        let snapshot = Scratch(dir.join(format!(".backup-{}.db", uuid::Uuid::new_v4())));
        let partial = Scratch(parent.join(format!(
            ".{}.partial-{}",
            out.file_name()
                .map_or("varde-backup".into(), |n| n.to_string_lossy()),
            uuid::Uuid::new_v4()
        )));
        let taken = self.snapshot_database(&snapshot.0)?;

        let mut archive = ArchiveWriter::new(create_private_file(&partial.0)?)?;
        archive.add_file(DB_FILE, &snapshot.0)?;
        for name in slot_files(&dir)? {
            archive.add_bytes(&name, &std::fs::read(dir.join(&name))?)?;
        }
        if let Ok(bytes) = std::fs::read(dir.join(config::FILE_NAME)) {
            archive.add_bytes(config::FILE_NAME, &bytes)?;
        }
        for blob_id in &taken.blob_ids {
            let name = blob_name(blob_id);
            archive.add_file(&name, &dir.join(&name)).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::Invalid("a document's file is missing from the store (it may have been erased while the backup ran); nothing was written: run the backup again".into())
                } else {
                    e.into()
                }
            })?;
        }
        let files = archive.files().to_vec();
        let manifest = Manifest {
            format: archive::FORMAT,
            varde_version: env!("CARGO_PKG_VERSION").into(),
            created_at: crate::clock::format(crate::clock::now()),
            device_id: self.audit.device_id().to_string(),
            schema_version: store::latest_schema_version(),
            documents: taken.blob_ids.len() as u64,
            audit_entries: taken.audit_entries,
            audit_head_hash: taken.audit_head_hash,
            files,
        };
        let (bytes, sha256) = archive.finish(&manifest)?;
        std::fs::rename(&partial.0, out)?;
        std::mem::forget(partial);
        Ok(BackupReport {
            path: out.to_path_buf(),
            bytes,
            documents: manifest.documents,
            audit_entries: manifest.audit_entries,
            sha256,
        })
    }

    /// Exports the database into `path` (encrypted under the same key) and lists the blobs of the
    /// documents it holds, in one read transaction: the two agree even while others write.
    fn snapshot_database(&mut self, path: &Path) -> Result<Snapshot> {
        let key = zeroize::Zeroizing::new(crypto_key_literal(&self.master));
        self.conn.execute(
            "ATTACH DATABASE ?1 AS backup_snapshot KEY ?2",
            rusqlite::params![path.to_string_lossy(), key.as_str()],
        )?;
        let taken = (|| -> Result<Snapshot> {
            let tx = self.conn.transaction()?;
            let blob_ids = {
                let mut stmt = tx.prepare("SELECT blob_id FROM main.documents ORDER BY blob_id")?;
                let ids = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                ids
            };
            let head = store::audit_log::head(&tx)?;
            tx.query_row("SELECT sqlcipher_export('backup_snapshot')", [], |_| Ok(()))?;
            tx.commit()?;
            Ok(Snapshot {
                blob_ids,
                audit_entries: head.as_ref().map_or(0, |h| h.0),
                audit_head_hash: head.map(|h| h.1),
            })
        })();
        self.conn.execute("DETACH DATABASE backup_snapshot", [])?;
        taken
    }
}

impl Varde {
    /// Restores the backup at `backup` into this (empty or absent) data directory, signed in as
    /// `user`, who must be an admin of the backed-up store; verifies the audit chain and records
    /// the restore in it.
    pub fn restore(&self, backup: &Path, user: &str, password: &str) -> Result<RestoreReport> {
        let target = self.dir.clone();
        if std::fs::read_dir(&target).is_ok_and(|mut d| d.next().is_some()) {
            return Err(BackupError::TargetNotEmpty(target).into());
        }
        let backup_sha256 = archive::verify_checksum(backup)?;
        let parent = parent_dir(&target);
        std::fs::create_dir_all(&parent)?;
        let staging = ScratchDir(parent.join(format!(".varde-restore-{}", uuid::Uuid::new_v4())));
        super::store_files::create_private_dir(&staging.0)?;
        let manifest = archive::unpack(backup, &staging.0, is_store_file)?;

        let staged = Varde::at(&staging.0);
        let mut session = staged.sign_in(user, password)?;
        if session.user.role != Role::Admin {
            return Err(BackupError::NotAdmin.into());
        }
        let report = audit::verify(&session.conn, &session.audit.public_key_hex())
            .map_err(|e| BackupError::AuditBroken(e.to_string()))?;
        if let Some(expected) = &manifest.audit_head_hash {
            let found = store::audit_log::hash_at(&session.conn, manifest.audit_entries)?;
            if found.as_ref() != Some(expected) {
                return Err(BackupError::AuditBroken(format!(
                    "entry {} is not the one the backup's manifest names",
                    manifest.audit_entries
                ))
                .into());
            }
        }
        session.record(
            session
                .event(actions::STORE_RESTORE)
                .with("backup_sha256", &backup_sha256)
                .with("backup_created_at", &manifest.created_at)
                .with("documents", manifest.documents)
                .with("verified_entries", report.entries),
        )?;
        drop(session);
        if target.exists() {
            std::fs::remove_dir(&target)?;
        }
        std::fs::rename(&staging.0, &target)?;
        std::mem::forget(staging);
        tracing::info!(entries = report.entries, "store restored from a backup");
        Ok(RestoreReport {
            data_dir: target,
            backup_created_at: manifest.created_at,
            documents: manifest.documents,
            audit_entries: manifest.audit_entries,
            verified_entries: report.entries,
            backup_sha256,
        })
    }
}

struct Snapshot {
    blob_ids: Vec<String>,
    audit_entries: u64,
    audit_head_hash: Option<String>,
}

/// The SQLCipher raw-key literal for the store's database key.
fn crypto_key_literal(master: &crate::vault::SecretKey) -> String {
    let key = master.derive(super::DB_KEY_LABEL);
    format!("x'{}'", crate::vault::crypto::hex(key.expose()))
}

/// The directory `path` is in (`.` for a bare file name), where its scratch files go.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn blob_name(blob_id: &str) -> String {
    format!("{BLOB_DIR}/{}/{blob_id}", &blob_id[..2.min(blob_id.len())])
}

/// The key slot file and its copies (`keyslots*.json`).
fn slot_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let stem = SLOTS_FILE.trim_end_matches(".json");
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(stem) && n.ends_with(".json") && !n.contains('/'))
        .collect();
    names.sort();
    Ok(names)
}

/// The names a backup may hold: anything else is refused before it is written.
fn is_store_file(name: &str) -> bool {
    let stem = SLOTS_FILE.trim_end_matches(".json");
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !s.starts_with('.')
    };
    match name.split('/').collect::<Vec<_>>().as_slice() {
        [f] => {
            *f == DB_FILE
                || *f == config::FILE_NAME
                || (plain(f) && f.starts_with(stem) && f.ends_with(".json"))
        }
        [b, prefix, id] => {
            let hexish = |s: &str| s.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-');
            *b == BLOB_DIR && prefix.len() == 2 && hexish(prefix) && id.len() >= 8 && hexish(id)
        }
        _ => false,
    }
}

/// A scratch file removed when dropped (on every error path).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A scratch directory removed with its contents when dropped.
struct ScratchDir(PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_store_files_may_be_restored() {
        for ok in [
            "varde.db",
            "config.toml",
            "keyslots.json",
            "keyslots.backup.json",
            "blobs/3f/3f2a9c1e-0b7d-4c55-a1f2-9d8e7c6b5a41",
        ] {
            assert!(is_store_file(ok), "{ok}");
        }
        for bad in [
            "../varde.db",
            "/etc/passwd",
            "blobs/../../x",
            "blobs/3f/../../../home",
            "keyslots/../../x.json",
            ".keyslots.json",
            "auth-failures.json",
            "varde.db-wal",
            "blobs/zz/not-hex-at-all",
        ] {
            assert!(!is_store_file(bad), "{bad}");
        }
    }
}

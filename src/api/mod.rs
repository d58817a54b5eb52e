//! The core API: the one door every client (the `varde` CLI, the desktop shell) goes through.
//!
//! [`Varde`] is a data directory; signing in to it gives a [`Session`], whose methods are the
//! operations a user can perform. Each operation checks access with the domain rules, changes the
//! store in one transaction, and appends its audit entry in that same transaction — so whichever
//! door a request comes through, the same rules hold and nothing happens unrecorded.

mod audit_ops;
mod backup;
mod case_export;
mod cases;
mod documents;
mod gdpr;
mod jobs;
mod keys;
mod preview;
mod review;
mod store_files;
mod sync_ops;
mod users;

use crate::audit::actions;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use varde_audit_chain::{DeviceKey, Outcome};

pub use crate::audit::AuditError;
use crate::audit::{AuditLog, Event};
use crate::config::{Config, ConfigError};
use crate::domain::national_id::NationalIdError;
use crate::domain::{self, AccessDenied, Actor, TransitionError};
use crate::records::User;
use crate::store::{self, meta};
pub use crate::store::{latest_schema_version, StoreError};
pub use crate::vault::memory::{harden_process, is_dumpable};
use crate::vault::throttle::Throttle;
pub use crate::vault::VaultError;
use crate::vault::{crypto, keyslots, BlobStore, KeySlots, RecoveryCode, SecretKey};

pub use crate::audit::VerifyReport;
pub use crate::domain::CaseAction;
pub use crate::store::jobs::Job;
pub use crate::sync::{SyncAgent, SyncReport, SyncRunner, SyncStatus};
pub use audit_ops::{AuditExport, AuditFormat, AuditQuery, AuditTimelineEntry};
pub use backup::{BackupError, BackupReport, RestoreReport};
pub use case_export::CaseExportOptions;
pub use cases::{
    check_national_id, CaseCounts, CaseQuery, CaseSort, CaseView, FoundCase, NationalIdCheck,
    NewCase,
};
pub use documents::{AddedDocument, DocumentPurpose};
pub use gdpr::{ErasureReason, ExportedDocument, PurgeReport, SubjectExport};
pub use jobs::{DocumentDetail, JobRunner, RunOptions, RunReport};
pub use keys::Rotation;
pub use preview::{PagePreview, VIEW_AUDIT_WINDOW};
pub use review::{CaseDetail, ShownDocument};
pub use store_files::StoreState;
pub use users::UserSummary;

pub(crate) const DB_FILE: &str = "varde.db";
use crate::vault::keyslots::{SLOTS_BACKUP_FILE, SLOTS_FILE};
const THROTTLE_FILE: &str = "auth-failures.json";
const BLOB_DIR: &str = "blobs";

/// What an operation can fail with. Messages are specific and never contain PHI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no Varde store in {0}: run `varde init --admin NAME` first")]
    NotInitialized(PathBuf),
    #[error("a Varde store already exists in {0}")]
    AlreadyInitialized(PathBuf),
    #[error("{dir} holds a Varde store ({present}) but its key slot file keyslots.json and the slot file's backup copy keyslots.backup.json are both missing, so it cannot be opened; nothing was changed. Put either of them back from a backup of this data directory; a new store is never created over an existing one")]
    SlotsMissing { dir: PathBuf, present: String },
    #[error("wrong user name or password")]
    WrongCredentials,
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("the case changed since you saw it: you had version {expected}, it is now version {current}; reload it and try again")]
    StaleVersion { expected: i64, current: i64 },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error("{0}")]
    Invalid(String),
    /// A document refused by validation (by content, in the isolated worker).
    #[error("{message}")]
    Rejected { code: String, message: String },
    #[error("the document worker could not run: {0}")]
    Worker(String),
    #[error("{limit} documents are already waiting for analysis; add this one when the queue has drained (`varde worker`)")]
    QueueFull { limit: i64 },
    #[error("invalid national ID number: {0}")]
    NationalId(#[from] NationalIdError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("file system error: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    #[error(transparent)]
    Backup(#[from] BackupError),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::from(StoreError::Sqlite(e))
    }
}

impl From<StoreError> for Error {
    /// An open connection that suddenly reads "not a database" was rekeyed under it by a key
    /// rotation in another session (opening with a wrong key is `StoreError::WrongKey` instead).
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::NotADatabase =>
            {
                Error::Vault(VaultError::StaleKeys)
            }
            e => Error::Store(e),
        }
    }
}

/// The broad class of an error, for exit codes and UI treatment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Authentication,
    NotFound,
    Conflict,
    PermissionDenied,
    InvalidInput,
    Other,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::WrongCredentials => ErrorKind::Authentication,
            Error::Vault(
                VaultError::WrongCredentials
                | VaultError::WrongRecoveryCode
                | VaultError::Throttled { .. },
            ) => ErrorKind::Authentication,
            Error::Vault(VaultError::WeakPassword { .. } | VaultError::SlotExists) => {
                ErrorKind::InvalidInput
            }
            Error::NotFound { .. } | Error::NotInitialized(_) => ErrorKind::NotFound,
            Error::StaleVersion { .. } | Error::Transition(_) => ErrorKind::Conflict,
            Error::Denied(_) => ErrorKind::PermissionDenied,
            Error::Invalid(_)
            | Error::Rejected { .. }
            | Error::NationalId(_)
            | Error::Config(ConfigError::UnknownKey(_))
            | Error::Config(ConfigError::InvalidValue { .. }) => ErrorKind::InvalidInput,
            Error::Sync(e) => e.kind(),
            Error::Backup(BackupError::NotAdmin) => ErrorKind::PermissionDenied,
            Error::Backup(BackupError::Io(_)) => ErrorKind::Other,
            Error::Backup(_) => ErrorKind::InvalidInput,
            _ => ErrorKind::Other,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// A Varde data directory, before anybody has signed in.
#[derive(Clone, Debug)]
pub struct Varde {
    dir: PathBuf,
    worker_program: Option<PathBuf>,
}

impl Varde {
    /// The data directory at `dir` (which need not exist yet). Makes the process non-dumpable:
    /// it is about to hold keys.
    pub fn at(dir: &Path) -> Varde {
        harden_process();
        Varde {
            dir: dir.to_path_buf(),
            worker_program: None,
        }
    }

    /// The `varde` executable to start document workers from (default: this executable). A
    /// program embedding the core that is not `varde` itself points this at the `varde` binary.
    pub fn with_worker_program(mut self, program: &Path) -> Varde {
        self.worker_program = Some(program.to_path_buf());
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether `init` has completed here (the key slot file is written last).
    pub fn is_initialized(&self) -> bool {
        self.store_state() == StoreState::Ready
    }

    /// What the data directory holds: nothing, a store, or a store whose slot file is missing.
    pub fn store_state(&self) -> StoreState {
        store_files::state(&self.dir)
    }

    fn slots_missing(&self) -> Error {
        Error::SlotsMissing {
            dir: self.dir.clone(),
            present: store_files::present(&self.dir),
        }
    }

    fn throttle(&self) -> Throttle {
        Throttle::new(&self.dir.join(THROTTLE_FILE))
    }

    /// Seconds before the next sign-in attempt is allowed (for a countdown).
    pub fn sign_in_delay(&self) -> u64 {
        self.throttle().retry_after(crate::clock::now())
    }

    /// Creates the store and its first admin; returns the admin's session and the one-time
    /// recovery code.
    pub fn init(&self, admin_name: &str, password: &str) -> Result<(Session, RecoveryCode)> {
        match self.store_state() {
            StoreState::Ready => return Err(Error::AlreadyInitialized(self.dir.clone())),
            StoreState::SlotsMissing => return Err(self.slots_missing()),
            StoreState::Empty | StoreState::InitCutOff => {}
        }
        let admin_name = users::validate_user_name(admin_name)?;
        store_files::create_private_dir(&self.dir)?;
        // An init cut off before its key was saved left a database nothing can read: start over.
        // Only then; a database without a marker is a store whose slot file went missing.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(self.dir.join(format!("{DB_FILE}{suffix}")));
        }
        let marker = self.dir.join(store_files::INIT_MARKER);
        let _ = std::fs::remove_file(&marker);
        store_files::create_private_file(&marker)?;
        store_files::create_private_file(&self.dir.join(DB_FILE))?;
        let config = Config::load(&self.dir)?;
        config.save(&self.dir)?;

        let master = SecretKey::random()?;
        let mut conn = store::open(&self.dir.join(DB_FILE), &master.derive(DB_KEY_LABEL))?;
        let device_id = uuid::Uuid::new_v4().to_string();
        let (device_key, pkcs8) =
            DeviceKey::generate().map_err(|e| AuditError::Key(e.to_string()))?;
        let sealed_device_key =
            crypto::seal(&master.derive(DEVICE_KEY_LABEL), b"device-key", &pkcs8)?;
        let now = crate::clock::format(crate::clock::now());
        let user_id = uuid::Uuid::new_v4().to_string();
        let audit = AuditLog::new(device_id.clone(), device_key);

        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        meta::set(&tx, meta::DEVICE_ID, &device_id)?;
        meta::set(&tx, meta::DEVICE_PUBLIC_KEY, &audit.public_key_hex())?;
        meta::set(
            &tx,
            meta::DEVICE_PRIVATE_KEY_SEALED,
            &crypto::hex(&sealed_device_key),
        )?;
        meta::set(&tx, meta::CREATED_AT, &now)?;
        meta::set(
            &tx,
            store::keys::MASTER_CHECK,
            &keyslots::master_check(&master),
        )?;
        // The slot file is written last: its presence is what marks the store initialised.
        let (slots, admin_slot, recovery_slot, code) =
            KeySlots::create(&self.dir, &master, &admin_name, password)?;
        keys::store_slot_secret(&tx, &master, &admin_slot)?;
        keys::store_slot_secret(&tx, &master, &recovery_slot)?;
        let slot_id = admin_slot.id.clone();
        let user = User {
            id: user_id,
            name: admin_name,
            role: domain::Role::Admin,
            slot_id,
            created_at: now,
            removed_at: None,
        };
        store::users::insert(&tx, &user)?;
        audit.append(
            &tx,
            Event::new(actions::STORE_INIT)
                .by(&user.id, user.role.as_str())
                .on("device", &device_id)
                .with("schema_version", store::latest_schema_version()),
        )?;
        audit.append(
            &tx,
            Event::new(actions::USER_CREATE)
                .by(&user.id, user.role.as_str())
                .on("user", &user.id)
                .with("role", user.role.as_str()),
        )?;
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(self.dir.join(SLOTS_BACKUP_FILE));
            let _ = std::fs::remove_file(self.dir.join(SLOTS_FILE));
            return Err(e.into());
        }
        std::fs::remove_file(self.dir.join(store_files::INIT_MARKER))?;
        tracing::info!(device_id = %device_id, "store initialised");
        let session = Session::new(self.clone(), conn, master, slots, audit, config, user);
        Ok((session, code))
    }

    /// Signs in with a user name and password, unlocking the store.
    pub fn sign_in(&self, user_name: &str, password: &str) -> Result<Session> {
        let mut slots = self.load_slots()?;
        let throttle = self.throttle();
        let now = crate::clock::now();
        throttle.check(now)?;
        let unlocked = match slots.unlock(user_name, password) {
            Ok(v) => v,
            Err(VaultError::WrongCredentials) => {
                throttle.record_failure(now, slots.slot_of(user_name))?;
                tracing::warn!("sign-in failed: wrong user name or password");
                return Err(Error::WrongCredentials);
            }
            Err(e) => return Err(e.into()),
        };
        let (slot_id, outdated) = (unlocked.slot_id.clone(), unlocked.outdated);
        let (conn, master) = self.open_unlocked(&mut slots, unlocked)?;
        let mut session = self.session_on(conn, master, slots, &slot_id)?;
        if outdated {
            let name = session.user.name.clone();
            session.upgrade_slot(&slot_id, Some(&name), password)?;
        }
        session.finish_sign_in("password")
    }

    /// Signs in with the recovery code and sets a new password for `user_name` (an admin who
    /// forgot theirs, say).
    pub fn recover(
        &self,
        recovery_code: &str,
        user_name: &str,
        new_password: &str,
    ) -> Result<Session> {
        let mut slots = self.load_slots()?;
        let throttle = self.throttle();
        let now = crate::clock::now();
        throttle.check(now)?;
        let unlocked = match slots.unlock_with_recovery_code(recovery_code) {
            Ok(m) => m,
            Err(e) => {
                throttle.record_failure(now, None)?;
                return Err(e.into());
            }
        };
        let (recovery_slot, outdated) = (unlocked.slot_id.clone(), unlocked.outdated);
        let (mut conn, master) = self.open_unlocked(&mut slots, unlocked)?;
        let user = store::users::find_active_by_name(&conn, &user_name.trim().to_lowercase())?
            .ok_or_else(|| Error::NotFound {
                what: "user",
                id: "(by that name)".into(),
            })?;
        let tx = begin(&mut conn)?;
        let slot = slots.change_password(&user.slot_id, &master, &user.name, new_password)?;
        keys::store_slot_secret(&tx, &master, &slot)?;
        tx.commit()?;
        let mut session = self.session_on(conn, master, slots, &user.slot_id)?;
        if outdated {
            session.upgrade_slot(&recovery_slot, None, recovery_code)?;
        }
        // Whoever used the code may have kept it with an old copy of the slot file: the master
        // key they could derive from that is retired now.
        session.rotate_after_recovery()?;
        session.finish_sign_in("recovery_code")
    }

    fn load_slots(&self) -> Result<KeySlots> {
        match self.store_state() {
            StoreState::Ready => {}
            StoreState::SlotsMissing => return Err(self.slots_missing()),
            StoreState::Empty | StoreState::InitCutOff => {
                return Err(Error::NotInitialized(self.dir.clone()))
            }
        }
        Ok(KeySlots::load(&self.dir)?)
    }

    fn open_db(&self, master: &SecretKey) -> Result<Connection> {
        Ok(store::open(
            &self.dir.join(DB_FILE),
            &master.derive(DB_KEY_LABEL),
        )?)
    }

    /// A session for the user of `slot_id` on an already opened database.
    fn session_on(
        &self,
        conn: Connection,
        master: SecretKey,
        slots: KeySlots,
        slot_id: &str,
    ) -> Result<Session> {
        let user = store::users::find_by_slot(&conn, slot_id)?
            .filter(|u| u.removed_at.is_none())
            .ok_or(Error::WrongCredentials)?;
        let device_id = meta::get(&conn, meta::DEVICE_ID)?
            .ok_or_else(|| StoreError::Corrupt("no device id".into()))?;
        let sealed = meta::get(&conn, meta::DEVICE_PRIVATE_KEY_SEALED)?
            .and_then(|h| crypto::unhex(&h))
            .ok_or_else(|| StoreError::Corrupt("no device key".into()))?;
        let pkcs8 = crypto::open(
            &master.derive(DEVICE_KEY_LABEL),
            b"device-key",
            &sealed,
            "device key",
        )?;
        let key = DeviceKey::from_pkcs8(&pkcs8).map_err(|e| AuditError::Key(e.to_string()))?;
        let config = Config::load(&self.dir)?;
        Ok(Session::new(
            self.clone(),
            conn,
            master,
            slots,
            AuditLog::new(device_id, key),
            config,
            user,
        ))
    }
}

pub(crate) const DB_KEY_LABEL: &str = "varde/sqlcipher/v1";
pub(crate) const DEVICE_KEY_LABEL: &str = "varde/device-key/v1";
pub(crate) const CASE_KEY_LABEL: &str = "varde/case-keys/v1";
/// Wraps each key slot's secret in the database (`api::keys`).
pub(crate) const SLOT_SECRET_LABEL: &str = "varde/slot-secrets/v1";

/// A signed-in user on an unlocked store. Dropping it wipes the keys from memory.
pub struct Session {
    varde: Varde,
    conn: Connection,
    master: SecretKey,
    slots: KeySlots,
    blobs: BlobStore,
    audit: Arc<AuditLog>,
    config: Config,
    user: User,
    /// The preview worker and the pages it drew, in memory only.
    previews: preview::Previews,
    /// Cases this session opened under break-glass, with the reason given: reading their
    /// documents is part of that one recorded opening.
    break_glass_opened: std::collections::HashMap<String, String>,
}

impl Session {
    fn new(
        varde: Varde,
        conn: Connection,
        master: SecretKey,
        slots: KeySlots,
        audit: AuditLog,
        config: Config,
        user: User,
    ) -> Session {
        Session {
            blobs: BlobStore::new(&varde.dir.join(BLOB_DIR)),
            varde,
            conn,
            master,
            slots,
            audit: Arc::new(audit),
            config,
            user,
            previews: preview::Previews::default(),
            break_glass_opened: std::collections::HashMap::new(),
        }
    }

    /// Audits the sign-in (and any failures recorded since the last one), then runs the
    /// retention purge that is due.
    fn finish_sign_in(mut self, method: &str) -> Result<Session> {
        let pending = self.varde.throttle().take_pending()?;
        let tx = begin(&mut self.conn)?;
        for failure in &pending {
            let mut event = Event::new(actions::AUTH_LOGIN)
                .outcome(Outcome::Failure)
                .with("attempted_at", &failure.at)
                .with("reason", "wrong_credentials");
            if let Some(u) = failure
                .slot_id
                .as_deref()
                .map(|s| store::users::find_by_slot(&tx, s))
                .transpose()?
                .flatten()
            {
                event = event.on("user", &u.id);
            }
            self.audit.append(&tx, event)?;
        }
        self.audit.append(
            &tx,
            Event::new(actions::AUTH_LOGIN)
                .by(&self.user.id, self.user.role.as_str())
                .on("user", &self.user.id)
                .with("method", method),
        )?;
        tx.commit()?;
        tracing::info!(user_id = %self.user.id, role = %self.user.role, "signed in");
        self.purge_due()?;
        Ok(self)
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn data_dir(&self) -> &Path {
        &self.varde.dir
    }

    fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id.clone(),
            role: self.user.role,
        }
    }

    fn event(&self, action: &str) -> Event {
        Event::new(action).by(&self.user.id, self.user.role.as_str())
    }

    /// Records an event on its own (a refusal, a read).
    fn record(&mut self, event: Event) -> Result<()> {
        let tx = begin(&mut self.conn)?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        Ok(())
    }

    /// Records a refusal in the audit log and returns it as the error.
    fn refuse<T>(&mut self, event: Event, err: impl Into<Error>) -> Result<T> {
        let err = err.into();
        let outcome = match err.kind() {
            ErrorKind::PermissionDenied => Outcome::Denied,
            _ => Outcome::Failure,
        };
        self.record(event.outcome(outcome).with("error", error_code(&err)))?;
        Err(err)
    }

    /// Changes one setting (admins); audited with the old and new value.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<Config> {
        let actor = self.actor();
        if let Err(e) = domain::authorize(&actor, domain::Operation::ChangeSettings, None, None) {
            return self.refuse(self.event(actions::SETTINGS_CHANGE).with("key", key), e);
        }
        let mut next = self.config.clone();
        let old = next.set(key, value)?;
        let new = next.get(key)?;
        let event = self
            .event(actions::SETTINGS_CHANGE)
            .with("key", key)
            .with("old", &old)
            .with("new", &new);
        let tx = begin(&mut self.conn)?;
        self.audit.append(&tx, event)?;
        next.save(&self.varde.dir)?;
        tx.commit()?;
        self.config = next;
        Ok(self.config.clone())
    }

    /// Direct access to the database connection, for tests that play an attacker who has the key
    /// (tampering with the audit log). Not used by Varde itself.
    #[doc(hidden)]
    pub fn raw_connection_for_tests(&self) -> &Connection {
        &self.conn
    }
}

/// Begins a write transaction that takes the database's write lock at once, so the audit chain
/// head read inside it cannot change underneath (two processes never fork the chain).
fn begin(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// A short, stable code for an error, for audit context (never its message, which could carry
/// details).
pub fn error_code(e: &Error) -> &str {
    match e {
        Error::NotInitialized(_) => "not_initialized",
        Error::AlreadyInitialized(_) => "already_initialized",
        Error::SlotsMissing { .. } => "slots_missing",
        Error::WrongCredentials => "wrong_credentials",
        Error::NotFound { .. } => "not_found",
        Error::StaleVersion { .. } => "stale_version",
        Error::Transition(_) => "invalid_transition",
        Error::Denied(AccessDenied::FourEyes) => "four_eyes",
        Error::Denied(AccessDenied::NotOwner) => "not_owner",
        Error::Denied(_) => "permission_denied",
        Error::Invalid(_) => "invalid_input",
        Error::Rejected { code, .. } => code,
        Error::Worker(_) => "worker_unavailable",
        Error::QueueFull { .. } => "queue_full",
        Error::NationalId(_) => "invalid_national_id",
        Error::Vault(VaultError::Throttled { .. }) => "throttled",
        Error::Vault(VaultError::WeakPassword { .. }) => "weak_password",
        Error::Vault(VaultError::StaleKeys) => "stale_keys",
        Error::Vault(VaultError::LegacySlots { .. }) => "legacy_slots",
        Error::Vault(_) => "vault_error",
        Error::Store(_) => "store_error",
        Error::Audit(_) => "audit_error",
        Error::Config(_) => "config_error",
        Error::Io(_) => "io_error",
        Error::Sync(e) => e.code(),
        Error::Backup(BackupError::NotABackup) => "not_a_backup",
        Error::Backup(BackupError::Damaged(_)) => "backup_damaged",
        Error::Backup(BackupError::UnknownFormat(_)) => "backup_format_unknown",
        Error::Backup(BackupError::UnexpectedFile(_)) => "backup_unexpected_file",
        Error::Backup(BackupError::TargetNotEmpty(_)) => "restore_target_not_empty",
        Error::Backup(BackupError::AuditBroken(_)) => "backup_audit_broken",
        Error::Backup(BackupError::NotAdmin) => "permission_denied",
        Error::Backup(BackupError::Io(_)) => "io_error",
    }
}

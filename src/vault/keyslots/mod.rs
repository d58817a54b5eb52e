//! Key slots: the master key wrapped for each user's password and for the recovery code.
//!
//! The slots live in `keyslots.json` beside the database (and its verified copy
//! `keyslots.backup.json`, see [`file`]), readable before unlock as a LUKS header is. A user slot
//! is found by a salted hash of the user name, so the file does not list who the users are.
//!
//! **Two layers per slot, so the master key can rotate without anyone's password.** Each slot
//! holds a random 256-bit *slot secret* wrapped under a key derived from its password (or the
//! recovery code) with Argon2id, and the master key wrapped under that slot secret. The encrypted
//! database keeps every slot's secret once more, wrapped under the master key (`meta`, by slot
//! id). An admin who rotates has the master key, so reads every slot secret from the database and
//! wraps the *new* master under each of them — no password needed, and only the slots present are
//! rewrapped. A removed user's slot and its secret are gone before the rotation; an old copy of the
//! slot file and that user's password yield only the old master key, which no longer opens the
//! rekeyed database. A rotation is crash-safe: it first adds the new master to every slot beside
//! the old (`pending_master`), then rewraps and rekeys the database, then drops the old; a sign-in
//! that finds a rotation cut off finishes it (`api::keys`).
//!
//! Slots written before Argon2id (PBKDF2-HMAC-SHA256, master wrapped directly under the password
//! key, file format 1) still open, and are rewritten in the current form the next time they are
//! used. Every change runs under the slot lock ([`lock`]) on a fresh read of the file, so a long-
//! lived session never writes back its stale copy; a session whose master key was rotated away by
//! another process is refused ([`VaultError::StaleKeys`]) instead of adding slots for a dead key.

mod file;
mod kdf;
mod lock;
mod recovery;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::crypto::{self, constant_time_eq, hex, unhex, SecretKey};
use super::VaultError;
use file::SlotFile;
pub use file::{SLOTS_BACKUP_FILE, SLOTS_FILE};
use kdf::Kdf;
pub(crate) use lock::SlotLock;
pub use recovery::RecoveryCode;

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    User,
    Recovery,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Slot {
    id: String,
    kind: SlotKind,
    /// hex SHA-256(salt ‖ user name) for user slots; empty for the recovery slot.
    user_tag: String,
    kdf: Kdf,
    /// nonce ‖ AES-256-GCM(slot secret) ‖ tag under the password key. Absent in a format-1 slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wrapped_secret: Option<String>,
    /// The master key under the slot secret (format-1 slot: under the password key).
    wrapped_master: String,
    /// During a rotation: the new master key under the slot secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending_master: Option<String>,
}

/// A slot just written, with its secret for the database's copy.
pub struct NewSlot {
    pub id: String,
    pub secret: SecretKey,
}

/// What a password or the recovery code opened.
pub struct Unlocked {
    pub slot_id: String,
    pub master: SecretKey,
    /// The new master key of a rotation that was cut off.
    pub pending: Option<SecretKey>,
    /// The slot uses an old KDF or format: rewrite it while the secret is at hand.
    pub outdated: bool,
}

/// The key slot file of one store.
#[derive(Debug)]
pub struct KeySlots {
    dir: PathBuf,
    file: SlotFile,
}

/// A public commitment to a master key (the first 16 bytes of a key derived for that alone).
pub fn master_check(master: &SecretKey) -> String {
    hex(&master.derive("varde/master-check/v1").expose()[..16])
}

impl KeySlots {
    /// Creates the slot files with a user slot for the first admin and a recovery slot.
    pub fn create(
        dir: &Path,
        master: &SecretKey,
        user: &str,
        password: &str,
    ) -> Result<(KeySlots, NewSlot, NewSlot, RecoveryCode), VaultError> {
        check_password(password)?;
        let mut slots = KeySlots {
            dir: dir.to_path_buf(),
            file: SlotFile::empty(),
        };
        let code = RecoveryCode::generate()?;
        let (user_slot, recovery_slot) = slots.update(master, |file| {
            let u = push_slot(
                file,
                master,
                SlotKind::User,
                Some(user),
                password.as_bytes(),
            )?;
            let r = push_recovery_slot(file, master, &code)?;
            Ok((u, r))
        })?;
        Ok((slots, user_slot, recovery_slot, code))
    }

    /// Loads the slot file, verified, repairing a missing, damaged or older copy from the other.
    pub fn load(dir: &Path) -> Result<KeySlots, VaultError> {
        Ok(KeySlots {
            dir: dir.to_path_buf(),
            file: file::load(dir)?,
        })
    }

    /// Loads and verifies one slot file (it parses and its checksum matches) without repairing
    /// anything, for backup and restore (`keyslots.json` or `keyslots.backup.json` of a snapshot).
    #[allow(dead_code)] // for api::backup
    pub(crate) fn verify_file(path: &Path) -> Result<(), VaultError> {
        file::load_one(path).map(drop)
    }

    /// Whether either copy of the slot file is present in `dir`.
    pub fn exists(dir: &Path) -> bool {
        dir.join(SLOTS_FILE).exists() || dir.join(SLOTS_BACKUP_FILE).exists()
    }

    /// The master key and the slot that opened it. A name with no slot costs the same key
    /// derivation as a real slot, so timing does not tell which users exist.
    pub fn unlock(&self, user: &str, password: &str) -> Result<Unlocked, VaultError> {
        let Some(slot) = self.find_user_slot(user) else {
            kdf::decoy(password.as_bytes());
            return Err(VaultError::WrongCredentials);
        };
        open_slot(slot, password.as_bytes()).ok_or(VaultError::WrongCredentials)
    }

    /// The slot id a user name selects, if any (used to attribute a failed attempt).
    pub fn slot_of(&self, user: &str) -> Option<String> {
        self.find_user_slot(user).map(|s| s.id.clone())
    }

    pub fn unlock_with_recovery_code(&self, code: &str) -> Result<Unlocked, VaultError> {
        let normalized = RecoveryCode::normalize(code);
        self.file
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Recovery)
            .find_map(|s| open_slot(s, normalized.as_bytes()))
            .ok_or(VaultError::WrongRecoveryCode)
    }

    /// Adds a slot for a new user.
    pub fn add_user(
        &mut self,
        master: &SecretKey,
        user: &str,
        password: &str,
    ) -> Result<NewSlot, VaultError> {
        check_password(password)?;
        self.update(master, |file| {
            if find_user_slot(file, user).is_some() {
                return Err(VaultError::SlotExists);
            }
            push_slot(
                file,
                master,
                SlotKind::User,
                Some(user),
                password.as_bytes(),
            )
        })
    }

    /// Rewrites only this user's slot under a new password, with a fresh slot secret and the
    /// current KDF.
    pub fn change_password(
        &mut self,
        slot_id: &str,
        master: &SecretKey,
        user: &str,
        new_password: &str,
    ) -> Result<NewSlot, VaultError> {
        check_password(new_password)?;
        self.rewrite(slot_id, master, Some(user), new_password.as_bytes())
    }

    /// Rewrites a slot in the current form with the same secret (password or recovery code), as
    /// after a sign-in through a slot with an old KDF. `user` is `None` for the recovery slot.
    pub fn upgrade(
        &mut self,
        slot_id: &str,
        master: &SecretKey,
        user: Option<&str>,
        secret: &str,
    ) -> Result<NewSlot, VaultError> {
        let normalized;
        let input = match user {
            Some(_) => secret.as_bytes(),
            None => {
                normalized = RecoveryCode::normalize(secret);
                normalized.as_bytes()
            }
        };
        self.rewrite(slot_id, master, user, input)
    }

    fn rewrite(
        &mut self,
        slot_id: &str,
        master: &SecretKey,
        user: Option<&str>,
        input: &[u8],
    ) -> Result<NewSlot, VaultError> {
        self.update(master, |file| {
            let pos = file
                .slots
                .iter()
                .position(|s| s.id == slot_id && (s.kind == SlotKind::User) == user.is_some())
                .ok_or(VaultError::NoSlot)?;
            let secret = SecretKey::random()?;
            let kind = file.slots[pos].kind;
            file.slots[pos] = make_slot(master, &secret, slot_id.to_string(), kind, user, input)?;
            Ok(NewSlot {
                id: slot_id.to_string(),
                secret,
            })
        })
    }

    /// Deletes a slot: that password no longer opens the store.
    pub fn remove(&mut self, master: &SecretKey, slot_id: &str) -> Result<(), VaultError> {
        self.update(master, |file| {
            let before = file.slots.len();
            file.slots.retain(|s| s.id != slot_id);
            if file.slots.len() == before {
                return Err(VaultError::NoSlot);
            }
            Ok(())
        })
    }

    /// Replaces every recovery slot with one for a new code; returns it with the old slots' ids.
    pub fn replace_recovery(
        &mut self,
        master: &SecretKey,
    ) -> Result<(NewSlot, RecoveryCode, Vec<String>), VaultError> {
        let code = RecoveryCode::generate()?;
        let (slot, old) = self.update(master, |file| {
            let old: Vec<String> = file
                .slots
                .iter()
                .filter(|s| s.kind == SlotKind::Recovery)
                .map(|s| s.id.clone())
                .collect();
            file.slots.retain(|s| s.kind != SlotKind::Recovery);
            let slot = push_recovery_slot(file, master, &code)?;
            Ok((slot, old))
        })?;
        Ok((slot, code, old))
    }

    /// The ids of every slot (users' and the recovery slot).
    pub fn slot_ids(&self) -> Vec<String> {
        self.file.slots.iter().map(|s| s.id.clone()).collect()
    }

    /// How many slots still have the format-1 layout (no slot secret: a rotation cannot reach
    /// them until their user signs in, or the recovery code is replaced).
    pub fn legacy_count(&self) -> usize {
        self.file
            .slots
            .iter()
            .filter(|s| s.wrapped_secret.is_none())
            .count()
    }

    /// Whether a rotation was begun and not finished.
    pub fn rotation_pending(&self) -> bool {
        self.file.pending_check.is_some()
    }

    /// The slot file's generation (raised by every change).
    pub fn generation(&self) -> u64 {
        self.file.generation
    }

    /// Takes the slot lock, for a caller that changes the slots more than once in a row.
    pub(crate) fn lock(&self) -> Result<SlotLock, VaultError> {
        Ok(SlotLock::exclusive(&self.dir)?)
    }

    /// Re-reads the file under a lock the caller holds.
    pub(crate) fn reload_locked(&mut self, lock: &SlotLock) -> Result<(), VaultError> {
        self.file = file::load_locked(&self.dir, lock)?;
        Ok(())
    }

    /// First step of a rotation: user slots not in `keep_users` (removed users) are dropped, and
    /// every other slot also wraps `new` under its slot secret (`secrets`, by slot id, from the
    /// database). Refused while any slot has no secret to wrap it under. Returns how many slots
    /// were dropped.
    pub(crate) fn begin_rotation(
        &mut self,
        lock: &SlotLock,
        old: &SecretKey,
        new: &SecretKey,
        secrets: &[(String, SecretKey)],
        keep_users: &[String],
    ) -> Result<usize, VaultError> {
        self.update_locked(lock, old, |file| {
            let before = file.slots.len();
            file.slots
                .retain(|s| s.kind == SlotKind::Recovery || keep_users.contains(&s.id));
            let dropped = before - file.slots.len();
            let legacy = file
                .slots
                .iter()
                .filter(|s| s.wrapped_secret.is_none())
                .count();
            if legacy > 0 {
                return Err(VaultError::LegacySlots { count: legacy });
            }
            for slot in &mut file.slots {
                let (_, secret) = secrets
                    .iter()
                    .find(|(id, _)| *id == slot.id)
                    .ok_or(VaultError::LegacySlots { count: 1 })?;
                slot.pending_master = Some(hex(&crypto::seal(
                    secret,
                    &master_aad(&slot.id),
                    new.expose(),
                )?));
            }
            file.pending_check = Some(master_check(new));
            Ok(dropped)
        })
    }

    /// Undoes [`begin_rotation`](Self::begin_rotation) when the database was not changed.
    pub(crate) fn abandon_rotation(
        &mut self,
        lock: &SlotLock,
        old: &SecretKey,
    ) -> Result<(), VaultError> {
        self.update_locked(lock, old, |file| {
            for slot in &mut file.slots {
                slot.pending_master = None;
            }
            file.pending_check = None;
            Ok(())
        })
    }

    /// Last step of a rotation (or the finishing of one cut off): the new master replaces the old
    /// in every slot.
    pub(crate) fn finish_rotation(
        &mut self,
        lock: &SlotLock,
        old: &SecretKey,
        new: &SecretKey,
    ) -> Result<(), VaultError> {
        self.update_locked(lock, old, |file| {
            if file.pending_check.as_deref() != Some(master_check(new).as_str()) {
                return Err(VaultError::StaleKeys);
            }
            for slot in &mut file.slots {
                slot.wrapped_master = slot.pending_master.take().ok_or(VaultError::StaleKeys)?;
            }
            file.pending_check = None;
            file.master_check = Some(master_check(new));
            Ok(())
        })
    }

    /// One change: lock, re-read, check the caller's master is the file's, apply, write both
    /// copies with a raised generation.
    fn update<T>(
        &mut self,
        master: &SecretKey,
        change: impl FnOnce(&mut SlotFile) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        let lock = SlotLock::exclusive(&self.dir)?;
        self.update_locked(&lock, master, change)
    }

    fn update_locked<T>(
        &mut self,
        lock: &SlotLock,
        master: &SecretKey,
        change: impl FnOnce(&mut SlotFile) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        let mut next = match file::load_locked(&self.dir, lock) {
            Ok(f) => f,
            // The first write of a store (init): nothing to re-read yet.
            Err(VaultError::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound && self.file.slots.is_empty() =>
            {
                SlotFile::empty()
            }
            Err(e) => return Err(e),
        };
        let check = master_check(master);
        match &next.master_check {
            Some(c) if !constant_time_eq(c.as_bytes(), check.as_bytes()) => {
                return Err(VaultError::StaleKeys)
            }
            _ => next.master_check = Some(check),
        }
        let out = change(&mut next)?;
        next.generation += 1;
        file::save_locked(&self.dir, &next, lock)?;
        self.file = next;
        Ok(out)
    }

    fn find_user_slot(&self, user: &str) -> Option<&Slot> {
        find_user_slot(&self.file, user)
    }
}

fn find_user_slot<'a>(file: &'a SlotFile, user: &str) -> Option<&'a Slot> {
    file.slots
        .iter()
        .filter(|s| s.kind == SlotKind::User)
        .find(|s| {
            let Some(salt) = s.kdf.salt() else {
                return false;
            };
            let Some(tag) = unhex(&s.user_tag) else {
                return false;
            };
            constant_time_eq(&user_tag(&salt, user), &tag)
        })
}

/// Adds the slot the recovery code opens (typed as the user would: normalised).
fn push_recovery_slot(
    file: &mut SlotFile,
    master: &SecretKey,
    code: &RecoveryCode,
) -> Result<NewSlot, VaultError> {
    let normalized = RecoveryCode::normalize(code.as_str());
    push_slot(
        file,
        master,
        SlotKind::Recovery,
        None,
        normalized.as_bytes(),
    )
}

fn push_slot(
    file: &mut SlotFile,
    master: &SecretKey,
    kind: SlotKind,
    user: Option<&str>,
    input: &[u8],
) -> Result<NewSlot, VaultError> {
    let id = uuid::Uuid::new_v4().to_string();
    let secret = SecretKey::random()?;
    file.slots
        .push(make_slot(master, &secret, id.clone(), kind, user, input)?);
    Ok(NewSlot { id, secret })
}

fn check_password(password: &str) -> Result<(), VaultError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(VaultError::WeakPassword {
            min: MIN_PASSWORD_LEN,
        });
    }
    Ok(())
}

fn user_tag(salt: &[u8], user: &str) -> [u8; 32] {
    let mut input = salt.to_vec();
    input.extend_from_slice(user.trim().to_lowercase().as_bytes());
    crypto::sha256(&input)
}

/// Associated data of a format-1 slot's master key (under the password key).
fn legacy_aad(id: &str) -> Vec<u8> {
    format!("varde-slot:{id}").into_bytes()
}

fn secret_aad(id: &str) -> Vec<u8> {
    format!("varde-slot-secret:{id}").into_bytes()
}

fn master_aad(id: &str) -> Vec<u8> {
    format!("varde-slot-master:{id}").into_bytes()
}

fn make_slot(
    master: &SecretKey,
    secret: &SecretKey,
    id: String,
    kind: SlotKind,
    user: Option<&str>,
    input: &[u8],
) -> Result<Slot, VaultError> {
    let kdf = Kdf::fresh()?;
    let salt = kdf.salt().ok_or(VaultError::Random)?;
    let kek = kdf.derive(input).ok_or(VaultError::Integrity {
        what: "key derivation",
    })?;
    Ok(Slot {
        user_tag: user.map(|u| hex(&user_tag(&salt, u))).unwrap_or_default(),
        wrapped_secret: Some(hex(&crypto::seal(&kek, &secret_aad(&id), secret.expose())?)),
        wrapped_master: hex(&crypto::seal(secret, &master_aad(&id), master.expose())?),
        pending_master: None,
        id,
        kind,
        kdf,
    })
}

fn open_key(
    key: &SecretKey,
    aad: &[u8],
    sealed_hex: &str,
    what: &'static str,
) -> Option<SecretKey> {
    let sealed = unhex(sealed_hex)?;
    let mut raw = crypto::open(key, aad, &sealed, what).ok()?;
    let k = SecretKey::from_bytes(&raw).ok();
    zeroize::Zeroize::zeroize(&mut raw);
    k
}

fn open_slot(slot: &Slot, input: &[u8]) -> Option<Unlocked> {
    let kek = slot.kdf.derive(input)?;
    let outdated = slot.kdf.is_outdated() || slot.wrapped_secret.is_none();
    let (master, pending) = match &slot.wrapped_secret {
        Some(ws) => {
            let secret = open_key(&kek, &secret_aad(&slot.id), ws, "key slot")?;
            let aad = master_aad(&slot.id);
            let master = open_key(&secret, &aad, &slot.wrapped_master, "key slot")?;
            let pending = slot
                .pending_master
                .as_deref()
                .and_then(|p| open_key(&secret, &aad, p, "key slot"));
            (master, pending)
        }
        None => (
            open_key(
                &kek,
                &legacy_aad(&slot.id),
                &slot.wrapped_master,
                "key slot",
            )?,
            None,
        ),
    };
    Some(Unlocked {
        slot_id: slot.id.clone(),
        master,
        pending,
        outdated,
    })
}

#[cfg(test)]
mod tests;

//! Key management: the slot secrets' database copy, master key rotation, the recovery code's
//! replacement, and the in-place upgrade of slots written before Argon2id.
//!
//! **Rotation** (`varde keys rotate`; also automatic after a user's removal and after a sign-in
//! with the recovery code) replaces the master key. Each slot wraps the master under its own random
//! slot secret, and the database keeps every slot secret wrapped under the master (see
//! `vault::keyslots`), so an admin rewraps the new master for every remaining slot without
//! anyone's password. The steps, all under the slot lock, each one recoverable:
//! 1. every slot in the file also gets the new master (`pending_master`), the removed users' slots
//!    are dropped, both copies written;
//! 2. one database transaction rewraps every case's data key, the device key and the slot secrets
//!    under the new master, drops the secrets of slots that are gone, records the new master's
//!    commitment (`meta.master_check`) and the `keys.rotate` audit entry (ids and counts only);
//! 3. SQLCipher `PRAGMA rekey` re-encrypts the database under the new master's key, and the file
//!    is reopened with it to prove it;
//! 4. the new master replaces the old in every slot.
//!
//! A sign-in that finds step 4 missing finishes the rotation: it opens the database with whichever
//! key opens it, rekeys when step 2 committed but 3 did not, and completes the slots; when step 2
//! never committed it drops the pending wraps instead.
//!
//! Other connections to the store held across a rotation (a desktop session's background job
//! runner and sync agent, or another process's session) keep the old key: their next read fails
//! with "the database key is wrong" and they must sign in again; a session whose master was
//! rotated away cannot change slots ([`VaultError::StaleKeys`]).

use rusqlite::Connection;
use serde::Serialize;

use super::{begin, Result, Session, Varde, CASE_KEY_LABEL, DB_FILE, DB_KEY_LABEL};
use super::{DEVICE_KEY_LABEL, SLOT_SECRET_LABEL};
use crate::audit::{actions, Event};
use crate::domain::Operation;
use crate::store::{self, meta, StoreError};
use crate::vault::keyslots::{master_check, SlotLock};
use crate::vault::{crypto, KeySlots, NewSlot, RecoveryCode, SecretKey, Unlocked, VaultError};

/// What a rotation did (ids and counts only).
#[derive(Clone, Debug, Serialize)]
pub struct Rotation {
    /// Slots that now wrap the new master key (users' and the recovery slot).
    pub slots: usize,
    /// Key slots dropped because their user was removed.
    pub dropped_slots: usize,
    /// Case data keys rewrapped.
    pub cases: usize,
}

fn secret_aad(slot_id: &str) -> Vec<u8> {
    format!("slot-secret:{slot_id}").into_bytes()
}

/// Stores a slot's secret in the database, wrapped under `master`.
pub(super) fn store_slot_secret(
    conn: &Connection,
    master: &SecretKey,
    slot: &NewSlot,
) -> Result<()> {
    let sealed = crypto::seal(
        &master.derive(SLOT_SECRET_LABEL),
        &secret_aad(&slot.id),
        slot.secret.expose(),
    )?;
    store::keys::set_slot_secret(conn, &slot.id, &crypto::hex(&sealed))?;
    Ok(())
}

fn open_slot_secret(master: &SecretKey, slot_id: &str, sealed_hex: &str) -> Result<SecretKey> {
    let sealed = crypto::unhex(sealed_hex).ok_or(VaultError::Integrity {
        what: "slot secret",
    })?;
    let raw = zeroize::Zeroizing::new(crypto::open(
        &master.derive(SLOT_SECRET_LABEL),
        &secret_aad(slot_id),
        &sealed,
        "slot secret",
    )?);
    Ok(SecretKey::from_bytes(&raw)?)
}

impl Varde {
    /// Opens the database with what a slot unlocked, finishing a rotation that was cut off (see
    /// the module's note). Returns the connection and the master key it is under.
    pub(super) fn open_unlocked(
        &self,
        slots: &mut KeySlots,
        unlocked: Unlocked,
    ) -> Result<(Connection, SecretKey)> {
        let Unlocked {
            master, pending, ..
        } = unlocked;
        let Some(pending) = pending else {
            return Ok((self.open_db(&master)?, master));
        };
        let lock = slots.lock()?;
        slots.reload_locked(&lock)?;
        if !slots.rotation_pending() {
            // Another process was rotating and has finished: our copy of the master is stale.
            return Err(VaultError::StaleKeys.into());
        }
        let path = self.dir.join(DB_FILE);
        match store::open(&path, &master.derive(DB_KEY_LABEL)) {
            Ok(conn) => {
                if store::keys::master_check(&conn)?.as_deref() == Some(&master_check(&pending)) {
                    store::rekey(&conn, &path, &pending.derive(DB_KEY_LABEL))?;
                    slots.finish_rotation(&lock, &master, &pending)?;
                    tracing::warn!("finished a key rotation that was cut off");
                    Ok((conn, pending))
                } else {
                    slots.abandon_rotation(&lock, &master)?;
                    tracing::warn!(
                        "dropped a key rotation that was cut off before it changed the database"
                    );
                    Ok((conn, master))
                }
            }
            Err(StoreError::WrongKey) => {
                let conn = store::open(&path, &pending.derive(DB_KEY_LABEL))?;
                slots.finish_rotation(&lock, &master, &pending)?;
                tracing::warn!("finished a key rotation that was cut off");
                Ok((conn, pending))
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl Session {
    /// `varde keys rotate` (admins): a new master key for the whole store.
    pub fn rotate_keys(&mut self) -> Result<Rotation> {
        self.require(Operation::ManageUsers, actions::KEYS_ROTATE)?;
        self.rotate("admin")
    }

    /// The automatic rotation after a recovery-code sign-in.
    pub(super) fn rotate_after_recovery(&mut self) -> Result<()> {
        self.auto_rotate("recovery_code")
    }

    /// The automatic rotation after a user's removal.
    pub(super) fn rotate_after_removal(&mut self) -> Result<()> {
        self.auto_rotate("user_removed")
    }

    /// A rotation that slots from before Argon2id cannot stop: the change that asked for it stands,
    /// and the log says why the key stayed (`keys rotate` names what to do).
    fn auto_rotate(&mut self, trigger: &str) -> Result<()> {
        match self.rotate(trigger) {
            Ok(_) => Ok(()),
            Err(super::Error::Vault(VaultError::LegacySlots { count })) => {
                tracing::warn!(
                    trigger,
                    legacy_slots = count,
                    "master key not rotated: some key slots are from before Argon2id"
                );
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Rotates the master key (see the module's note); `trigger` says why, for the audit entry.
    pub(super) fn rotate(&mut self, trigger: &str) -> Result<Rotation> {
        let lock = self.slots.lock()?;
        self.slots.reload_locked(&lock)?;
        let active: Vec<String> = store::users::list_active(&self.conn)?
            .into_iter()
            .map(|u| u.slot_id)
            .collect();
        let mut secrets = Vec::new();
        for (slot_id, sealed) in store::keys::slot_secrets(&self.conn)? {
            secrets.push((
                slot_id.clone(),
                open_slot_secret(&self.master, &slot_id, &sealed)?,
            ));
        }
        let new = SecretKey::random()?;
        let dropped = self
            .slots
            .begin_rotation(&lock, &self.master, &new, &secrets, &active)?;
        let kept = self.slots.slot_ids();
        match self.rewrap_database(&new, &secrets, &kept, trigger, dropped) {
            Ok(cases) => {
                self.finish_rotation(&lock, new)?;
                tracing::info!(trigger, slots = kept.len(), cases, "master key rotated");
                Ok(Rotation {
                    slots: kept.len(),
                    dropped_slots: dropped,
                    cases,
                })
            }
            Err(e) => {
                // Nothing in the database changed: the pending wraps go.
                let _ = self.slots.abandon_rotation(&lock, &self.master);
                Err(e)
            }
        }
    }

    /// Step 2: one transaction; returns the number of case keys rewrapped.
    fn rewrap_database(
        &mut self,
        new: &SecretKey,
        secrets: &[(String, SecretKey)],
        kept: &[String],
        trigger: &str,
        dropped: usize,
    ) -> Result<usize> {
        let (old_cases, new_cases) = (
            self.master.derive(CASE_KEY_LABEL),
            new.derive(CASE_KEY_LABEL),
        );
        let event = self.event(actions::KEYS_ROTATE);
        let tx = begin(&mut self.conn)?;
        let case_keys = store::keys::case_keys(&tx)?;
        for (case_id, wrapped) in &case_keys {
            let raw = zeroize::Zeroizing::new(crypto::open(
                &old_cases,
                case_id.as_bytes(),
                wrapped,
                "case data key",
            )?);
            let rewrapped = crypto::seal(&new_cases, case_id.as_bytes(), &raw)?;
            store::keys::set_case_key(&tx, case_id, &rewrapped)?;
        }
        let sealed = meta::get(&tx, meta::DEVICE_PRIVATE_KEY_SEALED)?
            .and_then(|h| crypto::unhex(&h))
            .ok_or_else(|| StoreError::Corrupt("no device key".into()))?;
        let pkcs8 = zeroize::Zeroizing::new(crypto::open(
            &self.master.derive(DEVICE_KEY_LABEL),
            b"device-key",
            &sealed,
            "device key",
        )?);
        let resealed = crypto::seal(&new.derive(DEVICE_KEY_LABEL), b"device-key", &pkcs8)?;
        meta::set(
            &tx,
            meta::DEVICE_PRIVATE_KEY_SEALED,
            &crypto::hex(&resealed),
        )?;
        for (slot_id, secret) in secrets {
            if kept.contains(slot_id) {
                let slot = NewSlot {
                    id: slot_id.clone(),
                    secret: secret.clone(),
                };
                store_slot_secret(&tx, new, &slot)?;
            } else {
                store::keys::delete_slot_secret(&tx, slot_id)?;
            }
        }
        meta::set(&tx, store::keys::MASTER_CHECK, &master_check(new))?;
        self.audit.append(
            &tx,
            event
                .with("trigger", trigger)
                .with("slots", kept.len())
                .with("dropped_slots", dropped)
                .with("cases", case_keys.len()),
        )?;
        tx.commit()?;
        Ok(case_keys.len())
    }

    /// Steps 3 and 4: rekey, prove, and let the slots hold only the new master.
    fn finish_rotation(&mut self, lock: &SlotLock, new: SecretKey) -> Result<()> {
        let path = self.varde.dir.join(DB_FILE);
        store::rekey(&self.conn, &path, &new.derive(DB_KEY_LABEL))?;
        self.slots.finish_rotation(lock, &self.master, &new)?;
        self.master = new;
        Ok(())
    }

    /// `varde recovery-code new` (admins): replaces the recovery slot; the old code stops working.
    /// Returns the new code, to be shown once.
    pub fn new_recovery_code(&mut self) -> Result<RecoveryCode> {
        self.require(Operation::ManageUsers, actions::KEYS_RECOVERY_CODE_NEW)?;
        let event = self.event(actions::KEYS_RECOVERY_CODE_NEW);
        let tx = begin(&mut self.conn)?;
        let (slot, code, old) = self.slots.replace_recovery(&self.master)?;
        store_slot_secret(&tx, &self.master, &slot)?;
        for id in &old {
            store::keys::delete_slot_secret(&tx, id)?;
        }
        let event = event.with("replaced_slots", old.len());
        self.audit.append(&tx, event)?;
        tx.commit()?;
        tracing::info!("recovery code replaced");
        Ok(code)
    }

    /// Rewrites the slot that just opened the store in the current form (Argon2id, with a slot
    /// secret), while its secret is at hand. `user_name` is `None` for the recovery slot.
    pub(super) fn upgrade_slot(
        &mut self,
        slot_id: &str,
        user_name: Option<&str>,
        secret: &str,
    ) -> Result<()> {
        let tx = begin(&mut self.conn)?;
        let slot = self
            .slots
            .upgrade(slot_id, &self.master, user_name, secret)?;
        store_slot_secret(&tx, &self.master, &slot)?;
        if store::keys::master_check(&tx)?.is_none() {
            meta::set(&tx, store::keys::MASTER_CHECK, &master_check(&self.master))?;
        }
        self.audit.append(
            &tx,
            Event::new(actions::KEYS_SLOT_UPGRADE)
                .by(&self.user.id, self.user.role.as_str())
                .with("slot", slot_id),
        )?;
        tx.commit()?;
        tracing::info!("key slot upgraded to Argon2id");
        Ok(())
    }
}

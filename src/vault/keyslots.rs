//! Key slots: the master key wrapped under each user's password and under the recovery code.
//!
//! The slots live in `keyslots.json` beside the database, readable before unlock (as a LUKS
//! header is). A user slot is found by a salted hash of the user name, so the file does not list
//! who the users are; the KDF and its parameters are stored per slot so they can be raised later.

use std::fs;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::crypto::{self, constant_time_eq, hex, unhex, SecretKey};
use super::VaultError;
use crate::fsio::write_atomically;

/// PBKDF2-HMAC-SHA256 iterations for new slots (OWASP 2023 guidance for PBKDF2-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;
const KDF_NAME: &str = "pbkdf2-hmac-sha256";
const FILE_FORMAT: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    User,
    Recovery,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    iterations: u32,
    salt: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Slot {
    id: String,
    kind: SlotKind,
    /// hex SHA-256(salt ‖ user name) for user slots; empty for the recovery slot.
    user_tag: String,
    kdf: Kdf,
    /// nonce ‖ AES-256-GCM(master key) ‖ tag, bound to the slot id.
    wrapped_master: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct SlotFile {
    format: u32,
    slots: Vec<Slot>,
}

/// The key slot file of one store.
#[derive(Debug)]
pub struct KeySlots {
    path: PathBuf,
    file: SlotFile,
}

/// The one-time recovery code shown at `init`: 160 random bits in Crockford base32, grouped.
pub struct RecoveryCode(String);

impl RecoveryCode {
    fn generate() -> Result<RecoveryCode, VaultError> {
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let bytes = crypto::random_bytes::<20>()?;
        let mut bits: u64 = 0;
        let mut nbits = 0;
        let mut out = String::new();
        for b in bytes {
            bits = (bits << 8) | u64::from(b);
            nbits += 8;
            while nbits >= 5 {
                nbits -= 5;
                out.push(ALPHABET[((bits >> nbits) & 31) as usize] as char);
            }
        }
        let grouped: Vec<String> = out
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        Ok(RecoveryCode(grouped.join("-")))
    }

    /// The code as the user reads and types it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Ignores case, dashes and spaces, and the letters people confuse with digits.
    fn normalize(input: &str) -> String {
        input
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect()
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(**redacted**)")
    }
}

impl KeySlots {
    /// Creates the slot file with a user slot for the first admin and a recovery slot.
    pub fn create(
        path: &Path,
        master: &SecretKey,
        user: &str,
        password: &str,
    ) -> Result<(KeySlots, String, RecoveryCode), VaultError> {
        check_password(password)?;
        let mut slots = KeySlots {
            path: path.to_path_buf(),
            file: SlotFile {
                format: FILE_FORMAT,
                slots: Vec::new(),
            },
        };
        let user_slot = slots.push_slot(master, SlotKind::User, Some(user), password.as_bytes())?;
        let code = RecoveryCode::generate()?;
        let normalized = RecoveryCode::normalize(code.as_str());
        slots.push_slot(master, SlotKind::Recovery, None, normalized.as_bytes())?;
        slots.save()?;
        Ok((slots, user_slot, code))
    }

    pub fn load(path: &Path) -> Result<KeySlots, VaultError> {
        let text = fs::read_to_string(path)?;
        let file: SlotFile =
            serde_json::from_str(&text).map_err(|e| VaultError::DamagedSlots(e.to_string()))?;
        if file.format != FILE_FORMAT {
            return Err(VaultError::DamagedSlots(format!(
                "format {} is not known to this version of Varde",
                file.format
            )));
        }
        Ok(KeySlots {
            path: path.to_path_buf(),
            file,
        })
    }

    /// The master key and the id of the slot that opened it. A name with no slot costs the same
    /// key derivation as a wrong password, so timing does not tell which users exist.
    pub fn unlock(&self, user: &str, password: &str) -> Result<(SecretKey, String), VaultError> {
        let Some(slot) = self.find_user_slot(user) else {
            let _ = crypto::pbkdf2_sha256(
                password.as_bytes(),
                &crypto::random_bytes::<16>()?,
                NonZeroU32::new(PBKDF2_ITERATIONS).expect("non-zero"),
            );
            return Err(VaultError::WrongCredentials);
        };
        let master = unwrap_slot(slot, password.as_bytes()).ok_or(VaultError::WrongCredentials)?;
        Ok((master, slot.id.clone()))
    }

    /// The slot id a user name selects, if any (used to attribute a failed attempt).
    pub fn slot_of(&self, user: &str) -> Option<String> {
        self.find_user_slot(user).map(|s| s.id.clone())
    }

    pub fn unlock_with_recovery_code(&self, code: &str) -> Result<SecretKey, VaultError> {
        let normalized = RecoveryCode::normalize(code);
        self.file
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Recovery)
            .find_map(|s| unwrap_slot(s, normalized.as_bytes()))
            .ok_or(VaultError::WrongRecoveryCode)
    }

    /// Adds a slot for a new user; returns its id.
    pub fn add_user(
        &mut self,
        master: &SecretKey,
        user: &str,
        password: &str,
    ) -> Result<String, VaultError> {
        check_password(password)?;
        if self.find_user_slot(user).is_some() {
            return Err(VaultError::SlotExists);
        }
        let id = self.push_slot(master, SlotKind::User, Some(user), password.as_bytes())?;
        self.save()?;
        Ok(id)
    }

    /// Rewraps only this user's slot under a new password (fresh salt, current KDF cost).
    pub fn change_password(
        &mut self,
        slot_id: &str,
        master: &SecretKey,
        user: &str,
        new_password: &str,
    ) -> Result<(), VaultError> {
        check_password(new_password)?;
        let pos = self
            .file
            .slots
            .iter()
            .position(|s| s.id == slot_id && s.kind == SlotKind::User)
            .ok_or(VaultError::NoSlot)?;
        let fresh = make_slot(
            master,
            slot_id.to_string(),
            SlotKind::User,
            Some(user),
            new_password.as_bytes(),
        )?;
        self.file.slots[pos] = fresh;
        self.save()
    }

    /// Deletes a slot: that password no longer opens the store.
    pub fn remove(&mut self, slot_id: &str) -> Result<(), VaultError> {
        let before = self.file.slots.len();
        self.file.slots.retain(|s| s.id != slot_id);
        if self.file.slots.len() == before {
            return Err(VaultError::NoSlot);
        }
        self.save()
    }

    fn find_user_slot(&self, user: &str) -> Option<&Slot> {
        self.file
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::User)
            .find(|s| {
                let Some(salt) = unhex(&s.kdf.salt) else {
                    return false;
                };
                let Some(tag) = unhex(&s.user_tag) else {
                    return false;
                };
                constant_time_eq(&user_tag(&salt, user), &tag)
            })
    }

    fn push_slot(
        &mut self,
        master: &SecretKey,
        kind: SlotKind,
        user: Option<&str>,
        secret: &[u8],
    ) -> Result<String, VaultError> {
        let id = uuid::Uuid::new_v4().to_string();
        let slot = make_slot(master, id.clone(), kind, user, secret)?;
        self.file.slots.push(slot);
        Ok(id)
    }

    /// Writes the file atomically: a crash leaves the old or the new file, never half of one.
    fn save(&self) -> Result<(), VaultError> {
        let text = serde_json::to_string_pretty(&self.file)
            .map_err(|e| VaultError::DamagedSlots(e.to_string()))?;
        write_atomically(&self.path, text.as_bytes())?;
        Ok(())
    }
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

fn slot_aad(id: &str) -> Vec<u8> {
    format!("varde-slot:{id}").into_bytes()
}

fn make_slot(
    master: &SecretKey,
    id: String,
    kind: SlotKind,
    user: Option<&str>,
    secret: &[u8],
) -> Result<Slot, VaultError> {
    let salt = crypto::random_bytes::<16>()?;
    let iterations = NonZeroU32::new(PBKDF2_ITERATIONS).expect("non-zero");
    let kek = crypto::pbkdf2_sha256(secret, &salt, iterations);
    let wrapped = crypto::seal(&kek, &slot_aad(&id), master.expose())?;
    Ok(Slot {
        user_tag: user.map(|u| hex(&user_tag(&salt, u))).unwrap_or_default(),
        id,
        kind,
        kdf: Kdf {
            algorithm: KDF_NAME.into(),
            iterations: PBKDF2_ITERATIONS,
            salt: hex(&salt),
        },
        wrapped_master: hex(&wrapped),
    })
}

fn unwrap_slot(slot: &Slot, secret: &[u8]) -> Option<SecretKey> {
    if slot.kdf.algorithm != KDF_NAME {
        return None;
    }
    let salt = unhex(&slot.kdf.salt)?;
    let iterations = NonZeroU32::new(slot.kdf.iterations)?;
    let kek = crypto::pbkdf2_sha256(secret, &salt, iterations);
    let wrapped = unhex(&slot.wrapped_master)?;
    let master = crypto::open(&kek, &slot_aad(&slot.id), &wrapped, "key slot").ok()?;
    SecretKey::from_bytes(&master).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "correct horse battery";

    fn fresh() -> (tempfile::TempDir, KeySlots, SecretKey, String, RecoveryCode) {
        let dir = tempfile::tempdir().unwrap();
        let master = SecretKey::random().unwrap();
        let (slots, id, code) =
            KeySlots::create(&dir.path().join("keyslots.json"), &master, "admin", PW).unwrap();
        (dir, slots, master, id, code)
    }

    #[test]
    fn the_right_password_unwraps_the_master_key_and_a_wrong_one_does_not() {
        let (dir, _, master, id, _) = fresh();
        let slots = KeySlots::load(&dir.path().join("keyslots.json")).unwrap();
        let (got, slot) = slots.unlock("Admin ", PW).unwrap();
        assert_eq!(got.expose(), master.expose());
        assert_eq!(slot, id);
        assert!(matches!(
            slots.unlock("admin", "wrong password!!"),
            Err(VaultError::WrongCredentials)
        ));
        assert!(matches!(
            slots.unlock("nobody", PW),
            Err(VaultError::WrongCredentials)
        ));
    }

    #[test]
    fn the_recovery_code_is_another_slot_and_tolerates_typing_variations() {
        let (_dir, slots, master, _, code) = fresh();
        let sloppy = code.as_str().to_lowercase().replace('-', " ");
        assert_eq!(
            slots.unlock_with_recovery_code(&sloppy).unwrap().expose(),
            master.expose()
        );
        assert!(slots.unlock_with_recovery_code("AAAA-BBBB").is_err());
        assert_eq!(code.as_str().len(), 32 + 7);
    }

    #[test]
    fn changing_a_password_rewraps_only_that_slot() {
        let (dir, mut slots, master, admin_slot, _) = fresh();
        let other = slots
            .add_user(&master, "rita", "rita's passphrase")
            .unwrap();
        let before = fs::read_to_string(dir.path().join("keyslots.json")).unwrap();
        slots
            .change_password(&admin_slot, &master, "admin", "a brand new passphrase")
            .unwrap();
        let after = KeySlots::load(&dir.path().join("keyslots.json")).unwrap();
        assert!(after.unlock("admin", PW).is_err());
        assert!(after.unlock("admin", "a brand new passphrase").is_ok());
        assert!(after.unlock("rita", "rita's passphrase").is_ok());
        let unchanged = |text: &str| {
            let f: SlotFile = serde_json::from_str(text).unwrap();
            f.slots
                .into_iter()
                .find(|s| s.id == other)
                .unwrap()
                .wrapped_master
        };
        assert_eq!(
            unchanged(&before),
            unchanged(&fs::read_to_string(dir.path().join("keyslots.json")).unwrap())
        );
    }

    #[test]
    fn removing_a_slot_locks_that_user_out() {
        let (_dir, mut slots, master, _, _) = fresh();
        let id = slots
            .add_user(&master, "bo", "bo's long passphrase")
            .unwrap();
        slots.remove(&id).unwrap();
        assert!(slots.unlock("bo", "bo's long passphrase").is_err());
        assert!(matches!(slots.remove(&id), Err(VaultError::NoSlot)));
    }

    #[test]
    fn short_passwords_and_duplicate_users_are_refused() {
        let (_dir, mut slots, master, _, _) = fresh();
        assert!(matches!(
            slots.add_user(&master, "x", "short"),
            Err(VaultError::WeakPassword { .. })
        ));
        assert!(matches!(
            slots.add_user(&master, "ADMIN", "another passphrase"),
            Err(VaultError::SlotExists)
        ));
    }

    #[test]
    fn the_slot_file_names_no_user_and_holds_no_key_in_clear() {
        let (dir, _, master, _, _) = fresh();
        let text = fs::read_to_string(dir.path().join("keyslots.json")).unwrap();
        assert!(!text.contains("admin"));
        assert!(!text.contains(&hex(master.expose())));
        assert!(text.contains("\"iterations\": 600000"));
    }
}

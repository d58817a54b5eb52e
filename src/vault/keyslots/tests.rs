//! Key slots: unlocking, changes, the format-1 upgrade, the two copies, rotation's slot steps.

use std::fs;

use super::*;

const PW: &str = "correct horse battery";

fn fresh() -> (
    tempfile::TempDir,
    KeySlots,
    SecretKey,
    NewSlot,
    RecoveryCode,
) {
    let dir = tempfile::tempdir().unwrap();
    let master = SecretKey::random().unwrap();
    let (slots, user, _, code) = KeySlots::create(dir.path(), &master, "admin", PW).unwrap();
    (dir, slots, master, user, code)
}

fn primary(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join(SLOTS_FILE)
}

fn backup(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join(SLOTS_BACKUP_FILE)
}

/// A format-1 slot file as Varde wrote it before Argon2id: PBKDF2, the master key directly under
/// the password key (fewer iterations than the old code used, to keep the test quick; the count
/// is stored per slot either way).
fn write_legacy(dir: &Path, master: &SecretKey, user: &str, password: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let salt = crypto::random_bytes::<16>().unwrap();
    let kek = crypto::pbkdf2_sha256(
        password.as_bytes(),
        &salt,
        std::num::NonZeroU32::new(1000).unwrap(),
    );
    let wrapped = crypto::seal(&kek, &legacy_aad(&id), master.expose()).unwrap();
    let text = serde_json::json!({
        "format": 1,
        "slots": [{
            "id": id,
            "kind": "user",
            "user_tag": hex(&user_tag(&salt, user)),
            "kdf": {"algorithm": "pbkdf2-hmac-sha256", "iterations": 1000, "salt": hex(&salt)},
            "wrapped_master": hex(&wrapped),
        }]
    });
    fs::write(dir.join(SLOTS_FILE), text.to_string()).unwrap();
    id
}

#[test]
fn the_right_password_unwraps_the_master_key_and_a_wrong_one_does_not() {
    let (dir, _, master, user, _) = fresh();
    let slots = KeySlots::load(dir.path()).unwrap();
    let got = slots.unlock("Admin ", PW).unwrap();
    assert_eq!(got.master.expose(), master.expose());
    assert_eq!(got.slot_id, user.id);
    assert!(!got.outdated);
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
fn an_unknown_name_costs_a_full_argon2id_derivation() {
    let (_dir, slots, _, _, _) = fresh();
    let time = |user: &str| {
        let t = std::time::Instant::now();
        let _ = slots.unlock(user, "wrong password!!");
        t.elapsed()
    };
    let (real, none) = (time("admin"), time("nobody"));
    // The same KDF with the same parameters: well within a factor of two of each other.
    assert!(none * 2 > real && real * 2 > none, "{real:?} vs {none:?}");
}

#[test]
fn new_slots_use_argon2id_with_their_parameters_stored() {
    let (dir, _, master, _, _) = fresh();
    let text = fs::read_to_string(primary(&dir)).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    for slot in file["slots"].as_array().unwrap() {
        assert_eq!(slot["kdf"]["algorithm"], "argon2id");
        assert!(slot["kdf"]["m_kib"].as_u64().unwrap() >= 64 * 1024);
        assert!(slot["kdf"]["t"].as_u64().unwrap() >= 3);
        assert_eq!(slot["kdf"]["p"], 1);
        assert_eq!(slot["kdf"]["salt"].as_str().unwrap().len(), 32);
    }
    assert!(!text.contains("admin"));
    assert!(!text.contains(&hex(master.expose())));
}

#[test]
fn the_recovery_code_is_another_slot_and_tolerates_typing_variations() {
    let (_dir, slots, master, _, code) = fresh();
    let sloppy = code.as_str().to_lowercase().replace('-', " ");
    assert_eq!(
        slots
            .unlock_with_recovery_code(&sloppy)
            .unwrap()
            .master
            .expose(),
        master.expose()
    );
    assert!(slots.unlock_with_recovery_code("AAAA-BBBB").is_err());
    assert_eq!(code.as_str().len(), 32 + 7);
    assert_eq!(code.as_str().matches('-').count(), 7);
}

#[test]
fn changing_a_password_rewraps_only_that_slot() {
    let (dir, mut slots, master, admin, _) = fresh();
    let other = slots
        .add_user(&master, "rita", "rita's passphrase")
        .unwrap();
    let wrapped_of = |id: &str| {
        let f: SlotFile =
            serde_json::from_str(&fs::read_to_string(primary(&dir)).unwrap()).unwrap();
        f.slots
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
            .wrapped_master
    };
    let before = wrapped_of(&other.id);
    slots
        .change_password(&admin.id, &master, "admin", "a brand new passphrase")
        .unwrap();
    let after = KeySlots::load(dir.path()).unwrap();
    assert!(after.unlock("admin", PW).is_err());
    assert!(after.unlock("admin", "a brand new passphrase").is_ok());
    assert!(after.unlock("rita", "rita's passphrase").is_ok());
    assert_eq!(before, wrapped_of(&other.id));
}

#[test]
fn removing_a_slot_locks_that_user_out() {
    let (_dir, mut slots, master, _, _) = fresh();
    let bo = slots
        .add_user(&master, "bo", "bo's long passphrase")
        .unwrap();
    slots.remove(&master, &bo.id).unwrap();
    assert!(slots.unlock("bo", "bo's long passphrase").is_err());
    assert!(matches!(
        slots.remove(&master, &bo.id),
        Err(VaultError::NoSlot)
    ));
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
fn a_format_1_pbkdf2_slot_opens_and_is_upgraded_to_argon2id_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let master = SecretKey::random().unwrap();
    let id = write_legacy(dir.path(), &master, "anna", PW);
    let mut slots = KeySlots::load(dir.path()).unwrap();
    let got = slots.unlock("anna", PW).unwrap();
    assert_eq!(got.master.expose(), master.expose());
    assert!(got.outdated);
    assert_eq!(slots.legacy_count(), 1);
    slots.upgrade(&id, &got.master, Some("anna"), PW).unwrap();
    let text = fs::read_to_string(primary(&dir)).unwrap();
    assert!(
        text.contains("\"argon2id\"") && !text.contains("pbkdf2"),
        "{text}"
    );
    let again = KeySlots::load(dir.path()).unwrap();
    let got = again.unlock("anna", PW).unwrap();
    assert_eq!(got.master.expose(), master.expose());
    assert_eq!(got.slot_id, id);
    assert!(!got.outdated);
    assert_eq!(again.legacy_count(), 0);
    assert_eq!(
        fs::read(primary(&dir)).unwrap(),
        fs::read(backup(&dir)).unwrap()
    );
}

#[test]
fn a_missing_damaged_or_older_copy_is_repaired_from_the_other() {
    let (dir, mut slots, master, _, _) = fresh();
    let good = fs::read(primary(&dir)).unwrap();
    assert_eq!(good, fs::read(backup(&dir)).unwrap());

    // Missing backup, then missing primary.
    fs::remove_file(backup(&dir)).unwrap();
    KeySlots::load(dir.path())
        .unwrap()
        .unlock("admin", PW)
        .unwrap();
    assert_eq!(fs::read(backup(&dir)).unwrap(), good);
    fs::remove_file(primary(&dir)).unwrap();
    KeySlots::load(dir.path())
        .unwrap()
        .unlock("admin", PW)
        .unwrap();
    assert_eq!(fs::read(primary(&dir)).unwrap(), good);

    // Damaged: does not parse; parses but its checksum does not match (one byte of a wrap).
    fs::write(primary(&dir), b"{ not json").unwrap();
    KeySlots::load(dir.path())
        .unwrap()
        .unlock("admin", PW)
        .unwrap();
    assert_eq!(fs::read(primary(&dir)).unwrap(), good);
    let text = String::from_utf8(good.clone()).unwrap();
    let pos = text.find("\"wrapped_master\": \"").unwrap() + 20;
    let mut altered = text.clone().into_bytes();
    altered[pos] = if altered[pos] == b'0' { b'1' } else { b'0' };
    fs::write(backup(&dir), &altered).unwrap();
    KeySlots::load(dir.path()).unwrap();
    assert_eq!(fs::read(backup(&dir)).unwrap(), good);

    // Older: a crash after the backup of a change was written but before the primary.
    slots
        .add_user(&master, "rita", "rita's passphrase")
        .unwrap();
    let newer = fs::read(primary(&dir)).unwrap();
    fs::write(primary(&dir), &good).unwrap();
    let loaded = KeySlots::load(dir.path()).unwrap();
    assert!(loaded.unlock("rita", "rita's passphrase").is_ok());
    assert_eq!(fs::read(primary(&dir)).unwrap(), newer);
    // And the other way round: the older backup is rewritten from the newer primary.
    fs::write(backup(&dir), &good).unwrap();
    KeySlots::load(dir.path()).unwrap();
    assert_eq!(fs::read(backup(&dir)).unwrap(), newer);

    // Both damaged: refused, naming both files.
    fs::write(primary(&dir), b"x").unwrap();
    fs::write(backup(&dir), b"y").unwrap();
    let err = KeySlots::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(SLOTS_FILE) && err.contains(SLOTS_BACKUP_FILE),
        "{err}"
    );
}

#[test]
fn a_change_re_reads_the_file_so_a_stale_copy_never_reverts_another_change() {
    let (dir, mut stale, master, _, _) = fresh();
    let mut other = KeySlots::load(dir.path()).unwrap();
    let bo = other
        .add_user(&master, "bo", "bo's long passphrase")
        .unwrap();
    stale
        .add_user(&master, "rita", "rita's passphrase")
        .unwrap();
    let now = KeySlots::load(dir.path()).unwrap();
    assert!(now.unlock("bo", "bo's long passphrase").is_ok());
    assert!(now.unlock("rita", "rita's passphrase").is_ok());
    other.remove(&master, &bo.id).unwrap();
    stale.add_user(&master, "sam", "sam's passphrase!").unwrap();
    let now = KeySlots::load(dir.path()).unwrap();
    assert!(now.unlock("bo", "bo's long passphrase").is_err());
    assert_eq!(now.generation(), 5);
}

#[test]
fn a_rotation_wraps_the_new_master_under_each_slot_secret_and_refuses_a_stale_master() {
    let (dir, mut slots, old, admin, _) = fresh();
    let rita = slots.add_user(&old, "rita", "rita's passphrase").unwrap();
    // The recovery slot's secret is not kept here: a rotation without it is refused.
    let new = SecretKey::random().unwrap();
    let lock = slots.lock().unwrap();
    let partial = [
        (admin.id.clone(), admin.secret.clone()),
        (rita.id.clone(), rita.secret.clone()),
    ];
    assert!(matches!(
        slots.begin_rotation(
            &lock,
            &old,
            &new,
            &partial,
            &[admin.id.clone(), rita.id.clone()]
        ),
        Err(VaultError::LegacySlots { .. })
    ));
    drop(lock);
    let (recovery, code, _) = slots.replace_recovery(&old).unwrap();
    let all = [
        (admin.id.clone(), admin.secret),
        (rita.id.clone(), rita.secret),
        (recovery.id.clone(), recovery.secret),
    ];
    let lock = slots.lock().unwrap();
    assert_eq!(
        slots
            .begin_rotation(
                &lock,
                &old,
                &new,
                &all,
                &[admin.id.clone(), rita.id.clone()]
            )
            .unwrap(),
        0
    );
    assert!(slots.rotation_pending());
    let mid = KeySlots::load(dir.path())
        .unwrap()
        .unlock("rita", "rita's passphrase")
        .unwrap();
    assert_eq!(mid.master.expose(), old.expose());
    assert_eq!(mid.pending.unwrap().expose(), new.expose());
    slots.finish_rotation(&lock, &old, &new).unwrap();
    drop(lock);
    let after = KeySlots::load(dir.path()).unwrap();
    for (user, pw) in [("admin", PW), ("rita", "rita's passphrase")] {
        let u = after.unlock(user, pw).unwrap();
        assert_eq!(u.master.expose(), new.expose());
        assert!(u.pending.is_none());
    }
    assert_eq!(
        after
            .unlock_with_recovery_code(code.as_str())
            .unwrap()
            .master
            .expose(),
        new.expose()
    );
    assert!(matches!(
        slots.add_user(&old, "eve", "eve's long passphrase"),
        Err(VaultError::StaleKeys)
    ));
}

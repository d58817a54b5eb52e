//! Key management (issue 13) across processes and versions: a store written before Argon2id signs
//! in and is upgraded; a long-lived session and a CLI process change slots without losing each
//! other's change; rotation retires a removed user's old slot file; the recovery code is replaced.

use std::path::Path;

use crate::support::*;
use varde::api::{CaseQuery, DocumentPurpose, StoreError, VaultError};
use varde::Error;

fn audit_text(s: &mut varde::Session) -> String {
    let mut out = Vec::new();
    s.export_audit(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn slot_algorithms(dir: &Path, file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kdf"]["algorithm"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_pbkdf2_store_written_by_the_old_code_signs_in_and_its_slot_is_upgraded_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    copy_dir(&test_file("fixtures/legacy-pbkdf2-store"), &dir);
    std::fs::remove_file(dir.join("README.md")).unwrap();
    assert_eq!(
        slot_algorithms(&dir, "keyslots.json"),
        ["pbkdf2-hmac-sha256"; 3]
    );

    let core = core_at(&dir);
    let mut anna = core.sign_in("anna", "legacy admin passphrase").unwrap();
    let mut algorithms = slot_algorithms(&dir, "keyslots.json");
    algorithms.sort();
    // Anna's slot is Argon2id now; clara's and the recovery slot wait for their own use.
    assert_eq!(
        algorithms,
        ["argon2id", "pbkdf2-hmac-sha256", "pbkdf2-hmac-sha256"]
    );
    assert_eq!(
        std::fs::read(dir.join("keyslots.json")).unwrap(),
        std::fs::read(dir.join("keyslots.backup.json")).unwrap()
    );
    let cases = anna.list_cases(&CaseQuery::default()).unwrap();
    assert_eq!(cases.total, 1);
    drop(anna);

    // The upgraded slot still opens, and clara's old one opens (and is upgraded) too.
    core.sign_in("anna", "legacy admin passphrase").unwrap();
    core.sign_in("clara", "legacy clinician pass").unwrap();
    assert_eq!(
        slot_algorithms(&dir, "keyslots.json")
            .iter()
            .filter(|a| *a == "argon2id")
            .count(),
        2
    );
    // A rotation needs every slot in the new form: the old recovery slot is replaced first.
    let mut anna = core.sign_in("anna", "legacy admin passphrase").unwrap();
    assert!(matches!(
        anna.rotate_keys(),
        Err(Error::Vault(VaultError::LegacySlots { count: 1 }))
    ));
    anna.new_recovery_code().unwrap();
    let r = anna.rotate_keys().unwrap();
    assert_eq!((r.slots, r.cases), (3, 1));
    drop(anna);
    let mut clara = core.sign_in("clara", "legacy clinician pass").unwrap();
    let case = &clara.list_cases(&CaseQuery::default()).unwrap().items[0];
    clara.open_case(&case.id, None).unwrap();
    assert!(core
        .sign_in("anna", "legacy admin passphrase")
        .unwrap()
        .verify_audit()
        .is_ok());
}

#[test]
fn a_long_lived_session_and_a_cli_process_never_undo_each_others_slot_changes() {
    let v = Varde::with_team();
    let core = core_at(&v.data_dir());
    // Session A: the desktop app, signed in for the whole test.
    let mut a = core.sign_in("admin", ADMIN_PW).unwrap();

    // B, another process, changes rita's password.
    v.run_with(
        Some(("admin", ADMIN_PW)),
        Some("rita's brand new passphrase"),
        &["user", "passwd", "rita"],
    )
    .ok();
    // A adds a user: its write re-reads the slot file, so rita's change survives.
    a.add_user(
        "sam",
        varde::domain::Role::Clinician,
        "sam's long passphrase",
    )
    .unwrap();
    assert!(core.sign_in("rita", "rita's brand new passphrase").is_ok());
    assert!(matches!(
        core.sign_in("rita", REV_PW),
        Err(Error::WrongCredentials)
    ));
    assert!(core.sign_in("sam", "sam's long passphrase").is_ok());

    // B removes conrad, which rotates the master key. A's copy of the key is retired: its next
    // slot change is refused rather than written for a dead key, and conrad stays removed.
    v.admin(&["user", "remove", "conrad"]).ok();
    let stale = a.add_user(
        "tor",
        varde::domain::Role::Clinician,
        "tor's long passphrase",
    );
    assert!(
        matches!(stale, Err(Error::Vault(VaultError::StaleKeys))),
        "{stale:?}"
    );
    drop(a);
    assert!(core.sign_in("conrad", CLIN2_PW).is_err());
    assert!(core.sign_in("tor", "tor's long passphrase").is_err());
    let mut a = core.sign_in("admin", ADMIN_PW).unwrap();
    a.add_user(
        "tor",
        varde::domain::Role::Clinician,
        "tor's long passphrase",
    )
    .unwrap();
    assert!(core.sign_in("tor", "tor's long passphrase").is_ok());
    assert!(core.sign_in("rita", "rita's brand new passphrase").is_ok());
}

#[test]
fn after_a_users_removal_their_old_slot_file_and_password_no_longer_open_the_database() {
    let v = Varde::with_team();
    let dir = v.data_dir();
    let core = core_at(&dir);
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let case = clara.create_case(clinical_case()).unwrap();
    let doc = clara.add_document(&case.id, "scan.png", &png(7)).unwrap();
    drop(clara);
    let old_slots = std::fs::read(dir.join("keyslots.json")).unwrap();

    v.admin(&["user", "remove", "conrad"]).ok();

    // The attacker: the current database, conrad's copy of the slot file, conrad's password.
    let attic = tempfile::tempdir().unwrap();
    for f in ["varde.db", "config.toml"] {
        std::fs::copy(dir.join(f), attic.path().join(f)).unwrap();
    }
    std::fs::write(attic.path().join("keyslots.json"), &old_slots).unwrap();
    match core_at(attic.path()).sign_in("conrad", CLIN2_PW) {
        Err(Error::Store(StoreError::WrongKey)) | Err(Error::WrongCredentials) => {}
        other => panic!(
            "the old slot file still opened the store: {:?}",
            other.err()
        ),
    }
    // The removal was a rotation, audited with ids and counts only.
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    let audit = audit_text(&mut admin);
    let rotation = audit
        .lines()
        .find(|l| l.contains("\"keys.rotate\""))
        .expect("a keys.rotate entry");
    assert!(rotation.contains("user_removed"), "{rotation}");
    assert!(!rotation.contains("conrad") && !rotation.contains(SUBJECT_NAME));
    assert!(admin.verify_audit().is_ok());
    drop(admin);

    // Everyone else signs in, and the document opens under its rewrapped case key.
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let (_, bytes) = clara
        .read_document(&case.id, &doc.document.id, None, DocumentPurpose::View)
        .unwrap();
    assert_eq!(bytes, png(7));
    for (user, pw) in [("rita", REV_PW), ("aud", AUD_PW), ("admin", ADMIN_PW)] {
        assert!(core.sign_in(user, pw).is_ok(), "{user}");
    }
}

#[test]
fn a_new_recovery_code_replaces_the_old_and_a_recovery_rotates_the_master_key() {
    let v = Varde::new();
    let old_code = v.init();
    let dir = v.data_dir();
    let run = v.admin(&["--json", "recovery-code", "new"]).ok();
    let new_code = run.json()["recovery_code"].as_str().unwrap().to_string();
    assert_ne!(new_code, old_code);

    let core = core_at(&dir);
    assert!(matches!(
        core.recover(&old_code, "admin", "a fresh passphrase 1"),
        Err(Error::Vault(VaultError::WrongRecoveryCode))
    ));
    let before = std::fs::read(dir.join("keyslots.json")).unwrap();
    let mut s = core
        .recover(&new_code, "admin", "a fresh passphrase 1")
        .unwrap();
    let audit = audit_text(&mut s);
    assert!(audit.contains("\"keys.recovery_code_new\""));
    assert!(audit.contains("recovery_code") && audit.contains("\"keys.rotate\""));
    drop(s);
    assert!(core.sign_in("admin", "a fresh passphrase 1").is_ok());
    // The slot file from before the recovery opens nothing in the rotated database.
    let attic = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("varde.db"), attic.path().join("varde.db")).unwrap();
    std::fs::write(attic.path().join("keyslots.json"), before).unwrap();
    assert!(matches!(
        core_at(attic.path()).sign_in("admin", ADMIN_PW),
        Err(Error::Store(StoreError::WrongKey))
    ));
}

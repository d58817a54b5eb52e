//! Backup and restore: a store with documents round-trips through one backup file taken while
//! another session writes, the restored audit chain verifies, and every bad backup or target is
//! refused with nothing written.

use std::path::{Path, PathBuf};

use crate::support::*;
use varde::api::{BackupError, CaseQuery, DocumentPurpose};
use varde::domain::Role;
use varde::{Error, ErrorKind, Varde as Core};

/// A store with two cases and three documents; returns the core and the documents' bytes.
fn store_with_documents(dir: &Path) -> (Core, Vec<(String, String, Vec<u8>)>) {
    let core = core_at(dir);
    let (mut admin, _) = core.init("admin", ADMIN_PW).unwrap();
    admin.add_user("clara", Role::Clinician, CLIN_PW).unwrap();
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let mut docs = Vec::new();
    for n in 0..2u32 {
        let case = clara.create_case(clinical_case()).unwrap();
        for k in 0..=n {
            let bytes = png(n * 10 + k);
            let added = clara
                .add_document(&case.id, &format!("scan-{k}.png"), &bytes)
                .unwrap();
            docs.push((case.id.clone(), added.document.id, bytes));
        }
    }
    (core, docs)
}

/// Every file below `dir` with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                todo.push(e.path());
            } else {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `varde` on another data directory than the test store's.
fn varde_on(dir: &Path, user: &str, password: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_varde"));
    for var in [
        "VARDE_USER",
        "VARDE_DATA_DIR",
        "VARDE_NEW_PASSWORD",
        "VARDE_RECOVERY_CODE",
    ] {
        c.env_remove(var);
    }
    c.arg("--data-dir")
        .arg(dir)
        .args(["--user", user])
        .env("VARDE_PASSWORD", password);
    c
}

fn backup_file(dir: &Path) -> PathBuf {
    dir.join("store.vardebackup")
}

#[test]
fn a_backup_taken_while_another_session_writes_restores_every_document_and_a_verified_chain() {
    let scratch = tempfile::tempdir().unwrap();
    let (core, docs) = store_with_documents(&scratch.path().join("data"));
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    // The desktop app stays signed in and keeps adding cases and documents during the backup.
    let clara = core.sign_in("clara", CLIN_PW).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut clara = clara;
            let mut created = Vec::new();
            let mut write_one = |created: &mut Vec<String>| {
                let case = clara.create_case(clinical_case()).unwrap();
                clara
                    .add_document(&case.id, "late.png", &png(created.len() as u32))
                    .unwrap();
                created.push(case.id);
            };
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                write_one(&mut created);
            }
            // And one surely after the backup.
            write_one(&mut created);
            created
        })
    };
    let report = admin.backup(&backup_file(scratch.path())).unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written_meanwhile = writer.join().unwrap();
    assert!(report.documents >= 3);
    assert!(report.audit_entries > 5);
    assert_eq!(
        std::fs::metadata(backup_file(scratch.path()))
            .unwrap()
            .len(),
        report.bytes
    );

    let restored_dir = scratch.path().join("restored");
    let restored = core_at(&restored_dir);
    let r = restored
        .restore(&backup_file(scratch.path()), "admin", ADMIN_PW)
        .unwrap();
    assert_eq!(r.documents, report.documents);
    assert_eq!(r.audit_entries, report.audit_entries);
    assert_eq!(r.backup_sha256, report.sha256);

    let mut back = restored.sign_in("clara", CLIN_PW).unwrap();
    for (case_id, doc_id, bytes) in &docs {
        let (_, got) = back
            .read_document(case_id, doc_id, None, DocumentPurpose::View)
            .unwrap();
        assert_eq!(&got, bytes);
    }
    // Every case in the snapshot came with its document: case and blob agree.
    let cases = back.list_cases(&CaseQuery::default()).unwrap().items;
    // (A case whose document was not yet added when the snapshot was taken counts once more.)
    let n = cases.len() as u64;
    assert!(
        n == report.documents - 1 || n == report.documents,
        "{n} cases"
    );
    for case in cases.iter().filter(|c| written_meanwhile.contains(&c.id)) {
        let detail = back.case_detail(&case.id, None).unwrap();
        for d in &detail.documents {
            back.read_document(&case.id, &d.document.id, None, DocumentPurpose::View)
                .unwrap();
        }
    }
    assert!(
        written_meanwhile
            .iter()
            .any(|id| cases.iter().all(|c| &c.id != id)),
        "what was written after the snapshot is not in it"
    );
    drop(back);
    let mut restored_admin = restored.sign_in("admin", ADMIN_PW).unwrap();
    let verified = restored_admin.verify_audit().unwrap();
    assert!(verified.entries > report.audit_entries);
    let restore_entry = restored_admin
        .audit_entries(&varde::api::AuditQuery {
            action: Some("store.restore".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(restore_entry.items.len(), 1);
    let original = admin
        .audit_entries(&varde::api::AuditQuery {
            action: Some("store.backup".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(original.items.len(), 1);
    let dump = serde_json::to_string(&original.items).unwrap();
    assert!(
        !dump.contains("vardebackup"),
        "the backup's file name is not audited"
    );
}

#[test]
fn a_damaged_or_foreign_backup_is_refused_and_nothing_is_restored() {
    let scratch = tempfile::tempdir().unwrap();
    let (core, _) = store_with_documents(&scratch.path().join("data"));
    let file = backup_file(scratch.path());
    core.sign_in("admin", ADMIN_PW)
        .unwrap()
        .backup(&file)
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    let damaged = scratch.path().join("damaged.vardebackup");
    std::fs::write(&damaged, &bytes).unwrap();
    let truncated = scratch.path().join("truncated.vardebackup");
    std::fs::write(&truncated, &std::fs::read(&file).unwrap()[..middle]).unwrap();
    let foreign = scratch.path().join("photo.png");
    std::fs::write(&foreign, png(1)).unwrap();

    let target = scratch.path().join("restored");
    for (bad, expected) in [
        (&damaged, "damaged"),
        (&truncated, "damaged"),
        (&foreign, "not a Varde backup"),
    ] {
        let err = core_at(&target)
            .restore(bad, "admin", ADMIN_PW)
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(!target.exists(), "nothing is left behind");
        let leftovers: Vec<_> = std::fs::read_dir(scratch.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("restore"))
            .collect();
        assert!(leftovers.is_empty(), "no staging directory is left");
    }
}

#[test]
fn a_restore_never_replaces_a_store_and_needs_an_admin_of_the_backed_up_store() {
    let scratch = tempfile::tempdir().unwrap();
    let data = scratch.path().join("data");
    let (core, _) = store_with_documents(&data);
    let file = backup_file(scratch.path());
    core.sign_in("admin", ADMIN_PW)
        .unwrap()
        .backup(&file)
        .unwrap();
    let before = snapshot(&data);
    let err = core.restore(&file, "admin", ADMIN_PW).unwrap_err();
    assert!(
        matches!(err, Error::Backup(BackupError::TargetNotEmpty(_))),
        "{err}"
    );
    assert_eq!(snapshot(&data), before, "the existing store is untouched");
    assert!(core.sign_in("admin", ADMIN_PW).is_ok());

    let target = scratch.path().join("restored");
    let err = core_at(&target)
        .restore(&file, "clara", CLIN_PW)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
    let err = core_at(&target)
        .restore(&file, "admin", "not the admin's password")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert!(!target.exists());
}

#[test]
fn only_admins_back_up_and_an_existing_file_or_a_missing_document_file_writes_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let data = scratch.path().join("data");
    let (core, _) = store_with_documents(&data);
    let file = backup_file(scratch.path());
    let err = core
        .sign_in("clara", CLIN_PW)
        .unwrap()
        .backup(&file)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert!(!file.exists());

    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    std::fs::write(&file, b"keep me").unwrap();
    let err = admin.backup(&file).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    std::fs::remove_file(&file).unwrap();

    let shard = std::fs::read_dir(data.join("blobs"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let blob = std::fs::read_dir(&shard)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    std::fs::remove_file(&blob).unwrap();
    let err = admin.backup(&file).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    assert!(!file.exists());
    let stray: Vec<_> = std::fs::read_dir(scratch.path())
        .unwrap()
        .flatten()
        .chain(std::fs::read_dir(&data).unwrap().flatten())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "no partial file is left: {stray:?}");
}

#[test]
fn the_cli_backs_up_and_restores_a_store() {
    let v = Varde::with_team();
    let case_id = v.create_case();
    let scan = v.file("scan.png", &png(4));
    v.clinician(&["doc", "add", &case_id, scan.to_str().unwrap()])
        .ok();
    let file = v.path().join("clinic.vardebackup");
    let report = v
        .admin(&["--json", "backup", "--out", file.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(report["documents"], 1);
    let target = v.path().join("restored");
    let restored = output_to_run(
        varde_on(&target, "admin", ADMIN_PW)
            .args(["--json", "restore", file.to_str().unwrap()])
            .output()
            .unwrap(),
    )
    .ok()
    .json();
    assert_eq!(restored["documents"], 1);
    let shown = output_to_run(
        varde_on(&target, "clara", CLIN_PW)
            .args(["--json", "case", "show", &case_id])
            .output()
            .unwrap(),
    )
    .ok()
    .json();
    assert_eq!(shown["id"], case_id.as_str());
    assert!(!contains(&std::fs::read(&file).unwrap(), SUBJECT_NAME));
}

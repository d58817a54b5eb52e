//! The core API used directly, for what the CLI cannot show: two writers racing on one case,
//! an attacker with the key tampering with the audit log, crypto-shredding, a store from a newer
//! Varde.

use std::sync::{Arc, Barrier};

use crate::support::*;
use varde::api::{CaseQuery, DocumentPurpose, ErasureReason, NewCase};
use varde::domain::{CaseKind, Role};
use varde::{Error, ErrorKind, Session, Varde as Core};

fn team(dir: &std::path::Path) -> (Core, String) {
    let core = core_at(dir);
    let (mut admin, _) = core.init("admin", ADMIN_PW).unwrap();
    admin.add_user("clara", Role::Clinician, CLIN_PW).unwrap();
    admin.add_user("rita", Role::Reviewer, REV_PW).unwrap();
    admin
        .add_user("rolf", Role::Reviewer, "rolf's passphrase!")
        .unwrap();
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let case = clara.create_case(clinical_case()).unwrap();
    (core, case.id)
}

#[test]
fn of_two_writers_on_one_case_exactly_one_wins_and_no_update_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    core.sign_in("rita", REV_PW)
        .unwrap()
        .start_review(&id, 1)
        .unwrap();
    for round in 0..3 {
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = [("rita", REV_PW), ("rolf", "rolf's passphrase!")]
            .into_iter()
            .map(|(user, pw)| {
                let core = core.clone();
                let id = id.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let mut s: Session = core.sign_in(user, pw).unwrap();
                    barrier.wait();
                    if round % 2 == 0 {
                        s.approve(&id, 2, None).map(|c| c.version)
                    } else {
                        s.reject(&id, 2, "race").map(|c| c.version)
                    }
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        if round == 0 {
            let wins: Vec<_> = results.iter().filter(|r| r.is_ok()).collect();
            assert_eq!(wins.len(), 1, "{results:?}");
            let loser = results
                .iter()
                .find(|r| r.is_err())
                .unwrap()
                .as_ref()
                .unwrap_err();
            assert_eq!(loser.kind(), ErrorKind::Conflict, "{loser}");
            assert!(
                matches!(loser, Error::StaleVersion { current: 3, .. }),
                "{loser}"
            );
        } else {
            // The case is already decided at version 3: both later racers are refused.
            assert!(results
                .iter()
                .all(|r| r.as_ref().is_err_and(|e| e.kind() == ErrorKind::Conflict)));
        }
    }
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    let case = admin.open_case(&id, None).unwrap().case;
    assert_eq!(case.version, 3);
    let report = admin.verify_audit().unwrap();
    assert!(report.entries > 10);
}

/// Opens the store as an attacker who has the key, with the append-only triggers dropped.
fn tamper(core: &Core, sql: &str) {
    let s = core.sign_in("admin", ADMIN_PW).unwrap();
    let conn = s.raw_connection_for_tests();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_is_append_only_update;
         DROP TRIGGER IF EXISTS audit_log_is_append_only_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn first_bad_entry(core: &Core) -> String {
    let mut s = core.sign_in("admin", ADMIN_PW).unwrap();
    match s.verify_audit() {
        Ok(r) => panic!("tampering not detected: {r:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_audit_log_refuses_updates_and_deletes_through_sql() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    let s = core.sign_in("admin", ADMIN_PW).unwrap();
    let conn = s.raw_connection_for_tests();
    let err = conn
        .execute("UPDATE audit_log SET action = 'x' WHERE seq = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"));
    assert!(conn
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .is_err());
}

#[test]
fn a_modified_audit_entry_is_detected_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    tamper(
        &core,
        "UPDATE audit_log SET outcome = 'denied' WHERE seq = 4",
    );
    let msg = first_bad_entry(&core);
    assert!(msg.contains("entry 4"), "{msg}");
}

#[test]
fn a_deleted_audit_entry_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    tamper(&core, "DELETE FROM audit_log WHERE seq = 3");
    let msg = first_bad_entry(&core);
    assert!(msg.contains("entry 4"), "{msg}");
}

#[test]
fn an_inserted_audit_entry_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    // Make room at seq 3 by shifting the rest, then insert a copy of entry 2 with a new id.
    tamper(
        &core,
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3;
         UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1003;
         INSERT INTO audit_log (seq, id, ts, device_id, actor_user_id, actor_role, action, resource_kind, resource_id, outcome, context, prev_hash, hash, signature)
           SELECT 3, 'forged-id', ts, device_id, actor_user_id, actor_role, 'user.create', resource_kind, resource_id, outcome, context, hash, hash, signature FROM audit_log WHERE seq = 2;",
    );
    let msg = first_bad_entry(&core);
    assert!(msg.contains("entry 3"), "{msg}");
}

#[test]
fn reordered_audit_entries_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    tamper(
        &core,
        "UPDATE audit_log SET seq = -1 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = 4;
         UPDATE audit_log SET seq = 4 WHERE seq = -1;",
    );
    let msg = first_bad_entry(&core);
    assert!(msg.contains("entry 3"), "{msg}");
}

#[test]
fn the_cli_reports_a_broken_chain_with_the_first_bad_entry() {
    let v = Varde::new();
    v.init();
    let core = Core::at(&v.data_dir());
    tamper(&core, "UPDATE audit_log SET context = '{}' WHERE seq = 2");
    v.admin(&["audit", "verify"]).fails_with(1, "audit entry 2");
}

#[test]
fn erasure_destroys_the_data_key_so_copies_of_the_blobs_stay_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    clara.add_document(&id, "scan.png", &png(3)).unwrap();
    drop(clara);
    let backup = tempfile::tempdir().unwrap();
    let copy = |from: &std::path::Path| {
        for shard in std::fs::read_dir(from).unwrap().flatten() {
            for f in std::fs::read_dir(shard.path()).unwrap().flatten() {
                std::fs::copy(f.path(), backup.path().join(f.file_name())).unwrap();
            }
        }
    };
    copy(&dir.path().join("blobs"));
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    let count_keys = |s: &Session| -> i64 {
        s.raw_connection_for_tests()
            .query_row(
                "SELECT count(*) FROM case_keys WHERE case_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(count_keys(&admin), 1);
    admin
        .erase_case(&id, ErasureReason::SubjectRequest, None)
        .unwrap();
    assert_eq!(count_keys(&admin), 0);
    let docs: i64 = admin
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(docs, 0);
    // The backup copy exists but nothing in the store can open it any more.
    assert_eq!(std::fs::read_dir(backup.path()).unwrap().count(), 1);
    assert!(admin
        .list_cases(&CaseQuery::default())
        .unwrap()
        .items
        .is_empty());
}

#[test]
fn a_store_written_by_a_newer_varde_is_refused_untouched() {
    let v = Varde::new();
    v.init();
    let core = Core::at(&v.data_dir());
    let next = varde::api::latest_schema_version() + 1;
    {
        let s = core.sign_in("admin", ADMIN_PW).unwrap();
        s.raw_connection_for_tests()
            .execute(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, 'future', '2031-01-01T00:00:00Z', '0')",
                [next],
            )
            .unwrap();
    }
    let db = v.data_dir().join("varde.db");
    let before = std::fs::read(&db).unwrap();
    v.admin(&["case", "list"])
        .fails_with(1, "written by a newer version of Varde");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn break_glass_never_opens_write_access_to_another_clinicians_case() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    admin.add_user("conrad", Role::Clinician, CLIN2_PW).unwrap();
    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();
    let err = conrad.add_document(&id, "x.pdf", b"%PDF-1.4").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert!(
        conrad
            .open_case(&id, Some("emergency: patient in A&E now"))
            .unwrap()
            .break_glass
    );
}

#[test]
fn a_case_opened_for_review_is_assembled_by_the_core_and_break_glass_is_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    for (name, lines) in [("lab.pdf", ["Kreatinin 80"]), ("note.pdf", ["Epikrise"])] {
        clara.add_document(&id, name, &pdf(&lines)).unwrap();
    }
    // The owner sees the whole case: documents, timeline, names and her actions.
    let detail = clara.case_detail(&id, None).unwrap();
    assert!(!detail.break_glass);
    assert_eq!(detail.documents.len(), 2);
    assert_eq!(detail.created_by_name.as_deref(), Some("clara"));
    assert!(detail.timeline.iter().any(|e| e.action == "case.create"));
    assert!(detail
        .allowed
        .contains(&varde::api::CaseAction::AddDocument));

    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    admin.add_user("conrad", Role::Clinician, CLIN2_PW).unwrap();
    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();
    let detail = conrad
        .case_detail(&id, Some("emergency: patient in A&E now"))
        .unwrap();
    assert!(detail.break_glass);
    assert_eq!(detail.documents.len(), 2);
    assert!(detail.timeline.is_empty());
    assert!(detail.allowed.is_empty(), "{:?}", detail.allowed);

    let mut auditor_view = core.sign_in("admin", ADMIN_PW).unwrap();
    let entries = auditor_view
        .audit_entries(&varde::api::AuditQuery {
            actor: Some("conrad".into()),
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .items;
    let count = |action: &str| entries.iter().filter(|e| e.action == action).count();
    assert_eq!(count("access.break_glass"), 1, "one record for one opening");
    assert_eq!(count("case.view"), 1);
    assert_eq!(count("document.view"), 2);
    assert!(
        entries.iter().all(|e| e.outcome == "success"),
        "no refusal is logged for the timeline: {entries:?}"
    );
}

#[test]
fn a_case_opened_without_a_policy_version_records_the_consent_text_the_store_shows_now() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    let opened = |core: &Core| {
        core.sign_in("clara", CLIN_PW)
            .unwrap()
            .create_case(NewCase {
                kind: Some(CaseKind::Clinical),
                subject_name: SUBJECT_NAME.into(),
                consent_given: true,
                policy_version: None,
                ..NewCase::default()
            })
            .unwrap()
    };
    assert_eq!(opened(&core).consent.policy_version, "2026-01");
    core.sign_in("admin", ADMIN_PW)
        .unwrap()
        .set_setting("consent_policy_version", "2027-02")
        .unwrap();
    assert_eq!(opened(&core).consent.policy_version, "2027-02");
}

/// The whole audit log as exported (JSON lines).
fn exported_log(core: &Core) -> String {
    let mut out = Vec::new();
    core.sign_in("admin", ADMIN_PW)
        .unwrap()
        .export_audit(&mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

fn count_actions(log: &str, action: &str) -> usize {
    let needle = format!("\"action\":\"{action}\"");
    log.lines().filter(|l| l.contains(&needle)).count()
}

const BREAK_GLASS_REASON: &str = "emergency: patient in A&E now";

#[test]
fn reading_the_documents_of_a_case_opened_under_break_glass_adds_no_further_record() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let doc = clara
        .add_document(&id, "scan.png", &png(7))
        .unwrap()
        .document;
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    admin.add_user("conrad", Role::Clinician, CLIN2_PW).unwrap();

    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();
    // Without an opening first, a document of another's case stays closed.
    let err = conrad
        .read_document(&id, &doc.id, None, DocumentPurpose::View)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    assert!(
        conrad
            .case_detail(&id, Some(BREAK_GLASS_REASON))
            .unwrap()
            .break_glass
    );
    // The window reloads the case and reads its documents without repeating the reason.
    assert!(
        conrad
            .case_detail(&id, Some(BREAK_GLASS_REASON))
            .unwrap()
            .break_glass
    );
    conrad
        .read_document(&id, &doc.id, None, DocumentPurpose::View)
        .unwrap();
    conrad.document_detail(&id, &doc.id, None).unwrap();
    conrad.page_preview(&id, &doc.id, 1, 400, None).unwrap();
    // Still no write access.
    let err = conrad.add_document(&id, "x.png", &png(8)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    drop(conrad);
    let log = exported_log(&core);
    assert_eq!(
        count_actions(&log, "access.break_glass"),
        1,
        "one opening, one record"
    );
    assert!(
        log.lines().any(|l| l.contains("\"document.view\"")
            && l.contains("\"success\"")
            && l.contains("\"break_glass\":\"true\"")),
        "the reads are audited as part of the break-glass opening"
    );

    // A new session is a new opening.
    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();
    let err = conrad
        .read_document(&id, &doc.id, None, DocumentPurpose::View)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    conrad.case_detail(&id, Some(BREAK_GLASS_REASON)).unwrap();
    drop(conrad);
    assert_eq!(count_actions(&exported_log(&core), "access.break_glass"), 2);
}

#[test]
fn a_case_is_found_for_break_glass_by_exact_id_or_national_id_and_the_number_is_not_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _) = team(dir.path());
    let fnr = first_valid_fnr("010190", 100);
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    let case = clara
        .create_case(NewCase {
            subject_national_id: Some(fnr.clone()),
            ..clinical_case()
        })
        .unwrap();
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    admin.add_user("conrad", Role::Clinician, CLIN2_PW).unwrap();
    admin.add_user("aud", Role::Auditor, AUD_PW).unwrap();
    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();

    let by_id = conrad.find_case_for_break_glass(&case.id).unwrap().unwrap();
    assert_eq!(by_id.id, case.id);
    assert!(!by_id.own);
    let spaced = format!("{} {}", &fnr[..6], &fnr[6..]);
    let by_fnr = conrad.find_case_for_break_glass(&spaced).unwrap().unwrap();
    assert_eq!(by_fnr.id, case.id);
    // Exact matches only: the start of an id or another valid-looking number finds nothing.
    assert_eq!(
        conrad
            .find_case_for_break_glass(&first_valid_fnr("020290", 100))
            .unwrap(),
        None
    );
    let err = conrad.find_case_for_break_glass(&case.id[..8]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    let err = conrad.find_case_for_break_glass(SUBJECT_NAME).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert_eq!(
        clara
            .find_case_for_break_glass(&fnr)
            .unwrap()
            .map(|c| c.own),
        Some(true)
    );
    let err = core
        .sign_in("aud", AUD_PW)
        .unwrap()
        .find_case_for_break_glass(&fnr)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);

    let log = exported_log(&core);
    assert!(
        !log.contains(&fnr) && !log.contains(&spaced),
        "the number typed is never audited"
    );
    assert!(!log.contains(SUBJECT_NAME) && !log.contains("Qvistbakken"));
    let finds: Vec<_> = log
        .lines()
        .filter(|l| l.contains("\"case.find\""))
        .collect();
    assert_eq!(
        finds.len(),
        5,
        "each search that ran is audited: {finds:#?}"
    );
    assert!(finds
        .iter()
        .any(|l| l.contains("national_id") && l.contains(&case.id)));
    assert!(finds.iter().any(|l| l.contains("\"denied\"")));
}

#[test]
fn an_unreviewed_break_glass_record_outlives_the_erasure_of_its_case_without_phi() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    let reviewed_case = core
        .sign_in("clara", CLIN_PW)
        .unwrap()
        .create_case(clinical_case())
        .unwrap()
        .id;
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    admin.add_user("conrad", Role::Clinician, CLIN2_PW).unwrap();
    admin.add_user("aud", Role::Auditor, AUD_PW).unwrap();
    let mut conrad = core.sign_in("conrad", CLIN2_PW).unwrap();
    conrad.open_case(&id, Some(BREAK_GLASS_REASON)).unwrap();
    conrad
        .open_case(&reviewed_case, Some("second emergency, ward 3"))
        .unwrap();
    let mut aud = core.sign_in("aud", AUD_PW).unwrap();
    let reviewed = aud
        .break_glass_events(true)
        .unwrap()
        .into_iter()
        .find(|e| e.case_id == reviewed_case)
        .unwrap();
    aud.acknowledge_break_glass(&reviewed.id).unwrap();

    admin
        .erase_case(
            &id,
            ErasureReason::SubjectRequest,
            Some("asked by Kjellfrid"),
        )
        .unwrap();
    admin
        .erase_case(&reviewed_case, ErasureReason::EnteredInError, None)
        .unwrap();

    let open = aud.break_glass_events(true).unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    let record = &open[0];
    assert_eq!(record.case_id, id);
    assert_eq!(record.reason, BREAK_GLASS_REASON);
    assert_eq!(record.user_name.as_deref(), Some("conrad"));
    assert!(record.case_erased);
    let as_json = serde_json::to_string(record).unwrap();
    assert!(!as_json.contains("Kjellfrid") && !as_json.contains("Qvistbakken"));
    // The one already reviewed went with its case.
    assert!(aud
        .break_glass_events(false)
        .unwrap()
        .iter()
        .all(|e| e.case_id != reviewed_case));

    // Once read and acknowledged, the record of an erased case has done its work.
    aud.acknowledge_break_glass(&record.id).unwrap();
    assert!(aud.break_glass_events(false).unwrap().is_empty());

    // The chain holds the ids of the break-glass opening, never the reason or the detail.
    let log = exported_log(&core);
    assert_eq!(count_actions(&log, "access.break_glass"), 2);
    for text in [
        BREAK_GLASS_REASON,
        "second emergency",
        "Kjellfrid",
        "Qvistbakken",
    ] {
        assert!(!log.contains(text), "{text} is not in the audit log");
    }
    assert!(log.contains(&record.id));
}

#[test]
fn an_erasure_records_its_reason_code_and_keeps_the_detail_out_of_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (core, id) = team(dir.path());
    let mut admin = core.sign_in("admin", ADMIN_PW).unwrap();
    let too_long = "x".repeat(2001);
    let err = admin
        .erase_case(&id, ErasureReason::Other, Some(&too_long))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        admin.open_case(&id, None).is_ok(),
        "nothing is erased by a refused request"
    );
    admin
        .erase_case(
            &id,
            ErasureReason::Other,
            Some("Kjellfrid Qvistbakken, ref 88-1"),
        )
        .unwrap();
    let left: i64 = admin
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM cases WHERE erasure_detail IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the detail went with the case");
    let log = exported_log(&core);
    let entry = log
        .lines()
        .find(|l| l.contains("\"case.erase\"") && l.contains(&id))
        .unwrap();
    assert!(entry.contains("\"reason\":\"other\""), "{entry}");
    assert!(!log.contains("Kjellfrid") && !log.contains("ref 88-1"));
    assert_eq!(
        "bad".parse::<ErasureReason>().unwrap_err(),
        "the erasure reason must be one of: subject_request, retention, entered_in_error, other (free text goes in the detail)"
    );
}

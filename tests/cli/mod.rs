//! The `varde` CLI driven as a user would: every rule of the core, through the door most scripts
//! and the CI use. Exit codes: 0 ok, 1 other, 2 usage, 3 authentication, 4 not found,
//! 5 conflict, 6 permission denied, 7 invalid input.

mod sync;

use crate::support::*;

#[test]
fn a_case_walks_from_pending_to_approved_and_the_audit_chain_verifies() {
    let v = Varde::with_team();
    let id = v.create_case();
    let created = v.reviewer(&["--json", "case", "show", &id]).ok().json();
    assert_eq!(created["status"], "PENDING");
    assert_eq!(created["version"], 1);
    assert_eq!(created["consent"]["policy_version"], "2026-01");

    let doc = v.file(
        "lab.pdf",
        &pdf(&["Laboratoriesvar", "Hemoglobin 13.2 g/dL"]),
    );
    let added = v
        .clinician(&["--json", "doc", "add", &id, doc.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(added["media_type"], "application/pdf");
    assert_eq!(added["duplicate"], false);

    let started = v
        .reviewer(&["--json", "review", "start", &id, "--expected-version", "2"])
        .ok()
        .json();
    assert_eq!(started["status"], "IN_REVIEW");
    let approved = v
        .reviewer(&[
            "--json",
            "review",
            "approve",
            &id,
            "--expected-version",
            "3",
            "--reason",
            "complete",
        ])
        .ok()
        .json();
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(approved["version"], 4);
    assert_eq!(approved["decision"], "approved");
    assert!(approved["purge_after"].is_string());

    let verify = v.auditor(&["--json", "audit", "verify"]).ok().json();
    assert_eq!(verify["ok"], true);
    assert!(verify["report"]["entries"].as_u64().unwrap() > 10);

    let timeline = v.reviewer(&["--json", "case", "timeline", &id]).ok().json();
    let actions: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "case.create",
        "document.add",
        "review.start",
        "review.approve",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let approve = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "review.approve")
        .unwrap();
    assert_eq!(approve["context"]["human_decision"], "approved");
    assert_eq!(approve["context"]["ai_suggestion"], "none");
    assert_eq!(approve["context"]["divergence"], "no_signal");
}

#[test]
fn approved_is_terminal_and_a_rejected_case_can_be_resubmitted_by_its_owner() {
    let v = Varde::with_team();
    let id = v.create_case();
    v.reviewer(&["review", "start", &id, "--expected-version", "1"])
        .ok();
    v.reviewer(&["review", "reject", &id, "--expected-version", "2"])
        .fails_with(7, "needs a reason");
    let rejected = v
        .reviewer(&[
            "--json",
            "review",
            "reject",
            &id,
            "--expected-version",
            "2",
            "--reason",
            "ID document missing",
        ])
        .ok()
        .json();
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(rejected["decision_reason"], "ID document missing");
    v.clinician2(&["case", "resubmit", &id, "--expected-version", "3"])
        .fails_with(6, "another clinician");
    let again = v
        .clinician(&["--json", "case", "resubmit", &id, "--expected-version", "3"])
        .ok()
        .json();
    assert_eq!(again["status"], "PENDING");
    assert!(again["decision"].is_null());
    v.reviewer(&["review", "start", &id, "--expected-version", "4"])
        .ok();
    v.reviewer(&["review", "approve", &id, "--expected-version", "5"])
        .ok();
    v.reviewer(&[
        "review",
        "reject",
        &id,
        "--expected-version",
        "6",
        "--reason",
        "changed my mind",
    ])
    .fails_with(5, "from APPROVED to REJECTED");
}

#[test]
fn an_invalid_transition_exits_5_naming_both_states() {
    let v = Varde::with_team();
    let id = v.create_case();
    v.reviewer(&["review", "approve", &id, "--expected-version", "1"])
        .fails_with(5, "cannot go from PENDING to APPROVED");
    v.clinician(&["case", "resubmit", &id, "--expected-version", "1"])
        .fails_with(5, "from PENDING to PENDING");
}

#[test]
fn a_stale_version_exits_5_and_says_what_the_version_is_now() {
    let v = Varde::with_team();
    let id = v.create_case();
    v.reviewer(&["review", "start", &id, "--expected-version", "1"])
        .ok();
    let run = v
        .reviewer(&[
            "--json",
            "review",
            "approve",
            &id,
            "--expected-version",
            "1",
        ])
        .fails_with(5, "it is now version 2");
    assert_eq!(run.json()["error"]["code"], "stale_version");
    assert_eq!(v.version_of(&id), 2, "nothing changed");
}

#[test]
fn nobody_reviews_a_case_they_created() {
    let v = Varde::with_team();
    let run = v
        .admin(&[
            "--json",
            "case",
            "create",
            "--kind",
            "identity",
            "--subject-name",
            "Test Person",
            "--consent",
            "--policy-version",
            "1",
        ])
        .ok();
    let id = run.json()["id"].as_str().unwrap().to_string();
    v.admin(&["review", "start", &id, "--expected-version", "1"])
        .fails_with(6, "four-eyes");
    v.clinician(&["review", "start", &id, "--expected-version", "1"])
        .fails_with(6, "clinician may not");
    v.reviewer(&["review", "start", &id, "--expected-version", "1"])
        .ok();
}

#[test]
fn a_wrong_password_exits_3_without_saying_which_part_was_wrong_and_is_audited() {
    let v = Varde::with_team();
    let wrong_pw = v.run_as(Some(("clara", "not the password")), &["case", "list"]);
    let no_user = v.run_as(Some(("nobody", CLIN_PW)), &["case", "list"]);
    for run in [wrong_pw, no_user] {
        let run = run.fails_with(3, "wrong user name or password");
        assert!(!run.stderr.contains("clara") && !run.stderr.contains("nobody"));
    }
    // The failures are written to the audit log at the next successful sign-in.
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    let failures: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("\"auth.login\"") && l.contains("\"failure\""))
        .collect();
    assert_eq!(failures.len(), 2, "{log}");
    assert!(!log.contains("not the password"));
}

#[test]
fn repeated_failed_sign_ins_add_a_growing_delay() {
    let v = Varde::with_team();
    // Three failures are free; the fourth and fifth earn 1 s, then 2 s; the sixth attempt must
    // wait 4 s (long enough to be seen whatever the machine's load).
    for _ in 0..5 {
        let run = v.run_as(Some(("clara", "wrong password!")), &["case", "list"]);
        if run.stderr.contains("too many failed") {
            // The previous failure's delay had not passed yet: wait it out and try again.
            std::thread::sleep(std::time::Duration::from_millis(2100));
            v.run_as(Some(("clara", "wrong password!")), &["case", "list"])
                .fails_with(3, "wrong user name or password");
        } else {
            run.fails_with(3, "wrong user name or password");
        }
    }
    // Even the right password must wait now.
    v.clinician(&["case", "list"])
        .fails_with(3, "too many failed sign-in attempts; try again in");
    std::thread::sleep(std::time::Duration::from_millis(4100));
    v.clinician(&["case", "list"]).ok();
    // A success resets the delay.
    v.run_as(Some(("clara", "wrong password!")), &["case", "list"])
        .fails_with(3, "wrong user name");
    v.clinician(&["case", "list"]).ok();
}

#[test]
fn an_invalid_national_id_is_refused_with_its_reason_and_never_echoed() {
    let v = Varde::with_team();
    let valid = first_valid_fnr("010190", 100);
    let mut typo: Vec<u8> = valid.clone().into_bytes();
    typo[10] = if typo[10] == b'9' { b'0' } else { typo[10] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    for (bad, reason) in [
        (typo.as_str(), "control digits"),
        ("0101901234", "11 digits"),
        ("3213901234x", "only digits"),
        ("32139012345", "not a valid date"),
    ] {
        let run = v
            .clinician(&[
                "case",
                "create",
                "--kind",
                "identity",
                "--subject-name",
                "A B",
                "--subject-id",
                bad,
                "--consent",
                "--policy-version",
                "1",
            ])
            .fails_with(7, reason);
        assert!(
            !run.stderr.contains(&bad[..6]),
            "the number is echoed: {}",
            run.stderr
        );
    }
    let ok = v
        .clinician(&[
            "--json",
            "case",
            "create",
            "--kind",
            "identity",
            "--subject-name",
            "A B",
            "--subject-id",
            &valid,
            "--subject-dob",
            "1990-01-01",
            "--consent",
            "--policy-version",
            "1",
        ])
        .ok();
    assert_eq!(ok.json()["subject"]["national_id"], valid.as_str());
    // A D-nummer (day + 40) is accepted too.
    let d_number = first_valid_fnr("410190", 100);
    v.clinician(&[
        "case",
        "create",
        "--kind",
        "identity",
        "--subject-name",
        "A B",
        "--subject-id",
        &d_number,
        "--consent",
        "--policy-version",
        "1",
    ])
    .ok();
    // The date of birth must agree with the number.
    v.clinician(&[
        "case",
        "create",
        "--kind",
        "identity",
        "--subject-name",
        "A B",
        "--subject-id",
        &valid,
        "--subject-dob",
        "1991-01-01",
        "--consent",
        "--policy-version",
        "1",
    ])
    .fails_with(7, "does not match");
}

#[test]
fn a_case_needs_consent_and_records_the_stores_consent_text_unless_another_is_named() {
    let v = Varde::with_team();
    v.clinician(&[
        "case",
        "create",
        "--kind",
        "clinical",
        "--subject-name",
        "A B",
        "--policy-version",
        "1",
    ])
    .fails_with(7, "consent is required");
    let case = v
        .clinician(&[
            "--json",
            "case",
            "create",
            "--kind",
            "clinical",
            "--subject-name",
            "A B",
            "--consent",
        ])
        .ok()
        .json();
    assert_eq!(case["consent"]["policy_version"], "2026-01");
    v.clinician(&[
        "case",
        "create",
        "--kind",
        "passport",
        "--subject-name",
        "A B",
        "--consent",
        "--policy-version",
        "1",
    ])
    .fails_with(2, "'identity' or 'clinical'");
}

#[test]
fn a_clinician_reads_another_clinicians_case_only_by_break_glass_which_auditors_see() {
    let v = Varde::with_team();
    let id = v.create_case();
    v.clinician2(&["case", "show", &id])
        .fails_with(6, "break-glass");
    v.clinician2(&["case", "show", &id, "--break-glass", "short"])
        .fails_with(6, "at least 10");
    let run = v
        .clinician2(&[
            "--json",
            "case",
            "show",
            &id,
            "--break-glass",
            "patient unconscious in the emergency room",
        ])
        .ok();
    assert_eq!(run.json()["break_glass"], true);
    assert_eq!(run.json()["subject"]["name"], SUBJECT_NAME);
    // Nor does a clinician list others' cases.
    let list = v.clinician2(&["--json", "case", "list"]).ok().json();
    assert_eq!(list["total"], 0);

    let flagged = v.auditor(&["--json", "audit", "break-glass"]).ok().json();
    let events = flagged.as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["case_id"], id.as_str());
    let event_id = events[0]["id"].as_str().unwrap().to_string();
    v.auditor(&["audit", "break-glass", "--ack", &event_id])
        .ok();
    assert_eq!(
        v.auditor(&["--json", "audit", "break-glass"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let log = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(log.lines().any(|l| l.contains("access.break_glass")));
    assert!(log
        .lines()
        .any(|l| l.contains("\"case.view\"") && l.contains("\"denied\"")));
}

#[test]
fn auditors_verify_the_log_but_see_no_case_content() {
    let v = Varde::with_team();
    let id = v.create_case();
    v.auditor(&[
        "case",
        "show",
        &id,
        "--break-glass",
        "curious about this one",
    ])
    .fails_with(6, "auditor may not");
    v.auditor(&["case", "list"])
        .fails_with(6, "auditor may not list cases");
    v.auditor(&["subject", "export", &id])
        .fails_with(6, "auditor");
    v.auditor(&["audit", "verify"]).ok();
    v.clinician(&["audit", "verify"])
        .fails_with(6, "clinician may not read the audit log");
}

#[test]
fn an_oversized_file_is_refused_before_it_is_stored() {
    let v = Varde::with_team();
    v.admin(&["config", "set", "upload_limit_mib", "1"]).ok();
    let id = v.create_case();
    let big = v.file("big.pdf", &vec![b'%'; 1024 * 1024 + 1]);
    v.clinician(&["doc", "add", &id, big.to_str().unwrap()])
        .fails_with(7, "too large");
    let empty = v.file("empty.pdf", b"");
    v.clinician(&["doc", "add", &id, empty.to_str().unwrap()])
        .fails_with(7, "empty");
    v.clinician(&["doc", "add", &id, "/nonexistent/file.pdf"])
        .fails_with(7, "cannot read the file");
    let shown = v.reviewer(&["--json", "case", "show", &id]).ok().json();
    assert_eq!(shown["documents"].as_array().unwrap().len(), 0);
    assert_eq!(shown["version"], 1);
    assert!(
        !v.data_dir().join("blobs").exists()
            || std::fs::read_dir(v.data_dir().join("blobs"))
                .unwrap()
                .count()
                == 0
    );
}

#[test]
fn a_document_round_trips_and_duplicates_across_cases_are_flagged() {
    let v = Varde::with_team();
    let a = v.create_case();
    let b = v.create_case();
    let bytes = png(7);
    let f = v.file("scan.png", &bytes);
    let first = v
        .clinician(&["--json", "doc", "add", &a, f.to_str().unwrap()])
        .ok()
        .json();
    let second = v
        .clinician(&["--json", "doc", "add", &b, f.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(first["duplicate"], false);
    assert_eq!(second["duplicate"], true);
    assert_eq!(first["sha256"], second["sha256"]);
    let out = v.path().join("back.png");
    let doc_id = first["id"].as_str().unwrap();
    v.reviewer(&["doc", "get", &a, doc_id, "--out", out.to_str().unwrap()])
        .ok();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    v.reviewer(&["doc", "get", &a, doc_id, "--out", out.to_str().unwrap()])
        .fails_with(1, "must not exist");
    v.reviewer(&["doc", "get", &b, doc_id, "--out", "/tmp/x"])
        .fails_with(4, "not found");
    // No documents while a reviewer is looking at the case.
    v.reviewer(&["review", "start", &a, "--expected-version", "2"])
        .ok();
    v.clinician(&["doc", "add", &a, f.to_str().unwrap()])
        .fails_with(7, "PENDING or REJECTED");
}

#[test]
fn unknown_ids_exit_4_and_bad_usage_exits_2() {
    let v = Varde::with_team();
    v.reviewer(&["case", "show", "no-such-case"])
        .fails_with(4, "case no-such-case not found");
    v.reviewer(&["review", "start", "no-such-case", "--expected-version", "1"])
        .fails_with(4, "not found");
    v.reviewer(&["case", "frobnicate"])
        .fails_with(2, "unrecognized subcommand");
    v.reviewer(&["review", "start"]).fails_with(2, "required");
    let fresh = Varde::new();
    fresh
        .run_as(Some(("admin", ADMIN_PW)), &["case", "list"])
        .fails_with(4, "varde init");
}

#[test]
fn init_refuses_an_existing_store_and_short_passwords() {
    let v = Varde::new();
    let mut c = v.command();
    c.args(["init", "--admin", "admin"])
        .env("VARDE_PASSWORD", "short");
    let o = c.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    v.init();
    let mut c = v.command();
    c.args(["init", "--admin", "admin"])
        .env("VARDE_PASSWORD", ADMIN_PW);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
}

#[test]
fn init_never_replaces_a_store_whose_slot_file_went_missing_and_signing_in_says_how_to_restore_it()
{
    let v = Varde::with_team();
    let case = v.create_case();
    let dir = v.data_dir();
    let db_before = std::fs::read(dir.join("varde.db")).unwrap();
    let aside = v.path().join("keyslots.json.moved");
    std::fs::rename(dir.join("keyslots.json"), &aside).unwrap();
    let backup_aside = v.path().join("keyslots.backup.json.moved");
    std::fs::rename(dir.join("keyslots.backup.json"), &backup_aside).unwrap();

    let mut c = v.command();
    c.args(["init", "--admin", "eve"])
        .env("VARDE_PASSWORD", "eve's long passphrase");
    let o = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0), "init over a store is refused");
    assert!(
        stderr.contains("keyslots.json and")
            && stderr.contains("keyslots.backup.json are both missing")
            && stderr.contains("from a backup"),
        "the refusal says what is missing and how to restore it: {stderr}"
    );
    assert_eq!(
        std::fs::read(dir.join("varde.db")).unwrap(),
        db_before,
        "the database is untouched"
    );
    let signing_in = v.clinician(&["case", "show", &case]);
    assert!(
        signing_in.stderr.contains("are both missing"),
        "{}",
        signing_in.stderr
    );

    // Either copy restores the store: the backup alone, and the primary is rewritten from it.
    std::fs::rename(&backup_aside, dir.join("keyslots.backup.json")).unwrap();
    let restored = v.clinician(&["case", "show", &case]).ok();
    assert!(
        restored.stderr.contains("rewrote it"),
        "{}",
        restored.stderr
    );
    assert_eq!(
        std::fs::read(dir.join("keyslots.json")).unwrap(),
        std::fs::read(dir.join("keyslots.backup.json")).unwrap()
    );
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        std::fs::read(dir.join("keyslots.json")).unwrap()
    );
}

#[test]
fn an_init_cut_off_before_its_key_was_saved_is_started_over_and_the_database_is_private() {
    let v = Varde::new();
    let dir = v.data_dir();
    std::fs::create_dir_all(&dir).unwrap();
    // What a crash between creating the database and saving its key slot leaves.
    std::fs::write(dir.join("init.incomplete"), b"").unwrap();
    std::fs::write(dir.join("varde.db"), b"unreadable leftovers").unwrap();
    v.init();
    assert!(!dir.join("init.incomplete").exists());
    v.admin(&["case", "list"]).ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("varde.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the database is the owner's only");
    }
}

#[test]
fn changing_a_password_and_removing_a_user_take_effect_at_once() {
    let v = Varde::with_team();
    v.run_with(
        Some(("rita", REV_PW)),
        Some("rita's new passphrase"),
        &["user", "passwd"],
    )
    .ok();
    v.reviewer(&["case", "list"])
        .fails_with(3, "wrong user name or password");
    v.run_as(Some(("rita", "rita's new passphrase")), &["case", "list"])
        .ok();
    v.clinician(&["case", "list"]).ok();
    // Only admins change others' passwords or manage users.
    v.run_with(
        Some(("clara", CLIN_PW)),
        Some("whatever passphrase"),
        &["user", "passwd", "rita"],
    )
    .fails_with(6, "manage users");
    v.admin(&["user", "remove", "conrad"]).ok();
    v.clinician2(&["case", "list"])
        .fails_with(3, "wrong user name or password");
    v.admin(&["user", "remove", "admin"])
        .fails_with(7, "last admin");
    let users = v.admin(&["--json", "user", "list"]).ok().json();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["admin", "aud", "clara", "rita"]);
}

#[test]
fn the_recovery_code_resets_a_forgotten_admin_password() {
    let v = Varde::new();
    let code = v.init();
    let mut c = v.command();
    c.args(["recover", "--user", "admin"])
        .env("VARDE_RECOVERY_CODE", code.to_lowercase())
        .env("VARDE_NEW_PASSWORD", "a fresh admin passphrase");
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    v.admin(&["config", "show"])
        .fails_with(3, "wrong user name or password");
    v.run_as(
        Some(("admin", "a fresh admin passphrase")),
        &["config", "show"],
    )
    .ok();
    let mut c = v.command();
    c.args(["recover", "--user", "admin"])
        .env("VARDE_RECOVERY_CODE", "AAAA-BBBB-CCCC")
        .env("VARDE_NEW_PASSWORD", "another passphrase!!");
    assert_eq!(c.output().unwrap().status.code(), Some(3));
}

#[test]
fn listing_filters_by_status_and_kind_searches_by_name_and_pages() {
    let v = Varde::with_team();
    let ids: Vec<String> = (0..3).map(|_| v.create_case()).collect();
    v.clinician(&[
        "case",
        "create",
        "--kind",
        "identity",
        "--subject-name",
        "Ola Nordmann",
        "--consent",
        "--policy-version",
        "1",
    ])
    .ok();
    v.reviewer(&["review", "start", &ids[0], "--expected-version", "1"])
        .ok();
    let pending = v
        .reviewer(&["--json", "case", "list", "--status", "PENDING"])
        .ok()
        .json();
    assert_eq!(pending["total"], 3);
    let in_review = v
        .reviewer(&["--json", "case", "list", "--status", "in_review"])
        .ok()
        .json();
    assert_eq!(in_review["items"][0]["id"], ids[0].as_str());
    let identity = v
        .reviewer(&["--json", "case", "list", "--kind", "identity"])
        .ok()
        .json();
    assert_eq!(identity["total"], 1);
    let found = v
        .reviewer(&["--json", "case", "list", "--search", "nordMANN"])
        .ok()
        .json();
    assert_eq!(found["total"], 1);
    let page = v
        .reviewer(&["--json", "case", "list", "--limit", "2", "--offset", "2"])
        .ok()
        .json();
    assert_eq!(page["total"], 4);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    // The search text is never written to the audit log.
    assert!(!v
        .auditor(&["audit", "export"])
        .ok()
        .stdout
        .contains("nordMANN"));
}

#[test]
fn settings_are_admin_only_audited_and_cloud_processing_is_off_by_default() {
    let v = Varde::with_team();
    let cfg = v.admin(&["--json", "config", "show"]).ok().json();
    assert_eq!(cfg["allow_cloud_processing"], false);
    assert_eq!(cfg["retention_days"], 365);
    assert_eq!(cfg["upload_limit_mib"], 20);
    assert_eq!(cfg["ai_confidence_threshold"], 0.7);
    v.reviewer(&["config", "set", "retention_days", "10"])
        .fails_with(6, "change settings");
    v.admin(&["config", "set", "ai_confidence_threshold", "2"])
        .fails_with(7, "between 0 and 1");
    v.admin(&["config", "set", "retention_days", "30"]).ok();
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(log
        .lines()
        .any(|l| l.contains("settings.change") && l.contains("\"new\":\"30\"")));
    assert!(log
        .lines()
        .any(|l| l.contains("settings.change") && l.contains("\"denied\"")));
}

#[test]
fn erasure_removes_the_case_and_its_files_leaving_only_audit_entries() {
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file("lab.pdf", &pdf(&["synthetic"]));
    v.clinician(&["doc", "add", &id, f.to_str().unwrap()]).ok();
    let blobs_before: Vec<_> = v
        .data_files()
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains("/blobs/"))
        .collect();
    assert_eq!(blobs_before.len(), 1);
    v.reviewer(&["erase", &id, "--reason", "subject_request"])
        .fails_with(6, "erase");
    v.admin(&["case", "show", &id]).ok();
    v.admin(&["erase", &id]).fails_with(2, "--reason");
    v.admin(&["case", "show", &id]).ok();
    v.admin(&["erase", &id, "--reason", "the subject asked us"])
        .fails_with(
            2,
            "one of: subject_request, retention, entered_in_error, other",
        );
    v.admin(&["case", "show", &id]).ok();
    v.admin(&[
        "erase",
        &id,
        "--reason",
        "subject_request",
        "--detail",
        "Kjellfrid Qvistbakken wrote on 2026-11-30, letter 4411",
    ])
    .ok();
    v.reviewer(&["case", "show", &id])
        .fails_with(4, "not found");
    assert!(v
        .data_files()
        .iter()
        .all(|(p, _)| !p.to_string_lossy().contains("/blobs/") || p.is_dir()));
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    let erasure = log
        .lines()
        .find(|l| l.contains("\"case.erase\"") && l.contains(&id) && l.contains("success"))
        .expect("the erasure is audited");
    assert!(
        erasure.contains("\"reason\":\"subject_request\""),
        "{erasure}"
    );
    assert!(erasure.contains("\"detail_given\":\"true\""), "{erasure}");
    for part in ["Kjellfrid", "Qvistbakken", "letter 4411"] {
        assert!(
            !log.contains(part),
            "the detail is not in the audit log: {part}"
        );
    }
    assert!(log
        .lines()
        .any(|l| l.contains("\"case.create\"") && l.contains(&id)));
    v.auditor(&["audit", "verify"]).ok();
}

#[test]
fn case_erase_is_the_same_command_as_erase() {
    let v = Varde::with_team();
    let id = v.create_case();
    v.admin(&["case", "erase", &id, "--reason", "entered_in_error"])
        .ok();
    v.admin(&["case", "show", &id]).fails_with(4, "not found");
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(log.lines().any(|l| l.contains("\"case.erase\"")
        && l.contains("\"reason\":\"entered_in_error\"")
        && l.contains("\"detail_given\":\"false\"")));
}

#[test]
fn closed_cases_past_retention_are_purged_at_the_next_start() {
    let v = Varde::with_team();
    v.admin(&["config", "set", "retention_days", "0"]).ok();
    let closed = v.create_case();
    let open = v.create_case();
    v.reviewer(&["review", "start", &closed, "--expected-version", "1"])
        .ok();
    v.reviewer(&["review", "approve", &closed, "--expected-version", "2"])
        .ok();
    // Any start of Varde purges what is due; `varde purge` does it on demand.
    v.reviewer(&["case", "show", &closed])
        .fails_with(4, "not found");
    v.reviewer(&["case", "show", &open]).ok();
    let report = v.admin(&["--json", "purge"]).ok().json();
    assert_eq!(report["purged_cases"].as_array().unwrap().len(), 0);
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(log
        .lines()
        .any(|l| l.contains("\"case.purge\"") && l.contains(&closed) && l.contains("retention")));
}

#[test]
fn a_subject_export_holds_everything_stored_about_them() {
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file("lab.pdf", &pdf(&["synthetic"]));
    v.clinician(&["doc", "add", &id, f.to_str().unwrap()]).ok();
    v.clinician(&["subject", "export", &id])
        .fails_with(6, "export");
    let export: serde_json::Value =
        serde_json::from_str(&v.admin(&["subject", "export", &id]).ok().stdout).unwrap();
    assert_eq!(export["case"]["subject"]["name"], SUBJECT_NAME);
    assert!(export["documents"][0]["content_base64"]
        .as_str()
        .unwrap()
        .starts_with("JVBERi0xLjQ"));
    assert!(export["audit_trail"].as_array().unwrap().len() >= 2);
    let log = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(log.lines().any(|l| l.contains("\"subject.export\"")));
}

#[test]
fn no_file_in_the_data_directory_and_no_log_line_holds_phi_after_a_full_scenario() {
    let v = Varde::with_team();
    // A session held open keeps the write-ahead log on disk, so it is searched too.
    let _held_open = varde::Varde::at(&v.data_dir())
        .sign_in("admin", ADMIN_PW)
        .unwrap();
    let national_id = first_valid_fnr("150385", 400);
    let doc_text = "Hemoglobin 11.2 g/dL Zyqwa-marker";
    let mut logs = String::new();
    let mut run = |user: (&str, &str), args: &[&str]| {
        let mut full = vec!["--log-level", "trace", "--log-format", "json"];
        full.extend_from_slice(args);
        let r = v.run_as(Some(user), &full).ok();
        logs.push_str(&r.stderr);
        r
    };
    let created = run(
        ("clara", CLIN_PW),
        &[
            "--json",
            "case",
            "create",
            "--kind",
            "clinical",
            "--subject-name",
            SUBJECT_NAME,
            "--subject-id",
            &national_id,
            "--subject-dob",
            "1985-03-15",
            "--consent",
            "--policy-version",
            "1",
        ],
    );
    let id = created.json()["id"].as_str().unwrap().to_string();
    let f = v.file("report.pdf", &pdf(&["Laboratoriesvar", doc_text]));
    run(
        ("clara", CLIN_PW),
        &["doc", "add", &id, f.to_str().unwrap(), "--wait"],
    );
    run(
        ("rita", REV_PW),
        &["case", "list", "--search", SUBJECT_NAME],
    );
    run(("rita", REV_PW), &["case", "show", &id]);
    run(
        ("rita", REV_PW),
        &["review", "start", &id, "--expected-version", "2"],
    );
    run(
        ("rita", REV_PW),
        &[
            "review",
            "reject",
            &id,
            "--expected-version",
            "3",
            "--reason",
            "blurred scan",
        ],
    );
    run(
        ("conrad", CLIN2_PW),
        &[
            "case",
            "show",
            &id,
            "--break-glass",
            "covering for clara today",
        ],
    );
    let export = run(("aud", AUD_PW), &["audit", "export"]).stdout;
    run(("aud", AUD_PW), &["audit", "verify"]);
    assert!(
        logs.contains("\"level\":\"TRACE\"") || logs.contains("\"level\":\"DEBUG\""),
        "trace logging is on"
    );

    let phi = [
        SUBJECT_NAME,
        "Kjellfrid",
        "Qvistbakken",
        national_id.as_str(),
        "Zyqwa-marker",
        "Hemoglobin",
    ];
    for needle in phi {
        assert!(!logs.contains(needle), "log contains {needle}");
        assert!(!export.contains(needle), "audit export contains {needle}");
        for (path, bytes) in v.data_files() {
            assert!(
                !contains(&bytes, needle),
                "{} contains {needle}",
                path.display()
            );
        }
    }
    // The WAL and the blobs were among the files searched.
    let names: Vec<String> = v
        .data_files()
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("varde.db-wal")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.contains("/blobs/")), "{names:?}");
}

#[test]
fn the_demo_walks_a_case_to_approved_with_the_audit_chain_verified() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("demo")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("PENDING"));
    assert!(text.contains("APPROVED"));
    assert!(text.contains("Audit chain verified"));
}

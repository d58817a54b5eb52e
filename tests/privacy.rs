//! Nothing personal where it would stay: nothing a user typed where an id belongs, and no name
//! typed at sign-in, reaches the permanent audit log or the failed-sign-in file (never erased, so
//! they must never hold PHI); and a subject's name and number need not be typed as arguments,
//! which `ps` and the shell's history keep.

use crate::support::*;

const TYPED_NAME: &str = "Kari Nordmann";
const TYPED_NUMBER: &str = "01019012345";

#[test]
fn a_name_typed_where_an_id_belongs_is_refused_and_recorded_as_malformed() {
    let v = Varde::with_team();
    let case_id = v.create_case();
    v.reviewer(&["case", "show", TYPED_NAME])
        .fails_with(4, "not found");
    v.reviewer(&["case", "timeline", TYPED_NUMBER])
        .fails_with(4, "not found");
    v.reviewer(&["doc", "show", &case_id, TYPED_NAME])
        .fails_with(4, "not found");
    v.auditor(&["audit", "break-glass", "--ack", TYPED_NAME])
        .fails_with(4, "not found");
    let log = v.admin(&["audit", "export"]).ok().stdout;
    for typed in [TYPED_NAME, TYPED_NUMBER, "Kari", "Nordmann"] {
        assert!(!log.contains(typed), "{typed} reached the audit log");
    }
    assert!(
        log.contains("\"malformed\""),
        "the refusals are still recorded"
    );
    assert!(
        log.contains(&case_id),
        "well-formed ids are recorded as they are"
    );
}

#[test]
fn a_name_typed_as_the_user_at_a_failed_sign_in_is_kept_nowhere() {
    let v = Varde::with_team();
    v.run_as(
        Some((TYPED_NAME, "not anybody's password")),
        &["case", "list"],
    )
    .fails_with(3, "wrong user name or password");
    let failures = std::fs::read(v.data_dir().join("auth-failures.json")).unwrap();
    assert!(!contains(&failures, "Kari") && !contains(&failures, "Nordmann"));
    // The failure is audited at the next sign-in, still without the name.
    let log = v.admin(&["audit", "export"]).ok().stdout;
    assert!(log.contains("wrong_credentials"));
    assert!(!log.contains("Kari") && !log.contains("Nordmann"));
}

#[test]
fn a_case_subject_comes_from_a_file_or_standard_input_instead_of_the_arguments() {
    let v = Varde::with_team();
    let fnr = first_valid_fnr("010190", 100);
    let file = v.file(
        "subject.json",
        format!(
            r#"{{"name": "{TYPED_NAME}", "date_of_birth": "1990-01-01", "national_id": "{fnr}"}}"#
        )
        .as_bytes(),
    );
    let base = [
        "--json",
        "case",
        "create",
        "--kind",
        "identity",
        "--consent",
    ];
    let mut args = base.to_vec();
    args.extend(["--subject-file", file.to_str().unwrap()]);
    let created = v.clinician(&args).ok().json();
    assert_eq!(created["subject"]["name"], TYPED_NAME);
    assert_eq!(created["subject"]["national_id"], fnr.as_str());

    let mut c = v.command();
    c.args(["--user", "clara"])
        .env("VARDE_PASSWORD", CLIN_PW)
        .args(base)
        .args(["--subject-file", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"name": "Ola Nordmann"}"#)
        .unwrap();
    let from_stdin = output_to_run(child.wait_with_output().unwrap()).ok().json();
    assert_eq!(from_stdin["subject"]["name"], "Ola Nordmann");
}

#[test]
fn without_a_subject_or_with_a_broken_subject_file_no_case_is_created_and_nothing_is_echoed() {
    let v = Varde::with_team();
    let base = ["case", "create", "--kind", "clinical", "--consent"];
    let run = v.clinician(&base);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("--subject-file"), "{}", run.stderr);
    let broken = v.file(
        "subject.json",
        format!("{{\"name\": \"{TYPED_NAME}\",").as_bytes(),
    );
    let mut args = base.to_vec();
    args.extend(["--subject-file", broken.to_str().unwrap()]);
    let run = v.clinician(&args);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("not a JSON object"), "{}", run.stderr);
    assert!(!run.stderr.contains("Kari"), "{}", run.stderr);
    let listed = v.clinician(&["--json", "case", "list"]).ok().json();
    assert_eq!(listed["total"], 0);
}

//! The document worker's sandbox and the parent's distrust of it, shown with faults injected into
//! the worker (debug builds): a worker that tries to read the data directory, reach a loopback
//! port or read its parent's environment is stopped and its job fails with the reason; an answer
//! that fails the parent's checks is never stored, and its strings reach no log; each case's
//! documents get their own worker. The same runs show a normal analysis still succeeding.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

/// A string only a hostile worker's answer holds, to look for in logs.
const WORKER_MARKER: &str = "Hostile Workerstring 31129912345";

/// `varde --json analyze FILE` with the worker fault `fault`; also returns how long it took.
fn analyze_with_fault(file: &Path, fault: &str, env: &[(&str, &str)]) -> (Run, Duration) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_varde"));
    c.args(["--json", "analyze", "--timeout", "30"])
        .arg(file)
        .env("VARDE_WORKER_FAULT", fault);
    for (k, v) in env {
        c.env(k, v);
    }
    let start = Instant::now();
    let run = output_to_run(c.output().unwrap());
    (run, start.elapsed())
}

/// Asserts that `run` is a refusal (exit 7) with `code` and a message containing `words`.
#[track_caller]
fn assert_refused(run: &Run, code: &str, words: &str) {
    assert_eq!(run.code, 7, "{}", run.stderr);
    let e = run.json();
    assert_eq!(e["error"]["code"], code, "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
}

fn lab_report(dir: &Path) -> std::path::PathBuf {
    let f = dir.join("lab.pdf");
    std::fs::write(&f, varde::pipeline::samples::lab_report_pdf()).unwrap();
    f
}

/// Runs `varde worker` as the reviewer with the worker fault `fault` (none if empty) and the
/// log at debug level; returns the run report and the log (stderr).
fn run_worker(v: &Varde, fault: &str, extra: &[&str]) -> (serde_json::Value, String) {
    let mut c = v.command();
    c.args(["--user", "rita", "--log-level", "debug", "--json", "worker"])
        .args(extra)
        .env("VARDE_PASSWORD", REV_PW);
    if !fault.is_empty() {
        c.env("VARDE_WORKER_FAULT", fault);
    }
    let run = output_to_run(c.output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    (run.json(), run.stderr)
}

#[test]
fn a_worker_cannot_read_the_data_directory_its_job_fails_with_the_reason_and_a_clean_one_succeeds()
{
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file("lab.pdf", &varde::pipeline::samples::lab_report_pdf());
    let added = v
        .clinician(&["--json", "doc", "add", &id, f.to_str().unwrap()])
        .ok()
        .json();
    let doc_id = added["id"].as_str().unwrap().to_string();
    let db = v.data_dir().join("varde.db");
    assert!(std::fs::read(&db).is_ok(), "the file is there to be read");
    let (report, log) = run_worker(&v, &format!("open:{}", db.display()), &[]);
    assert_eq!(report["dead"], 1, "{report}");
    let dead = v
        .reviewer(&["--json", "jobs", "list", "--status", "dead"])
        .ok()
        .json();
    let last_error = dead[0]["last_error"].as_str().unwrap();
    assert!(
        last_error.contains("sandbox denied it reading a file"),
        "{last_error}"
    );
    let audit = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(audit
        .lines()
        .any(|l| l.contains("\"job.dead\"") && l.contains("\"access_denied\"")));
    assert!(log.contains("access_denied"), "{log}");
    // The same worker start-up, without the fault, analyses the document under its sandbox.
    let job_id = dead[0]["id"].as_str().unwrap();
    v.reviewer(&["jobs", "retry", job_id]).ok();
    let (report, log) = run_worker(&v, "", &[]);
    assert_eq!(report["done"], 1, "{report}");
    assert!(
        log.contains("landlock+seccomp"),
        "the worker said it is sandboxed: {log}"
    );
    let doc = v
        .reviewer(&["--json", "doc", "show", &id, &doc_id])
        .ok()
        .json();
    assert_eq!(doc["analysis"]["classification"]["label"], "lab_report");
}

#[test]
fn a_worker_cannot_connect_to_a_loopback_port() {
    let dir = tempfile::tempdir().unwrap();
    let file = lab_report(dir.path());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let (run, _) = analyze_with_fault(&file, &format!("connect:{address}"), &[]);
    assert_refused(&run, "access_denied", "connecting to a TCP port");
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the listener saw a connection: {other:?}"),
    }
    // The port was open to anyone not sandboxed.
    let _client = std::net::TcpStream::connect(address).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert!(listener.accept().is_ok());
}

#[test]
fn a_worker_cannot_read_its_parents_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = lab_report(dir.path());
    let secret = "parent-only password 7f3a";
    let (run, _) = analyze_with_fault(&file, "parent-environ", &[("VARDE_PASSWORD", secret)]);
    assert_refused(&run, "access_denied", "reading its parent's environment");
    assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    // Without a sandbox the same read works: the test reads its own child's file the same way.
    let mut child = Command::new("sleep")
        .arg("5")
        .env("VARDE_PASSWORD", secret)
        .spawn()
        .unwrap();
    // Once it has started (its environment is set at exec).
    std::thread::sleep(Duration::from_millis(300));
    let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(String::from_utf8_lossy(&environ).contains(secret));
}

#[test]
fn an_answer_to_another_request_or_a_frame_over_the_cap_is_refused_and_the_worker_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let file = lab_report(dir.path());
    for (fault, words) in [
        ("wrong-id", "answered another request"),
        (
            "oversized-reply",
            "frame larger than the upload limit allows",
        ),
    ] {
        let (run, took) = analyze_with_fault(&file, fault, &[]);
        assert_refused(&run, "worker_reply_invalid", words);
        // Refused when announced, not after waiting for 84 MiB that never come.
        assert!(took < Duration::from_secs(20), "{fault}: {took:?}");
    }
}

#[test]
fn an_answer_that_fails_the_checks_is_never_stored_and_its_strings_reach_no_log() {
    let v = Varde::with_team();
    let id = v.create_case();
    let f = v.file("lab.pdf", &varde::pipeline::samples::lab_report_pdf());
    // At intake: an unknown refusal code is not taken as the reason.
    let mut c = v.command();
    c.args([
        "--user",
        "clara",
        "--log-level",
        "debug",
        "--json",
        "doc",
        "add",
        &id,
    ])
    .arg(&f)
    .env("VARDE_PASSWORD", CLIN_PW)
    .env(
        "VARDE_WORKER_FAULT",
        format!("foreign-code:{WORKER_MARKER}"),
    );
    let add = output_to_run(c.output().unwrap());
    assert_eq!(add.code, 7, "{}", add.stderr);
    assert_eq!(add.json()["error"]["code"], "worker_reply_invalid");
    assert!(!add.stderr.contains(WORKER_MARKER), "{}", add.stderr);
    // In the queue: an analysis with a label the classifier does not have.
    let added = v
        .clinician(&["--json", "doc", "add", &id, f.to_str().unwrap()])
        .ok()
        .json();
    let doc_id = added["id"].as_str().unwrap().to_string();
    let (report, log) = run_worker(&v, &format!("foreign-label:{WORKER_MARKER}"), &[]);
    assert_eq!(report["dead"], 1, "{report}");
    assert!(!log.contains(WORKER_MARKER), "{log}");
    let doc = v
        .reviewer(&["--json", "doc", "show", &id, &doc_id])
        .ok()
        .json();
    assert!(doc["analysis"].is_null(), "{doc}");
    assert!(doc["jobs"][0]["last_error"]
        .as_str()
        .unwrap()
        .contains("a label the classifier does not have"));
    let case = v.reviewer(&["--json", "case", "show", &id]).ok().json();
    assert!(!case.to_string().contains(WORKER_MARKER), "{case}");
    let audit = v.auditor(&["audit", "export"]).ok().stdout;
    assert!(!audit.contains(WORKER_MARKER));
    assert!(audit
        .lines()
        .any(|l| l.contains("\"document.add\"") && l.contains("\"worker_reply_invalid\"")));
    assert!(audit
        .lines()
        .any(|l| l.contains("\"job.dead\"") && l.contains("\"worker_reply_invalid\"")));
}

#[test]
fn each_case_gets_its_own_worker_and_a_refusals_message_stays_out_of_the_log() {
    let v = Varde::with_team();
    let cases = [v.create_case(), v.create_case()];
    for (c, case) in cases.iter().enumerate() {
        for d in 0..2 {
            let f = v.file(
                &format!("doc{c}{d}.pdf"),
                &pdf(&["Laboratoriesvar", &format!("CRP {c}{d} mg/L")]),
            );
            v.clinician(&["doc", "add", case, f.to_str().unwrap()]).ok();
        }
    }
    // One runner, so one worker at a time: a worker counts the tasks it has had.
    let (report, log) = run_worker(&v, "count-tasks", &["--workers", "1"]);
    assert_eq!(report["dead"], 4, "{report}");
    assert!(!log.contains("of this worker"), "{log}");
    for case in &cases {
        let jobs = v
            .reviewer(&["--json", "jobs", "list", "--case", case])
            .ok()
            .json();
        let mut tasks: Vec<String> = jobs
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["last_error"].as_str().unwrap().to_string())
            .collect();
        tasks.sort();
        // Another case's documents never went through the same worker (it would count 3 and 4).
        assert_eq!(
            tasks,
            ["task 1 of this worker", "task 2 of this worker"],
            "case {case}"
        );
    }
}

//! Audit sync from the `varde` CLI to a real `varde-server` on loopback, on SQLite and on
//! PostgreSQL: delivered exactly once, nothing lost while the server is away, and no PHI on it.

use varde_testkit::{
    backends, self_signed_certificate, server_binary, Backend, PgCluster, ServerProcess,
};

use crate::support::*;

fn server_json(server: &ServerProcess, args: &[&str]) -> serde_json::Value {
    let out = server.cli(args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// A run that must succeed; when it did not, the server's log (over all its starts) says why.
#[track_caller]
fn ok_with_server_log(run: Run, server: &ServerProcess, backend: Backend) -> Run {
    if run.code != 0 {
        panic!(
            "{backend:?}: expected success\nstdout: {}\nstderr: {}\nserver log:\n{}",
            run.stdout,
            run.stderr,
            server.log()
        );
    }
    run
}

fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_bytes(&p));
        } else if let Ok(b) = std::fs::read(&p) {
            out.extend(b);
        }
    }
    out
}

/// A real server on `backend` and a workstation (the CLI's team) enrolled with it. The cluster
/// and directories live as long as the returned value.
struct Enrolled {
    server: ServerProcess,
    v: Varde,
    server_dir: tempfile::TempDir,
    _pg: Option<PgCluster>,
}

fn enrolled(backend: Backend, database: &str) -> Enrolled {
    let pg = (backend == Backend::Postgres).then(PgCluster::start);
    let db = pg.as_ref().map(|c| c.create_database(database));
    let server_dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&server_binary(), server_dir.path(), db.as_deref());
    let v = Varde::with_team();
    let token = server_json(&server, &["token", "create", "--site", "clinic", "--json"]);
    v.admin(&[
        "sync",
        "enroll",
        &server.url(),
        "--token",
        token["token"].as_str().unwrap(),
    ])
    .ok();
    Enrolled {
        server,
        v,
        server_dir,
        _pg: pg,
    }
}

#[test]
fn audit_entries_reach_the_server_exactly_once_and_wait_while_it_is_away() {
    for backend in backends() {
        // Every field bound: what is left in a pattern's `..` would be dropped at once.
        let Enrolled {
            mut server,
            v,
            server_dir,
            _pg,
        } = enrolled(backend, "sync");

        let first = v.admin(&["--json", "sync"]).ok().json();
        assert!(
            first["pushed"].as_u64().unwrap() > 0,
            "{backend:?}: {first}"
        );
        assert_eq!(first["status"]["pending"], 0);

        let case = v.create_case();
        v.reviewer(&["--json", "case", "show", &case]).ok();
        server.kill();
        let offline = v.admin(&["--json", "sync"]);
        assert_ne!(
            offline.code, 0,
            "a sync with the server gone fails: {}",
            offline.stdout
        );
        let status = v.admin(&["--json", "sync", "status"]).ok().json();
        assert!(status["pending"].as_u64().unwrap() > 0, "{status}");
        assert!(status["offline_since"].is_string(), "{status}");

        server.restart();
        let back = v.admin(&["--json", "sync"]).ok().json();
        assert_eq!(back["status"]["pending"], 0, "{back}");
        assert_eq!(back["duplicates"], 0, "nothing is sent twice: {back}");
        let local_head = back["status"]["local_head"].as_u64().unwrap();
        assert_eq!(back["status"]["server_head"].as_u64(), Some(local_head));
        let devices = server_json(&server, &["devices", "--json"]);
        assert_eq!(devices[0]["head"].as_u64(), Some(local_head), "{devices}");
        assert_eq!(devices[0]["state"], "ok");
        v.auditor(&["audit", "verify"]).ok();

        let stored = all_bytes(server_dir.path());
        let log = server.log();
        for phi in [SUBJECT_NAME, "1990-01-01"] {
            assert!(
                !String::from_utf8_lossy(&stored).contains(phi),
                "{phi} reached the server's files"
            );
            assert!(!log.contains(phi), "{phi} reached the server's log");
        }
    }
}

#[test]
fn an_air_gapped_workstation_delivers_by_segment_file_and_takes_the_receipt_back() {
    for backend in backends() {
        // Every field bound: what is left in a pattern's `..` would be dropped at once.
        let Enrolled {
            mut server,
            v,
            server_dir: _server_dir,
            _pg,
        } = enrolled(backend, "airgap");
        v.admin(&["sync"]).ok();
        // From here on the workstation has no network: only removable media.
        server.kill();
        let case = v.create_case();
        v.reviewer(&["--json", "case", "show", &case]).ok();
        let media = tempfile::tempdir().unwrap();
        let segment = media.path().join("ws.segment.json");
        let segment_arg = segment.to_str().unwrap();
        v.auditor(&[
            "audit",
            "export",
            "--since-last-receipt",
            "--out",
            segment_arg,
        ])
        .ok();

        // A segment altered on the way is refused and nothing of it is stored.
        let mut forged: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&segment).unwrap()).unwrap();
        let n = forged["entries"].as_array().unwrap().len();
        assert!(n > 2, "the export holds the offline work: {n} entries");
        forged["entries"][1]["action"] = "audit.export".into();
        let forged_path = media.path().join("forged.json");
        std::fs::write(&forged_path, forged.to_string()).unwrap();
        let refused = server.cli(&["import", forged_path.to_str().unwrap(), "--json"]);
        let error: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
        assert_eq!(refused.status.code(), Some(1));
        assert_eq!(error["error"]["code"], "bad_entry", "{backend:?}: {error}");
        let before = server_json(&server, &["devices", "--json"])[0]["head"].clone();

        let imported = server_json(&server, &["import", segment_arg, "--json"]);
        assert_eq!(imported["accepted"].as_u64(), Some(n as u64), "{imported}");
        assert!(imported["head"].as_u64() > before.as_u64(), "{imported}");
        let receipt = imported["receipt_file"].as_str().unwrap().to_string();
        assert_eq!(receipt, format!("{segment_arg}.receipt.json"));
        let again = server_json(
            &server,
            &[
                "import",
                segment_arg,
                "--receipt-out",
                &format!("{segment_arg}.2"),
                "--json",
            ],
        );
        assert_eq!(
            (again["accepted"].as_u64(), again["duplicates"].as_u64()),
            (Some(0), Some(n as u64)),
            "imported twice, stored once: {again}"
        );

        let status = v
            .admin(&["--json", "sync", "import-receipt", &receipt])
            .ok()
            .json();
        assert_eq!(status["server_head"], imported["head"], "{status}");
        // Only what was written after the export waits (the export's, sign-ins' and the
        // import's own entries).
        assert!(status["pending"].as_u64() < Some(4), "{status}");
        v.auditor(&["audit", "verify"]).ok();
        // A receipt is checked against the local chain: one for an entry it does not hold there is
        // refused.
        let mut wrong: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&receipt).unwrap()).unwrap();
        wrong["receipt"]["seq"] = 1.into();
        let wrong_path = media.path().join("wrong.receipt.json");
        std::fs::write(&wrong_path, wrong.to_string()).unwrap();
        let out = v.admin(&["sync", "import-receipt", wrong_path.to_str().unwrap()]);
        assert_ne!(out.code, 0, "a receipt that does not verify is refused");
        assert!(server_json(&server, &["verify", "--json"])["ok"] == true);
    }
}

#[test]
fn a_workstation_syncs_over_https_to_the_certificate_it_pinned_and_refuses_any_other() {
    // TLS is the transport, the same for both storage backends: SQLite here.
    let dir = tempfile::tempdir().unwrap();
    let real = self_signed_certificate(dir.path(), "server");
    let other = self_signed_certificate(dir.path(), "impostor");
    let server_dir = dir.path().join("server-data");
    let tls_args = [
        "--tls-cert",
        real.cert.to_str().unwrap(),
        "--tls-key",
        real.key.to_str().unwrap(),
    ];
    let server = ServerProcess::start_with(&server_binary(), &server_dir, None, &tls_args);
    let url = server.url();
    assert!(url.starts_with("https://"), "{url}");
    let token = || {
        server_json(&server, &["token", "create", "--site", "clinic", "--json"])["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let v = Varde::with_team();

    let wrong = v.admin(&[
        "sync",
        "enroll",
        &url,
        "--token",
        &token(),
        "--pin-sha256",
        &other.fingerprint,
    ]);
    assert_ne!(
        wrong.code, 0,
        "a server whose certificate is not the pinned one is refused"
    );
    assert!(
        wrong.stderr.contains("certificate"),
        "the refusal names the certificate: {}",
        wrong.stderr
    );
    let unpinned = v.admin(&["sync", "enroll", &url, "--token", &token()]);
    assert_ne!(
        unpinned.code, 0,
        "a self-signed certificate without a pin is not trusted"
    );

    v.admin(&[
        "sync",
        "enroll",
        &url,
        "--token",
        &token(),
        "--pin-sha256",
        &real.fingerprint,
    ])
    .ok();
    let synced = v.admin(&["--json", "sync"]).ok().json();
    assert_eq!(synced["status"]["pending"], 0, "{synced}");
    assert!(
        server
            .log()
            .contains(&real.fingerprint.replace(':', "").to_lowercase()),
        "the server logs the fingerprint to pin"
    );

    // Without a certificate, the server refuses to listen beyond loopback.
    let plain = std::process::Command::new(server_binary())
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(dir.path().join("plain"))
        .output()
        .unwrap();
    assert_ne!(plain.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&plain.stderr).contains("--tls-cert"),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
}

/// Starts `varde sync` as its own process (to be killed mid-sync).
fn sync_process(v: &Varde) -> std::process::Child {
    let mut command = v.command();
    command
        .args(["--user", "admin", "sync"])
        .env("VARDE_PASSWORD", ADMIN_PW)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    command.spawn().unwrap()
}

#[test]
fn ten_thousand_entries_made_offline_arrive_exactly_once_though_client_and_server_are_killed_mid_sync(
) {
    for backend in backends() {
        // Every field bound: what is left in a pattern's `..` would be dropped at once.
        let Enrolled {
            mut server,
            v,
            server_dir: _server_dir,
            _pg,
        } = enrolled(backend, "offline");
        v.admin(&["sync"]).ok();
        server.kill();

        // Weeks of work offline: every listing is an audit entry.
        let core = core_at(&v.data_dir());
        let mut rita = core.sign_in("rita", REV_PW).unwrap();
        for _ in 0..10_000 {
            rita.list_cases(&varde::api::CaseQuery::default()).unwrap();
        }
        drop(rita);
        let status = v.admin(&["--json", "sync", "status"]).ok().json();
        assert!(status["pending"].as_u64() > Some(10_000), "{status}");

        server.restart();
        // The client is killed mid-sync, then the server is; each time the next sync resumes.
        let mut client = sync_process(&v);
        std::thread::sleep(std::time::Duration::from_millis(700));
        let _ = client.kill();
        let _ = client.wait();
        let mut client = sync_process(&v);
        std::thread::sleep(std::time::Duration::from_millis(400));
        server.kill();
        let _ = client.wait();
        server.restart();
        let done = ok_with_server_log(v.admin(&["--json", "sync"]), &server, backend).json();
        assert_eq!(done["status"]["pending"], 0, "{backend:?}: {done}");
        let local_head = done["status"]["local_head"].as_u64().unwrap();
        assert_eq!(done["status"]["server_head"].as_u64(), Some(local_head));

        let report = server_json(&server, &["verify", "--json"]);
        assert_eq!(report["ok"], true, "{report}");
        assert_eq!(
            (report["entries"].as_u64(), report["tree_size"].as_u64()),
            (Some(local_head), Some(local_head)),
            "every entry once, none twice, no gap: {report}"
        );
        v.auditor(&["audit", "verify"]).ok();
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn a_store_put_back_from_a_copy_after_a_sync_is_named_by_audit_verify_and_forks_on_the_server() {
    for backend in backends() {
        // Every field bound: what is left in a pattern's `..` would be dropped at once.
        let Enrolled {
            server,
            v,
            server_dir: _server_dir,
            _pg,
        } = enrolled(backend, "rollback");
        v.create_case();
        v.admin(&["sync"]).ok();
        // Someone copies the store, snoops, syncs (or the background sync does), puts it back.
        let backup = tempfile::tempdir().unwrap();
        copy_dir(&v.data_dir(), backup.path());
        let case = v.create_case();
        v.reviewer(&["case", "show", &case]).ok();
        v.admin(&["sync"]).ok();
        std::fs::remove_dir_all(v.data_dir()).unwrap();
        copy_dir(backup.path(), &v.data_dir());

        let verify = v.auditor(&["audit", "verify"]);
        assert_ne!(
            verify.code, 0,
            "{backend:?}: a rolled-back store does not verify"
        );
        assert!(
            verify.stderr.contains("rolled back") || verify.stdout.contains("rolled back"),
            "the rollback is named: {}{}",
            verify.stdout,
            verify.stderr
        );
        v.create_case();
        let sync = v.admin(&["sync"]);
        assert_ne!(sync.code, 0, "the server refuses the rewritten history");
        let devices = server_json(&server, &["devices", "--json"]);
        assert_eq!(devices[0]["state"], "fork_detected", "{devices}");
    }
}

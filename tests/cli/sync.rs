//! Audit sync from the `varde` CLI to a real `varde-server` on loopback, on SQLite and on
//! PostgreSQL: delivered exactly once, nothing lost while the server is away, and no PHI on it.

use varde_testkit::{backends, server_binary, Backend, PgCluster, ServerProcess};

use crate::common::*;

fn server_json(server: &ServerProcess, args: &[&str]) -> serde_json::Value {
    let out = server.cli(args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
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

#[test]
fn audit_entries_reach_the_server_exactly_once_and_wait_while_it_is_away() {
    for backend in backends() {
        let pg = (backend == Backend::Postgres).then(PgCluster::start);
        let db = pg.as_ref().map(|c| c.create_database("sync"));
        let server_dir = tempfile::tempdir().unwrap();
        let mut server = ServerProcess::start(&server_binary(), server_dir.path(), db.as_deref());
        let v = Varde::with_team();
        let token = server_json(&server, &["token", "create", "--site", "clinic", "--json"]);
        v.admin(&[
            "--json",
            "sync",
            "enroll",
            &server.url(),
            "--token",
            token["token"].as_str().unwrap(),
        ])
        .ok();

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

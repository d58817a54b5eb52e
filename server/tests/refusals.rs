//! What the server refuses, with which code, naming which entry, and storing nothing of a
//! refused batch.

use varde_testkit::backends;

use crate::support::{all_bytes, cli_json, start, token, Workstation};

#[test]
fn forged_tampered_and_gapped_batches_are_refused_naming_the_entry_and_nothing_is_stored() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-r");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(6);
        assert_eq!(ws.push(1, 2).0, 200);

        let mut tampered = ws.chain[2..6].to_vec();
        tampered[1].body.action = "case.delete".into();
        let (status, r) = ws.push_entries(&tampered);
        assert_eq!(
            (
                status,
                r["error"]["code"].as_str(),
                r["error"]["seq"].as_u64()
            ),
            (422, Some("bad_entry"), Some(4)),
            "{backend:?}: {r}"
        );

        let mut forged = ws.chain[2..6].to_vec();
        forged[2].signature = forged[1].signature.clone();
        let (status, r) = ws.push_entries(&forged);
        assert_eq!((status, r["error"]["seq"].as_u64()), (422, Some(5)), "{r}");

        let (status, r) = ws.push(4, 6);
        assert_eq!(
            (
                status,
                r["error"]["code"].as_str(),
                r["error"]["seq"].as_u64()
            ),
            (422, Some("broken_chain"), Some(3)),
            "{r}"
        );

        let (_, head) = ws.get("/v1/head");
        assert_eq!(head["head"]["seq"], 2, "a refused batch stores nothing");
        let (status, r) = ws.push(3, 6);
        assert_eq!((status, r["accepted"].as_u64()), (200, Some(4)), "{r}");
    }
}

#[test]
fn a_different_entry_at_a_held_seq_marks_the_device_forked_for_good() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-f");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(5);
        assert_eq!(ws.push(1, 5).0, 200);
        // The store is rolled back to entry 3 and the chain written on differently.
        ws.chain.truncate(3);
        ws.variant = 1;
        ws.record(3);
        let (status, r) = ws.push(3, 6);
        assert_eq!(
            (
                status,
                r["error"]["code"].as_str(),
                r["error"]["seq"].as_u64()
            ),
            (409, Some("fork_detected"), Some(4)),
            "{backend:?}: {r}"
        );
        let (_, head) = ws.get("/v1/head");
        assert_eq!(head["state"], "fork_detected");
        let (status, _) = ws.push(6, 6);
        assert_eq!(status, 409, "the fork stays marked");
        assert_eq!(
            cli_json(&t.server, &["devices", "--json"])[0]["state"],
            "fork_detected"
        );
        let metrics = ureq::get(format!("{}/metrics", t.server.url()))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        assert!(
            metrics.contains("varde_devices{state=\"fork_detected\"} 1"),
            "{metrics}"
        );
        assert!(
            metrics.contains("varde_batches_refused_total{reason=\"fork_detected\"} 2"),
            "{metrics}"
        );
    }
}

#[test]
fn replays_stale_clocks_strangers_revoked_devices_bad_tokens_and_garbage_are_refused() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-x");
        let tok = token(&t.server);
        assert_eq!(ws.enroll("vt_not-a-token").1["error"]["code"], "bad_token");
        assert_eq!(ws.enroll(&tok).0, 200);
        let (status, r) = ws.enroll(&tok);
        assert_eq!(
            (status, r["error"]["message"].as_str()),
            (401, Some("the enrollment token was used already"))
        );
        let mut impostor = Workstation::new(&t.server.url(), "dev-x");
        let (status, r) = impostor.enroll(&token(&t.server));
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (409, Some("already_enrolled")),
            "{r}"
        );
        let (status, _) = ws.enroll(&token(&t.server));
        assert_eq!(status, 200, "the same device and key may enroll again");

        let nonce = "0123456789abcdef0123456789abcdef";
        assert_eq!(ws.send("GET", "/v1/head", b"", None, Some(nonce)).0, 200);
        let (status, r) = ws.send("GET", "/v1/head", b"", None, Some(nonce));
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (401, Some("replayed_request"))
        );
        let old = time::OffsetDateTime::now_utc().unix_timestamp() - 3600;
        let (status, r) = ws.send("GET", "/v1/head", b"", Some(old), None);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (401, Some("stale_timestamp"))
        );

        impostor.id = "dev-unknown".into();
        impostor.record(1);
        let (status, r) = impostor.push(1, 1);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (401, Some("unknown_device"))
        );
        // Signed with another key under this device's id.
        let mut stranger = Workstation::new(&t.server.url(), "dev-x");
        stranger.record(1);
        let (status, r) = stranger.push(1, 1);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (401, Some("bad_request_signature"))
        );

        let (status, r) = ws.send("POST", "/v1/entries", b"{\"entries\": 7}", None, None);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (400, Some("malformed")),
            "{r}"
        );
        ws.record(5001);
        let (status, r) = ws.push(1, 5001);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (413, Some("too_large")),
            "{r}"
        );

        let revoked = cli_json(&t.server, &["device", "revoke", "dev-x", "--json"]);
        assert_eq!(revoked["state"], "revoked");
        let (status, r) = ws.push(1, 5);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (403, Some("revoked_device"))
        );
        let missing = cli_json(&t.server, &["device", "revoke", "dev-nobody", "--json"]);
        assert_eq!(missing["error"]["code"], "not_found");
        assert!(
            !String::from_utf8_lossy(&all_bytes(t.server.data_dir())).contains(&tok),
            "tokens are stored hashed"
        );
    }
}

/// Runs one statement on the server's database behind its back, as an intruder with file or
/// database access would.
fn tamper(server: &varde_testkit::ServerProcess, sql: &str) {
    match server.database() {
        Some(url) => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            client.batch_execute(sql).unwrap();
        }
        None => {
            let db = rusqlite::Connection::open(server.data_dir().join("varde-server.db")).unwrap();
            db.execute_batch(sql).unwrap();
        }
    }
}

#[test]
fn verify_passes_on_what_was_received_and_names_an_entry_edited_in_the_database() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-v");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(40);
        assert_eq!(ws.push(1, 25).0, 200);
        assert_eq!(ws.push(26, 40).0, 200);

        let report = cli_json(&t.server, &["verify", "--json"]);
        assert_eq!(
            (&report["ok"], &report["entries"], &report["tree_size"]),
            (&true.into(), &40.into(), &40.into()),
            "{backend:?}: {report}"
        );
        let admin = cli_json(&t.server, &["admin-token", "create", "auditor", "--json"]);
        let mut resp = ureq::post(format!("{}/v1/admin/verify", t.server.url()))
            .header(
                "authorization",
                format!("Bearer {}", admin["token"].as_str().unwrap()),
            )
            .send_empty()
            .unwrap();
        let over_http: serde_json::Value = resp.body_mut().read_json().unwrap();
        assert_eq!(over_http["ok"], true, "{over_http}");

        tamper(
            &t.server,
            "UPDATE entries SET entry_json = replace(entry_json, 'case.view', 'case.edit') \
             WHERE device_id = 'dev-v' AND seq = 17",
        );
        let out = t.server.cli(&["verify", "--json"]);
        assert_eq!(out.status.code(), Some(1), "a problem found exits 1");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (
                &report["ok"],
                report["problem"]["code"].as_str(),
                report["problem"]["seq"].as_u64()
            ),
            (&false.into(), Some("chain_broken"), Some(17)),
            "{backend:?}: {report}"
        );

        tamper(
            &t.server,
            "UPDATE entries SET entry_json = replace(entry_json, 'case.edit', 'case.view') \
             WHERE device_id = 'dev-v' AND seq = 17; \
             DELETE FROM entries WHERE device_id = 'dev-v' AND seq = 40",
        );
        let report: serde_json::Value =
            serde_json::from_slice(&t.server.cli(&["verify", "--json"]).stdout).unwrap();
        assert_eq!(
            report["problem"]["code"].as_str(),
            Some("head_mismatch"),
            "a truncated store is found: {report}"
        );
    }
}

#[test]
fn an_imported_segment_of_a_stranger_or_signed_by_another_key_is_refused_and_stores_nothing() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-i");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(3);
        let dir = tempfile::tempdir().unwrap();
        let import = |segment: &varde_sync_wire::Segment| {
            let path = dir.path().join("segment.json");
            std::fs::write(&path, serde_json::to_vec(segment).unwrap()).unwrap();
            cli_json(&t.server, &["import", path.to_str().unwrap(), "--json"])
        };
        let other_key = varde_audit_chain::DeviceKey::generate().unwrap().0;
        let forged = varde_sync_wire::Segment::seal(&other_key, "dev-i", ws.chain.clone());
        assert_eq!(import(&forged)["error"]["code"], "bad_request_signature");
        let stranger = varde_sync_wire::Segment::seal(&ws.key, "dev-nobody", ws.chain.clone());
        assert_eq!(import(&stranger)["error"]["code"], "unknown_device");
        let empty = varde_sync_wire::Segment::seal(&ws.key, "dev-i", Vec::new());
        assert_eq!(import(&empty)["error"]["code"], "malformed");
        let devices = cli_json(&t.server, &["devices", "--json"]);
        assert_eq!(devices[0]["head"], 0, "nothing was stored: {devices}");

        let good = varde_sync_wire::Segment::seal(&ws.key, "dev-i", ws.chain.clone());
        assert_eq!(import(&good)["accepted"], 3, "{backend:?}");
    }
}

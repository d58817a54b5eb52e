//! Enrollment, ingest, receipts and proofs: what a workstation relies on, on both backends.

use serde_json::Value;
use varde_sync_wire::{tree, Checkpoint, ConsistencyProof, InclusionProof, Receipt};
use varde_testkit::{backends, server_binary, PgCluster, ServerProcess};

use crate::support::{cli_json, start, token, Workstation};

fn pinned(enrolled: &Value) -> (String, String) {
    (
        enrolled["origin"].as_str().unwrap().to_string(),
        enrolled["server_public_key"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_batch_is_stored_once_with_a_receipt_and_proofs_that_verify() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-a");
        let (status, enrolled) = ws.enroll(&token(&t.server));
        assert_eq!(status, 200, "{backend:?}: {enrolled}");
        let (origin, server_key) = pinned(&enrolled);

        ws.record(10);
        let (status, first) = ws.push(1, 10);
        assert_eq!(status, 200, "{backend:?}: {first}");
        assert_eq!(first["accepted"], 10);
        let receipt: Receipt = serde_json::from_value(first["receipt"].clone()).unwrap();
        assert_eq!(
            (receipt.seq, receipt.entry_hash.as_str()),
            (10, ws.chain[9].hash.as_str())
        );
        let cp10 = receipt.verify(&origin, &server_key).unwrap();
        assert_eq!(cp10.size, 10);

        let (_, proof) = ws.get(&format!(
            "/v1/proof/inclusion?index={}&size=10",
            receipt.tree_index
        ));
        let proof: InclusionProof = serde_json::from_value(proof).unwrap();
        let leaf = tree::leaf_hash("dev-a", 10, &ws.chain[9].hash).unwrap();
        tree::verify_inclusion(&proof, &cp10.root, &leaf).unwrap();
        let other_leaf = tree::leaf_hash("dev-a", 9, &ws.chain[8].hash).unwrap();
        assert!(tree::verify_inclusion(&proof, &cp10.root, &other_leaf).is_err());

        // Resending what the server holds, plus more: the old ones count once.
        ws.record(5);
        let (status, second) = ws.push(6, 15);
        assert_eq!(status, 200, "{second}");
        assert_eq!(
            (second["accepted"].as_u64(), second["duplicates"].as_u64()),
            (Some(5), Some(5))
        );
        let cp15 = Checkpoint::verify(second["checkpoint"].as_str().unwrap(), &origin, &server_key)
            .unwrap();
        assert_eq!(cp15.size, 15);
        let (_, c) = ws.get("/v1/proof/consistency?from=10&to=15");
        let mut c: ConsistencyProof = serde_json::from_value(c).unwrap();
        tree::verify_consistency(&c, &cp10.root, &cp15.root).unwrap();
        c.hashes[0] = "00".repeat(32);
        assert!(tree::verify_consistency(&c, &cp10.root, &cp15.root).is_err());

        let (_, head) = ws.get("/v1/head");
        assert_eq!(head["head"]["seq"], 15);
        assert_eq!(head["head"]["hash"], ws.chain[14].hash.as_str());
        assert_eq!(head["state"], "ok");
        let devices = cli_json(&t.server, &["devices", "--json"]);
        assert_eq!(devices[0]["id"], "dev-a");
        assert_eq!(devices[0]["head"], 15);
        assert_eq!(devices[0]["state"], "ok");
        assert!(devices[0]["last_contact"].is_string());
    }
}

#[test]
fn a_killed_server_restarts_with_everything_it_acknowledged() {
    for backend in backends() {
        let mut t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-k");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(1200);
        let (status, r) = ws.push(1, 1200);
        assert_eq!(status, 200, "{r}");
        t.server.kill();
        t.server.restart();
        let (_, head) = ws.get("/v1/head");
        assert_eq!(head["head"]["seq"], 1200, "{backend:?}");
        let (status, again) = ws.push(1190, 1200);
        assert_eq!((status, again["duplicates"].as_u64()), (200, Some(11)));
        let log = t.server.log();
        assert!(
            !log.contains("case.view") && !log.contains(&ws.chain[0].hash),
            "entries leaked into the log"
        );
    }
}

#[test]
fn two_instances_on_one_postgresql_keep_one_tree() {
    let pg = PgCluster::start();
    let url = pg.create_database("shared");
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let a = ServerProcess::start(&server_binary(), dirs[0].path(), Some(&url));
    let b = ServerProcess::start(&server_binary(), dirs[1].path(), Some(&url));
    let mut one = Workstation::new(&a.url(), "dev-1");
    let mut two = Workstation::new(&b.url(), "dev-2");
    let enrolled = one.enroll(&token(&a)).1;
    assert_eq!(two.enroll(&token(&b)).0, 200);
    let (origin, key) = pinned(&enrolled);
    one.record(300);
    two.record(300);
    std::thread::scope(|s| {
        for (ws, bases) in [
            (&mut one, [a.url(), b.url()]),
            (&mut two, [b.url(), a.url()]),
        ] {
            s.spawn(move || {
                for i in 0..30u64 {
                    ws.base = bases[(i % 2) as usize].clone();
                    let (status, r) = ws.push(i * 10 + 1, i * 10 + 10);
                    assert_eq!(status, 200, "{r}");
                }
            });
        }
    });
    for ws in [&one, &two] {
        // The head again: a duplicate, answered with a receipt for the head's leaf.
        let (status, r) = ws.push(300, 300);
        assert_eq!((status, r["duplicates"].as_u64()), (200, Some(1)), "{r}");
        let receipt: Receipt = serde_json::from_value(r["receipt"].clone()).unwrap();
        let cp = receipt.verify(&origin, &key).unwrap();
        assert_eq!(cp.size, 600, "both devices' entries are in one tree");
        let (_, p) = ws.get(&format!(
            "/v1/proof/inclusion?index={}&size=600",
            receipt.tree_index
        ));
        let p: InclusionProof = serde_json::from_value(p).unwrap();
        let leaf = tree::leaf_hash(&ws.id, 300, &ws.chain[299].hash).unwrap();
        tree::verify_inclusion(&p, &cp.root, &leaf).unwrap();
    }
}

#[test]
fn metrics_show_how_far_each_device_lags_in_entries_and_seconds() {
    for backend in backends() {
        let t = start(backend);
        let mut ws = Workstation::new(&t.server.url(), "dev-lag");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(30);
        // The workstation holds 30 but sends 10 (a batch cut short, more to come).
        let body = serde_json::to_vec(&serde_json::json!({
            "entries": &ws.chain[..10], "local_head": 30,
        }))
        .unwrap();
        assert_eq!(ws.send("POST", "/v1/entries", &body, None, None).0, 200);
        let metrics = ureq::get(format!("{}/metrics", t.server.url()))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        assert!(
            metrics.contains("varde_device_lag_entries{device=\"dev-lag\"} 20"),
            "{backend:?}: {metrics}"
        );
        assert!(
            metrics.contains("varde_device_lag_seconds{device=\"dev-lag\"} 0"),
            "{metrics}"
        );
    }
}

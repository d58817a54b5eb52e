//! The auditors' API and console: a token is needed, devices and fork alerts are listed, and
//! entries are searched with filters and pages.

use serde_json::Value;
use varde_testkit::backends;

use crate::support::{cli_json, start, token, Workstation};

fn get(url: &str, bearer: Option<&str>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut req = agent.get(url);
    if let Some(t) = bearer {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let mut resp = req.call().unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_json().unwrap_or(Value::Null))
}

#[test]
fn auditors_search_entries_by_page_and_filter_with_an_admin_token_only() {
    for backend in backends() {
        let t = start(backend);
        let base = t.server.url();
        let mut ws = Workstation::new(&base, "dev-q");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(250);
        assert_eq!(ws.push(1, 250).0, 200);

        let (status, r) = get(&format!("{base}/v1/admin/devices"), None);
        assert_eq!(
            (status, r["error"]["code"].as_str()),
            (401, Some("unauthorized"))
        );
        assert_eq!(
            get(&format!("{base}/v1/admin/devices"), Some("va_wrong")).0,
            401
        );
        let admin = cli_json(&t.server, &["admin-token", "create", "auditor", "--json"]);
        let tok = admin["token"].as_str().unwrap();
        assert_eq!(
            get(&format!("{base}/v1/admin/whoami"), Some(tok)).1["name"],
            "auditor"
        );

        let (_, devices) = get(&format!("{base}/v1/admin/devices"), Some(tok));
        assert_eq!(
            (devices[0]["id"].as_str(), devices[0]["head"].as_u64()),
            (Some("dev-q"), Some(250)),
            "{backend:?}"
        );

        let mut seen = 0;
        let mut cursor = String::new();
        loop {
            let (status, page) = get(
                &format!("{base}/v1/admin/entries?device=dev-q&limit=100&cursor={cursor}"),
                Some(tok),
            );
            assert_eq!(status, 200, "{page}");
            let entries = page["entries"].as_array().unwrap();
            seen += entries.len();
            assert!(entries.iter().all(|e| e["entry"]["device_id"] == "dev-q"));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen, 250, "every entry once across pages");
        // Entry 75 is at 10:01:15; entries 60..=119 fall in 10:01.
        let (_, page) = get(
            &format!("{base}/v1/admin/entries?since=2026-12-01T10:01:00Z&until=2026-12-01T10:02:00Z&action=case.&actor=u-1&outcome=success"),
            Some(tok),
        );
        assert_eq!(page["entries"].as_array().unwrap().len(), 60, "{page}");
        let (_, none) = get(
            &format!("{base}/v1/admin/entries?until=2026-11-30"),
            Some(tok),
        );
        assert_eq!(none["entries"].as_array().unwrap().len(), 0);
        let (status, bad) = get(
            &format!("{base}/v1/admin/entries?since=yesterday"),
            Some(tok),
        );
        assert_eq!(
            (status, bad["error"]["code"].as_str()),
            (400, Some("malformed"))
        );
        let (_, alerts) = get(&format!("{base}/v1/admin/alerts"), Some(tok));
        assert_eq!(alerts, Value::Array(vec![]));

        let resp = ureq::get(format!("{base}/")).call().unwrap();
        let csp = resp
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
    }
}

/// GET with a bearer token: status, content type and body text.
fn download(url: &str, bearer: &str) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .get(url)
        .header("authorization", format!("Bearer {bearer}"))
        .call()
        .unwrap();
    let kind = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (resp.status().as_u16(), kind, text)
}

#[test]
fn auditors_export_entries_as_json_lines_that_verify_and_as_fhir_audit_events() {
    for backend in backends() {
        let t = start(backend);
        let base = t.server.url();
        let mut ws = Workstation::new(&base, "dev-e");
        assert_eq!(ws.enroll(&token(&t.server)).0, 200);
        ws.record(1200);
        assert_eq!(ws.push(1, 1200).0, 200);
        let mut other = Workstation::new(&base, "dev-o");
        assert_eq!(other.enroll(&token(&t.server)).0, 200);
        other.record(3);
        assert_eq!(other.push(1, 3).0, 200);
        let admin = cli_json(&t.server, &["admin-token", "create", "auditor", "--json"]);
        let bearer = admin["token"].as_str().unwrap();
        assert_eq!(
            get(&format!("{base}/v1/admin/export"), None).0,
            401,
            "an export needs an admin token"
        );

        let (status, kind, text) =
            download(&format!("{base}/v1/admin/export?device=dev-e"), bearer);
        assert_eq!((status, kind.as_str()), (200, "application/x-ndjson"));
        let mut verifier = varde_audit_chain::ChainVerifier::new(&ws.key.public_key_hex()).unwrap();
        for line in text.lines() {
            let row: Value = serde_json::from_str(line).unwrap();
            let entry: varde_audit_chain::Entry =
                serde_json::from_value(row["entry"].clone()).unwrap();
            verifier.push(&entry).expect("the exported chain verifies");
        }
        assert_eq!(verifier.verified(), 1200, "every entry, over several pages");

        let (status, kind, text) = download(
            &format!("{base}/v1/admin/export?format=fhir&device=dev-o"),
            bearer,
        );
        assert_eq!((status, kind.as_str()), (200, "application/fhir+json"));
        let bundle: Value = serde_json::from_str(&text).expect("one JSON Bundle");
        let valid = varde_testkit::validate_fhir_bundle(text.as_bytes(), &["AuditEvent"])
            .expect("an independent FHIR implementation accepts the export");
        assert_eq!(valid.trim(), "AuditEvent 3");
        assert_eq!(
            (&bundle["resourceType"], &bundle["type"]),
            (&"Bundle".into(), &"collection".into())
        );
        let events = bundle["entry"].as_array().unwrap();
        assert_eq!(events.len(), 3, "{backend:?}");
        let event = &events[0]["resource"];
        let first = &other.chain[0];
        assert_eq!(event["resourceType"], "AuditEvent");
        assert_eq!(event["recorded"], first.body.timestamp.as_str());
        assert_eq!(
            (&event["action"], &event["outcome"]),
            (&"R".into(), &"0".into())
        );
        assert_eq!(event["type"]["code"], "rest");
        let subtypes: Vec<&str> = event["subtype"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(subtypes, ["read", "case.view"]);
        assert_eq!(event["agent"][0]["requestor"], true);
        assert_eq!(event["agent"][0]["who"]["identifier"]["value"], "u-1");
        assert_eq!(event["source"]["observer"]["identifier"]["value"], "dev-o");
        assert_eq!(event["source"]["site"], "clinic-a");
        let chain = &event["entity"][1]["detail"];
        assert_eq!(chain[1]["type"], "hash");
        assert_eq!(chain[1]["valueString"], first.hash.as_str());

        let (status, _, text) = download(&format!("{base}/v1/admin/export?format=xml"), bearer);
        assert_eq!(status, 400, "{text}");
        assert!(text.contains("jsonl, fhir"), "{text}");
    }
}

#[test]
fn a_clinic_moves_from_sqlite_to_postgresql_with_its_key_tree_and_devices_and_goes_on() {
    let mut t = start(varde_testkit::Backend::Sqlite);
    let mut ws = Workstation::new(&t.server.url(), "dev-m");
    assert_eq!(ws.enroll(&token(&t.server)).0, 200);
    ws.record(40);
    assert_eq!(ws.push(1, 30).0, 200);
    let (_, before) = ws.get("/v1/head");
    t.server.kill();

    let pg = varde_testkit::PgCluster::start();
    let url = pg.create_database("moved");
    let copied = cli_json(&t.server, &["copy-to", &url, "--json"]);
    assert_eq!(copied["rows"]["entries"], 30, "{copied}");
    let again = cli_json(&t.server, &["copy-to", &url, "--json"]);
    assert!(
        again["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not empty"),
        "{again}"
    );

    let dir = tempfile::tempdir().unwrap();
    let moved = varde_testkit::ServerProcess::start(
        &varde_testkit::server_binary(),
        dir.path(),
        Some(&url),
    );
    ws.base = moved.url();
    let (_, after) = ws.get("/v1/head");
    assert_eq!(
        (&after["head"], &after["checkpoint"]),
        (&before["head"], &before["checkpoint"]),
        "the same device head and the same signed checkpoint"
    );
    let (status, r) = ws.push(31, 40);
    assert_eq!((status, r["accepted"].as_u64()), (200, Some(10)), "{r}");
    let report = cli_json(&moved, &["verify", "--json"]);
    assert_eq!(
        (&report["ok"], &report["tree_size"]),
        (&true.into(), &40.into()),
        "{report}"
    );
}

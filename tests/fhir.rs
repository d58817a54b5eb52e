//! FHIR R4 exports, checked by an independent FHIR implementation (`fhir.resources`, see
//! `varde_testkit::validate_fhir_bundle`), not by Varde's own types.

use crate::support::*;
use varde_testkit::validate_fhir_bundle;

#[test]
fn the_audit_log_exports_as_fhir_audit_events_an_independent_validator_accepts() {
    let v = Varde::with_team();
    let case_id = v.create_case();
    v.reviewer(&["case", "show", &case_id]).ok();
    v.clinician2(&[
        "case",
        "show",
        &case_id,
        "--break-glass",
        "covering for a colleague",
    ])
    .ok();
    let out = v.path().join("audit.fhir.json");
    v.auditor(&[
        "audit",
        "export",
        "--format",
        "fhir",
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let bytes = std::fs::read(&out).unwrap();
    let counted = validate_fhir_bundle(&bytes, &["AuditEvent"]).unwrap();
    let jsonl = v.auditor(&["audit", "export"]).ok().stdout;
    // The JSONL export came after the FHIR one, which it records.
    let entries_then = jsonl.lines().count() - 2;
    assert_eq!(counted.trim(), format!("AuditEvent {entries_then}"));
    assert!(!contains(&bytes, SUBJECT_NAME), "no PHI in the AuditEvents");
    assert!(
        jsonl.contains(r#""format":"fhir""#),
        "the export is audited"
    );
    let bundle: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let actions: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["resource"]["subtype"].as_array().unwrap())
        .filter(|c| c["system"] == "urn:varde:audit-action")
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"access.break_glass"), "{actions:?}");
}

#[test]
fn the_validator_refuses_an_audit_event_missing_a_required_element() {
    let v = Varde::new();
    v.init();
    let text = v
        .admin(&["audit", "export", "--format", "fhir"])
        .ok()
        .stdout;
    let mut bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    bundle["entry"][0]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("recorded");
    let err = validate_fhir_bundle(bundle.to_string().as_bytes(), &["AuditEvent"]).unwrap_err();
    assert!(err.contains("recorded"), "{err}");
}

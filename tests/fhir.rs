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

/// A clinical case of a subject with a national ID number and an analysed lab report.
fn case_with_lab_report(v: &Varde) -> (String, String) {
    let fnr = first_valid_fnr("150385", 400);
    let case_id = v.create_case_with(&["--subject-dob", "1985-03-15", "--subject-id", &fnr]);
    let lab = v.file(
        "lab.pdf",
        &pdf(&[
            "Laboratoriesvar - Klinisk kjemi",
            "Prøvetatt: 20.11.2026   Side 1 av 1",
            "Analyse            Resultat   Enhet    Referanseområde",
            "Hemoglobin (Hb)    11,2       g/dL     13,4 - 17,0",
            "CRP                <5         mg/L     <5",
            "Kreatinin          95         µmol/L   (60-105)",
            "Blodtrykk 142/91 mmHg   Puls 88 /min",
        ]),
    );
    let doc = v.analysed_document(&case_id, &lab);
    assert_eq!(
        doc["analysis"]["classification"]["label"], "lab_report",
        "{doc:#}"
    );
    (case_id, fnr)
}

fn resources<'a>(bundle: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn coded<'a>(bundle: &'a serde_json::Value, loinc: &str) -> &'a serde_json::Value {
    resources(bundle, "Observation")
        .into_iter()
        .find(|o| o["code"]["coding"][0]["code"] == loinc)
        .unwrap_or_else(|| panic!("no Observation {loinc} in {bundle:#}"))
}

#[test]
fn a_case_exports_as_a_fhir_bundle_of_coded_lab_results_an_independent_validator_accepts() {
    let v = Varde::with_team();
    let (case_id, fnr) = case_with_lab_report(&v);
    let out = v.path().join("case.fhir.json");
    let run = v
        .clinician(&[
            "case",
            "export",
            &case_id,
            "--format",
            "fhir",
            "--out",
            out.to_str().unwrap(),
        ])
        .ok();
    assert!(run.stderr.contains("private"), "the command says it is PHI");
    let bytes = std::fs::read(&out).unwrap();
    let types = [
        "Patient",
        "DocumentReference",
        "DiagnosticReport",
        "Observation",
        "Provenance",
    ];
    let counted = validate_fhir_bundle(&bytes, &types).unwrap();
    assert!(counted.contains("DiagnosticReport 1"), "{counted}");
    let bundle: serde_json::Value = serde_json::from_slice(&bytes).unwrap();

    let patient = resources(&bundle, "Patient")[0];
    assert_eq!(patient["identifier"][0]["value"], fnr.as_str());
    assert_eq!(
        patient["identifier"][0]["system"],
        "urn:oid:2.16.578.1.12.4.1.4.1"
    );
    assert_eq!(patient["birthDate"], "1985-03-15");
    assert_eq!(patient["name"][0]["text"], SUBJECT_NAME);

    let hb = coded(&bundle, "718-7");
    assert_eq!(hb["valueQuantity"]["value"], 11.2);
    assert_eq!(hb["valueQuantity"]["system"], "http://unitsofmeasure.org");
    assert_eq!(hb["interpretation"][0]["coding"][0]["code"], "L");
    assert_eq!(hb["referenceRange"][0]["low"]["value"], 13.4);
    assert_eq!(
        hb["status"], "preliminary",
        "machine-read, not yet approved"
    );
    let creatinine = coded(&bundle, "14682-9");
    assert_eq!(creatinine["valueQuantity"]["code"], "umol/L");
    let crp = coded(&bundle, "1988-5");
    assert_eq!(crp["valueQuantity"]["comparator"], "<");
    let bp = coded(&bundle, "85354-9");
    let parts: Vec<(&str, f64)> = bp["component"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"]["coding"][0]["code"].as_str().unwrap(),
                c["valueQuantity"]["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(parts, [("8480-6", 142.0), ("8462-4", 91.0)]);
    assert_eq!(
        coded(&bundle, "8867-4")["category"][0]["coding"][0]["code"],
        "vital-signs"
    );

    let report = resources(&bundle, "DiagnosticReport")[0];
    assert_eq!(
        report["result"].as_array().unwrap().len(),
        resources(&bundle, "Observation").len()
    );
    let document = resources(&bundle, "DocumentReference")[0];
    assert!(
        document["content"][0]["attachment"].get("data").is_none(),
        "no content unless asked"
    );
    let provenance = resources(&bundle, "Provenance")[0];
    assert!(provenance["agent"][0]["who"]["display"]
        .as_str()
        .unwrap()
        .contains("pipeline"));

    let log = v.admin(&["audit", "export"]).ok().stdout;
    assert!(log.contains("case.export"), "the export is audited");
    assert!(
        !log.contains(SUBJECT_NAME) && !log.contains(&fnr),
        "without PHI"
    );
}

#[test]
fn a_case_export_embeds_the_files_only_when_asked_and_only_for_who_may_open_the_case() {
    let v = Varde::with_team();
    let (case_id, _) = case_with_lab_report(&v);
    let with = v
        .reviewer(&["case", "export", &case_id, "--include-content"])
        .ok()
        .stdout;
    let bundle: serde_json::Value = serde_json::from_str(&with).unwrap();
    let data = resources(&bundle, "DocumentReference")[0]["content"][0]["attachment"]["data"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        data.starts_with("JVBERi0"),
        "the PDF, base64: {}",
        &data[..16]
    );
    validate_fhir_bundle(with.as_bytes(), &["DocumentReference"]).unwrap();
    v.clinician2(&["case", "export", &case_id])
        .fails_with(6, "");
}

//! The output contract: what `varde analyze --json` and `varde doc show --json` print is valid
//! against `docs/schema/analysis.schema.json`, checked by an independent JSON Schema validator
//! (boon), for an identity scan, a lab report PDF, a refused file and a document in a case.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

const SCHEMA: &str = "docs/schema/analysis.schema.json";

/// The schema compiled: the `$defs/{def}` entry and the root (one of the outputs).
fn compiled(def: &str) -> (boon::Schemas, boon::SchemaIndex, boon::SchemaIndex) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(SCHEMA)).unwrap()).unwrap();
    let id = schema["$id"].as_str().unwrap().to_string();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&id, schema).unwrap();
    let index = compiler
        .compile(&format!("{id}#/$defs/{def}"), &mut schemas)
        .unwrap_or_else(|e| panic!("{SCHEMA} does not compile: {e}"));
    let root_index = compiler.compile(&id, &mut schemas).unwrap();
    (schemas, index, root_index)
}

/// Validates `instance` against the schema's `$defs/{def}` and its root, failing with every
/// error found.
fn assert_valid(instance: &Value, def: &str) {
    let (schemas, index, root_index) = compiled(def);
    if let Err(e) = schemas.validate(instance, index) {
        panic!("not a valid {def} per {SCHEMA}: {e:#}\n{instance:#}");
    }
    assert!(schemas.validate(instance, root_index).is_ok());
}

fn analyze(file: &Path) -> (Value, bool) {
    let run = analyze_file(file);
    (run.json(), run.code == 0)
}

#[test]
fn an_identity_scan_analysis_matches_the_output_schema() {
    let (a, ok) = analyze(&test_file("fixtures/nb-passport-scan.png"));
    assert!(ok);
    assert!(
        a["fields"]["mrz"].is_object(),
        "the case this proves: fields present"
    );
    assert_valid(&a, "Analysis");
}

#[test]
fn a_lab_report_analysis_matches_the_output_schema() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lab.pdf");
    std::fs::write(
        &f,
        pdf(&[
            "Laboratoriesvar - Klinisk kjemi",
            "Analyse Resultat Enhet Referanse",
            "Hemoglobin 11,2 g/dL 11,7-15,3 L",
            "Kreatinin 98 umol/L 45-90 H",
            "CRP 3 mg/L <5",
        ]),
    )
    .unwrap();
    let (a, ok) = analyze(&f);
    assert!(ok);
    assert!(
        !a["observations"].as_array().unwrap().is_empty(),
        "the case this proves: observations present"
    );
    assert_valid(&a, "Analysis");
}

#[test]
fn a_refused_file_matches_the_output_schema() {
    let (a, ok) = analyze(&test_file(
        "corpus/pdf-malformed/corkami-chimera-tar-polyglot.pdf",
    ));
    assert!(!ok);
    assert_valid(&a, "Refusal");
}

#[test]
fn a_document_shown_in_a_case_matches_the_output_schema() {
    let v = Varde::with_team();
    let id = v.create_case();
    let shown = v.analysed_document(&id, &test_file("fixtures/nb-passport-scan.png"));
    assert!(shown["analysis"].is_object());
    assert_valid(&shown, "ShownDocument");
}

#[test]
fn the_schema_refuses_an_analysis_without_its_text_or_with_an_unknown_warning() {
    let (mut a, _) = analyze(&test_file("fixtures/nb-passport-scan.png"));
    let (schemas, index, _) = compiled("Analysis");
    a["fields"]["surname"]["warnings"] = serde_json::json!(["no_such_warning"]);
    assert!(schemas.validate(&a, index).is_err());
    a["fields"]["surname"]["warnings"] = serde_json::json!([]);
    assert!(schemas.validate(&a, index).is_ok());
    a.as_object_mut().unwrap().remove("text");
    assert!(schemas.validate(&a, index).is_err());
}

//! Field extraction through the real CLI (`varde analyze FILE --json`): a text-layer lab report,
//! a scanned Norwegian lab report and a scanned passport page with an MRZ, read by Tesseract.

use std::path::{Path, PathBuf};

use crate::support::*;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    test_file(&format!("fixtures/{name}"))
}

fn analyze(file: &Path) -> Value {
    analyze_file(file).ok().json()
}

/// The observation with canonical name `name`, failing the test if it is missing or there are
/// two.
fn observation<'a>(a: &'a Value, name: &str) -> &'a Value {
    let found: Vec<&Value> = a["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "{name} in {:#}", a["observations"]);
    found[0]
}

/// The analysed text between an item's UTF-16 `start` and `end` (an observation's are in its
/// `source`).
fn source(a: &Value, item: &Value) -> String {
    let text: Vec<u16> = a["text"].as_str().unwrap().encode_utf16().collect();
    let item = item.get("source").unwrap_or(item);
    let (s, e) = (
        item["start"].as_u64().unwrap() as usize,
        item["end"].as_u64().unwrap() as usize,
    );
    String::from_utf16(&text[s..e]).unwrap()
}

fn field<'a>(a: &'a Value, key: &str) -> &'a Value {
    let f = &a["fields"][key];
    assert!(f.is_object(), "no field {key} in {:#}", a["fields"]);
    f
}

#[test]
fn a_text_layer_lab_report_gives_flagged_observations() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lab.pdf");
    let fnr = first_valid_fnr("150385", 400);
    let patient = format!("Pasient: Demo Pasient   Fnr: {fnr}");
    std::fs::write(
        &f,
        pdf(&[
            "Laboratoriesvar - Klinisk kjemi",
            &patient,
            "Prøvetatt: 20.11.2026   Side 1 av 1",
            "Analyse            Resultat   Enhet    Referanseområde",
            "Hemoglobin (Hb)    11,2       g/dL     13,4 - 17,0",
            "CRP                48         mg/L     <5",
            "Kreatinin          95         µmol/L   (60-105)",
            "HbA1c              53         mmol/mol 20-42   H",
            "eGFR               >90        mL/min/1,73m2",
            "Blodtrykk 142/91 mmHg   Puls 88 /min",
            "Telefon 22 33 44 55",
        ]),
    )
    .unwrap();
    let a = analyze(&f);
    assert_eq!(a["classification"]["label"], "lab_report", "{a:#}");
    assert!(a["timings_ms"]["extract_fields"].is_u64());

    let hb = observation(&a, "Hemoglobin");
    assert_eq!(
        (hb["label"].as_str(), hb["code"].as_str()),
        (Some("Hemoglobin (Hb)"), Some("718-7"))
    );
    assert_eq!(hb["value"], 11.2);
    assert_eq!(hb["unit"], "g/dL");
    assert_eq!(
        (
            hb["low"].as_f64(),
            hb["high"].as_f64(),
            hb["range_source"].as_str()
        ),
        (Some(13.4), Some(17.0), Some("document"))
    );
    assert_eq!(hb["source"]["page"], 1);
    assert_eq!(hb["flag"], "low");
    assert!(source(&a, hb).starts_with("Hemoglobin (Hb)"));

    let crp = observation(&a, "C-reactive protein");
    assert_eq!(
        (crp["value"].as_f64(), crp["flag"].as_str()),
        (Some(48.0), Some("high"))
    );
    let kreatinin = observation(&a, "Creatinine");
    assert_eq!(
        (kreatinin["flag"].as_str(), kreatinin["unit"].as_str()),
        (Some("normal"), Some("umol/L"))
    );
    assert_eq!(observation(&a, "Hemoglobin A1c")["flag"], "high");
    let egfr = observation(&a, "eGFR");
    assert_eq!(
        (egfr["value"].as_f64(), egfr["comparator"].as_str()),
        (Some(90.0), Some(">"))
    );
    // Two vitals on one line, separated only by spaces; blood pressure with its components.
    let bp = observation(&a, "Blood pressure");
    assert_eq!(bp["components"][0]["value"], 142.0);
    assert_eq!(observation(&a, "Heart rate")["flag"], "normal");
    let codes: Vec<&str> = a["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["718-7", "1988-5", "14682-9", "59261-8", "62238-1", "85354-9", "8867-4"]
    );
    let summary = &a["summary"];
    assert_eq!(summary["language"], "nb");
    assert!(
        summary["text"]
            .as_str()
            .unwrap()
            .starts_with("Utenfor referanseområdet: Hemoglobin (Hb) 11,2 g/dL"),
        "{summary}"
    );

    let nid = field(&a, "national_id");
    assert_eq!(nid["value"], fnr.as_str());
    assert_eq!(source(&a, nid), fnr);
    // A lab report is not an identity document: no MRZ fields.
    assert!(a["fields"]["surname"].is_null());
}

#[test]
fn a_scanned_norwegian_lab_report_is_read_by_ocr() {
    let a = analyze(&fixture("nb-lab-scan.png"));
    assert_eq!(a["text_source"], "ocr");
    assert_eq!(a["classification"]["label"], "lab_report", "{a:#}");
    let hb = observation(&a, "Hemoglobin");
    assert_eq!(hb["value"], 11.9);
    assert_eq!(hb["unit"], "g/dL");
    assert_eq!(hb["flag"], "low");
    assert_eq!(source(&a, hb), "Hemoglobin 11.9 g/dL (13.4 - 17.0) lav");
    let crp = observation(&a, "C-reactive protein");
    assert_eq!(
        (crp["value"].as_f64(), crp["high"].as_f64()),
        (Some(42.0), Some(5.0))
    );
    assert_eq!(crp["flag"], "high");
    let kreatinin = observation(&a, "Creatinine");
    assert_eq!(
        (kreatinin["value"].as_f64(), kreatinin["flag"].as_str()),
        (Some(88.0), Some("normal"))
    );
    // The date line and the prose lines give nothing.
    assert_eq!(
        a["observations"].as_array().unwrap().len(),
        3,
        "{:#}",
        a["observations"]
    );
}

#[test]
fn a_scanned_passport_gives_its_mrz_fields_with_valid_check_digits() {
    let a = analyze(&fixture("nb-passport-scan.png"));
    assert_eq!(a["text_source"], "ocr");
    let expect = [
        ("mrz", "TD3"),
        ("document_type", "P"),
        ("issuing_state", "NOR"),
        ("surname", "SOERLI"),
        ("given_names", "KARI ANNE"),
        ("document_number", "FH1234567"),
        ("nationality", "NOR"),
        ("birth_date", "1985-03-15"),
        ("sex", "F"),
        ("expiry_date", "2031-03-12"),
    ];
    for (key, value) in expect {
        let f = field(&a, key);
        assert_eq!(f["value"], value, "{key}: {f}");
        assert_eq!(f["warnings"], serde_json::json!([]), "{key}: {f}");
    }
    let fnr = first_valid_fnr("150385", 400);
    assert_eq!(field(&a, "personal_number")["value"], fnr.as_str());
    assert_eq!(field(&a, "national_id")["value"], fnr.as_str());
    assert_eq!(source(&a, field(&a, "document_number")), "FH1234567");
    // A passport has no observations.
    assert_eq!(a["observations"], serde_json::json!([]));
}

#[test]
fn a_passport_of_someone_else_is_flagged_beside_its_fields_on_the_case() {
    let v = Varde::with_team();
    // The case is about SUBJECT_NAME, born 1990-01-01; the passport is Kari Anne Sørli's (1985).
    let id = v.create_case();
    let doc = v.analysed_document(&id, &fixture("nb-passport-scan.png"));
    let warnings = |key: &str| -> Vec<String> {
        field(&doc["analysis"], key)["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect()
    };
    assert!(warnings("surname").contains(&"name_mismatch".to_string()));
    assert!(warnings("birth_date").contains(&"birth_date_mismatch".to_string()));
    assert!(
        !warnings("document_number").contains(&"name_mismatch".to_string()),
        "only the disagreeing fields are marked"
    );
    // Someone else's passport is never suggested for approval, however sure the classifier is:
    // the warnings are the suggestion's reasons, on the document and on the case.
    let c = &doc["analysis"]["classification"];
    assert_eq!(c["suggestion"], "manual_review", "{c}");
    let concerns: Vec<&str> = c["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        concerns.contains(&"name_mismatch") && concerns.contains(&"birth_date_mismatch"),
        "{concerns:?}"
    );
    let case = v.reviewer(&["--json", "case", "show", &id]).ok().json();
    assert_eq!(case["ai"]["suggestion"], "manual_review", "{case}");
}

#[test]
fn an_expired_passport_is_sent_to_manual_review_with_expired_as_its_reason() {
    // Kari Anne Sørli's passport data page, as a text PDF, expired in 2020.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("expired.pdf");
    std::fs::write(
        &f,
        pdf(&[
            "PASS PASSPORT",
            "P<NORSOERLI<<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<<",
            "FH12345674NOR8503150F2003120<<<<<<<<<<<<<<<4",
        ]),
    )
    .unwrap();
    let a = analyze(&f);
    let expiry = field(&a, "expiry_date");
    assert_eq!(expiry["value"], "2020-03-12", "{expiry}");
    assert!(expiry["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w == "expired"));
    let c = &a["classification"];
    assert_eq!(c["suggestion"], "manual_review", "{c}");
    assert!(
        c["concerns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "expired"),
        "{c}"
    );
}

/// (file, kind, document number, birth date, expiry) of the real specimen scans whose MRZ a
/// careful person can read with valid check digits; `passporteye-0_id-esp.png` prints wrong
/// check digits and is left out (its zone must not be shown as valid).
const SPECIMENS: [(&str, &str, &str, &str, &str); 8] = [
    (
        "passporteye-passport-td3.jpg",
        "passport",
        "L898902C3",
        "1974-08-12",
        "2012-04-15",
    ),
    (
        "passporteye-passport-td2.jpg",
        "national_id",
        "D23145890",
        "1974-08-12",
        "2012-04-15",
    ),
    (
        "passporteye-100_pass-fin.png",
        "passport",
        "XP8271602",
        "1971-12-21",
        "2011-08-21",
    ),
    (
        "passporteye-98_pass-nld.jpg",
        "passport",
        "XA0000014",
        "1971-10-19",
        "2006-04-12",
    ),
    (
        "passporteye-100_id-che.jpg",
        "national_id",
        "S0002068",
        "1981-02-28",
        "2013-01-01",
    ),
    (
        "passporteye-100_id-usa.jpg",
        "national_id",
        "000000003",
        "1958-08-17",
        "2010-04-02",
    ),
    (
        "passporteye-100_visa-usa.jpg",
        "other",
        "555123ABC",
        "1965-02-05",
        "2004-12-23",
    ),
    (
        "passporteye-0_pass-lva.jpg",
        "passport",
        "LT0000000",
        "1986-05-10",
        "2012-10-31",
    ),
];

#[test]
fn every_readable_mrz_of_the_real_specimen_scans_is_read_with_valid_check_digits() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/identity");
    for (file, kind, number, birth, expiry) in SPECIMENS {
        let a = analyze(&corpus.join(file));
        let zone = &a["fields"]["mrz"];
        assert!(zone.is_object(), "{file}: no MRZ in {:#}", a["fields"]);
        for (key, value) in [
            ("document_number", number),
            ("birth_date", birth),
            ("expiry_date", expiry),
        ] {
            let f = field(&a, key);
            assert_eq!(f["value"], value, "{file} {key}: {f}");
            assert!(
                !f["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|w| w == "mrz_check_failed"),
                "{file} {key}: {f}"
            );
        }
        // No confident wrong label: a label the document's kind contradicts is at most a
        // guess (below the threshold, or marked uncertain because the MRZ says otherwise).
        let c = &a["classification"];
        let label = c["label"].as_str().unwrap_or("");
        let fits = label == kind || (kind == "other" && label == "passport");
        assert!(fits || c["uncertain"] == true, "{file}: {c}");
    }
}

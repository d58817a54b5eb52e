//! Result lines: values with decimal commas, ranges in their printed forms, markers, vitals and
//! blood pressure, several results on one line, names that start with a digit, and the lines
//! that are not results.

use super::{obs, one, TODAY};
use crate::fields::observations::ranges::{parse_reference, Reference};
use crate::fields::read;

fn range(o: &serde_json::Value) -> (Option<f64>, Option<f64>, Option<&str>) {
    (
        o["low"].as_f64(),
        o["high"].as_f64(),
        o["range_source"].as_str(),
    )
}

#[test]
fn printed_ranges_parse_in_every_form_labs_write() {
    let r = |s: &str| parse_reference(s).map(|(r, _)| (r.low, r.high));
    assert_eq!(r("3,5-5,0"), Some((Some(3.5), Some(5.0))));
    assert_eq!(r("3.5 – 5.0"), Some((Some(3.5), Some(5.0))));
    assert_eq!(r("(60-105)"), Some((Some(60.0), Some(105.0))));
    assert_eq!(r("[13,4 — 17,0]"), Some((Some(13.4), Some(17.0))));
    assert_eq!(r("<5"), Some((None, Some(5.0))));
    assert_eq!(r("(< 5)"), Some((None, Some(5.0))));
    assert_eq!(r("> 60"), Some((Some(60.0), None)));
    assert_eq!(r("≥60"), Some((Some(60.0), None)));
    assert_eq!(r("ref. 3,5-5,0"), Some((Some(3.5), Some(5.0))));
    assert_eq!(r("(ref. 3,5-5,0)"), Some((Some(3.5), Some(5.0))));
    assert_eq!(r("(ref <5)"), Some((None, Some(5.0))));
    assert_eq!(
        r("Referanseområde: 137–145"),
        Some((Some(137.0), Some(145.0)))
    );
    assert_eq!(r("Reference range 4.0-11.0"), Some((Some(4.0), Some(11.0))));
    for bad in ["5-3", "(3-5", "abc", "3 5", "-5", "<"] {
        assert_eq!(r(bad), None, "{bad}");
    }
    let (reference, rest) = parse_reference("45-90 H").unwrap();
    assert_eq!(
        (reference, rest),
        (
            Reference {
                low: Some(45.0),
                high: Some(90.0)
            },
            " H"
        )
    );
}

#[test]
fn reads_norwegian_lab_lines_coded() {
    let o = one("Hemoglobin (Hb)   11,2  g/dL   13,4 – 17,0");
    assert_eq!(
        (o["name"].as_str(), o["label"].as_str(), o["code"].as_str()),
        (Some("Hemoglobin"), Some("Hemoglobin (Hb)"), Some("718-7"))
    );
    assert_eq!(
        (o["value"].as_f64(), o["unit"].as_str()),
        (Some(11.2), Some("g/dL"))
    );
    assert_eq!(range(&o), (Some(13.4), Some(17.0), Some("document")));
    assert_eq!(o["flag"], "low");
    assert_eq!(o["confidence"].as_f64().map(|c| c > 0.9), Some(true));

    let o = one("CRP 48 mg/L <5");
    assert_eq!(range(&o), (None, Some(5.0), Some("document")));
    assert_eq!(o["flag"], "high");
    let o = one("Kreatinin 95 µmol/L (60-105)");
    assert_eq!(
        (o["unit"].as_str(), o["flag"].as_str()),
        (Some("umol/L"), Some("normal"))
    );
    let o = one("eGFR >90 mL/min/1,73m²");
    assert_eq!(
        (o["value"].as_f64(), o["comparator"].as_str()),
        (Some(90.0), Some(">"))
    );
    assert_eq!(o["unit"], "mL/min/{1.73_m2}");
    // No printed range: the default (> 60) judges a censored value above it.
    assert_eq!(
        (o["flag"].as_str(), o["range_source"].as_str()),
        (Some("normal"), Some("default"))
    );
    let o = one("HbA1c 53 mmol/mol 20-42 H");
    assert_eq!(
        (o["flag"].as_str(), o["high"].as_f64()),
        (Some("high"), Some(42.0))
    );
    let o = one("S-Kalium 3,1 mmol/L ref. 3,5-5,0 L");
    assert_eq!(
        (o["name"].as_str(), o["flag"].as_str()),
        (Some("Potassium"), Some("low"))
    );
    assert_eq!(
        one("Natrium 139 mmol/L Referanseområde: 137–145")["flag"],
        "normal"
    );
    assert_eq!(one("Hemoglobin 11.9 g/dL (13.4 - 17.0) lav")["flag"], "low");
    let o = one("CRP 42 mg/L (< 5) forhøyet");
    assert_eq!(
        (o["high"].as_f64(), o["flag"].as_str()),
        (Some(5.0), Some("high"))
    );
    let o = one("CRP <5 mg/L <5");
    assert_eq!(
        (o["comparator"].as_str(), o["flag"].as_str()),
        (Some("<"), Some("normal"))
    );
    let o = one("Leukocytter (LPK) 12,4 x10^9/L 3,5-10,0 H");
    assert_eq!(
        (o["name"].as_str(), o["unit"].as_str()),
        (Some("Leukocytes"), Some("10*9/L"))
    );
    let o = one("TPK 140 10^9/L");
    assert_eq!(o["name"], "Platelets");
}

#[test]
fn reads_english_lab_lines_coded() {
    let o = one("Haemoglobin 142 g/L 130-170");
    assert_eq!(
        (o["name"].as_str(), o["flag"].as_str()),
        (Some("Hemoglobin"), Some("normal"))
    );
    assert_eq!(one("Potassium: 5.9 mmol/L (3.5-5.0) H")["flag"], "high");
    // A marker column before the unit.
    let o = one("Potassium 5.9 H mmol/L 3.5-5.0");
    assert_eq!(
        (o["unit"].as_str(), o["flag"].as_str(), o["high"].as_f64()),
        (Some("mmol/L"), Some("high"), Some(5.0))
    );
    let o = one("White cell count 12.1 x10^9/L 4.0-11.0");
    assert_eq!(
        (o["name"].as_str(), o["label"].as_str()),
        (Some("Leukocytes"), Some("White cell count"))
    );
    assert_eq!(o["flag"], "high");
    // An analyte the vocabulary does not code, read as a table row.
    let o = one("Troponin T 45 ng/L <15");
    assert_eq!(
        (
            o["name"].is_null(),
            o["code"].is_null(),
            o["label"].as_str()
        ),
        (true, true, Some("Troponin T"))
    );
    assert_eq!(o["flag"], "high");
}

#[test]
fn markers_beside_the_value_count_and_the_labs_marker_wins() {
    assert_eq!(one("Kreatinin 100 µmol/L 60-105 H")["flag"], "high");
    // `*` only says "abnormal": the range decides the direction.
    assert_eq!(one("Ferritin 8 µg/L 15-200 *")["flag"], "low");
    assert_eq!(one("Ferritin 8* µg/L 15-200")["flag"], "low");
    assert_eq!(one("Kalium 5,9H mmol/L 3,5-5,0")["flag"], "high");
    let o = one("ALAT 88 U/L 10-70");
    assert_eq!(
        (o["name"].as_str(), o["flag"].as_str()),
        (Some("Alanine aminotransferase"), Some("high"))
    );
}

#[test]
fn a_name_that_starts_with_a_digit_is_read_when_the_vocabulary_knows_it() {
    let o = one("25-OH vitamin D 38 nmol/L 50-150 L");
    assert_eq!(
        (o["name"].as_str(), o["code"].as_str(), o["label"].as_str()),
        (
            Some("25-hydroxyvitamin D"),
            Some("62292-8"),
            Some("25-OH vitamin D")
        )
    );
    assert_eq!(
        (o["value"].as_f64(), o["flag"].as_str()),
        (Some(38.0), Some("low"))
    );
    assert!(obs(&["2 tabletter 500 mg/L 3-5"]).is_empty());
}

#[test]
fn sex_specific_defaults_follow_the_documents_sex() {
    // No printed range: a `Kjønn:` line, or the national ID number's ninth digit (odd: male).
    let female = read(
        "Kjønn: Kvinne\nKreatinin 95 µmol/L",
        Some("lab_report"),
        TODAY,
    );
    let o = serde_json::to_value(&female.observations[0]).unwrap();
    assert_eq!(range(&o), (Some(45.0), Some(90.0), Some("default")));
    assert_eq!(o["flag"], "high");
    let male = read(
        "Fødselsnummer 15038540189\nKreatinin 95 µmol/L",
        Some("lab_report"),
        TODAY,
    );
    let o = serde_json::to_value(&male.observations[0]).unwrap();
    assert_eq!(
        (range(&o), o["flag"].as_str()),
        ((Some(60.0), Some(105.0), Some("default")), Some("normal"))
    );
    // Sex unknown: the range spans both, and only a value outside both is flagged.
    let o = one("Kreatinin 95 µmol/L");
    assert_eq!(
        (range(&o), o["flag"].as_str()),
        ((Some(45.0), Some(105.0), Some("default")), None)
    );
    assert_eq!(one("Kreatinin 120 µmol/L")["flag"], "high");
    // A unit the vocabulary does not give the analyte: no default.
    let o = one("Kreatinin 95 mmol/L");
    assert_eq!((o["low"].is_null(), o["flag"].is_null()), (true, true));
}

#[test]
fn blood_pressure_is_one_observation_with_systolic_and_diastolic_components() {
    let o = one("Blodtrykk 142/91 mmHg");
    assert_eq!(
        (o["name"].as_str(), o["code"].as_str(), o["label"].as_str()),
        (Some("Blood pressure"), Some("85354-9"), Some("Blodtrykk"))
    );
    assert!(o["value"].is_null());
    assert_eq!(
        (o["unit"].as_str(), o["flag"].as_str()),
        (Some("mm[Hg]"), Some("high"))
    );
    let c = o["components"].as_array().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(
        (
            c[0]["code"].as_str(),
            c[0]["value"].as_f64(),
            c[0]["flag"].as_str()
        ),
        (Some("8480-6"), Some(142.0), Some("high"))
    );
    assert_eq!(
        (
            c[1]["code"].as_str(),
            c[1]["value"].as_f64(),
            c[1]["flag"].as_str()
        ),
        (Some("8462-4"), Some(91.0), Some("high"))
    );
    assert_eq!(c[0]["range_source"], "default");
    assert_eq!(one("BP 118/76")["flag"], "normal");
    assert!(obs(&["BT 91/142", "BT 400/90"]).is_empty());
}

#[test]
fn reads_vitals_with_default_ranges_and_several_on_one_line() {
    let o = one("Puls 88 /min");
    assert_eq!(
        (o["unit"].as_str(), o["flag"].as_str(), o["code"].as_str()),
        (Some("/min"), Some("normal"), Some("8867-4"))
    );
    let o = one("Temp 38,4 °C");
    assert_eq!(
        (o["value"].as_f64(), o["flag"].as_str(), o["unit"].as_str()),
        (Some(38.4), Some("high"), Some("Cel"))
    );
    assert_eq!(one("SpO2 93 %")["flag"], "low");
    assert_eq!(one("SpO2 93%")["unit"], "%");
    let o = one("SpO2 93 % (92-100)");
    assert_eq!(
        (o["flag"].as_str(), o["range_source"].as_str()),
        (Some("normal"), Some("document"))
    );
    let names = |text: &str| -> Vec<String> {
        read(text, Some("discharge_summary"), TODAY)
            .observations
            .iter()
            .map(|o| o.name.clone().unwrap_or_default())
            .collect()
    };
    let expected = [
        "Blood pressure",
        "Heart rate",
        "Body temperature",
        "Oxygen saturation",
    ];
    assert_eq!(
        names("Ved innkomst: BT 142/91 mmHg, puls 88, temp 38,4, SpO2 93 %"),
        expected
    );
    // Separated only by spaces.
    assert_eq!(
        names("BT 142/91 mmHg  puls 88  temp 38,4  SpO2 93 %"),
        expected
    );
    assert_eq!(
        names("Pulse 72 /min Resp rate 16 /min"),
        ["Heart rate", "Respiratory rate"]
    );
    // Implausible vitals are not read.
    assert!(obs(&["Puls 880 /min", "Temp 384 °C"]).is_empty());
}

#[test]
fn the_source_is_the_line_on_its_page() {
    let text = "Side en\nHb 12,1 g/dL\x0cKreatinin 95 µmol/L 45-90 H";
    let e = read(text, Some("lab_report"), TODAY);
    let pages: Vec<usize> = e.observations.iter().map(|o| o.source.page).collect();
    assert_eq!(pages, [1, 2]);
    let s = e.observations[1].source;
    let units: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&units[s.start..s.end]).unwrap(),
        "Kreatinin 95 µmol/L 45-90 H"
    );
}

#[test]
fn refuses_dates_phones_ids_pages_and_addresses() {
    let lines = [
        "Prøvetatt: 20.11.2026",
        "Rekvirent: Demo legekontor   Prøvetatt: 2026-11-20",
        "Side 1 av 2",
        "Telefon 22 33 44 55",
        "Tlf: 22334455",
        "Fødselsnummer: 150385 40189",
        "Storgata 12, 0150 Oslo",
        "Postboks 1000 Sentrum",
        "Alder 45 år",
        "Kl 12:30",
        "Rom 12 %",
        "Analyse Resultat Enhet Referanseområde",
        "Rabatt 10 %",
        "Hemoglobin 11,2 12,0 13,4",
        "Vurdering: forhøyet CRP, lav hemoglobin.",
        "Org.nr 987 654 321",
        "CRP 48 mg/L 12.03.2026",
        "Puls 88 Storgata 12",
    ];
    let o = obs(&lines);
    assert!(o.is_empty(), "{o:#?}");
}

#[test]
fn observations_only_for_clinical_documents_or_clear_lab_tables() {
    let text = "Hemoglobin 11,2 g/dL 13,4-17,0\nCRP 48 mg/L";
    assert!(read(text, Some("passport"), TODAY).observations.is_empty());
    assert!(read(text, None, TODAY).observations.is_empty());
    assert_eq!(
        read(text, Some("discharge_summary"), TODAY)
            .observations
            .len(),
        2
    );
    let table =
        "Hemoglobin 11,2 g/dL 13,4-17,0\nKreatinin 95 µmol/L 60-105\nNatrium 139 mmol/L 137-145";
    assert_eq!(read(table, Some("other"), TODAY).observations.len(), 3);
}

//! The vocabulary: it loads, its codes hold, and every entry is found by a Norwegian and an
//! English spelling, with its unit normalised to UCUM.

use super::one;
use crate::fields::observations::units::{read_unit, spelling_key};
use crate::fields::observations::vocabulary::{
    loinc_check_digit_holds, vocabulary, Known, Vocabulary,
};

/// A value inside the entry's plausible values in its canonical unit.
fn sample_value(lo: f64, hi: f64) -> f64 {
    ((lo + hi) / 2.0 * 10.0).round() / 10.0
}

#[test]
fn every_entry_is_read_by_a_norwegian_and_an_english_spelling_with_its_code_and_ucum_unit() {
    let v = vocabulary();
    assert!(v.entries.len() >= 36, "{}", v.entries.len());
    for e in v.entries.iter().filter(|e| e.code != "85354-9") {
        let unit = e.unit();
        let [lo, hi] = unit.plausible.unwrap_or([1.0, 100.0]);
        let value = sample_value(lo, hi);
        let printed_unit = if unit.unitless {
            String::new()
        } else {
            unit.spellings.first().cloned().unwrap_or(unit.ucum.clone())
        };
        for (language, names) in [("nb", &e.nb), ("en", &e.en)] {
            // The longest spelling: the most specific, the one most likely to clash.
            let name = names.iter().max_by_key(|n| n.len()).unwrap();
            let line = format!("{name} {value} {printed_unit}");
            let o = one(&line);
            assert_eq!(o["name"], e.name.as_str(), "{language}: {line}");
            assert_eq!(o["code"], e.code_in(Some(unit)), "{language}: {line}");
            assert_eq!(o["unit"], unit.ucum.as_str(), "{language}: {line}");
            assert_eq!(o["value"], value, "{language}: {line}");
        }
    }
}

#[test]
fn the_embedded_vocabulary_loads_and_every_loinc_code_holds_its_check_digit() {
    assert!(vocabulary().entry("Hemoglobin").is_some());
    for code in ["718-7", "2160-0", "85354-9", "8480-6", "62238-1", "59408-5"] {
        assert!(loinc_check_digit_holds(code), "{code}");
    }
    for code in ["718-6", "2160-1", "85354", "abc-1", "-1"] {
        assert!(!loinc_check_digit_holds(code), "{code}");
    }
    let bad = r#"{"about": "", "other_names": [], "entries": [{"name": "X", "code": "718-6",
        "kind": "lab", "nb": ["x"], "en": ["x"], "units": [{"ucum": "g/L", "spellings": []}]}]}"#;
    let err = Vocabulary::parse(bad)
        .err()
        .expect("a wrong check digit is refused");
    assert!(err.to_string().contains("718-6"), "{err}");
    let typo = r#"{"about": "", "other_names": [], "entries": [{"name": "X", "code": "718-7",
        "kind": "lab", "nb": ["x"], "en": ["x"], "units": [{"ucum": "g/L", "spelings": []}]}]}"#;
    assert!(
        Vocabulary::parse(typo).is_err(),
        "an unknown key is refused"
    );
}

#[test]
fn the_most_specific_name_wins() {
    let name = |printed: &str| match vocabulary().lookup(printed) {
        Some(Known::Coded(e)) => e.name.as_str(),
        Some(Known::Uncoded) => "uncoded",
        None => "none",
    };
    assert_eq!(name("HDL-kolesterol"), "HDL cholesterol");
    assert_eq!(name("LDL kolesterol"), "LDL cholesterol");
    assert_eq!(name("Kolesterol total"), "Cholesterol");
    assert_eq!(name("Blodtrykk systolisk"), "Systolic blood pressure");
    assert_eq!(name("Blodtrykk"), "Blood pressure");
    assert_eq!(name("S-Fritt T4"), "Free thyroxine");
    assert_eq!(name("Glukose (fastende)"), "Glucose");
    assert_eq!(name("25-OH vitamin D"), "25-hydroxyvitamin D");
    assert_eq!(name("Troponin T"), "uncoded");
    assert_eq!(name("Rabatt"), "none");
}

#[test]
fn units_normalise_to_ucum_and_a_lost_micro_sign_is_restored_for_the_analyte() {
    let entry = |n: &str| vocabulary().entry(n);
    let ucum = |e: &str, printed: &str| read_unit(entry(e), printed).ucum;
    assert_eq!(ucum("Creatinine", "µmol/L"), "umol/L");
    assert_eq!(ucum("Creatinine", "μmol/l"), "umol/L");
    assert_eq!(ucum("Creatinine", "umol/L"), "umol/L");
    assert_eq!(ucum("Creatinine", "mol/L"), "umol/L");
    assert_eq!(ucum("Leukocytes", "x10^9/L"), "10*9/L");
    assert_eq!(ucum("Leukocytes", "×10⁹/L"), "10*9/L");
    assert_eq!(ucum("Thyrotropin", "mIE/L"), "m[IU]/L");
    assert_eq!(ucum("Body temperature", "°C"), "Cel");
    assert_eq!(ucum("Heart rate", "slag/min"), "/min");
    assert_eq!(ucum("Ferritin", "µg/L"), "ug/L");
    assert_eq!(ucum("eGFR", "mL/min/1,73m²"), "mL/min/{1.73_m2}");
    // An analyte the vocabulary does not code: the generic table, else as printed.
    assert_eq!(read_unit(None, "µmol/L").ucum, "umol/L");
    assert_eq!(read_unit(None, "mmHg").ucum, "mm[Hg]");
    assert_eq!(read_unit(None, "furlongs").ucum, "furlongs");
    assert_eq!(spelling_key(" X 10^9 / L"), "10*9/l");
}

#[test]
fn the_unit_decides_the_loinc_code_where_the_property_differs() {
    assert_eq!(one("Kreatinin 95 µmol/L")["code"], "14682-9");
    assert_eq!(one("Creatinine 1.1 mg/dL")["code"], "2160-0");
    assert_eq!(one("Glukose 5,2 mmol/L")["code"], "14749-6");
    assert_eq!(one("Glucose 95 mg/dL")["code"], "2345-7");
    assert_eq!(one("HbA1c 53 mmol/mol")["code"], "59261-8");
    assert_eq!(one("HbA1c 6.5 %")["code"], "4548-4");
}

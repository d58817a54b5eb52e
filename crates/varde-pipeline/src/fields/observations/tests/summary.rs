//! The summary: the document's language, abnormal values first, every number an observation's.

use crate::analysis::{Language, Observation};
use crate::fields::observations::{detect_language, summarise};
use crate::fields::read;

use super::TODAY;

const NB_REPORT: &str =
    "Laboratoriesvar\nPasient: Kari Nordmann\nAnalyse Resultat Enhet Referanseområde\n\
    Natrium 139 mmol/L 137-145\nHemoglobin 11,2 g/dL 11,7-15,3 L\nKreatinin 98 µmol/L 45-90 H\n\
    CRP 3 mg/L <5\nBT 142/91 mmHg\nVekt 82 kg";
const EN_REPORT: &str = "Laboratory report\nPatient: John Smith\nTest Result Unit Reference range\n\
    Sodium 139 mmol/L 137-145\nHaemoglobin 11.2 g/dL 13.4-17.0 L\nPotassium 5.9 mmol/L (3.5-5.0) H\n\
    CRP 3 mg/L <5\nBlood pressure 118/76 mmHg";

/// The numbers of `text` (digit runs with a decimal comma or point inside).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner_sep = matches!(c, ',' | '.')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || inner_sep {
            current.push(if inner_sep { '.' } else { c });
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Every number an observation holds: values, range bounds, components, and the digits of its
/// label and unit.
fn observation_numbers(observations: &[Observation]) -> Vec<f64> {
    let mut out = Vec::new();
    for o in observations {
        out.extend(o.value);
        out.extend(o.low);
        out.extend(o.high);
        for c in &o.components {
            out.push(c.value);
        }
        let words = format!("{} {}", o.label, o.unit.clone().unwrap_or_default());
        out.extend(numbers(&words).iter().filter_map(|n| n.parse::<f64>().ok()));
    }
    out
}

fn assert_numbers_are_observations(text: &str, observations: &[Observation]) {
    let known = observation_numbers(observations);
    for n in numbers(text) {
        let v: f64 = n.parse().unwrap();
        assert!(
            known.contains(&v),
            "{n} in {text:?} is no observation's number"
        );
    }
}

#[test]
fn the_bokmal_summary_puts_abnormal_values_first_with_numbers_from_the_observations() {
    let e = read(NB_REPORT, Some("lab_report"), TODAY);
    let s = e.summary.expect("a summary");
    assert_eq!(s.language, Language::Nb);
    assert_eq!(
        s.text,
        "Utenfor referanseområdet: Hemoglobin 11,2 g/dL (lav, ref. 11,7–15,3), \
         Kreatinin 98 µmol/L (høy, ref. 45–90), BT 142/91 mmHg (høy). \
         Innenfor referanseområdet: Natrium, CRP. Ikke vurdert: Vekt 82 kg."
    );
    assert_numbers_are_observations(&s.text, &e.observations);
}

#[test]
fn the_english_summary_words_the_same_in_english() {
    let e = read(EN_REPORT, Some("lab_report"), TODAY);
    let s = e.summary.expect("a summary");
    assert_eq!(s.language, Language::En);
    assert_eq!(
        s.text,
        "Outside the reference range: Haemoglobin 11.2 g/dL (low, ref. 13.4–17), \
         Potassium 5.9 mmol/L (high, ref. 3.5–5). \
         Within the reference range: Sodium, CRP, Blood pressure."
    );
    assert_numbers_are_observations(&s.text, &e.observations);
}

#[test]
fn the_summary_is_deterministic_and_absent_without_observations() {
    let a = read(EN_REPORT, Some("lab_report"), TODAY).summary;
    assert_eq!(a, read(EN_REPORT, Some("lab_report"), TODAY).summary);
    assert_eq!(summarise(&[], Language::Nb), None);
    assert!(read("Pass\nNavn: Kari", Some("passport"), TODAY)
        .summary
        .is_none());
}

#[test]
fn a_number_the_observations_do_not_hold_fails_the_check() {
    let e = read(EN_REPORT, Some("lab_report"), TODAY);
    let known = observation_numbers(&e.observations);
    assert!(!known.contains(&7.0));
    assert_eq!(numbers("a 11,2 b 3.5–5 c <5."), ["11.2", "3.5", "5", "5"]);
}

#[test]
fn the_language_is_bokmal_or_english_by_the_documents_words() {
    assert_eq!(detect_language(NB_REPORT), Language::Nb);
    assert_eq!(detect_language(EN_REPORT), Language::En);
    assert_eq!(detect_language("Kreatinin 98"), Language::Nb);
    assert_eq!(detect_language("Creatinine 98"), Language::En);
    assert_eq!(detect_language(""), Language::Nb);
}

//! Checks of a document against its case: does what the pipeline read (name, birth date, national
//! ID number) belong to the case's subject? Pure rules over the subject and a document's
//! [`Fields`]; each finding is the field and its warning.
//!
//! Names are compared after folding case, diacritics and the ICAO 9303 transliteration (MRZ
//! `SOERLI` = `Sørli` = `Sorli`, `AAS` = `Ås`), hyphens and spaces, in any order: the subject
//! "Kari Nordmann" matches MRZ surname `NORDMANN`, given names `KARI`. A document may carry
//! more given names than the case (or an MRZ may truncate them): every surname word must be in
//! the subject's name, and at least one given name.
//!
//! Birth dates: the document's date against the subject's; with only one side's date, the other
//! side's national ID number stands in for it through
//! [`NationalId::is_consistent_with_birth_date`] (a 2032-rule number's date is only a hint, so
//! only its day and month are compared).

use time::Date;

use crate::document::{FieldKey, FieldWarning, Fields};
use crate::national_id::NationalId;

/// The field and its warning for each way the document disagrees with the subject:
/// `NameMismatch` (on the surname or the given names), `BirthDateMismatch`,
/// `NationalIdMismatch`. Fields the document lacks, or the subject lacks, are not compared.
/// A birth date the subject lacks is compared with the subject's national ID number instead,
/// and a national ID number with the subject's birth date when the subject has no number.
pub fn subject_warnings(
    subject_name: &str,
    subject_dob: Option<&str>,
    subject_national_id: Option<&str>,
    fields: &Fields,
) -> Vec<(FieldKey, FieldWarning)> {
    let value = |key: FieldKey| -> Option<&str> {
        Some(fields.get(&key)?.value.as_str()).filter(|v| !v.trim().is_empty())
    };
    let mut out = Vec::new();
    let mut warn = |key: FieldKey, warning: FieldWarning| out.push((key, warning));

    let subject_words = name_words(subject_name);
    if !subject_words.is_empty() {
        if let Some(surname) = value(FieldKey::Surname) {
            let words = name_words(surname);
            if !words.is_empty() && !words.iter().all(|w| subject_words.contains(w)) {
                warn(FieldKey::Surname, FieldWarning::NameMismatch);
            }
        }
        if let Some(given) = value(FieldKey::GivenNames) {
            let words = name_words(given);
            if !words.is_empty() && !words.iter().any(|w| subject_words.contains(w)) {
                warn(FieldKey::GivenNames, FieldWarning::NameMismatch);
            }
        }
    }

    if let (Some(subject), Some(document)) = (subject_dob, value(FieldKey::BirthDate)) {
        let (subject, document) = (subject.trim(), document.trim());
        // Only dates both sides state as YYYY-MM-DD; anything else is not evidence either way.
        if is_iso_date(subject) && is_iso_date(document) && subject != document {
            warn(FieldKey::BirthDate, FieldWarning::BirthDateMismatch);
        }
    }
    // One side's number against the other side's date.
    if let (None, Some(subject), Some(document)) =
        (subject_dob, subject_national_id, value(FieldKey::BirthDate))
    {
        if consistent(subject, document) == Some(false) {
            warn(FieldKey::BirthDate, FieldWarning::BirthDateMismatch);
        }
    }
    if let (None, Some(subject), Some(document)) = (
        subject_national_id,
        subject_dob,
        value(FieldKey::NationalId),
    ) {
        if consistent(document, subject) == Some(false) {
            warn(FieldKey::NationalId, FieldWarning::BirthDateMismatch);
        }
    }

    if let (Some(subject), Some(document)) = (subject_national_id, value(FieldKey::NationalId)) {
        let digits = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        if digits(subject) != digits(document) {
            warn(FieldKey::NationalId, FieldWarning::NationalIdMismatch);
        }
    }
    out
}

/// Whether `number` can belong to someone born on `iso_date`; `None` when either is unreadable.
fn consistent(number: &str, iso_date: &str) -> Option<bool> {
    // No clock here: the number is read as of the far future, so a today's-rule number counts
    // as one whatever its date (the field reader has refused those whose date has not come).
    let id = NationalId::parse(number, Date::MAX).ok()?;
    Some(id.is_consistent_with_birth_date(parse_iso_date(iso_date.trim())?))
}

fn parse_iso_date(s: &str) -> Option<Date> {
    if !is_iso_date(s) {
        return None;
    }
    let month = time::Month::try_from(s[5..7].parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(s[..4].parse().ok()?, month, s[8..10].parse().ok()?).ok()
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A name's words, folded so that every usual spelling of a Norwegian or MRZ name agrees
/// (`Ødegård-Sæther` and MRZ `OEDEGAARD<SAETHER` give the same words).
pub fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || matches!(c, '-' | '<' | ',' | '.' | '\''))
        .filter(|w| !w.is_empty())
        .map(fold_word)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Lower case, letters without diacritics; then the ICAO digraphs (`aa`, `ae`, `oe`, `ue`)
/// collapsed to one letter, so the transliterated (`ØSTBØ` → `OESTBOE`) and the plain
/// (`OSTBO`) spellings meet (`ostbo`). Lossy on purpose, and the same on both sides.
fn fold_word(word: &str) -> String {
    let mut plain = String::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' | 'œ' => "oe",
            'å' => "aa",
            'ü' => "ue",
            'ß' => "ss",
            'á' | 'à' | 'â' | 'ã' | 'ā' | 'ą' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ī' => "i",
            'ó' | 'ò' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
            'ú' | 'ù' | 'û' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ç' | 'č' | 'ć' => "c",
            'ñ' | 'ń' | 'ň' => "n",
            'š' | 'ś' => "s",
            'ž' | 'ź' | 'ż' => "z",
            'ł' => "l",
            'ř' => "r",
            'ð' => "d",
            'þ' => "th",
            c if c.is_alphanumeric() => {
                plain.push(c);
                continue;
            }
            _ => continue,
        };
        plain.push_str(folded);
    }
    plain
        .replace("aa", "a")
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Field;

    /// Fields by their serialised names, as a document would carry them.
    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| {
                let key = serde_json::from_value(serde_json::Value::from(*k)).expect("a field key");
                let field = Field {
                    value: v.to_string(),
                    start: None,
                    end: None,
                    warnings: vec![],
                    repairs: vec![],
                    confidence: 0.99,
                };
                (key, field)
            })
            .collect()
    }

    fn codes(
        name: &str,
        dob: Option<&str>,
        nid: Option<&str>,
        f: &[(&str, &str)],
    ) -> Vec<(String, String)> {
        subject_warnings(name, dob, nid, &fields(f))
            .into_iter()
            .map(|(key, warning)| (key.as_str().to_string(), warning.as_str().to_string()))
            .collect()
    }

    fn pair(key: &str, code: &str) -> (String, String) {
        (key.to_string(), code.to_string())
    }

    #[test]
    fn mrz_names_match_the_subject_in_any_order() {
        let mrz = [("surname", "NORDMANN"), ("given_names", "KARI")];
        assert!(codes("Kari Nordmann", None, None, &mrz).is_empty());
        assert!(codes("Nordmann, Kari", None, None, &mrz).is_empty());
        assert!(codes("KARI NORDMANN", None, None, &mrz).is_empty());
    }

    #[test]
    fn norwegian_letters_match_transliterated_and_plain_forms() {
        let subject = "Åse Ødegård-Sæther";
        for (surname, given) in [
            ("OEDEGAARD SAETHER", "AASE"), // ICAO transliteration, hyphen as `<`
            ("ODEGARD SAETHER", "ASE"),    // plain letters
            ("Ødegård-Sæther", "Åse"),
            ("ødegård sæther", "åse"),
        ] {
            let f = [("surname", surname), ("given_names", given)];
            assert!(codes(subject, None, None, &f).is_empty(), "{surname}");
        }
        let f = [("surname", "SOERLI"), ("given_names", "KARI ANNE")];
        assert!(codes("Kari Sørli", None, None, &f).is_empty());
        let f = [("surname", "MUELLER"), ("given_names", "JOSE")];
        assert!(codes("José Müller", None, None, &f).is_empty());
    }

    #[test]
    fn a_different_name_is_a_mismatch() {
        let f = [("surname", "NORDMANN"), ("given_names", "KARI")];
        assert_eq!(
            codes("Kari Hansen", None, None, &f),
            [pair("surname", "name_mismatch")]
        );
        assert_eq!(
            codes("Ola Nordmann", None, None, &f),
            [pair("given_names", "name_mismatch")]
        );
        assert_eq!(
            codes("Ola Hansen", None, None, &f),
            [
                pair("surname", "name_mismatch"),
                pair("given_names", "name_mismatch")
            ]
        );
        // A double surname on the document needs both parts in the subject's name.
        let f = [("surname", "NORDMANN HANSEN"), ("given_names", "KARI")];
        assert_eq!(
            codes("Kari Nordmann", None, None, &f),
            [pair("surname", "name_mismatch")]
        );
    }

    #[test]
    fn extra_given_names_on_either_side_are_allowed() {
        let f = [("surname", "NORDMANN"), ("given_names", "KARI ANNE")];
        assert!(codes("Kari Nordmann", None, None, &f).is_empty());
        let f = [("surname", "NORDMANN"), ("given_names", "KARI")];
        assert!(codes("Kari Anne Nordmann", None, None, &f).is_empty());
    }

    #[test]
    fn birth_dates_are_compared_as_iso_dates() {
        let f = [("birth_date", "1985-03-15")];
        assert!(codes("X Y", Some("1985-03-15"), None, &f).is_empty());
        assert_eq!(
            codes("X Y", Some("1985-03-16"), None, &f),
            [pair("birth_date", "birth_date_mismatch")]
        );
        // An unreadable date on the document is not a mismatch.
        let f = [("birth_date", "850230")];
        assert!(codes("X Y", Some("1985-03-16"), None, &f).is_empty());
        assert!(codes("X Y", None, None, &[("birth_date", "1985-03-15")]).is_empty());
    }

    #[test]
    fn national_ids_are_compared_digit_for_digit() {
        let f = [("national_id", "15038540189")];
        assert!(codes("X Y", None, Some("150385 40189"), &f).is_empty());
        assert_eq!(
            codes("X Y", None, Some("01019040034"), &f),
            [pair("national_id", "national_id_mismatch")]
        );
        assert!(codes("X Y", None, None, &f).is_empty());
    }

    #[test]
    fn nothing_to_compare_gives_nothing() {
        assert!(codes(
            "Kari Nordmann",
            Some("1985-03-15"),
            Some("15038540189"),
            &[]
        )
        .is_empty());
        let f = [("surname", "NORDMANN"), ("given_names", "KARI")];
        assert!(codes("", None, None, &f).is_empty());
        // Blank values are nothing to compare.
        let f = [("surname", " "), ("given_names", ""), ("birth_date", "")];
        assert!(codes("Kari Nordmann", Some("1985-03-15"), None, &f).is_empty());
    }

    #[test]
    fn a_2032_rule_number_is_compared_with_a_birth_date_by_day_and_month() {
        // 15054575049: valid only under the 2032 rule (individual 750 with YY 45), hint 1945-05-15.
        let number = "15054575049";
        for document_date in ["1945-05-15", "2045-05-15"] {
            let f = [("birth_date", document_date)];
            assert!(
                codes("X Y", None, Some(number), &f).is_empty(),
                "{document_date}"
            );
        }
        assert_eq!(
            codes("X Y", None, Some(number), &[("birth_date", "1945-05-16")]),
            [pair("birth_date", "birth_date_mismatch")]
        );
        // The document's number against the subject's date of birth.
        let f = [("national_id", number)];
        assert!(codes("X Y", Some("2045-05-15"), None, &f).is_empty());
        assert_eq!(
            codes("X Y", Some("1945-06-15"), None, &f),
            [pair("national_id", "birth_date_mismatch")]
        );
    }

    #[test]
    fn a_todays_rule_number_is_compared_with_a_birth_date_in_full() {
        let f = [("birth_date", "1885-03-15")];
        assert_eq!(
            codes("X Y", None, Some("15038540189"), &f),
            [pair("birth_date", "birth_date_mismatch")]
        );
        let f = [("birth_date", "1985-03-15")];
        assert!(codes("X Y", None, Some("15038540189"), &f).is_empty());
    }
}

//! Field reading's unit tests: MRZs, national ID numbers, visual-zone dates (observations have
//! theirs in `observations::tests`).

use serde_json::Value;
use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 11 - 22);

/// ICAO 9303 part 4 specimen (TD3).
const ICAO_TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// A Norwegian-style passport, check digits computed (synthetic fødselsnummer 150385 40189).
const NOR_TD3: &str =
    "P<NORSOERLI<<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<<\nFH12345674NOR8503150F310312015038540189<<<40";

/// The field's serialised form (what the store and the window see).
fn field(e: &Extraction, key: &str) -> Value {
    serde_json::to_value(&e.fields).unwrap()[key]
        .as_object()
        .map(|o| Value::Object(o.clone()))
        .unwrap_or_else(|| panic!("no field {key} in {:?}", e.fields))
}
fn has(e: &Extraction, key: &str) -> bool {
    serde_json::to_value(&e.fields).unwrap().get(key).is_some()
}
fn value(e: &Extraction, key: &str) -> String {
    field(e, key)["value"].as_str().unwrap().to_string()
}
fn warnings(e: &Extraction, key: &str) -> Vec<String> {
    field(e, key)["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}
fn utf16_slice(text: &str, start: u64, end: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}
#[test]
fn check_digits_follow_icao_7_3_1() {
    let c = |s: &str| check_digit(&s.chars().collect::<Vec<_>>());
    assert_eq!(c("L898902C3"), Some(6));
    assert_eq!(c("740812"), Some(2));
    assert_eq!(c("120415"), Some(9));
    assert_eq!(c("ZE184226B<<<<<"), Some(1));
    assert_eq!(c("a"), None);
}

#[test]
fn reads_the_icao_td3_specimen() {
    // 2012 expiry: expired by the test's today; 1974 birth (74 > 26).
    let e = read(ICAO_TD3, None, TODAY);
    assert_eq!(value(&e, "mrz"), "TD3");
    assert_eq!(value(&e, "document_type"), "P");
    assert_eq!(value(&e, "issuing_state"), "UTO");
    assert_eq!(value(&e, "surname"), "ERIKSSON");
    assert_eq!(value(&e, "given_names"), "ANNA MARIA");
    assert_eq!(value(&e, "document_number"), "L898902C3");
    assert_eq!(value(&e, "nationality"), "UTO");
    assert_eq!(value(&e, "birth_date"), "1974-08-12");
    assert_eq!(value(&e, "sex"), "F");
    assert_eq!(value(&e, "expiry_date"), "2012-04-15");
    assert_eq!(value(&e, "personal_number"), "ZE184226B");
    assert_eq!(warnings(&e, "expiry_date"), ["expired"]);
    assert!(warnings(&e, "mrz").is_empty());
    assert!(warnings(&e, "document_number").is_empty());
    assert!(!has(&e, "national_id"));
    // Offsets point at the source characters.
    let f = field(&e, "surname");
    let (s, en) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
    assert_eq!(&ICAO_TD3[s as usize..en as usize], "ERIKSSON");
}

#[test]
fn reads_a_norwegian_passport_and_its_fodselsnummer() {
    let e = read(NOR_TD3, Some("passport"), TODAY);
    assert_eq!(value(&e, "surname"), "SOERLI");
    assert_eq!(value(&e, "given_names"), "KARI ANNE");
    assert_eq!(value(&e, "birth_date"), "1985-03-15");
    assert_eq!(value(&e, "expiry_date"), "2031-03-12");
    assert!(warnings(&e, "expiry_date").is_empty());
    assert_eq!(value(&e, "personal_number"), "15038540189");
    assert_eq!(value(&e, "national_id"), "15038540189");
    assert!(warnings(&e, "mrz").is_empty());
}

/// A Norwegian TD3 line 2 with `doc` and `birth`, its check digits computed.
fn nor_line2(doc: &str, birth: &str) -> String {
    let cd = |s: &[char]| char::from_digit(check_digit(s).unwrap(), 10).unwrap();
    let mut c: Vec<char> = "FH12345674NOR8503150F310312015038540189<<<40"
        .chars()
        .collect();
    c[0..9].copy_from_slice(&doc.chars().collect::<Vec<_>>());
    c[9] = cd(&c[0..9]);
    c[13..19].copy_from_slice(&birth.chars().collect::<Vec<_>>());
    c[19] = cd(&c[13..19]);
    let comp: Vec<char> = c[0..10]
        .iter()
        .chain(&c[13..20])
        .chain(&c[21..43])
        .copied()
        .collect();
    c[43] = cd(&comp);
    c.into_iter().collect()
}
const NOR_LINE1: &str = "P<NORSOERLI<<KARI<<<<<<<<<<<<<<<<<<<<<<<<<<<<";

#[test]
fn birth_dates_after_today_are_last_century() {
    let text = |b: &str| format!("{NOR_LINE1}\n{}", nor_line2("FH1234567", b));
    let e = read(&text("260101"), None, TODAY);
    assert_eq!(value(&e, "birth_date"), "2026-01-01");
    assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
    let e = read(&text("270101"), None, TODAY);
    assert_eq!(value(&e, "birth_date"), "1927-01-01");
    let e = read(&text("850230"), None, TODAY);
    assert_eq!(warnings(&e, "birth_date"), ["invalid_date"]);
}

#[test]
fn tolerates_ocr_noise() {
    // Lower case, spaces inside the lines, « and く for <, K in the filler run, O for 0 in
    // the dates and check digits, 0 for O in the country code, a blank line between.
    let noisy = "p<nor SOERLI«<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<K<\n\n\
                 FH12345674 N0R 85O3150F 31O312O 15038540189<<く4O";
    let e = read(noisy, None, TODAY);
    assert_eq!(value(&e, "surname"), "SOERLI");
    assert_eq!(value(&e, "given_names"), "KARI ANNE");
    assert_eq!(value(&e, "nationality"), "NOR");
    assert_eq!(value(&e, "birth_date"), "1985-03-15");
    assert_eq!(value(&e, "expiry_date"), "2031-03-12");
    assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
    // A filler too many at the end of the name line and one missing in line 2.
    let text = "P<NORSOERLI<<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<<<<\nFH12345674NOR8503150F310312015038540189<<40";
    let e = read(text, None, TODAY);
    assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
    assert_eq!(value(&e, "personal_number"), "15038540189");
}

#[test]
fn an_o_in_the_document_number_is_repaired_only_as_its_check_digit_confirms() {
    // Document number FH1034567 read as FH1O34567: the one confusion the check digit confirms.
    let line2 = nor_line2("FH1034567", "850315");
    let e = read(&format!("{NOR_LINE1}\n{line2}"), None, TODAY);
    assert!(warnings(&e, "mrz").is_empty());
    let noisy = format!("{NOR_LINE1}\n{}", line2.replacen("FH10", "FH1O", 1));
    let e = read(&noisy, None, TODAY);
    assert_eq!(value(&e, "document_number"), "FH1034567");
    assert_eq!(warnings(&e, "document_number"), ["mrz_repaired"]);
    assert_eq!(
        field(&e, "document_number")["repairs"],
        serde_json::json!([{"at": 3, "read": "O", "corrected": "0"}])
    );
    assert!(warnings(&e, "mrz").is_empty());
}

#[test]
fn a_broken_check_digit_is_flagged_on_its_field() {
    let text = ICAO_TD3.replace("7408122F", "7408123F");
    let e = read(&text, None, TODAY);
    assert_eq!(warnings(&e, "birth_date"), ["mrz_check_failed"]);
    assert!(warnings(&e, "document_number").is_empty());
    assert_eq!(warnings(&e, "mrz"), ["mrz_check_failed"]);
    // A changed digit that only the composite covers.
    let text = ICAO_TD3.replace("<<<<<10", "<<<<<11");
    let e = read(&text, None, TODAY);
    assert_eq!(warnings(&e, "mrz"), ["mrz_check_failed"]);
    assert!(warnings(&e, "birth_date").is_empty());
}

#[test]
fn reads_td1_and_td2() {
    // ICAO 9303 part 5 TD1 specimen.
    let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let e = read(td1, None, TODAY);
    assert_eq!(value(&e, "mrz"), "TD1");
    assert_eq!(value(&e, "document_number"), "D23145890");
    assert_eq!(value(&e, "surname"), "ERIKSSON");
    assert_eq!(value(&e, "given_names"), "ANNA MARIA");
    assert_eq!(value(&e, "birth_date"), "1974-08-12");
    assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
    // ICAO 9303 part 6 TD2 specimen.
    let td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6";
    let e = read(td2, None, TODAY);
    assert_eq!(value(&e, "mrz"), "TD2");
    assert_eq!(value(&e, "document_number"), "D23145890");
    assert_eq!(value(&e, "expiry_date"), "2012-04-15");
    assert!(warnings(&e, "mrz").is_empty(), "{:?}", e.fields);
}

#[test]
fn no_mrz_in_ordinary_text() {
    let e = read(
        "Laboratoriesvar\nHemoglobin 11,2 g/dL\nABC<<DEF 123\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        None,
        TODAY,
    );
    assert!(!has(&e, "mrz"), "{:?}", e.fields);
}

#[test]
fn offsets_are_utf16_code_units() {
    // Emoji and å before the MRZ: UTF-16 offsets differ from byte and char offsets.
    let text = format!("Pass 😀 for Åse\n{NOR_TD3}");
    let e = read(&text, None, TODAY);
    let f = field(&e, "given_names");
    assert_eq!(
        utf16_slice(
            &text,
            f["start"].as_u64().unwrap(),
            f["end"].as_u64().unwrap()
        ),
        "KARI<ANNE"
    );
    let text = "Prøvesvar 😀\nCRP 48 mg/L <5";
    let o = read(text, Some("lab_report"), TODAY).observations;
    assert_eq!(
        utf16_slice(text, o[0].source.start as u64, o[0].source.end as u64),
        "CRP 48 mg/L <5"
    );
}

#[test]
fn national_ids_are_validated_and_deduplicated() {
    let e = read(
        "Pasient: Demo, fnr 150385 40189, tlf 22334455",
        Some("lab_report"),
        TODAY,
    );
    assert_eq!(value(&e, "national_id"), "15038540189");
    assert!(warnings(&e, "national_id").is_empty());
    let f = field(&e, "national_id");
    assert_eq!(
        f["end"].as_u64().unwrap() - f["start"].as_u64().unwrap(),
        12
    );
    // An invalid control digit without a label, a number inside a longer run: nothing.
    let e = read("nr 15038540188, konto 1503854018912", None, TODAY);
    assert!(!has(&e, "national_id"));
    // Two different valid numbers: the first, with a warning; the same twice: no warning.
    let e = read("15038540189 og 01019040034 og 15038540189", None, TODAY);
    assert_eq!(value(&e, "national_id"), "15038540189");
    assert_eq!(warnings(&e, "national_id"), ["multiple_national_ids"]);
    let e = read("15038540189 og 150385 40189", None, TODAY);
    assert!(warnings(&e, "national_id").is_empty());
}

#[test]
fn visual_zone_dates_fill_or_contradict_the_mrz() {
    let e = read(
        "PASS / PASSPORT\nUtløpsdato/Date of expiry\n12.03.2021\nFødselsdato/Date of birth 15.03.1985",
        Some("passport"),
        TODAY,
    );
    assert_eq!(value(&e, "expiry_date"), "2021-03-12");
    assert_eq!(warnings(&e, "expiry_date"), ["expired"]);
    assert_eq!(value(&e, "birth_date"), "1985-03-15");
    let text = format!("Utløpsdato/Date of expiry 12.03.2032\n{NOR_TD3}");
    let e = read(&text, None, TODAY);
    assert_eq!(value(&e, "expiry_date"), "2031-03-12");
    assert_eq!(warnings(&e, "expiry_date"), ["visual_zone_mismatch"]);
    // Not an identity document: no dates read.
    let e = read("Utløpsdato 12.03.2031", Some("other"), TODAY);
    assert!(e.fields.is_empty());
}

#[test]
fn empty_and_odd_text_gives_nothing() {
    for text in [
        "", "\x0c\x0c", "\n\r\n", "«««", "P<", "123/", "CRP", "CRP <", "BT 142/",
    ] {
        let e = read(text, Some("lab_report"), TODAY);
        assert!(e.fields.is_empty() && e.observations.is_empty(), "{text:?}");
    }
}

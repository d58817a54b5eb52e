//! MRZ reading: the ICAO 9303 specimens of every format, and one regression test for each
//! parsing error the reader used to make.

use serde_json::{json, Value};

use super::super::test_support::{fields_json, warnings_of as warnings};
use super::check_digit;

const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
const TD2: [&str; 2] = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
];
const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const MRV_A: [&str; 2] = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
];
const MRV_B: [&str; 2] = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "L8988901C4XXX4009078F9612109<<<<<<<<",
];

fn fields(lines: &[&str]) -> Value {
    fields_of(&lines.join("\n"))
}
fn fields_of(text: &str) -> Value {
    fields_json(text, None)
}
fn cd(s: &str) -> char {
    let d = check_digit(&s.chars().collect::<Vec<_>>()).unwrap();
    char::from_digit(d, 10).unwrap()
}
/// A TD3 line 2 from its parts, every check digit computed.
fn td3_line2(
    doc: &str,
    nationality: &str,
    birth: &str,
    sex: char,
    expiry: &str,
    personal: &str,
) -> String {
    let personal = format!("{personal:<<14}");
    let personal_check = if personal.chars().all(|c| c == '<') {
        '<'
    } else {
        cd(&personal)
    };
    let doc = format!("{doc:<<9}");
    let composite = format!(
        "{doc}{}{birth}{}{expiry}{}{personal}{personal_check}",
        cd(&doc),
        cd(birth),
        cd(expiry)
    );
    format!(
        "{doc}{}{nationality}{birth}{}{sex}{expiry}{}{personal}{personal_check}{}",
        cd(&doc),
        cd(birth),
        cd(expiry),
        cd(&composite)
    )
}

#[test]
fn reads_every_icao_specimen_with_all_check_digits_confirmed() {
    for (lines, format) in [
        (&TD3[..], "TD3"),
        (&TD2[..], "TD2"),
        (&TD1[..], "TD1"),
        (&MRV_A[..], "MRV-A"),
        (&MRV_B[..], "MRV-B"),
    ] {
        let f = fields(lines);
        assert_eq!(f["mrz"]["value"], format);
        assert!(warnings(&f, "mrz").is_empty(), "{format}: {f}");
        assert_eq!(f["mrz"]["confidence"], json!(0.99f32), "{format}");
        assert_eq!(f["surname"]["value"], "ERIKSSON", "{format}");
        assert_eq!(f["given_names"]["value"], "ANNA MARIA", "{format}");
        assert_eq!(f["issuing_state"]["value"], "UTO", "{format}");
        assert_eq!(f["sex"]["value"], "F", "{format}");
        assert_eq!(
            f["document_number"]["confidence"],
            json!(0.99f32),
            "{format}"
        );
        assert_eq!(f["surname"]["confidence"], json!(0.8f32), "{format}");
        assert!(f["document_number"].get("repairs").is_none(), "{format}");
    }
    let f = fields(&MRV_A);
    assert_eq!(f["document_type"]["value"], "V");
    assert_eq!(f["document_number"]["value"], "L8988901C");
    assert_eq!(f["nationality"]["value"], "XXX");
    assert_eq!(f["birth_date"]["value"], "1940-09-07");
    assert_eq!(f["expiry_date"]["value"], "1996-12-10");
    assert_eq!(f["personal_number"]["value"], "6ZE184226B");
    assert_eq!(f["personal_number"]["confidence"], json!(0.8f32));
    let f = fields(&MRV_B);
    assert_eq!(f["expiry_date"]["value"], "1996-12-10");
    assert!(f.get("personal_number").is_none());
}

#[test]
fn a_visa_is_not_read_as_a_passport_and_has_no_composite_check() {
    // As a TD3 the last character would be a composite check digit and fail.
    let f = fields(&MRV_A);
    assert_eq!(f["mrz"]["value"], "MRV-A");
    assert!(warnings(&f, "mrz").is_empty());
    let f = fields(&MRV_B);
    assert_eq!(f["mrz"]["value"], "MRV-B");
    assert!(warnings(&f, "mrz").is_empty());
}

#[test]
fn a_line_without_any_filler_is_recognised() {
    let line2 = td3_line2(
        "AB1234567",
        "NOR",
        "850315",
        'F',
        "310312",
        "ZE1842264BCD12",
    );
    assert!(!line2.contains('<'), "{line2}");
    let f = fields(&[TD3[0], &line2]);
    assert_eq!(f["mrz"]["value"], "TD3");
    assert!(warnings(&f, "mrz").is_empty(), "{f}");
    assert_eq!(f["document_number"]["value"], "AB1234567");
    assert_eq!(f["personal_number"]["value"], "ZE1842264BCD12");
}

#[test]
fn a_k_that_may_be_a_name_letter_is_kept() {
    let line1 = "P<NORBREKK<<ROBERT<K<<<<<<<<<<<<<<<<<<<<<<<<";
    let f = fields(&[
        line1,
        &td3_line2("AB1234567", "NOR", "850315", 'M', "310312", ""),
    ]);
    assert_eq!(f["surname"]["value"], "BREKK");
    assert_eq!(f["given_names"]["value"], "ROBERT K");
    assert!(f["given_names"].get("repairs").is_none());
}

#[test]
fn a_k_after_three_fillers_is_a_filler_and_the_repair_is_recorded() {
    let line1 = "P<NORBREKK<<ROBERT<<<<<<<<<<<<K<<<<<<<<<<<<<";
    let f = fields(&[
        line1,
        &td3_line2("AB1234567", "NOR", "850315", 'M', "310312", ""),
    ]);
    assert_eq!(f["given_names"]["value"], "ROBERT");
    assert_eq!(
        f["given_names"]["repairs"],
        json!([{"at": 18, "read": "K", "corrected": "<"}])
    );
    assert_eq!(warnings(&f, "given_names"), ["mrz_repaired"]);
    assert_eq!(f["given_names"]["confidence"], json!(0.75f32));
}

#[test]
fn a_birth_century_comes_from_the_visual_zone_or_the_national_id_number() {
    let line2 = td3_line2("AB1234567", "NOR", "230501", 'F', "310312", "");
    let mrz = format!("{}\n{line2}", TD3[0]);
    // Without evidence, 2023 is possible (a child); with a stated 1923, it is 1923.
    assert_eq!(fields_of(&mrz)["birth_date"]["value"], "2023-05-01");
    let f = fields_of(&format!("Fødselsdato/Date of birth\n01.05.1923\n{mrz}"));
    assert_eq!(f["birth_date"]["value"], "1923-05-01");
    assert!(warnings(&f, "birth_date").is_empty(), "{f}");
    // 010523 10071: a fødselsnummer whose individual number (100) gives 1923.
    let f = fields_of(&format!("Fødselsnummer 01052310071\n{mrz}"));
    assert_eq!(f["birth_date"]["value"], "1923-05-01");
}

#[test]
fn a_birth_date_is_never_in_the_future_nor_after_the_expiry() {
    // 1 December 26 is after today (22 November 2026).
    let line2 = td3_line2("AB1234567", "NOR", "261201", 'F', "310312", "");
    assert_eq!(
        fields(&[TD3[0], &line2])["birth_date"]["value"],
        "1926-12-01"
    );
    // Born 2025 cannot hold a document that expired in 2020.
    let line2 = td3_line2("AB1234567", "NOR", "250101", 'F', "200101", "");
    let f = fields(&[TD3[0], &line2]);
    assert_eq!(f["birth_date"]["value"], "1925-01-01");
    assert_eq!(f["expiry_date"]["value"], "2020-01-01");
}

#[test]
fn a_filler_is_a_check_digit_only_for_empty_optional_data() {
    // The document number's check digit 6 read as `<`: not a 0, a failed check.
    let line2 = TD3[1].replacen("C36UTO", "C3<UTO", 1);
    let f = fields(&[TD3[0], &line2]);
    assert_eq!(warnings(&f, "document_number"), ["mrz_check_failed"]);
    assert_eq!(f["document_number"]["confidence"], json!(0.3f32));
    // An empty TD3 personal number may have `<` as its check digit.
    let line2 = td3_line2("AB1234567", "NOR", "850315", 'F', "310312", "");
    assert!(line2.ends_with("<<<<<<<<<<<<<<<") || line2.contains("<<<<<<<<<<<<<<<"));
    assert!(warnings(&fields(&[TD3[0], &line2]), "mrz").is_empty());
}

#[test]
fn one_misread_character_keeps_the_zone_and_flags_or_repairs_its_field() {
    // I for 1 and O for 0 in the birth date: its check digit confirms the repair.
    let line2 = TD3[1].replacen("7408122F", "74O8I22F", 1);
    let f = fields(&[TD3[0], &line2]);
    assert_eq!(f["birth_date"]["value"], "1974-08-12");
    assert_eq!(
        f["birth_date"]["repairs"],
        json!([{"at": 2, "read": "O", "corrected": "0"}, {"at": 4, "read": "I", "corrected": "1"}])
    );
    assert_eq!(warnings(&f, "birth_date"), ["mrz_repaired"]);
    assert_eq!(f["birth_date"]["confidence"], json!(0.9f32));
    assert!(warnings(&f, "mrz").is_empty(), "{f}");
    // S for 5 and B for 8 in the expiry date.
    let line2 = TD3[1].replacen("1204159", "12O4IS9", 1);
    assert_eq!(
        fields(&[TD3[0], &line2])["expiry_date"]["value"],
        "2012-04-15"
    );
    // 0 for O and 5 for S in country codes: letters are forced, recorded, no check digit.
    let line2 = TD3[1].replacen("6UTO7", "6UT07", 1);
    let f = fields(&[TD3[0], &line2]);
    assert_eq!(f["nationality"]["value"], "UTO");
    assert_eq!(warnings(&f, "nationality"), ["mrz_repaired"]);
    assert_eq!(f["nationality"]["confidence"], json!(0.75f32));
    // A character no confusion explains: the zone stays, the field is flagged.
    let line2 = TD3[1].replacen("7408122F", "74X8122F", 1);
    let f = fields(&[TD3[0], &line2]);
    assert_eq!(f["mrz"]["value"], "TD3");
    assert_eq!(
        warnings(&f, "birth_date"),
        ["mrz_check_failed", "invalid_date"]
    );
    assert_eq!(f["birth_date"]["value"], "74X812");
    assert_eq!(f["document_number"]["value"], "L898902C3");
    assert!(warnings(&f, "document_number").is_empty());
}

#[test]
fn digits_in_a_name_are_read_as_the_letters_they_are_confused_with() {
    let line1 = TD3[0].replacen("ERIKSSON", "ER1KSS0N", 1);
    let f = fields(&[&line1, TD3[1]]);
    assert_eq!(f["surname"]["value"], "ERIKSSON");
    assert_eq!(
        f["surname"]["repairs"],
        json!([{"at": 2, "read": "1", "corrected": "I"}, {"at": 6, "read": "0", "corrected": "O"}])
    );
}

#[test]
fn a_td1_document_number_longer_than_nine_characters_continues_in_the_optional_data() {
    let number = "D23145890123";
    let line1 = format!("I<UTO{}<{}{}<", &number[..9], &number[9..], cd(number));
    let line1 = format!("{line1:<<30}");
    let line2 = "7408122F1204159UTO<<<<<<<<<<<";
    let composite = format!(
        "{}{}{}{}",
        &line1[5..30],
        &line2[0..7],
        &line2[8..15],
        &line2[18..29]
    );
    let line2 = format!("{line2}{}", cd(&composite));
    let f = fields(&[&line1, &line2, TD1[2]]);
    assert_eq!(f["document_number"]["value"], number);
    assert!(warnings(&f, "document_number").is_empty(), "{f}");
    assert!(warnings(&f, "mrz").is_empty(), "{f}");
    assert!(f.get("personal_number").is_none(), "{f}");
}

#[test]
fn random_text_of_mrz_length_is_not_a_zone() {
    let text = "PASIENTENHARINGENKJENTEALLERGIERMOTLEGEMIDLER\nPASIENTENHARINGENKJENTEALLERGIERMOTLEGEMIDLE<";
    assert!(fields_of(text).get("mrz").is_none());
}

#[test]
fn a_confusion_is_repaired_only_between_characters_of_the_class_it_becomes() {
    // AB1234567 misread as 9B1234567 (no confusion): reading its 1 as I would satisfy the check
    // digit by chance (and the composite, whose weights over the number are the same), but a
    // 1 between a letter and a digit is no clear I.
    let line2 = td3_line2("AB1234567", "NOR", "850315", 'F', "310312", "");
    let misread = line2.replacen('A', "9", 1);
    let f = fields(&[TD3[0], &misread]);
    assert_eq!(f["document_number"]["value"], "9B1234567");
    assert_eq!(warnings(&f, "document_number"), ["mrz_check_failed"]);
    assert!(f["document_number"].get("repairs").is_none());
}

#[test]
fn a_personal_number_repair_needs_its_check_digit_and_the_composite() {
    let line2 = td3_line2("FH1234567", "NOR", "850315", 'F', "310312", "15038540189");
    let misread = line2.replacen("1503854", "15O3854", 1);
    let f = fields(&[TD3[0], &misread]);
    assert_eq!(f["personal_number"]["value"], "15038540189");
    assert_eq!(
        f["personal_number"]["repairs"],
        json!([{"at": 2, "read": "O", "corrected": "0"}])
    );
    assert!(warnings(&f, "mrz").is_empty(), "{f}");
}

//! The visual zone: Norwegian and English labels, the date formats passports print, the
//! cross-check with the MRZ, and driving licences' numbered fields.

use serde_json::{json, Value};

use super::super::test_support::{fields_json, warnings_of as warnings};

/// A Norwegian-style passport MRZ, check digits computed (synthetic fødselsnummer).
const NOR_TD3: &str =
    "P<NORSOERLI<<KARI<ANNE<<<<<<<<<<<<<<<<<<<<<<\nFH12345674NOR8503150F310312015038540189<<<40";

fn fields(text: &str, label: Option<&str>) -> Value {
    fields_json(text, label)
}

#[test]
fn reads_a_norwegian_passport_page_with_values_under_their_labels() {
    let page = "NORGE  NORWAY\nPASS  PASSPORT\n\
        Etternavn/Surname/Nom\nSØRLI\n\
        Fornavn/Given names/Prénoms\nKARI ANNE\n\
        Nasjonalitet/Nationality\nNORSK/NORWEGIAN\n\
        Fødselsdato/Date of birth\n15 MAR/MAR 1985\n\
        Kjønn/Sex\nK\n\
        Passnr./Passport No.\nFH1234567\n\
        Utløpsdato/Date of expiry\n12 MAR/MAR 2031\n\
        Personnr./Personal No.\n150385 40189\n";
    let f = fields(page, Some("passport"));
    assert_eq!(f["surname"]["value"], "SØRLI");
    assert_eq!(f["given_names"]["value"], "KARI ANNE");
    assert_eq!(f["nationality"]["value"], "NORSK/NORWEGIAN");
    assert_eq!(f["birth_date"]["value"], "1985-03-15");
    assert_eq!(f["sex"]["value"], "F");
    assert_eq!(f["document_number"]["value"], "FH1234567");
    assert_eq!(f["expiry_date"]["value"], "2031-03-12");
    assert_eq!(f["personal_number"]["value"], "15038540189");
    assert_eq!(f["national_id"]["value"], "15038540189");
    assert_eq!(f["surname"]["confidence"], json!(0.7f32));
    // Offsets point at the value as printed.
    let (s, e) = (
        f["surname"]["start"].as_u64().unwrap(),
        f["surname"]["end"].as_u64().unwrap(),
    );
    let units: Vec<u16> = page.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&units[s as usize..e as usize]).unwrap(),
        "SØRLI"
    );
}

#[test]
fn reads_an_ocred_page_with_columns_odd_case_and_stray_marks() {
    let page = "NORGE NORWAY\n\n etternavn / Surname / Nom :\n  SØRLI  \n\
        Fornavn/Given names/Prénoms\n\n KARI ANNE\n\
        Kjønn/Sex   Nasjonalitet/Nationality\n K    NORSK/NORWEGIAN\n\
        Fødselsdato/Date of birth   Passnr./Passport No.\n 15 03 1985   FH1234567\n";
    let f = fields(page, Some("passport"));
    assert_eq!(f["surname"]["value"], "SØRLI");
    assert_eq!(f["given_names"]["value"], "KARI ANNE");
    assert_eq!(f["sex"]["value"], "F");
    assert_eq!(f["nationality"]["value"], "NORSK/NORWEGIAN");
    assert_eq!(f["birth_date"]["value"], "1985-03-15");
    assert_eq!(f["document_number"]["value"], "FH1234567");
}

#[test]
fn reads_english_labels_with_values_on_the_same_line() {
    let page = "Surname: NORDMANN\nGiven names: OLA\nDate of birth: 21.12.1971\n\
        Sex: M\nDocument No. AB1234567\nDate of expiry 01 OCT 2030\nNationality NOR\n";
    let f = fields(page, Some("national_id"));
    assert_eq!(f["surname"]["value"], "NORDMANN");
    assert_eq!(f["given_names"]["value"], "OLA");
    assert_eq!(f["birth_date"]["value"], "1971-12-21");
    assert_eq!(f["sex"]["value"], "M");
    assert_eq!(f["document_number"]["value"], "AB1234567");
    assert_eq!(f["expiry_date"]["value"], "2030-10-01");
    assert_eq!(f["nationality"]["value"], "NOR");
}

#[test]
fn reads_the_date_formats_norwegian_documents_print() {
    for (printed, iso) in [
        ("15.03.1985", "1985-03-15"),
        ("15 03 1985", "1985-03-15"),
        ("15.03.85", "1985-03-15"),
        ("12 MAR/MAR 1985", "1985-03-12"),
        ("12 OKT/OCT 1971", "1971-10-12"),
        ("21.12.1971", "1971-12-21"),
        ("3 MAI/MAY 2001", "2001-05-03"),
    ] {
        let f = fields(
            &format!("Fødselsdato/Date of birth {printed}"),
            Some("passport"),
        );
        assert_eq!(f["birth_date"]["value"], iso, "{printed}");
    }
}

#[test]
fn the_visual_zone_confirms_or_contradicts_the_mrz() {
    // Names agree after transliteration (SØRLI = SOERLI), and so do the dates.
    let text = format!(
        "Etternavn/Surname\nSørli\nFornavn/Given names\nKari Anne\n\
         Fødselsdato/Date of birth 15.03.1985\nKjønn/Sex K\n{NOR_TD3}"
    );
    let f = fields(&text, None);
    for key in ["surname", "given_names", "birth_date", "sex"] {
        assert!(warnings(&f, key).is_empty(), "{key}: {f}");
        assert_eq!(f[key]["confidence"], json!(0.99f32), "{key}");
    }
    let text = format!("Etternavn/Surname\nHANSEN\nKjønn/Sex M\n{NOR_TD3}");
    let f = fields(&text, None);
    assert_eq!(f["surname"]["value"], "SOERLI");
    assert_eq!(warnings(&f, "surname"), ["visual_zone_mismatch"]);
    assert_eq!(f["surname"]["confidence"], json!(0.5f32));
    assert_eq!(warnings(&f, "sex"), ["visual_zone_mismatch"]);
    // A spelt-out nationality is no contradiction of the code.
    let f = fields(&format!("Nasjonalitet/Nationality\nNORSK\n{NOR_TD3}"), None);
    assert!(warnings(&f, "nationality").is_empty());
}

#[test]
fn reads_a_norwegian_driving_licence_by_its_numbered_fields() {
    let card = "NORGE  FØRERKORT\n1. NORDMANN\n2. KARI ANNE\n3. 15.03.1985 OSLO\n\
        4a. 01.02.2020  4c. Statens vegvesen\n4b. 01.02.2035\n4d. 15038540189\n\
        5. 10 123456 7\n9. B BE\n";
    let f = fields(card, None);
    assert_eq!(f["surname"]["value"], "NORDMANN");
    assert_eq!(f["given_names"]["value"], "KARI ANNE");
    assert_eq!(f["birth_date"]["value"], "1985-03-15");
    assert_eq!(f["issue_date"]["value"], "2020-02-01");
    assert_eq!(f["expiry_date"]["value"], "2035-02-01");
    assert_eq!(f["personal_number"]["value"], "15038540189");
    assert_eq!(f["national_id"]["value"], "15038540189");
    assert_eq!(f["document_number"]["value"], "101234567");
    assert!(f.get("mrz").is_none());
    let english = "DRIVING LICENCE\n1. SMITH\n2. JOHN\n3. 21.12.1971 LONDON\n4a. 01.02.2016\n\
        4b. 01.02.2026\n4c. DVLA\n5. SMITH712211J99AB\n";
    let f = fields(english, Some("drivers_license"));
    assert_eq!(f["surname"]["value"], "SMITH");
    assert_eq!(f["issuing_authority"]["value"], "DVLA");
    assert_eq!(f["document_number"]["value"], "SMITH712211J99AB");
    assert_eq!(warnings(&f, "expiry_date"), ["expired"]);
}

#[test]
fn a_numbered_list_is_not_a_licence() {
    let text = "1. Pasienten har feber\n2. CRP forhøyet\n3. Kontroll om 2 uker";
    assert!(fields(text, None).as_object().unwrap().is_empty());
}

#[test]
fn a_labelled_invalid_national_id_is_shown_and_warned() {
    let f = fields("Fødselsnummer: 15038540188", Some("lab_report"));
    assert_eq!(f["national_id"]["value"], "15038540188");
    assert_eq!(warnings(&f, "national_id"), ["national_id_invalid"]);
    assert_eq!(f["national_id"]["confidence"], json!(0.3f32));
    let f = fields("Personal No.\n15038540188", Some("passport"));
    assert_eq!(warnings(&f, "national_id"), ["national_id_invalid"]);
}

#[test]
fn a_national_id_that_does_not_fit_the_date_of_birth_is_warned() {
    let f = fields(
        "Fødselsdato/Date of birth 16.03.1985\nFødselsnummer 15038540189",
        Some("passport"),
    );
    assert_eq!(f["birth_date"]["value"], "1985-03-16");
    assert_eq!(
        warnings(&f, "national_id"),
        ["national_id_birth_date_mismatch"]
    );
    let f = fields(
        "Fødselsdato/Date of birth 15.03.1985\nFødselsnummer 15038540189",
        Some("passport"),
    );
    assert!(warnings(&f, "national_id").is_empty());
}

//! The MRZ reader on the real specimen scans of the corpus (`tests/corpus/identity/`).

use super::*;

fn page(name: &str) -> GrayImage {
    let bytes = crate::test_corpus(&format!("identity/{name}"));
    image::load_from_memory(&bytes)
        .expect("a corpus image decodes")
        .to_luma8()
}

/// (file, lines, characters per line, turned)
const SPECIMENS: [(&str, usize, usize, bool); 9] = [
    ("passporteye-passport-td3.jpg", 2, 44, false),
    ("passporteye-passport-td2.jpg", 2, 36, false),
    ("passporteye-100_pass-fin.png", 2, 44, false),
    ("passporteye-98_pass-nld.jpg", 2, 44, false),
    ("passporteye-100_id-che.jpg", 3, 30, false),
    ("passporteye-100_id-usa.jpg", 3, 30, false),
    ("passporteye-100_visa-usa.jpg", 2, 44, false),
    ("passporteye-0_id-esp.png", 3, 30, false),
    ("passporteye-0_pass-lva.jpg", 2, 44, true),
];

#[test]
fn the_zone_of_every_upright_specimen_is_found_with_its_line_count_and_length() {
    for (name, lines, chars, turned) in SPECIMENS {
        let found = locate::find_lines(&page(name));
        if turned {
            assert!(
                found.is_empty(),
                "{name}: a sideways MRZ is not found upright"
            );
            continue;
        }
        assert_eq!(found.len(), lines, "{name}: {found:?}");
        assert!(found.iter().all(|l| l.chars == chars), "{name}: {found:?}");
    }
}

#[test]
fn a_sideways_zone_is_found_on_the_turned_page() {
    let turned = image::imageops::rotate90(&page("passporteye-0_pass-lva.jpg"));
    let found = locate::find_lines(&turned);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|l| l.chars == 44), "{found:?}");
}

#[test]
fn a_page_of_prose_has_no_zone() {
    let bytes = crate::test_corpus("ocr-groundtruth/ocrmypdf-linn.png");
    let found = locate::find_lines(&image::load_from_memory(&bytes).unwrap().to_luma8());
    assert!(found.is_empty(), "{found:?}");
}

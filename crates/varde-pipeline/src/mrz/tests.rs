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

#[test]
#[ignore]
fn print_boxes() {
    for (name, _, _, _) in SPECIMENS {
        let p = page(name);
        eprintln!(
            "{name} {}x{}: {:?}",
            p.width(),
            p.height(),
            locate::find_lines(&p)
        );
    }
}

#[test]
#[ignore]
fn print_reads() {
    let mut model = GlyphModel::load().expect("model");
    for (name, _, _, _) in SPECIMENS {
        let found = read(&mut model, &page(name), true).unwrap();
        match found {
            Some(z) => {
                eprintln!("{name} {:?}", z.turn);
                for (l, c) in z.lines.iter().zip(&z.line_confidence) {
                    eprintln!("   {l}  {c:.2}");
                }
            }
            None => eprintln!("{name}: none"),
        }
    }
}

/// `MRZ_FILE=path cargo test -p varde-pipeline --lib mrz::tests::print_file -- --ignored`
#[test]
#[ignore]
fn print_file() {
    let path = std::env::var("MRZ_FILE").expect("MRZ_FILE");
    let p = image::open(&path).unwrap().to_luma8();
    eprintln!("{}x{}: {:?}", p.width(), p.height(), locate::find_lines(&p));
    let mut model = GlyphModel::load().expect("model");
    if let Some(z) = read(&mut model, &p, true).unwrap() {
        for (l, c) in z.lines.iter().zip(&z.line_confidence) {
            eprintln!("   {l}  {c:.2}");
        }
    }
}

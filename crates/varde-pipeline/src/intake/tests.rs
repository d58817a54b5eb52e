//! Intake's unit tests: what is accepted, what is refused and with which words.

use std::io::Cursor;

use image::{ImageEncoder, RgbImage};
use lopdf::Document;

use super::*;
use crate::formats::tiff;

fn accept(bytes: &[u8], name: &str) -> Admitted {
    validate(bytes, Some(name), None, &Limits::default())
        .unwrap_or_else(|e| panic!("{name} should be accepted: {e}"))
}

fn refuse(bytes: &[u8], name: &str) -> IntakeError {
    refuse_with(bytes, name, &Limits::default())
}

fn refuse_with(bytes: &[u8], name: &str, limits: &Limits) -> IntakeError {
    match validate(bytes, Some(name), None, limits) {
        Ok(intake) => panic!("{name} should be refused, was accepted: {intake:?}"),
        Err(e) => e,
    }
}

fn picture() -> RgbImage {
    RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 128]))
}

fn png() -> Vec<u8> {
    let mut out = Vec::new();
    let img = picture();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    let img = picture();
    image::codecs::jpeg::JpegEncoder::new(&mut out)
        .write_image(img.as_raw(), 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A PNG chunk with its length and CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&out[4..]).to_be_bytes());
    out
}

/// A PDF with a correct cross-reference table; objects are numbered from 1.
fn pdf_from(objects: &[String]) -> Vec<u8> {
    crate::samples::pdf_from_objects(
        objects,
        " /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
    )
}

fn stream(dict: &str, data: &str) -> String {
    format!(
        "<< {dict} /Length {} >>\nstream\n{data}\nendstream",
        data.len()
    )
}

/// One page that draws text; `catalog` and `page` add entries to those dictionaries.
fn pdf_with(catalog: &str, page: &str, extra: &[String]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R {page} >>"),
        stream("", "BT /F1 12 Tf 10 10 Td (Hei) Tj ET"),
    ];
    objects.extend_from_slice(extra);
    pdf_from(&objects)
}

fn pdf() -> Vec<u8> {
    pdf_with("", "", &[])
}

#[test]
fn a_valid_pdf_is_accepted_with_its_hash_size_and_pages() {
    let bytes = pdf();
    let intake = accept(&bytes, "lab.pdf");
    assert_eq!(intake.media_type, MediaType::Pdf);
    assert_eq!(intake.sha256, hex(&sha256(&bytes)));
    assert_eq!(intake.sha256.len(), 64);
    assert_eq!(intake.size_bytes, bytes.len() as u64);
    assert_eq!(intake.pages, 1);
    assert_eq!(intake.dimensions, None);
    assert!(intake.warnings.is_empty(), "{:?}", intake.warnings);
}

#[test]
fn images_are_accepted_after_a_full_decode_with_their_dimensions() {
    for (bytes, name, media_type) in [
        (png(), "scan.png", MediaType::Png),
        (jpeg(), "photo.JPG", MediaType::Jpeg),
    ] {
        let intake = accept(&bytes, name);
        assert_eq!(intake.media_type, media_type);
        assert_eq!((intake.pages, intake.dimensions), (1, Some((40, 30))));
    }
    let mut tiff = Vec::new();
    image::codecs::tiff::TiffEncoder::new(Cursor::new(&mut tiff))
        .write_image(picture().as_raw(), 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert_eq!(accept(&tiff, "fax.tif").dimensions, Some((40, 30)));
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(picture().as_raw(), 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert_eq!(accept(&webp, "id.webp").media_type, MediaType::Webp);
}

#[test]
fn a_tiff_thumbnail_is_not_a_page_and_a_looping_chain_is_read_once_with_a_warning() {
    let (page, thumbnail) = (image::GrayImage::new(40, 30), image::GrayImage::new(4, 3));
    let pages = [(&page, false), (&thumbnail, true), (&page, false)];
    let intake = accept(&tiff::gray_tiff(&pages, None), "scan.tif");
    assert_eq!(intake.pages, 2);
    assert!(intake.warnings.is_empty(), "{:?}", intake.warnings);
    let Layout::Tiff(listed) = &intake.layout else {
        panic!("no TIFF pages listed: {:?}", intake.layout)
    };
    assert_eq!(listed.len(), 2);

    let looping = accept(&tiff::gray_tiff(&pages, Some(0)), "scan.tif");
    assert_eq!(looping.pages, 2);
    assert_eq!(
        looping.warnings,
        ["the TIFF's page chain loops back on itself; its 2 distinct pages were read"]
    );
    let limits = Limits {
        max_pages: 1,
        ..Limits::default()
    };
    let e = refuse_with(&tiff::gray_tiff(&pages, None), "scan.tif", &limits);
    assert_eq!(
        e.to_string(),
        "the document has at least 2 pages; the limit is 1"
    );
}

#[test]
fn an_empty_file_is_refused() {
    let e = refuse(b"", "scan.jpg");
    assert!(matches!(e, IntakeError::Empty));
    assert_eq!(e.to_string(), "the file is empty (0 bytes)");
    assert_eq!(e.code(), "empty");
}

#[test]
fn a_file_over_the_size_limit_is_refused_naming_both_sizes() {
    let limits = Limits::with_max_bytes(100);
    let e = refuse_with(&pdf(), "lab.pdf", &limits);
    assert!(
        matches!(e, IntakeError::TooLarge { limit: 100, .. }),
        "{e:?}"
    );
    assert_eq!(e.code(), "too_large");
    let e = IntakeError::TooLarge {
        size: 26_528_972,
        limit: 20 * MIB,
    };
    assert_eq!(e.to_string(), "the file is 25.3 MiB; the limit is 20 MiB");
    assert_eq!(Limits::default().max_bytes, 20 * MIB);
}

#[test]
fn other_types_are_refused_naming_what_they_are() {
    let cases: [(&[u8], &str); 7] = [
        (b"PK\x03\x04\x14\0\0\0\x08\0", "a ZIP archive"),
        (b"GIF89a\x20\0\x20\0\x80\0\0", "a GIF image"),
        (b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0", "a BMP image"),
        (b"<!DOCTYPE html><html><body>hei</body></html>", "HTML"),
        ("Blodprøve: normal\n".as_bytes(), "plain text"),
        (
            b"\x00\x01\x02\x03\xFE\xFD\xFC\xFB\xFA",
            "unknown data (starts with 0x00010203fefdfcfb)",
        ),
        (b"\x7FELF\x02\x01\x01\0", "a Linux program (ELF)"),
    ];
    for (bytes, found) in cases {
        let e = refuse(bytes, "upload");
        assert!(
            matches!(&e, IntakeError::UnsupportedType { found: f } if f == found),
            "{e:?}"
        );
        assert_eq!(e.code(), "unsupported_type");
        assert!(e.to_string().contains(found));
    }
}

#[test]
fn a_name_or_declared_type_that_disagrees_with_the_content_is_refused() {
    let e = refuse(&png(), "scan.jpg");
    assert!(
        matches!(
            e,
            IntakeError::TypeMismatch {
                found: MediaType::Png,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "the file is named as a JPEG image but its content is a PNG image"
    );
    assert_eq!(e.code(), "type_mismatch");

    let e = validate(&png(), None, Some("application/pdf"), &Limits::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the file is declared as a PDF (application/pdf) but its content is a PNG image"
    );
    // Unknown or missing extensions and generic types say nothing about the content.
    for name in [None, Some("scan"), Some("scan.dat")] {
        assert!(validate(
            &png(),
            name,
            Some("application/octet-stream"),
            &Limits::default()
        )
        .is_ok());
    }
}

#[test]
fn a_pdf_that_is_also_a_zip_archive_is_refused_as_a_polyglot() {
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&[0; 26]);
    let central_at = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02");
    zip.extend_from_slice(&[0; 42]);
    let central_size = zip.len() as u32 - central_at;
    zip.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central_at.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    let mut polyglot = pdf();
    polyglot.extend_from_slice(&zip);
    let e = refuse(&polyglot, "lab.pdf");
    assert!(
        matches!(&e, IntakeError::Polyglot { also } if also == "a ZIP archive"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "the file is also a ZIP archive (a polyglot file); refused"
    );
    assert_eq!(e.code(), "polyglot");
}

#[test]
fn markup_before_the_pdf_header_or_a_pdf_appended_to_an_image_is_a_polyglot() {
    let mut html = b"<html><script>alert(1)</script>".to_vec();
    html.extend_from_slice(&pdf());
    assert!(matches!(refuse(&html, "lab.pdf"), IntakeError::Polyglot { also } if also == "HTML"));

    let mut image = png();
    image.extend_from_slice(&pdf());
    assert!(
        matches!(refuse(&image, "scan.png"), IntakeError::Polyglot { also } if also == "a PDF")
    );
}

#[test]
fn junk_before_a_pdf_header_or_after_an_image_end_is_only_a_warning() {
    let mut junk = b"leading junk\n".to_vec();
    junk.extend_from_slice(&pdf());
    let intake = accept(&junk, "lab.pdf");
    assert_eq!(
        intake.warnings,
        ["13 bytes before the %PDF header (ignored)"]
    );

    let mut image = png();
    image.extend_from_slice(b"\0\0junk");
    let intake = accept(&image, "scan.png");
    assert_eq!(
        intake.warnings,
        ["6 bytes after the end of the image (ignored)"]
    );
}

fn encrypted(user_password: &str) -> Vec<u8> {
    let mut doc = Document::load_mem(&pdf()).unwrap();
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::default(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_pdf_that_needs_a_password_is_refused_with_the_remedy() {
    let e = refuse(&encrypted("secret"), "epikrise.pdf");
    assert!(matches!(e, IntakeError::EncryptedPdf));
    assert_eq!(
        e.to_string(),
        "the PDF is password-protected; remove the password and add it again"
    );
    assert_eq!(e.code(), "encrypted_pdf");
}

#[test]
fn a_pdf_with_only_an_owner_password_opens_and_is_accepted_with_a_warning() {
    let intake = accept(&encrypted(""), "epikrise.pdf");
    assert_eq!(intake.pages, 1);
    assert!(
        intake
            .warnings
            .iter()
            .any(|w| w.contains("owner password only")),
        "{:?}",
        intake.warnings
    );
}

#[test]
fn javascript_or_a_launch_action_in_a_pdf_is_refused() {
    let js = pdf_with(
        "/OpenAction 5 0 R",
        "",
        &["<< /S /JavaScript /JS (app.alert(1)) >>".into()],
    );
    let e = refuse(&js, "lab.pdf");
    assert!(
        matches!(&e, IntakeError::ActivePdfContent { what } if what == "JavaScript"),
        "{e:?}"
    );
    assert_eq!(e.code(), "active_content");

    let launch = pdf_with("", "/AA << /O << /S /Launch /F (calc.exe) >> >>", &[]);
    let e = refuse(&launch, "lab.pdf");
    assert!(
        matches!(&e, IntakeError::ActivePdfContent { what } if what == "a launch action"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "the PDF contains a launch action; documents with active content are refused"
    );
}

#[test]
fn the_words_javascript_in_page_content_are_not_active_content() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".into(),
        stream("", "BT (/S /JavaScript /JS (x)) Tj ET"),
    ];
    accept(&pdf_from(&objects), "lab.pdf");
}

#[test]
fn an_image_whose_header_claims_a_huge_size_is_refused_before_decoding() {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    bomb.extend_from_slice(&chunk(b"IHDR", &ihdr));
    bomb.extend_from_slice(&chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    bomb.extend_from_slice(&chunk(b"IEND", &[]));
    let e = refuse(&bomb, "scan.png");
    assert!(
        matches!(
            e,
            IntakeError::PixelBudget {
                width: 100_000,
                height: 100_000,
                max_pixels: 100_000_000
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "the image is 100000 x 100000 pixels (10000 megapixels); the limit is 100 megapixels \
         (a possible decompression bomb)"
    );
    assert_eq!(e.code(), "pixel_budget");

    let small_budget = Limits {
        max_pixels: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        refuse_with(&jpeg(), "photo.jpg", &small_budget),
        IntakeError::PixelBudget { .. }
    ));
}

#[test]
fn an_image_inside_a_pdf_is_held_to_the_pixel_budget() {
    let image = "<< /Type /XObject /Subtype /Image /Width 40000 /Height 40000 /ColorSpace \
                 /DeviceGray /BitsPerComponent 1 /Length 0 >>\nstream\n\nendstream";
    let e = refuse(&pdf_with("", "", &[image.into()]), "scan.pdf");
    assert!(
        matches!(e, IntakeError::PixelBudget { width: 40_000, .. }),
        "{e:?}"
    );
}

#[test]
fn a_pdf_without_pages_is_refused() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [] /Count 0 >>".into(),
    ];
    let e = refuse(&pdf_from(&objects), "empty.pdf");
    assert!(matches!(e, IntakeError::NoPages), "{e:?}");
    assert_eq!(e.to_string(), "the PDF has no pages");
    assert_eq!(e.code(), "no_pages");
}

#[test]
fn a_pdf_with_more_pages_than_the_limit_is_refused() {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>".into(),
    ];
    for _ in 0..3 {
        objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".into());
    }
    let limits = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    let e = refuse_with(&pdf_from(&objects), "long.pdf", &limits);
    assert!(
        matches!(e, IntakeError::TooManyPages { pages: 3, max: 2 }),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "the document has at least 3 pages; the limit is 2"
    );
    assert_eq!(e.code(), "too_many_pages");
    assert_eq!(accept(&pdf_from(&objects), "long.pdf").pages, 3);
}

#[test]
fn files_that_do_not_decode_are_refused_saying_why() {
    let png = png();
    let e = refuse(&png[..png.len() - 30], "scan.png");
    assert!(
        matches!(&e, IntakeError::Malformed { media_type: MediaType::Png, reason } if reason.contains("truncated")),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("the PNG image does not decode: "));
    assert_eq!(e.code(), "malformed");

    let mut damaged = png.clone();
    let last_idat_byte = damaged.len() - 20;
    damaged[last_idat_byte] ^= 0xFF;
    let e = refuse(&damaged, "scan.png");
    assert!(e.to_string().contains("its checksum does not match"), "{e}");

    let jpeg = jpeg();
    let e = refuse(&jpeg[..jpeg.len() / 2], "photo.jpg");
    assert!(
        matches!(&e, IntakeError::Malformed { media_type: MediaType::Jpeg, reason } if reason.contains("truncated")),
        "{e:?}"
    );

    let e = refuse(b"%PDF-1.7\n%%EOF\n", "lab.pdf");
    assert!(
        matches!(
            e,
            IntakeError::Malformed {
                media_type: MediaType::Pdf,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("the PDF is damaged: "));

    let mut no_segment = jpeg.clone();
    no_segment[2] = 0;
    let e = refuse(&no_segment, "photo.jpg");
    assert!(
        matches!(
            e,
            IntakeError::Malformed {
                media_type: MediaType::Jpeg,
                ..
            }
        ),
        "{e:?}"
    );

    let mut text_mode = png.clone();
    text_mode[5] = b'\r';
    let e = refuse(&text_mode, "scan.png");
    assert!(e.to_string().contains("signature is damaged"), "{e}");
}

#[test]
fn a_pdf_with_a_broken_cross_reference_table_is_rebuilt_when_its_pages_survive() {
    let mut bytes = pdf();
    let at = rfind(&bytes, b"startxref\n").unwrap() + b"startxref\n".len();
    bytes.truncate(at);
    bytes.extend_from_slice(b"9\n%%EOF\n");
    let intake = accept(&bytes, "lab.pdf");
    assert_eq!(intake.pages, 1);
    assert!(
        intake.warnings[0].contains("was rebuilt"),
        "{:?}",
        intake.warnings
    );
}

#[test]
fn a_broken_pdf_whose_rebuilt_pages_are_blank_is_refused() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".into(),
    ];
    let mut bytes = pdf_from(&objects);
    let at = find(&bytes, b"xref\n").unwrap();
    bytes.truncate(at);
    let e = refuse(&bytes, "lab.pdf");
    assert!(e.to_string().contains("recovers only blank pages"), "{e}");
}

#[test]
fn a_page_tree_that_declares_an_impossible_count_is_refused() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 9999999999 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".into(),
    ];
    let e = refuse(&pdf_from(&objects), "lab.pdf");
    assert!(e.to_string().contains("page tree is invalid"), "{e}");
}

#[test]
fn a_content_stream_in_an_image_encoding_is_refused() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".into(),
        stream("/Filter /JBIG2Decode", "not really jbig2"),
    ];
    let e = refuse(&pdf_from(&objects), "lab.pdf");
    assert!(e.to_string().contains("/JBIG2Decode"), "{e}");
}

#[test]
fn error_codes_are_stable() {
    let codes: Vec<&str> = [
        IntakeError::Empty,
        IntakeError::TooLarge { size: 2, limit: 1 },
        IntakeError::UnsupportedType {
            found: "plain text".into(),
        },
        IntakeError::TypeMismatch {
            declared: "named as a PDF".into(),
            found: MediaType::Png,
        },
        IntakeError::Polyglot {
            also: "a ZIP archive".into(),
        },
        IntakeError::EncryptedPdf,
        IntakeError::ActivePdfContent {
            what: "JavaScript".into(),
        },
        IntakeError::PixelBudget {
            width: 1,
            height: 1,
            max_pixels: 0,
        },
        IntakeError::NoPages,
        IntakeError::TooManyPages { pages: 2, max: 1 },
        malformed(MediaType::Pdf, "x"),
    ]
    .iter()
    .map(IntakeError::code)
    .collect();
    assert_eq!(
        codes,
        [
            "empty",
            "too_large",
            "unsupported_type",
            "type_mismatch",
            "polyglot",
            "encrypted_pdf",
            "active_content",
            "pixel_budget",
            "no_pages",
            "too_many_pages",
            "malformed"
        ]
    );
}

#[test]
fn a_flate_content_stream_bomb_is_refused_before_it_is_inflated() {
    use super::pdf::{inflates_beyond, MAX_CONTENT_BYTES};
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b' '; MAX_CONTENT_BYTES + 4096]).unwrap();
    let bomb = z.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024, "the bomb is small on disk");
    assert!(inflates_beyond(&bomb, MAX_CONTENT_BYTES));
    assert!(!inflates_beyond(&bomb, MAX_CONTENT_BYTES + 8192));
    assert!(!inflates_beyond(b"not zlib at all", 10));
}

//! Text's unit tests: OCR of image files and TIFF pages, and what the pages add up to; PDF pages
//! are in `pdf`.

mod pdf;

use std::collections::HashMap;

use image::codecs::jpeg::JpegEncoder;

use super::*;

const MAX_PIXELS: u64 = 50_000_000;

use crate::test_corpus as corpus;

/// The text of `bytes` as admitted by [`admitted`].
fn read(bytes: &[u8], media: MediaType, ocr: &mut Recognisers) -> Result<ExtractedText, TextError> {
    extract(bytes, &admitted(bytes, media), ocr, MAX_PIXELS)
}

/// `bytes` as intake admits them. An image file goes through intake itself, which reads its
/// pages and resolution; a PDF is described directly as one that needed no repair, so that
/// text's own refusals of PDFs intake would refuse first can still be tested.
fn admitted(bytes: &[u8], media: MediaType) -> Admitted {
    if media != MediaType::Pdf {
        let limits = crate::intake::Limits::default();
        return crate::intake::validate(bytes, None, None, &limits).expect("admitted");
    }
    Admitted {
        media_type: media,
        sha256: String::new(),
        size_bytes: bytes.len() as u64,
        pages: 1,
        dimensions: None,
        warnings: Vec::new(),
        layout: Layout::Pdf { repaired: None },
    }
}

/// The share of the ground truth's words (case and punctuation aside) that OCR found.
fn word_overlap(truth: &str, found: &str) -> f64 {
    let words = |text: &str| -> Vec<String> {
        text.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let mut available: HashMap<String, usize> = HashMap::new();
    for w in words(found) {
        *available.entry(w).or_default() += 1;
    }
    let truth = words(truth);
    let hits = truth
        .iter()
        .filter(|w| match available.get_mut(*w) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    hits as f64 / truth.len() as f64
}

#[test]
fn png_scan_is_ocred_with_at_least_80_percent_of_the_ground_truth_words() {
    let mut ocr = Recognisers::default();
    let bytes = corpus("ocr-groundtruth/ocrmypdf-linn.png");
    let out = read(&bytes, MediaType::Png, &mut ocr).expect("extracted");
    assert_eq!(out.source(), Some(TextSource::Ocr));
    assert_eq!(out.pages.len(), 1);
    let truth = String::from_utf8(corpus("ocr-groundtruth/ocrmypdf-linn.txt")).unwrap();
    let overlap = word_overlap(&truth, &out.text());
    eprintln!(
        "linn.png: {} ms of OCR, word overlap {overlap:.3}",
        out.ocr_ms
    );
    assert!(
        overlap >= 0.8,
        "only {overlap:.2} of the ground-truth words found"
    );
    let confidence = out
        .mean_ocr_confidence()
        .expect("an OCRed page has a confidence");
    assert!(confidence > 0.7, "confidence {confidence}");
    assert!(out.pages[0].words.len() > 300);
}

#[test]
fn tiff_page_is_ocred_at_its_stated_resolution() {
    let bytes = corpus("ocr-groundtruth/tesseract-phototest.tif");
    let admitted = admitted(&bytes, MediaType::Tiff);
    let Layout::Tiff(pages) = &admitted.layout else {
        panic!("intake listed no TIFF pages: {:?}", admitted.layout)
    };
    assert_eq!(pages.len(), 1);
    let mut ocr = Recognisers::default();
    let out = extract(&bytes, &admitted, &mut ocr, MAX_PIXELS).expect("extracted");
    let truth = String::from_utf8(corpus("ocr-groundtruth/tesseract-phototest.txt")).unwrap();
    assert!(word_overlap(&truth, &out.text()) >= 0.9, "{:?}", out.text());
}

#[test]
fn every_page_of_a_multi_page_tiff_is_decoded() {
    let bytes = corpus("image-valid/pillow-g4-multi.tiff");
    let admitted = admitted(&bytes, MediaType::Tiff);
    let Layout::Tiff(pages) = &admitted.layout else {
        panic!("intake listed no TIFF pages: {:?}", admitted.layout)
    };
    assert_eq!(pages.len(), 3);
    for (index, page) in pages.iter().enumerate() {
        let view = PageView::new(&bytes, page.directory, &[]);
        let image = decode_image_from(view, ImageFormat::Tiff, MAX_PIXELS, index + 1, true)
            .expect("page decodes");
        assert_eq!(image.dimensions(), (3307, 4677));
    }
    assert!(matches!(
        decode_image_file(&bytes, ImageFormat::Tiff, 1_000_000, 1),
        Err(TextError::TooLarge {
            page: 1,
            width: 3307,
            height: 4677,
            ..
        })
    ));
}

/// The corpus's photo test page as a TIFF page of its own (8-bit gray).
fn phototest_page() -> GrayImage {
    let bytes = corpus("ocr-groundtruth/tesseract-phototest.tif");
    image::load_from_memory(&bytes).expect("decodes").to_luma8()
}

#[test]
fn a_tiff_thumbnail_is_not_read_as_a_page_and_a_looping_chain_is_read_in_full() {
    let (page, thumbnail) = (phototest_page(), GrayImage::new(16, 12));
    let pages = [(&page, false), (&thumbnail, true), (&page, false)];
    let bytes = crate::formats::tiff::gray_tiff(&pages, Some(0));
    let admitted = admitted(&bytes, MediaType::Tiff);
    assert_eq!(admitted.pages, 2, "intake counts the pages text reads");
    let mut ocr = Recognisers::default();
    let out = extract(&bytes, &admitted, &mut ocr, MAX_PIXELS).expect("extracted");
    assert_eq!(out.pages.len(), 2);
    let truth = String::from_utf8(corpus("ocr-groundtruth/tesseract-phototest.txt")).unwrap();
    for page in &out.pages {
        assert!(word_overlap(&truth, &page.text) >= 0.9, "{:?}", page.text);
    }
    assert!(
        !out.warnings
            .iter()
            .any(|w| w.contains("only its first page")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn exif_orientation_6_turns_the_image_upright() {
    // The corpus file is square, so compare pixels: orientation 6 is a quarter turn clockwise.
    let bytes = corpus("image-valid/pillow-hopper_orientation_6.jpg");
    let stored = image::load_from_memory(&bytes).unwrap().to_luma8();
    let upright = decode_image_file(&bytes, ImageFormat::Jpeg, MAX_PIXELS, 1).unwrap();
    assert_eq!(upright, image::imageops::rotate90(&stored));

    // A non-square one shows the swap in its dimensions.
    let wide = GrayImage::from_fn(64, 16, |x, _| image::Luma([(x * 4) as u8]));
    let mut jpeg = Vec::new();
    JpegEncoder::new(&mut jpeg).encode_image(&wide).unwrap();
    let mut exif = vec![0xFF, 0xE1, 0, 34];
    exif.extend_from_slice(
        b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0",
    );
    jpeg.splice(2..2, exif);
    let upright = decode_image_file(&jpeg, ImageFormat::Jpeg, MAX_PIXELS, 1).unwrap();
    assert_eq!(upright.dimensions(), (16, 64));
}

#[test]
fn non_square_pixels_of_an_image_file_are_squared_within_the_pixel_limit() {
    let mut warnings = Vec::new();
    let fax = GrayImage::new(204, 98);
    let (squared, dpi) = square_pixels(fax, (204.0, 98.0), MAX_PIXELS, 1, &mut warnings);
    assert_eq!((squared.dimensions(), dpi), ((204, 204), 204));
    let (kept, _) = square_pixels(
        GrayImage::new(204, 98),
        (204.0, 98.0),
        30_000,
        1,
        &mut warnings,
    );
    assert_eq!(
        kept.dimensions(),
        (204, 98),
        "squaring may not break the pixel limit"
    );
    assert_eq!(warnings.len(), 1);
}

#[test]
fn source_and_confidence_summarise_the_pages() {
    let page = |number, source, confidence| PageText {
        text: format!("side {number}"),
        ocr_confidence: confidence,
        words: Vec::new(),
        read: PageRead {
            shown: Some(source),
            ..PageRead::new(number, PageReason::Image)
        },
    };
    let mut out = ExtractedText {
        pages: vec![
            page(1, TextSource::Ocr, Some(0.9)),
            page(2, TextSource::Ocr, Some(0.5)),
        ],
        warnings: Vec::new(),
        ocr_ms: 0,
        mrz_ms: 0,
    };
    // A page without text says nothing of where the text comes from.
    out.pages.push(PageText::empty(3, PageReason::Blank));
    assert_eq!(out.source(), Some(TextSource::Ocr));
    assert!((out.mean_ocr_confidence().unwrap() - 0.7).abs() < 1e-6);
    assert_eq!(out.text(), "side 1\u{c}side 2\u{c}");
    out.pages.push(page(4, TextSource::PdfText, None));
    assert_eq!(out.source(), None);
    assert_eq!(
        serde_json::to_value(TextSource::PdfText).unwrap(),
        "pdf-text"
    );
}

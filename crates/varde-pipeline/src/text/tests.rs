//! Text's unit tests: text layers, OCR of scans and image files, page-image decoding.

use std::collections::HashMap;

use image::codecs::jpeg::JpegEncoder;
use lopdf::dictionary;

use super::*;

const MAX_PIXELS: u64 = 50_000_000;

use crate::test_corpus as corpus;

/// The text of `bytes` as admitted by [`admitted`].
fn read(bytes: &[u8], media: MediaType, ocr: &mut OcrSlot) -> Result<ExtractedText, TextError> {
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

/// A PDF written with lopdf, page by page.
struct PdfBuilder {
    doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
}

impl PdfBuilder {
    fn new() -> PdfBuilder {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        PdfBuilder {
            doc,
            pages_id,
            kids: Vec::new(),
        }
    }

    fn page(&mut self, size_pt: (f32, f32), resources: Dictionary, content: &[u8]) -> ObjectId {
        let content_id = self
            .doc
            .add_object(Stream::new(Dictionary::new(), content.to_vec()));
        let page_id = self.doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "MediaBox" => vec![0.into(), 0.into(), size_pt.0.into(), size_pt.1.into()],
            "Contents" => content_id,
            "Resources" => resources,
        });
        self.kids.push(page_id.into());
        page_id
    }

    fn image(&mut self, image: Dictionary, data: Vec<u8>, compress: bool) -> ObjectId {
        let mut dict = dictionary! { "Type" => "XObject", "Subtype" => "Image" };
        dict.extend(&image);
        let mut stream = Stream::new(dict, data);
        if compress {
            stream.compress().expect("deflate");
            assert!(
                stream.dict.has(b"Filter"),
                "test image too small for lopdf to deflate"
            );
        }
        self.doc.add_object(stream)
    }

    /// A full-page image, drawn as /Im0.
    fn image_page(
        &mut self,
        size_pt: (f32, f32),
        image: Dictionary,
        data: Vec<u8>,
        compress: bool,
    ) -> ObjectId {
        let image_id = self.image(image, data, compress);
        let content = format!("q {} 0 0 {} 0 0 cm /Im0 Do Q", size_pt.0, size_pt.1);
        self.page(
            size_pt,
            dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
            content.as_bytes(),
        )
    }

    fn text_page(&mut self, lines: &[&[u8]]) -> ObjectId {
        let font = self.doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        // T* and Tj: pdf-extract 0.12 ignores the ' operator.
        let mut content = b"BT /F1 12 Tf 72 720 Td 14 TL".to_vec();
        for line in lines {
            content.extend_from_slice(b" T* (");
            content.extend_from_slice(line);
            content.extend_from_slice(b") Tj");
        }
        content.extend_from_slice(b" ET");
        self.page(
            (612.0, 792.0),
            dictionary! { "Font" => dictionary! { "F1" => font } },
            &content,
        )
    }

    fn finish(mut self) -> (Vec<u8>, Document) {
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => self.kids, "Count" => count },
            ),
        );
        let catalog = self
            .doc
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        self.doc.save_to(&mut bytes).expect("PDF written");
        let doc = Document::load_mem(&bytes).expect("PDF reads back");
        (bytes, doc)
    }
}

/// The only page's image as the OCR step would receive it.
fn first_page_image(doc: &Document) -> Result<Option<(GrayImage, u32)>, TextError> {
    let page_id = *doc.get_pages().get(&1).expect("one page");
    pdf_page_image(doc, page_id, 1, MAX_PIXELS, &mut Vec::new())
}

/// Packs gray pixels into 1-bit rows (MSB first, 1 = white), as scanners store bilevel pages.
fn pack_bits(image: &GrayImage) -> Vec<u8> {
    let row_bytes = (image.width() as usize).div_ceil(8);
    let mut out = vec![0u8; row_bytes * image.height() as usize];
    for (x, y, p) in image.enumerate_pixels() {
        if p.0[0] >= 128 {
            out[y as usize * row_bytes + x as usize / 8] |= 0x80 >> (x % 8);
        }
    }
    out
}

#[test]
fn norwegian_text_layer_is_read_per_page_without_starting_ocr() {
    let mut pdf = PdfBuilder::new();
    // WinAnsi bytes: 0xF8 ø, 0xE5 å, 0xE6 æ, 0xD8 Ø.
    pdf.text_page(&[
        b"Sykehuset \xd8stfold",
        b"Kari Nordmann, f\xf8dt 01.01.1990",
    ]);
    pdf.text_page(&[b"Pasienten har f\xe5tt bl\xe5resept for hjertemedisin, \xe6rlig talt."]);
    let (bytes, _) = pdf.finish();

    let mut ocr = OcrSlot::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    assert!(!ocr.is_initialised(), "a text layer must never start OCR");
    assert_eq!(out.pages.len(), 2);
    assert_eq!(out.source(), Some(TextSource::PdfText));
    assert_eq!(out.mean_ocr_confidence(), None);
    assert_eq!(out.ocr_ms, 0);
    let first = &out.pages[0].text;
    assert!(
        first.contains("Sykehuset Østfold") && first.contains("født 01.01.1990"),
        "{first:?}"
    );
    assert!(
        first.find("Østfold") < first.find("Kari"),
        "reading order kept: {first:?}"
    );
    assert!(
        out.pages[1]
            .text
            .contains("fått blåresept for hjertemedisin, ærlig"),
        "{:?}",
        out.pages[1].text
    );
    assert_eq!(out.text().matches('\u{c}').count(), 1);
    assert!(out
        .pages
        .iter()
        .all(|p| p.number > 0 && p.words.is_empty() && p.ocr_confidence.is_none()));
}

#[test]
fn real_text_layer_pdf_is_pdf_text_and_never_initialises_ocr() {
    let mut ocr = OcrSlot::default();
    let bytes = corpus("ocr-groundtruth/pypdf-crazyones.pdf");
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    assert!(
        !ocr.is_initialised(),
        "OCR was initialised for a PDF with a text layer"
    );
    assert_eq!(out.source(), Some(TextSource::PdfText));
    let truth = String::from_utf8(corpus("ocr-groundtruth/pypdf-crazyones.txt")).unwrap();
    let overlap = word_overlap(&truth, &out.text());
    assert!(overlap >= 0.9, "only {overlap:.2} of the words found");
}

#[test]
fn png_scan_is_ocred_with_at_least_80_percent_of_the_ground_truth_words() {
    let mut ocr = OcrSlot::default();
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
fn scanned_page_of_a_pdf_is_ocred_and_a_text_page_beside_it_is_not() {
    // The linn scan's title and first lines at 300 dpi, stored as scanners do:
    // 1-bit gray, deflated.
    let scan = image::load_from_memory(&corpus("ocr-groundtruth/ocrmypdf-linn.png"))
        .expect("linn.png decodes")
        .to_luma8();
    let crop = image::imageops::crop_imm(&scan, 0, 100, 2550, 350).to_image();
    let mut pdf = PdfBuilder::new();
    pdf.text_page(&[b"Henvisning"]);
    pdf.image_page(
        (612.0, 350.0 * 72.0 / 300.0),
        dictionary! { "Width" => 2550, "Height" => 350, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1 },
        pack_bits(&crop),
        true,
    );
    let (bytes, _) = pdf.finish();

    let mut ocr = OcrSlot::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    eprintln!("linn crop in a PDF: {} ms of OCR", out.ocr_ms);
    assert_eq!(out.source(), None, "pages of both kinds are mixed");
    assert_eq!(out.pages[0].source, TextSource::PdfText);
    assert_eq!(out.pages[0].text, "Henvisning");
    let scanned = &out.pages[1];
    assert_eq!((scanned.number, scanned.source), (2, TextSource::Ocr));
    for word in ["LinnSequencer", "MIDI", "Sequence", "Recorder", "musician"] {
        assert!(
            scanned.text.contains(word),
            "{word} missing from {:?}",
            scanned.text
        );
    }
    assert!(scanned.ocr_confidence.is_some_and(|c| c > 0.7));
    assert!(!scanned.words.is_empty());
    assert_eq!(out.mean_ocr_confidence(), scanned.ocr_confidence);
}

#[test]
fn tiff_page_is_ocred_at_its_stated_resolution() {
    let bytes = corpus("ocr-groundtruth/tesseract-phototest.tif");
    let admitted = admitted(&bytes, MediaType::Tiff);
    let Layout::Tiff(pages) = &admitted.layout else {
        panic!("intake listed no TIFF pages: {:?}", admitted.layout)
    };
    assert_eq!(pages.len(), 1);
    let mut ocr = OcrSlot::default();
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
    let mut ocr = OcrSlot::default();
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
fn a_pdf_intake_could_read_only_after_rebuilding_it_is_read_from_the_rebuilt_copy() {
    let mut bytes = crate::samples::text_pdf(&["Kreatinin 80 umol/L", "Natrium 141 mmol/L"]);
    let at = bytes
        .windows(10)
        .rposition(|w| w == b"startxref\n")
        .unwrap()
        + 10;
    bytes.truncate(at);
    bytes.extend_from_slice(b"9\n%%EOF\n");
    let admitted = crate::intake::validate(&bytes, None, None, &Default::default())
        .expect("admitted after its cross-reference table was rebuilt");
    assert!(matches!(admitted.layout, Layout::Pdf { repaired: Some(_) }));
    let mut ocr = OcrSlot::default();
    let out = extract(&bytes, &admitted, &mut ocr, MAX_PIXELS).expect("extracted");
    assert_eq!(out.source(), Some(TextSource::PdfText));
    assert!(
        out.text().contains("Kreatinin 80 umol/L"),
        "{:?}",
        out.text()
    );
    // Re-parsing the file as written is what used to happen, and it reads nothing.
    assert!(read(&bytes, MediaType::Pdf, &mut ocr).is_err());
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
fn unsupported_page_image_encodings_fail_naming_the_encoding_without_starting_ocr() {
    let mut pdf = PdfBuilder::new();
    pdf.image_page(
        (612.0, 792.0),
        dictionary! { "Width" => 8, "Height" => 8, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "JBIG2Decode" },
        vec![0; 16],
        false,
    );
    let (bytes, _) = pdf.finish();
    let mut ocr = OcrSlot::default();
    let error = read(&bytes, MediaType::Pdf, &mut ocr).unwrap_err();
    assert!(
        matches!(&error, TextError::UnsupportedPageImage { page: 1, encoding } if encoding == "JBIG2Decode"),
        "{error:?}"
    );
    assert!(error.to_string().contains("JBIG2Decode"));
    assert!(!ocr.is_initialised());

    // Beside a readable page, the unreadable one is left empty with a warning instead.
    let mut pdf = PdfBuilder::new();
    pdf.text_page(&[b"Epikrise"]);
    pdf.image_page(
        (612.0, 792.0),
        dictionary! { "Width" => 8, "Height" => 8, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "JBIG2Decode" },
        vec![0; 16],
        false,
    );
    let bytes = pdf.finish().0;
    let out = read(&bytes, MediaType::Pdf, &mut ocr).unwrap();
    assert_eq!(out.pages.len(), 2);
    assert_eq!(out.pages[0].text, "Epikrise");
    assert!(out.pages[1].text.is_empty() && out.pages[1].ocr_confidence.is_none());
    assert!(
        out.warnings
            .iter()
            .any(|w| w.starts_with("page 2:") && w.contains("JBIG2Decode")),
        "{:?}",
        out.warnings
    );
    assert!(!ocr.is_initialised());

    // The corpus's scanned linn.pdf is JBIG2 too.
    let bytes = corpus("ocr-groundtruth/ocrmypdf-linn.pdf");
    let error = read(&bytes, MediaType::Pdf, &mut ocr).unwrap_err();
    assert!(
        matches!(&error, TextError::UnsupportedPageImage { encoding, .. } if encoding == "JBIG2Decode")
    );
    assert!(!ocr.is_initialised());
}

#[test]
fn oversized_page_image_is_refused_before_decoding() {
    let mut pdf = PdfBuilder::new();
    pdf.image_page(
        (612.0, 792.0),
        dictionary! { "Width" => 100_000, "Height" => 100_000, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0; 16],
        false,
    );
    let (bytes, _) = pdf.finish();
    let error = read(&bytes, MediaType::Pdf, &mut OcrSlot::default()).unwrap_err();
    assert!(
        matches!(
            error,
            TextError::TooLarge {
                page: 1,
                width: 100_000,
                height: 100_000,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn raw_page_images_decode_to_gray_honouring_bits_colour_spaces_decode_and_predictors() {
    // 1-bit gray, inverted by /Decode [1 0]: stored 0 bits show white.
    let mut pdf = PdfBuilder::new();
    pdf.image_page(
        (72.0, 18.0),
        dictionary! { "Width" => 8, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1,
                      "Decode" => vec![1.into(), 0.into()] },
        vec![0b1111_0000, 0b0000_1111],
        false,
    );
    let (image, dpi) = first_page_image(&pdf.finish().1).unwrap().unwrap();
    assert_eq!(
        image.as_raw(),
        &[0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0]
    );
    assert_eq!(dpi, 8, "8 px across one inch");

    // 8-bit RGB with PNG "Up" prediction, on a page turned by /Rotate 90: 2 columns,
    // rows alternating red|blue and green|white.
    let rows: Vec<[u8; 6]> = (0..32)
        .map(|y| {
            if y % 2 == 0 {
                [255, 0, 0, 0, 0, 255]
            } else {
                [0, 255, 0, 255, 255, 255]
            }
        })
        .collect();
    let mut predicted = Vec::new();
    let mut above = [0u8; 6];
    for row in &rows {
        predicted.push(2);
        predicted.extend(row.iter().zip(above).map(|(now, up)| now.wrapping_sub(up)));
        above = *row;
    }
    let mut pdf = PdfBuilder::new();
    let page = pdf.image_page(
        (9.0, 144.0),
        dictionary! { "Width" => 2, "Height" => 32, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
                      "DecodeParms" => dictionary! { "Predictor" => 12, "Colors" => 3, "Columns" => 2 } },
        predicted,
        true,
    );
    pdf.doc.get_dictionary_mut(page).unwrap().set("Rotate", 90);
    let (image, _) = first_page_image(&pdf.finish().1).unwrap().unwrap();
    // Luma: red 54, blue 18, green 182, white 255; a quarter turn clockwise puts the last row
    // (green|white) at the left.
    assert_eq!(image.dimensions(), (32, 2));
    let pixel = |x, y| image.get_pixel(x, y).0[0];
    assert_eq!(
        [pixel(0, 0), pixel(0, 1), pixel(31, 0), pixel(31, 1)],
        [182, 255, 54, 18]
    );

    // Indexed over RGB, 4 bits per index.
    let mut pdf = PdfBuilder::new();
    pdf.image_page(
        (72.0, 36.0),
        dictionary! { "Width" => 2, "Height" => 1, "BitsPerComponent" => 4,
        "ColorSpace" => vec!["Indexed".into(), "DeviceRGB".into(), 1.into(),
                             Object::string_literal(vec![0, 0, 0, 255, 255, 255])] },
        vec![0x10],
        false,
    );
    let (image, _) = first_page_image(&pdf.finish().1).unwrap().unwrap();
    assert_eq!(image.as_raw(), &[255, 0]);
}

#[test]
fn jpeg_and_ccitt_g4_page_images_decode() {
    let gray = GrayImage::from_fn(32, 16, |x, _| image::Luma([if x < 16 { 20 } else { 235 }]));
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&gray)
        .unwrap();
    let mut pdf = PdfBuilder::new();
    pdf.image_page(
        (32.0 * 72.0 / 200.0, 16.0 * 72.0 / 200.0),
        dictionary! { "Width" => 32, "Height" => 16, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                      "Filter" => "DCTDecode" },
        jpeg,
        false,
    );
    let (image, dpi) = first_page_image(&pdf.finish().1).unwrap().unwrap();
    assert_eq!((image.dimensions(), dpi), ((32, 16), 200));
    assert!(image.get_pixel(2, 8).0[0] < 60 && image.get_pixel(30, 8).0[0] > 200);

    // A real fax-style scan: CCITT Group 4, 2550x3300 at 300 dpi, mostly white paper.
    let doc = Document::load_mem(&corpus("pdf-valid/ocrmypdf-ccitt.pdf")).unwrap();
    let (image, dpi) = first_page_image(&doc).unwrap().unwrap();
    assert_eq!((image.dimensions(), dpi), ((2550, 3300), 300));
    let white = image.as_raw().iter().filter(|&&p| p > 128).count();
    assert!(
        white * 10 > image.as_raw().len() * 8,
        "paper must come out white"
    );
}

#[test]
fn non_square_pixels_are_squared_by_where_the_page_draws_the_image() {
    // 4x2 pixels drawn 72x72 pt through nested transforms: 4 dpi across, 2 dpi down, as a
    // standard-mode fax (204x98 dpi) is.
    let mut pdf = PdfBuilder::new();
    let image = pdf.image(
        dictionary! { "Width" => 4, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0, 50, 100, 150, 200, 210, 220, 230],
        false,
    );
    pdf.page(
        (300.0, 300.0),
        dictionary! { "XObject" => dictionary! { "Fax" => image } },
        b"q 2 0 0 1 10 10 cm q 36 0 0 72 0 0 cm /Fax Do Q Q",
    );
    let (image, dpi) = first_page_image(&pdf.finish().1).unwrap().unwrap();
    assert_eq!((image.dimensions(), dpi), ((4, 4), 4));
    assert_eq!(
        image.as_raw(),
        &[0, 50, 100, 150, 0, 50, 100, 150, 200, 210, 220, 230, 200, 210, 220, 230]
    );

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
        number,
        text: format!("side {number}"),
        source,
        ocr_confidence: confidence,
        words: Vec::new(),
    };
    let mut out = ExtractedText {
        pages: vec![
            page(1, TextSource::Ocr, Some(0.9)),
            page(2, TextSource::Ocr, Some(0.5)),
        ],
        warnings: Vec::new(),
        ocr_ms: 0,
    };
    assert_eq!(out.source(), Some(TextSource::Ocr));
    assert!((out.mean_ocr_confidence().unwrap() - 0.7).abs() < 1e-6);
    assert_eq!(out.text(), "side 1\u{c}side 2");
    out.pages.push(page(3, TextSource::PdfText, None));
    assert_eq!(out.source(), None);
    assert_eq!(
        serde_json::to_value(TextSource::PdfText).unwrap(),
        "pdf-text"
    );
}

//! PDF pages: the decision per page (text layer, OCR of the rendered page, or both compared),
//! the renderer on every encoding scanners write, hidden text, and the renderer's limits.

use std::time::Duration;

use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};

use super::*;
use crate::samples::{scan_pdf, Layer};
use crate::text::render::{Renderer, MIN_RENDER_DPI};

/// The title lines of the corpus's linn scan (300 dpi) as an 8-bit gray JPEG, as a scanner
/// stores a page.
fn linn_title_jpeg() -> (Vec<u8>, (u32, u32)) {
    let scan = image::load_from_memory(&corpus("ocr-groundtruth/ocrmypdf-linn.png"))
        .expect("linn.png decodes")
        .to_luma8();
    let crop = image::imageops::crop_imm(&scan, 0, 100, 2550, 350).to_image();
    (crate::samples::gray_jpeg(&crop), crop.dimensions())
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

    let mut ocr = Recognisers::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    assert!(
        !ocr.ocr.is_initialised(),
        "a text layer must never start OCR"
    );
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
    assert!(out.pages.iter().all(|p| p.number() > 0
        && p.words.is_empty()
        && p.ocr_confidence.is_none()
        && p.read.reason == PageReason::TextLayer
        && !p.read.ocr));
}

#[test]
fn real_text_layer_pdf_is_pdf_text_and_never_initialises_ocr() {
    let mut ocr = Recognisers::default();
    let bytes = corpus("ocr-groundtruth/pypdf-crazyones.pdf");
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    assert!(
        !ocr.ocr.is_initialised(),
        "OCR was initialised for a PDF with a text layer"
    );
    assert_eq!(out.source(), Some(TextSource::PdfText));
    let truth = String::from_utf8(corpus("ocr-groundtruth/pypdf-crazyones.txt")).unwrap();
    let overlap = word_overlap(&truth, &out.text());
    assert!(overlap >= 0.9, "only {overlap:.2} of the words found");
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

    let mut ocr = Recognisers::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    eprintln!("linn crop in a PDF: {} ms of OCR", out.ocr_ms);
    assert_eq!(out.source(), None, "pages of both kinds are mixed");
    assert_eq!(out.pages[0].read.shown, Some(TextSource::PdfText));
    assert_eq!(out.pages[0].text, "Henvisning");
    let scanned = &out.pages[1];
    assert_eq!(
        (scanned.number(), scanned.read.shown, scanned.read.reason),
        (2, Some(TextSource::Ocr), PageReason::NoTextLayer)
    );
    assert_eq!(
        scanned.read.dpi,
        Some(300),
        "drawn at the scan's own resolution"
    );
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
    let mut ocr = Recognisers::default();
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
fn scanned_pages_in_every_encoding_scanners_write_are_rendered_and_read() {
    let truth = String::from_utf8(corpus("ocr-groundtruth/ocrmypdf-linn.txt")).unwrap();
    let mut ocr = Recognisers::default();
    // The same scanned page stored as JBIG2 and as CCITT Group 4.
    for file in [
        "ocr-groundtruth/ocrmypdf-linn.pdf",
        "pdf-valid/ocrmypdf-ccitt.pdf",
    ] {
        let out = read(&corpus(file), MediaType::Pdf, &mut ocr).expect("extracted");
        let overlap = word_overlap(&truth, &out.text());
        assert!(
            overlap >= 0.8,
            "{file}: only {overlap:.2} of the words found"
        );
        let page = &out.pages[0].read;
        assert_eq!(
            (page.reason, page.ocr, page.shown, page.dpi),
            (
                PageReason::NoTextLayer,
                true,
                Some(TextSource::Ocr),
                Some(300)
            ),
            "{file}"
        );
    }
    // JPEG 2000, text drawn as vector outlines, and an image stretched over an odd page box.
    for (file, word) in [
        ("pdf-valid/ocrmypdf-vector.pdf", "Vector"),
        ("pdf-valid/ocrmypdf-aspect.pdf", ""),
    ] {
        let out = read(&corpus(file), MediaType::Pdf, &mut ocr).expect("extracted");
        assert!(
            has_text(&out.text()) && out.text().contains(word),
            "{file}: {:?}",
            out.text()
        );
        assert_eq!(out.pages[0].read.reason, PageReason::NoTextLayer);
    }
    let out = read(
        &corpus("pdf-valid/ocrmypdf-lichtenstein.pdf"),
        MediaType::Pdf,
        &mut ocr,
    )
    .expect("a JPEG 2000 page renders");
    assert!(out.pages[0].read.ocr, "{:?}", out.warnings);
    assert!(
        !out.warnings.iter().any(|w| w.contains("cannot")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_scan_carrying_a_small_text_stamp_is_ocred() {
    let (jpeg, size) = linn_title_jpeg();
    let bytes = scan_pdf(&jpeg, size, 300, &["Skannet 01.12.2026"], Layer::Over);
    let mut ocr = Recognisers::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    let page = &out.pages[0];
    assert_eq!(page.read.reason, PageReason::MostlyImage);
    assert_eq!(page.read.shown, Some(TextSource::Ocr));
    assert!(page.text.contains("LinnSequencer"), "{:?}", page.text);
    assert!(!out.layer_differs());
}

#[test]
fn a_hidden_text_layer_naming_another_person_is_never_shown_and_is_reported() {
    let (jpeg, size) = linn_title_jpeg();
    let hidden = [
        "Pasient: Ola Hansen",
        "Fødselsnummer 01015012345",
        "Diagnose: diabetes mellitus type 2",
    ];
    let bytes = scan_pdf(&jpeg, size, 300, &hidden, Layer::Invisible);
    let mut ocr = Recognisers::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("extracted");
    let page = &out.pages[0];
    assert_eq!(page.read.reason, PageReason::InvisibleTextLayer);
    assert_eq!(page.read.shown, Some(TextSource::Ocr));
    assert!(
        page.read.layer_agreement.is_some_and(|a| a < 0.6),
        "{:?}",
        page.read
    );
    assert!(page.text.contains("LinnSequencer"), "{:?}", page.text);
    for hidden_word in ["Hansen", "01015012345", "diabetes"] {
        assert!(!out.text().contains(hidden_word), "{hidden_word} was shown");
    }
    assert!(out.layer_differs());
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("page 1: the hidden text layer differs from what the page shows")),
        "{:?}",
        out.warnings
    );
    assert!(
        out.warnings.iter().all(|w| !w.contains("Hansen")),
        "a warning may not carry document text"
    );
}

#[test]
fn another_tools_faithful_ocr_layer_agrees_with_the_page_and_raises_nothing() {
    let (jpeg, size) = linn_title_jpeg();
    let layer = ["The LinnSequencer", "32 Track MIDI Sequence Recorder"];
    let bytes = scan_pdf(&jpeg, size, 300, &layer, Layer::Invisible);
    let out = read(&bytes, MediaType::Pdf, &mut Recognisers::default()).expect("extracted");
    let page = &out.pages[0];
    assert_eq!(page.read.reason, PageReason::InvisibleTextLayer);
    assert!(
        page.read.layer_agreement.is_some_and(|a| a >= 0.6),
        "{:?}",
        page.read
    );
    assert!(!out.layer_differs(), "{:?}", out.warnings);
}

#[test]
fn visible_text_hidden_under_a_page_image_is_not_shown() {
    let (jpeg, size) = linn_title_jpeg();
    let line = "Epikrise for Ola Hansen, innlagt med hjertesvikt og behandlet med diuretika.";
    let under = [line; 4];
    let bytes = scan_pdf(&jpeg, size, 300, &under, Layer::Under);
    let out = read(&bytes, MediaType::Pdf, &mut Recognisers::default()).expect("extracted");
    let page = &out.pages[0];
    assert_eq!(page.read.reason, PageReason::TextOverImage);
    assert_eq!(page.read.shown, Some(TextSource::Ocr));
    assert!(!page.text.contains("Hansen"), "{:?}", page.text);
    assert!(out.layer_differs());
    assert!(out
        .warnings
        .iter()
        .any(|w| w.contains("page 1: the text layer differs from what the page shows")));
}

#[test]
fn a_blank_page_is_recorded_as_blank_without_starting_ocr() {
    let mut ocr = Recognisers::default();
    let out = read(
        &corpus("pdf-valid/pdfjs-empty.pdf"),
        MediaType::Pdf,
        &mut ocr,
    )
    .unwrap();
    assert_eq!(out.pages[0].read.reason, PageReason::Blank);
    assert!(!ocr.ocr.is_initialised());
}

#[test]
fn a_page_too_large_to_render_is_refused_naming_the_page_and_the_others_still_count() {
    let mut pdf = PdfBuilder::new();
    pdf.text_page(&[b"Epikrise"]);
    pdf.image_page(
        (8400.0, 8400.0),
        dictionary! { "Width" => 8, "Height" => 8, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0; 64],
        false,
    );
    let (bytes, _) = pdf.finish();
    let mut ocr = Recognisers::default();
    let out = read(&bytes, MediaType::Pdf, &mut ocr).expect("the first page still counts");
    assert_eq!(out.pages[0].text, "Epikrise");
    assert_eq!(out.pages[1].read.reason, PageReason::Unreadable);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.starts_with("page 2: it is 8400x8400 pt")
                && w.contains("over the limit of 50")),
        "{:?}",
        out.warnings
    );
    assert!(
        !ocr.ocr.is_initialised(),
        "nothing was rendered, so nothing OCRed"
    );
}

#[test]
fn a_page_that_fits_only_at_a_lower_resolution_is_rendered_lower_with_a_warning() {
    let bytes = corpus("pdf-valid/ocrmypdf-ccitt.pdf");
    let mut renderer = Renderer::open(bytes, Duration::from_secs(30)).unwrap();
    let survey = renderer.survey(1).unwrap();
    assert_eq!(survey.ocr_dpi().round(), 300.0);
    let mut warnings = Vec::new();
    // Letter at 300 dpi is 8.4 megapixels; allow 4.
    let (image, dpi) = renderer
        .render(1, &survey, survey.ocr_dpi(), 4_000_000, &mut warnings)
        .unwrap();
    assert!(f64::from(dpi) >= MIN_RENDER_DPI && dpi < 300, "{dpi}");
    assert!(u64::from(image.width()) * u64::from(image.height()) <= 4_000_000);
    assert!(
        warnings[0].starts_with("page 1: rendered at"),
        "{warnings:?}"
    );
}

#[test]
fn a_documents_pages_share_one_render_budget() {
    let bytes = corpus("pdf-valid/ocrmypdf-cardinal.pdf");
    let mut renderer = Renderer::open(bytes, Duration::from_secs(30))
        .unwrap()
        .with_budget(10_000_000);
    let first = renderer.survey(1).unwrap();
    renderer
        .render(1, &first, 300.0, MAX_PIXELS, &mut Vec::new())
        .expect("the first page fits the budget");
    let second = renderer.survey(2).unwrap();
    let error = renderer
        .render(2, &second, 300.0, MAX_PIXELS, &mut Vec::new())
        .unwrap_err();
    assert!(
        matches!(error, TextError::DocumentRenderBudget { page: 2, .. }),
        "{error:?}"
    );
}

#[test]
fn a_page_render_that_takes_too_long_is_given_up_and_nothing_more_is_rendered() {
    let bytes = corpus("pdf-valid/ocrmypdf-cardinal.pdf");
    let mut renderer = Renderer::open(bytes, Duration::from_secs(30)).unwrap();
    let survey = renderer.survey(1).unwrap();
    let mut renderer = renderer.with_timeout(Duration::from_millis(1));
    let error = renderer
        .render(1, &survey, 300.0, MAX_PIXELS, &mut Vec::new())
        .unwrap_err();
    assert!(
        matches!(error, TextError::RenderTimedOut { page: 1, .. }),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("page 1: rendering it took longer than"));
    let next = renderer.survey(2).unwrap_err();
    assert!(
        next.to_string().contains("rendering stopped at page 1"),
        "{next}"
    );
    assert!(
        render::render_abandoned(),
        "the worker must retire after this document"
    );
}

#[test]
fn the_decision_follows_what_the_page_draws() {
    use render::PageSurvey;
    let scan = PageSurvey {
        width_pt: 612.0,
        height_pt: 792.0,
        image_cover: 1.0,
        page_image_dpi: Some(300.0),
        ..PageSurvey::default()
    };
    let text_page = PageSurvey {
        visible_glyphs: 900,
        image_cover: 0.1,
        ..scan
    };
    assert_eq!(plan("", Some(&scan)), Plan::Ocr(PageReason::NoTextLayer));
    assert_eq!(
        plan(
            "Side 1",
            Some(&PageSurvey {
                visible_glyphs: 6,
                ..scan
            })
        ),
        Plan::Ocr(PageReason::MostlyImage)
    );
    assert_eq!(
        plan(
            "lots",
            Some(&PageSurvey {
                visible_glyphs: 900,
                ..scan
            })
        ),
        Plan::Compare(PageReason::TextOverImage)
    );
    assert_eq!(
        plan(
            "ocr",
            Some(&PageSurvey {
                invisible_glyphs: 900,
                ..scan
            })
        ),
        Plan::Compare(PageReason::InvisibleTextLayer)
    );
    assert_eq!(plan("text", Some(&text_page)), Plan::Layer);
    assert_eq!(plan("", Some(&PageSurvey::default())), Plan::Blank);
    assert_eq!(
        plan("text", None),
        Plan::Layer,
        "unrenderable: the layer is all there is"
    );
}

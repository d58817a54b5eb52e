//! A PDF's text, page by page, decided per page from what the page draws: its own text layer
//! (pdf-extract) where that is what the page shows, otherwise the page rendered (hayro) and
//! OCRed, with the text layer compared where there is one.

use super::compare::layer_agreement;
use super::render::{PageSurvey, Renderer, PAGE_RENDER_TIMEOUT};
use super::*;

/// A page at least this much covered by images is a scan, whatever text it also carries.
const MOSTLY_IMAGE: f64 = 0.5;
/// A scan with fewer visible glyphs than this carries a stamp or footer, not its content.
const STAMP_GLYPHS: usize = 200;

/// How a page will be read, decided before any OCR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Plan {
    /// The text layer, as it is.
    Layer,
    /// Render and OCR; there is no text layer worth comparing.
    Ocr(PageReason),
    /// Render and OCR, and compare the text layer with what OCR read.
    Compare(PageReason),
    /// Nothing drawn: nothing to read.
    Blank,
}

/// The decision for one page, from its text layer and what it draws. Without a survey (the
/// renderer could not read the page) a text layer is all there is.
pub(super) fn plan(layer: &str, survey: Option<&PageSurvey>) -> Plan {
    let has_layer = has_text(layer);
    let Some(survey) = survey else {
        return if has_layer {
            Plan::Layer
        } else {
            Plan::Ocr(PageReason::NoTextLayer)
        };
    };
    if !has_layer {
        return if survey.draws_anything() {
            Plan::Ocr(PageReason::NoTextLayer)
        } else {
            Plan::Blank
        };
    }
    if survey.invisible_glyphs > survey.visible_glyphs {
        Plan::Compare(PageReason::InvisibleTextLayer)
    } else if survey.image_cover >= MOSTLY_IMAGE && survey.visible_glyphs < STAMP_GLYPHS {
        Plan::Ocr(PageReason::MostlyImage)
    } else if survey.image_cover >= MOSTLY_IMAGE {
        Plan::Compare(PageReason::TextOverImage)
    } else {
        Plan::Layer
    }
}

pub(super) fn extract_pdf(
    bytes: &[u8],
    ocr: &mut Recognisers,
    max_pixels: u64,
    out: &mut ExtractedText,
) -> Result<(), TextError> {
    let mut doc = guarded(|| Document::load_mem(bytes))
        .map_err(|_| TextError::Pdf(CRASHED.into()))?
        .map_err(|e| TextError::Pdf(e.to_string()))?;
    if doc.is_encrypted() {
        // Only documents that open without a password (an owner password alone) get here.
        doc.decrypt("").map_err(|e| {
            TextError::Pdf(format!(
                "encrypted, and not openable without a password: {e}"
            ))
        })?;
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(TextError::Pdf("the document has no pages".into()));
    }
    let mut renderer = match Renderer::open(bytes.to_vec(), PAGE_RENDER_TIMEOUT) {
        Ok(renderer) => Some(renderer),
        Err(reason) => {
            out.warnings.push(format!(
                "the pages cannot be rendered ({reason}); only their text layers are read"
            ));
            None
        }
    };
    let mut failures = PageFailures::default();
    for &number in pages.keys() {
        let number = number as usize;
        let layer = match page_text_layer(&doc, number as u32) {
            Ok(text) => text,
            Err(reason) => {
                out.warnings.push(format!(
                    "page {number}: its text layer could not be read ({reason}); reading the rendered page instead"
                ));
                String::new()
            }
        };
        let survey = match renderer.as_mut().map(|r| r.survey(number)) {
            Some(Ok(survey)) => Some(survey),
            Some(Err(error)) if has_text(&layer) => {
                out.warnings.push(unchecked(&error));
                None
            }
            Some(Err(error)) => {
                failures.page(out, number, error)?;
                continue;
            }
            None => None,
        };
        let page = match (plan(&layer, survey.as_ref()), renderer.as_mut(), survey) {
            (Plan::Layer, _, _) => Ok(PageText::from_layer(number, &layer)),
            (Plan::Blank, _, _) => {
                out.warnings
                    .push(format!("page {number}: the page is blank"));
                Ok(PageText::empty(number, PageReason::Blank))
            }
            (Plan::Ocr(reason), Some(renderer), Some(survey)) => {
                read_rendered(renderer, &survey, ocr, number, reason, max_pixels, out)
            }
            (Plan::Compare(reason), Some(renderer), Some(survey)) => {
                // A page to compare has a text layer: if it cannot be rendered, that is shown.
                match read_rendered(renderer, &survey, ocr, number, reason, max_pixels, out) {
                    Ok(page) => Ok(compared(page, &layer, out)),
                    Err(error) => {
                        out.warnings.push(unchecked(&error));
                        Ok(PageText::from_layer(number, &layer))
                    }
                }
            }
            (Plan::Ocr(_) | Plan::Compare(_), _, _) => Err(TextError::Render {
                page: number,
                reason: "the renderer cannot read this document".into(),
            }),
        };
        match page {
            Ok(page) => out.pages.push(page),
            Err(error) => failures.page(out, number, error)?,
        }
    }
    failures.finish(out)
}

/// The warning for a text layer shown without being checked against its page.
fn unchecked(error: &TextError) -> String {
    format!("{error}; its text layer is shown unchecked against the page")
}

/// The page drawn at the resolution its content calls for, and OCRed.
fn read_rendered(
    renderer: &mut Renderer,
    survey: &PageSurvey,
    ocr: &mut Recognisers,
    number: usize,
    reason: PageReason,
    max_pixels: u64,
    out: &mut ExtractedText,
) -> Result<PageText, TextError> {
    let (image, dpi) = renderer.render(
        number,
        survey,
        survey.ocr_dpi(),
        max_pixels,
        &mut out.warnings,
    )?;
    ocr_page(ocr, number, reason, image, dpi, out)
}

/// An OCRed page whose text layer was compared with it: the layer is shown when it says what
/// the page shows and is visible; otherwise the OCR text is, and a layer that differs is
/// reported, since a PDF can hide text the reader never sees.
fn compared(mut page: PageText, layer: &str, out: &mut ExtractedText) -> PageText {
    let number = page.number();
    let agreement = layer_agreement(layer, &page.text);
    page.read.layer_agreement = agreement;
    if page.read.layer_differs() {
        let what = match page.read.reason {
            PageReason::InvisibleTextLayer => "the hidden text layer",
            _ => "the text layer",
        };
        out.warnings.push(format!(
            "page {number}: {what} differs from what the page shows; the text read from the page is shown"
        ));
    } else if page.read.reason == PageReason::TextOverImage {
        // A faithful, visible layer reads better than OCR of the same words.
        page.text = layer.trim().to_owned();
        page.read.shown = Some(TextSource::PdfText);
    }
    page
}

/// One page's text layer. pdf-extract can panic on malformed input (missing MediaBox, bad
/// content references): that becomes an error for this page, not the end of the worker.
pub(super) fn page_text_layer(doc: &Document, number: u32) -> Result<String, String> {
    let mut text = String::new();
    let result = guarded(|| {
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(doc, &mut output, number)
    });
    match result {
        Ok(Ok(())) => Ok(text),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the text extractor failed on this page".into()),
    }
}

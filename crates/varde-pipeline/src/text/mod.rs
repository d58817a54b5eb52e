//! The text of a document, page by page, and how each page was read.
//!
//! A PDF page is surveyed first (what it draws: visible and invisible text, images, outlines).
//! A page whose own visible text is what it shows gives that text (pdf-extract, in reading
//! order). Any other page is rendered as the reviewer sees it (hayro) and recognised by
//! Tesseract: a page without a text layer, a scan carrying a little text (a scanner's stamp), a
//! page whose text layer is invisible, and text over a large image. Where a page has both, the
//! two are compared, and a text layer that differs from what the page shows is never shown.
//! Image files (JPEG, PNG, WebP, TIFF — every TIFF page) are recognised directly, upright per
//! their EXIF orientation.
//!
//! Everything happens in memory: no decoded text or image is ever written to disk.
//! Limits: an image or rendered page over `max_pixels` is refused before its pixels are
//! allocated, a document's renders share a pixel budget, and a page that takes too long to draw
//! is given up; the worker process this runs in bounds time and memory.

mod compare;
mod images;
mod mrz_text;
pub mod ocr;
mod pdf;
pub mod render;
#[cfg(test)]
mod tests;

use std::io::{BufRead, Cursor, Seek};
use std::time::Instant;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use lopdf::Document;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::formats::guarded;
use crate::formats::tiff::PageView;
use crate::intake::{Admitted, Layout, TiffPage};
use crate::mrz::{self, MrzSlot};
use crate::MediaType;
use images::*;
use ocr::{OcrError, OcrSlot, OcrWord, MAX_OCR_SIDE};
use pdf::*;

pub(crate) use images::{decode_upright, over_white};

/// Assumed when an image does not state its resolution: a typical office scan.
const DEFAULT_DPI: u32 = 300;
const ASSUMED_RESOLUTION: (f64, f64) = (DEFAULT_DPI as f64, DEFAULT_DPI as f64);
/// What a page's error says when a decoder panicked on it.
const CRASHED: &str = "the decoder crashed on it";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    PdfText,
    Ocr,
}

/// Why a page was read the way it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageReason {
    /// Its own visible text, with no large image behind it: read from the text layer.
    TextLayer,
    /// A PDF page without a text layer (a scan, or text drawn as outlines): rendered and OCRed.
    NoTextLayer,
    /// Mostly an image, with only a little text (a scanner's stamp or footer): rendered and OCRed.
    MostlyImage,
    /// Its text layer is invisible (render mode 3, typically another tool's OCR): rendered and
    /// OCRed, and the layer compared with what the page shows.
    InvisibleTextLayer,
    /// Visible text over a large image: rendered and OCRed, and the text layer kept only when
    /// the two agree.
    TextOverImage,
    /// An image file or a TIFF page: OCRed.
    Image,
    /// The page draws nothing.
    Blank,
    /// The page could not be read; a warning says why.
    Unreadable,
}

/// How one page was read: the decision, recorded in the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, TS, Deserialize)]
pub struct PageRead {
    /// 1-based.
    pub number: usize,
    pub reason: PageReason,
    /// Where the text shown for the page comes from; `None` when it has none.
    pub shown: Option<TextSource>,
    /// Whether the page was OCRed (its text may still come from the text layer, which OCR
    /// confirmed).
    pub ocr: bool,
    /// The resolution the page was OCRed at.
    pub dpi: Option<u32>,
    /// With both a text layer and OCR: the share of the layer's words OCR also found, 0..1.
    pub layer_agreement: Option<f32>,
    /// Whether the page's MRZ was read by the MRZ reader (its lines replace Tesseract's).
    #[serde(default)]
    pub mrz: bool,
}

impl PageRead {
    /// Whether the page's text layer, compared with what OCR read, says something else.
    pub fn layer_differs(&self) -> bool {
        compare::differs(self.layer_agreement)
    }

    fn new(number: usize, reason: PageReason) -> PageRead {
        PageRead {
            number,
            reason,
            shown: None,
            ocr: false,
            dpi: None,
            layer_agreement: None,
            mrz: false,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct PageText {
    pub text: String,
    /// 0..1; `None` for pdf-text pages and for scans where OCR found no words.
    pub ocr_confidence: Option<f32>,
    /// What OCR found, with positions; empty for pages read from the text layer.
    pub words: Vec<OcrWord>,
    pub read: PageRead,
}

impl PageText {
    /// 1-based.
    pub fn number(&self) -> usize {
        self.read.number
    }

    /// A page with no text, read for `reason`.
    fn empty(number: usize, reason: PageReason) -> PageText {
        PageText {
            text: String::new(),
            ocr_confidence: None,
            words: Vec::new(),
            read: PageRead::new(number, reason),
        }
    }

    /// The text layer's text, shown as read.
    fn from_layer(number: usize, text: &str) -> PageText {
        PageText {
            text: text.trim().to_owned(),
            ocr_confidence: None,
            words: Vec::new(),
            read: PageRead {
                shown: Some(TextSource::PdfText),
                ..PageRead::new(number, PageReason::TextLayer)
            },
        }
    }
}

/// What reads page images, each started on first use: Tesseract for the page, the MRZ reader
/// for its machine-readable zone.
#[derive(Default)]
pub struct Recognisers {
    pub ocr: OcrSlot,
    pub mrz: MrzSlot,
}

impl Recognisers {
    pub fn new(ocr: OcrSlot) -> Recognisers {
        Recognisers {
            ocr,
            mrz: MrzSlot::default(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ExtractedText {
    pub pages: Vec<PageText>,
    /// For the reviewer: pages read in a degraded way, or not at all. Never holds document text.
    pub warnings: Vec<String>,
    /// Time spent in recognition (engine start-up excluded).
    pub ocr_ms: u64,
    /// Time spent finding and reading MRZs (model loading excluded).
    pub mrz_ms: u64,
}

impl ExtractedText {
    /// The pages' text joined with form feeds, the conventional page separator.
    pub fn text(&self) -> String {
        self.pages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\u{c}")
    }

    /// The one source of every page that has text; `None` when they mix sources (or none has).
    pub fn source(&self) -> Option<TextSource> {
        let mut shown = self.pages.iter().filter_map(|p| p.read.shown);
        let first = shown.next()?;
        shown.all(|s| s == first).then_some(first)
    }

    /// Whether a page's text layer differs from what the page shows (it is not shown).
    pub fn layer_differs(&self) -> bool {
        self.pages.iter().any(|p| p.read.layer_differs())
    }

    /// How each page was read.
    pub fn reads(&self) -> Vec<PageRead> {
        self.pages.iter().map(|p| p.read).collect()
    }

    /// The mean of the OCRed pages' confidences; `None` if no page has one.
    pub fn mean_ocr_confidence(&self) -> Option<f32> {
        let confidences: Vec<f32> = self.pages.iter().filter_map(|p| p.ocr_confidence).collect();
        (!confidences.is_empty())
            .then(|| confidences.iter().sum::<f32>() / confidences.len() as f32)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("the PDF could not be read: {0}")]
    Pdf(String),
    #[error("the image could not be decoded: {0}")]
    Image(String),
    #[error("page {page}: it cannot be rendered: {reason}")]
    Render { page: usize, reason: String },
    #[error("page {page}: rendering it took longer than {secs} s and was stopped")]
    RenderTimedOut { page: usize, secs: u64 },
    #[error("page {page}: it is {width_pt}x{height_pt} pt; even at 150 dpi it would need {megapixels} megapixels, over the limit of {max_megapixels}")]
    PageTooLarge {
        page: usize,
        width_pt: u64,
        height_pt: u64,
        megapixels: u64,
        max_megapixels: u64,
    },
    #[error("page {page}: not rendered, the document has used its rendering budget of {max_megapixels} megapixels")]
    DocumentRenderBudget { page: usize, max_megapixels: u64 },
    #[error("page {page}: its image is {width}x{height} pixels, over the limit of {max_pixels}")]
    TooLarge {
        page: usize,
        width: u64,
        height: u64,
        max_pixels: u64,
    },
    #[error("OCR failed: {0}")]
    Ocr(#[from] OcrError),
    #[error("the document's pages were not listed by intake; validate it first")]
    NotAdmitted,
}

/// Extracts the text of `bytes`, which intake admitted as `admitted`, page by page. What intake
/// found is reused, never re-parsed: a PDF is read from its repaired copy when intake had to
/// rebuild it, and a TIFF's pages are the ones intake checked.
///
/// `ocr` is asked for its engine only when a page needs OCR, after that page has been rendered
/// or decoded: a PDF whose pages all show their own text never loads Tesseract.
/// `max_pixels` bounds each page image and each rendered page (width × height).
pub fn extract(
    bytes: &[u8],
    admitted: &Admitted,
    ocr: &mut Recognisers,
    max_pixels: u64,
) -> Result<ExtractedText, TextError> {
    let mut out = ExtractedText {
        pages: Vec::new(),
        warnings: Vec::new(),
        ocr_ms: 0,
        mrz_ms: 0,
    };
    let media = admitted.media_type;
    match (media, &admitted.layout) {
        (MediaType::Pdf, Layout::Pdf { repaired }) => {
            let pdf = repaired.as_deref().unwrap_or(bytes);
            extract_pdf(pdf, ocr, max_pixels, &mut out)?;
        }
        (MediaType::Tiff, Layout::Tiff(pages)) => {
            extract_tiff(bytes, pages, ocr, max_pixels, &mut out)?
        }
        (MediaType::Pdf | MediaType::Tiff, _) => return Err(TextError::NotAdmitted),
        (MediaType::Jpeg | MediaType::Png | MediaType::Webp, _) => {
            let format = media.image_format().expect("an image type");
            let image = decode_image_file(bytes, format, max_pixels, 1)?;
            let stated = match admitted.layout {
                Layout::Image { resolution } => resolution,
                _ => None,
            };
            let resolution = stated.and_then(plausible).unwrap_or(ASSUMED_RESOLUTION);
            let (image, dpi) = square_pixels(image, resolution, max_pixels, 1, &mut out.warnings);
            let page = ocr_page(ocr, 1, PageReason::Image, image, dpi, &mut out)?;
            out.pages.push(page);
        }
    }
    Ok(out)
}

/// Recognises one page image, starting the engine if this is the first, and reads its MRZ.
fn ocr_page(
    readers: &mut Recognisers,
    number: usize,
    reason: PageReason,
    image: GrayImage,
    dpi: u32,
    out: &mut ExtractedText,
) -> Result<PageText, TextError> {
    let (image, dpi) = fit_for_ocr(image, dpi, number, &mut out.warnings);
    let engine = readers.ocr.get()?;
    let started = Instant::now();
    let result = engine.recognize(image.as_raw(), image.width(), image.height(), dpi)?;
    out.ocr_ms += u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if result.words.is_empty() {
        out.warnings
            .push(format!("page {number}: OCR found no text"));
    }
    let mut text = result.text.trim().to_owned();
    let zone = read_mrz(&mut readers.mrz, &image, &text, result.mean_confidence, out)
        .filter(|zone| reads_better(zone, &text));
    if let Some(zone) = &zone {
        text = mrz_text::with_mrz(&text, &result.words, zone);
    }
    Ok(PageText {
        read: PageRead {
            shown: has_text(&text).then_some(TextSource::Ocr),
            ocr: true,
            dpi: Some(dpi),
            mrz: zone.is_some(),
            ..PageRead::new(number, reason)
        },
        text,
        ocr_confidence: (!result.words.is_empty()).then_some(result.mean_confidence),
        words: result.words,
    })
}

/// Words that make a page without an upright MRZ worth searching turned (lower case).
const IDENTITY_HINTS: [&str; 8] = [
    "<<",
    "pass",
    "identit",
    "visa",
    "førerkort",
    "licen",
    "specimen",
    "id-kort",
];

/// Fewer letters and digits than this, and a page may be a photographed document whose text
/// Tesseract could not see (a passport booklet lying sideways).
const LITTLE_TEXT: usize = 400;

/// The page's MRZ, if it has one: searched upright on every page, and turned when the text
/// suggests an identity document, there is little of it, or Tesseract could barely read it. Without the glyph model
/// pages keep Tesseract's reading, and the analysis says why once.
fn read_mrz(
    slot: &mut MrzSlot,
    image: &GrayImage,
    text: &str,
    confidence: f32,
    out: &mut ExtractedText,
) -> Option<mrz::MrzText> {
    let model = match slot.get() {
        Ok(model) => model,
        Err(e) => {
            let warning = format!("MRZs are read by Tesseract alone: {e}");
            if !out.warnings.contains(&warning) {
                out.warnings.push(warning);
            }
            return None;
        }
    };
    let lower = text.to_lowercase();
    let little_text = text.chars().filter(|c| c.is_alphanumeric()).count() < LITTLE_TEXT;
    let turned =
        little_text || confidence < 0.6 || IDENTITY_HINTS.iter().any(|h| lower.contains(h));
    let started = Instant::now();
    let zone = mrz::read(model, image, turned);
    out.mrz_ms += u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    zone.unwrap_or_else(|e| {
        out.warnings.push(e.to_string());
        None
    })
}

/// The glyph model's mean probability above which its reading wins a tie with Tesseract's.
const SURE_READING: f32 = 0.8;

/// Whether the MRZ reader's reading of the zone is better than what Tesseract read on the page:
/// an MRZ at all (rows of regular text can look like a zone to the locator, but their reading
/// has no check digits that hold), then fewer failed check digits, then fewer repairs, and on a
/// tie the reader if it is sure (it was trained on OCR-B; a zone in another font is Tesseract's).
fn reads_better(zone: &mrz::MrzText, page_text: &str) -> bool {
    use crate::fields::mrz_quality;
    let Some(reader) = mrz_quality(&zone.lines.join("\n")) else {
        return false;
    };
    match mrz_quality(page_text) {
        None => true,
        Some(tesseract) if reader == tesseract => zone.mean_confidence >= SURE_READING,
        Some(tesseract) => reader < tesseract,
    }
}

/// Shrinks an image Tesseract would refuse (a side over its limit) by a whole factor, averaging
/// each block of pixels, and scales the dpi with it.
fn fit_for_ocr(
    image: GrayImage,
    dpi: u32,
    number: usize,
    warnings: &mut Vec<String>,
) -> (GrayImage, u32) {
    let longest = image.width().max(image.height());
    if longest <= MAX_OCR_SIDE {
        return (image, dpi);
    }
    let factor = longest.div_ceil(MAX_OCR_SIDE);
    let (width, height) = (
        image.width().div_ceil(factor),
        image.height().div_ceil(factor),
    );
    let mut sums = vec![(0u32, 0u32); width as usize * height as usize];
    for (x, y, pixel) in image.enumerate_pixels() {
        let cell = &mut sums[(y / factor) as usize * width as usize + (x / factor) as usize];
        cell.0 += u32::from(pixel.0[0]);
        cell.1 += 1;
    }
    let pixels = sums
        .into_iter()
        .map(|(sum, count)| (sum / count.max(1)) as u8)
        .collect();
    warnings.push(format!(
        "page {number}: image scaled down from {}x{} to {width}x{height} for OCR",
        image.width(),
        image.height()
    ));
    let scaled = GrayImage::from_raw(width, height, pixels).expect("one value per pixel");
    (scaled, (dpi / factor).max(1))
}

/// Pages of a multi-page document that could not be read are left empty, with a warning, so one
/// bad page does not cost the others their text. A document none of whose pages gives any text
/// fails with its first page's error.
#[derive(Default)]
struct PageFailures {
    first: Option<TextError>,
}

impl PageFailures {
    /// Records a page that could not be read; an engine that cannot start ends extraction.
    fn page(
        &mut self,
        out: &mut ExtractedText,
        number: usize,
        error: TextError,
    ) -> Result<(), TextError> {
        if matches!(error, TextError::Ocr(OcrError::Init { .. })) {
            return Err(error);
        }
        let message = match error {
            TextError::Render { .. }
            | TextError::RenderTimedOut { .. }
            | TextError::PageTooLarge { .. }
            | TextError::DocumentRenderBudget { .. }
            | TextError::TooLarge { .. } => error.to_string(),
            _ => format!("page {number}: {error}"),
        };
        out.warnings
            .push(format!("{message}; the page is left without text"));
        out.pages
            .push(PageText::empty(number, PageReason::Unreadable));
        self.first.get_or_insert(error);
        Ok(())
    }

    fn finish(self, out: &ExtractedText) -> Result<(), TextError> {
        match self.first {
            Some(error) if !out.pages.iter().any(|p| has_text(&p.text)) => Err(error),
            _ => Ok(()),
        }
    }
}

fn has_text(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace())
}

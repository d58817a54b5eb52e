//! The text of a document, page by page.
//!
//! A PDF page with a text layer gives its own text (pdf-extract, in reading order) and never
//! starts OCR. A page without one is a scan: its largest image is decoded, turned to 8-bit gray
//! and recognised by Tesseract. Image files (JPEG, PNG, WebP, TIFF — every TIFF page) are
//! recognised directly, upright per their EXIF orientation.
//!
//! Everything happens in memory: no decoded text or image is ever written to disk.
//! Limits: an image over `max_pixels` is refused before its pixels are allocated; the worker
//! process this runs in bounds time and memory (lopdf inflates streams without a cap).

mod images;
pub mod ocr;
mod pdf;
mod raster;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{BufRead, Cursor, Seek};
use std::time::Instant;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use serde::Serialize;

use crate::formats::guarded;
use crate::formats::tiff::PageView;
use crate::intake::{Admitted, Layout, TiffPage};
use crate::MediaType;
use images::*;
use ocr::{OcrError, OcrSlot, OcrWord, MAX_OCR_SIDE};
use pdf::*;
use raster::*;

/// Assumed when an image does not state its resolution: a typical office scan.
const DEFAULT_DPI: u32 = 300;
const ASSUMED_RESOLUTION: (f64, f64) = (DEFAULT_DPI as f64, DEFAULT_DPI as f64);
/// Form XObjects nest; scanners wrap page images in at most one or two.
const MAX_FORM_DEPTH: usize = 4;
/// What a page's error says when a decoder panicked on it.
const CRASHED: &str = "the decoder crashed on it";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    PdfText,
    Ocr,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageText {
    /// 1-based.
    pub number: usize,
    pub text: String,
    pub source: TextSource,
    /// 0..1; `None` for pdf-text pages and for scans where OCR found no words.
    pub ocr_confidence: Option<f32>,
    /// Empty for pdf-text pages.
    pub words: Vec<OcrWord>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExtractedText {
    pub pages: Vec<PageText>,
    /// For the reviewer: pages read in a degraded way, or not at all. Never holds document text.
    pub warnings: Vec<String>,
    /// Time spent in recognition (engine start-up excluded).
    pub ocr_ms: u64,
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

    /// The one source of every page; `None` when the pages mix sources (or there are none).
    pub fn source(&self) -> Option<TextSource> {
        let first = self.pages.first()?.source;
        self.pages
            .iter()
            .all(|p| p.source == first)
            .then_some(first)
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
    #[error("page {page}: its image is encoded with {encoding}, which Varde cannot decode")]
    UnsupportedPageImage { page: usize, encoding: String },
    #[error("page {page}: its image cannot be read: {reason}")]
    PageImage { page: usize, reason: String },
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
/// `ocr` is asked for its engine only when a page needs OCR, after that page's image has been
/// decoded: a PDF whose pages all have a text layer never loads Tesseract.
/// `max_pixels` bounds each page image (width × height).
pub fn extract(
    bytes: &[u8],
    admitted: &Admitted,
    ocr: &mut OcrSlot,
    max_pixels: u64,
) -> Result<ExtractedText, TextError> {
    let mut out = ExtractedText {
        pages: Vec::new(),
        warnings: Vec::new(),
        ocr_ms: 0,
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
            let format = match media {
                MediaType::Jpeg => ImageFormat::Jpeg,
                MediaType::Png => ImageFormat::Png,
                _ => ImageFormat::WebP,
            };
            let image = decode_image_file(bytes, format, max_pixels, 1)?;
            let stated = match admitted.layout {
                Layout::Image { resolution } => resolution,
                _ => None,
            };
            let resolution = stated.and_then(plausible).unwrap_or(ASSUMED_RESOLUTION);
            let (image, dpi) = square_pixels(image, resolution, max_pixels, 1, &mut out.warnings);
            let page = ocr_page(ocr, 1, image, dpi, &mut out)?;
            out.pages.push(page);
        }
    }
    Ok(out)
}

/// Recognises one page image, starting the engine if this is the first.
fn ocr_page(
    ocr: &mut OcrSlot,
    number: usize,
    image: GrayImage,
    dpi: u32,
    out: &mut ExtractedText,
) -> Result<PageText, TextError> {
    let (image, dpi) = fit_for_ocr(image, dpi, number, &mut out.warnings);
    let engine = ocr.get()?;
    let started = Instant::now();
    let result = engine.recognize(image.as_raw(), image.width(), image.height(), dpi)?;
    out.ocr_ms += u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if result.words.is_empty() {
        out.warnings
            .push(format!("page {number}: OCR found no text"));
    }
    Ok(PageText {
        number,
        text: result.text.trim().to_owned(),
        source: TextSource::Ocr,
        ocr_confidence: (!result.words.is_empty()).then_some(result.mean_confidence),
        words: result.words,
    })
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
            TextError::UnsupportedPageImage { .. }
            | TextError::PageImage { .. }
            | TextError::TooLarge { .. } => error.to_string(),
            _ => format!("page {number}: {error}"),
        };
        out.warnings
            .push(format!("{message}; the page is left without text"));
        out.pages.push(PageText {
            number,
            text: String::new(),
            source: TextSource::Ocr,
            ocr_confidence: None,
            words: Vec::new(),
        });
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

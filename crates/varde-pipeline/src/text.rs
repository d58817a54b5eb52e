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
use crate::ocr::{OcrError, OcrSlot, OcrWord, MAX_OCR_SIDE};
use crate::MediaType;

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
            let resolution = file_resolution(bytes, media).unwrap_or(ASSUMED_RESOLUTION);
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

// ---------------------------------------------------------------------------------------------
// PDF

fn extract_pdf(
    bytes: &[u8],
    ocr: &mut OcrSlot,
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
    let mut failures = PageFailures::default();
    for (&number, &page_id) in &pages {
        let number_usize = number as usize;
        let text = match page_text_layer(&doc, number) {
            Ok(text) => text,
            Err(reason) => {
                out.warnings.push(format!(
                    "page {number}: its text layer could not be read ({reason}); reading its image instead"
                ));
                String::new()
            }
        };
        // Whitespace only is no text layer: pdf-extract gives "" for pages it cannot make sense of.
        if has_text(&text) {
            out.pages.push(PageText {
                number: number_usize,
                text: text.trim().to_owned(),
                source: TextSource::PdfText,
                ocr_confidence: None,
                words: Vec::new(),
            });
            continue;
        }
        let image =
            guarded(|| pdf_page_image(&doc, page_id, number_usize, max_pixels, &mut out.warnings))
                .unwrap_or_else(|_| {
                    Err(TextError::PageImage {
                        page: number_usize,
                        reason: CRASHED.into(),
                    })
                });
        let image = match image {
            Ok(image) => image,
            Err(error) => {
                failures.page(out, number_usize, error)?;
                continue;
            }
        };
        match image {
            Some((image, dpi)) => match ocr_page(ocr, number_usize, image, dpi, out) {
                Ok(page) => out.pages.push(page),
                Err(error) => failures.page(out, number_usize, error)?,
            },
            None => {
                out.warnings
                    .push(format!("page {number}: no text and no image"));
                out.pages.push(PageText {
                    number: number_usize,
                    text: String::new(),
                    source: TextSource::PdfText,
                    ocr_confidence: None,
                    words: Vec::new(),
                });
            }
        }
    }
    failures.finish(out)
}

/// One page's text layer. pdf-extract can panic on malformed input (missing MediaBox, bad
/// content references): that becomes an error for this page, not the end of the worker.
fn page_text_layer(doc: &Document, number: u32) -> Result<String, String> {
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

/// A page entry, looked up the page tree as PDF inheritance allows.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    // The depth bound stops /Parent cycles.
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return doc.dereference(value).ok().map(|(_, v)| v);
        }
        node = node
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

fn pdf_number(obj: &Object) -> Option<f64> {
    match obj {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The largest image on the page, decoded, upright per /Rotate, with square pixels and its dpi.
fn pdf_page_image(
    doc: &Document,
    page_id: ObjectId,
    number: usize,
    max_pixels: u64,
    warnings: &mut Vec<String>,
) -> Result<Option<(GrayImage, u32)>, TextError> {
    let page_error = |reason: String| TextError::PageImage {
        page: number,
        reason,
    };
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| page_error(format!("page object: {e}")))?;

    let mut images = Vec::new();
    if let Some(Object::Dictionary(resources)) = inherited(doc, page, b"Resources") {
        collect_images(doc, resources, 0, &mut HashSet::new(), &mut images);
    }
    let Some((name, stream)) = images.into_iter().max_by_key(|(_, s)| claimed_pixels(s)) else {
        return Ok(None);
    };
    let image = decode_pdf_image(doc, stream, number, max_pixels, warnings)?;

    // Resolution per axis from where the page draws the image; failing that, as if it filled
    // the MediaBox (area-based, so it holds whichever way the image is turned).
    let (width, height) = (f64::from(image.width()), f64::from(image.height()));
    let resolution = match name.and_then(|name| drawn_size(doc, page_id, name)) {
        Some((w_pt, h_pt)) if w_pt > 1.0 && h_pt > 1.0 => {
            Some((width * 72.0 / w_pt, height * 72.0 / h_pt))
        }
        _ => {
            let media_box: Option<Vec<f64>> = inherited(doc, page, b"MediaBox")
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(pdf_number).collect());
            match media_box.as_deref() {
                Some([x0, y0, x1, y1]) if (x1 - x0).abs() > 1.0 && (y1 - y0).abs() > 1.0 => {
                    let page_in2 = ((x1 - x0) / 72.0).abs() * ((y1 - y0) / 72.0).abs();
                    let dpi = (width * height / page_in2).sqrt();
                    Some((dpi, dpi))
                }
                _ => None,
            }
        }
    };
    let resolution = resolution.unwrap_or_else(|| {
        warnings.push(format!(
            "page {number}: its image has no usable size on the page; assuming {DEFAULT_DPI} dpi"
        ));
        (f64::from(DEFAULT_DPI), f64::from(DEFAULT_DPI))
    });
    let (image, dpi) = square_pixels(image, resolution, max_pixels, number, warnings);

    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let image = match rotate {
        90 => image::imageops::rotate90(&image),
        180 => image::imageops::rotate180(&image),
        270 => image::imageops::rotate270(&image),
        _ => image,
    };
    Ok(Some((image, dpi)))
}

/// Where the page's own content draws XObject `name`: the lengths, in points, of the image's
/// x and y axes on the page (its rotation aside). `None` if the page does not draw it directly.
fn drawn_size(doc: &Document, page_id: ObjectId, name: &[u8]) -> Option<(f64, f64)> {
    const IDENTITY: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let content = doc.get_page_content(page_id).ok()?;
    let content = lopdf::content::Content::decode(&content).ok()?;
    let mut ctm = IDENTITY;
    let mut saved = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
            "cm" => {
                let m: Vec<f64> = op.operands.iter().filter_map(pdf_number).collect();
                if let [a, b, c, d, e, f] = m[..] {
                    let [ca, cb, cc, cd, ce, cf] = ctm;
                    ctm = [
                        a * ca + b * cc,
                        a * cb + b * cd,
                        c * ca + d * cc,
                        c * cb + d * cd,
                        e * ca + f * cc + ce,
                        e * cb + f * cd + cf,
                    ];
                }
            }
            "Do" if op.operands.first().and_then(|o| o.as_name().ok()) == Some(name) => {
                let size = (ctm[0].hypot(ctm[1]), ctm[2].hypot(ctm[3]));
                return (size.0.is_finite() && size.1.is_finite()).then_some(size);
            }
            _ => {}
        }
    }
    None
}

/// Makes pixels square for OCR: a page scanned at different horizontal and vertical resolutions
/// (a standard-mode fax is 204x98 dpi) has its coarser axis repeated up to the finer one, as a
/// viewer would show it. Returns the image and its dpi.
fn square_pixels(
    image: GrayImage,
    (dpi_x, dpi_y): (f64, f64),
    max_pixels: u64,
    number: usize,
    warnings: &mut Vec<String>,
) -> (GrayImage, u32) {
    let finer = dpi_x.max(dpi_y);
    let to_dpi = |v: f64| v.round().clamp(1.0, 10_000.0) as u32;
    if !(finer.is_finite() && dpi_x > 0.0 && dpi_y > 0.0) || finer / dpi_x.min(dpi_y) < 1.1 {
        return (image, to_dpi((dpi_x * dpi_y).sqrt()));
    }
    let (width, height) = image.dimensions();
    let new_width = ((f64::from(width) * finer / dpi_x).round() as u32).max(1);
    let new_height = ((f64::from(height) * finer / dpi_y).round() as u32).max(1);
    if u64::from(new_width) * u64::from(new_height) > max_pixels {
        warnings.push(format!(
            "page {number}: pixels are {dpi_x:.0}x{dpi_y:.0} dpi, not square, and squaring them would exceed the pixel limit; OCR may suffer"
        ));
        return (image, to_dpi((dpi_x * dpi_y).sqrt()));
    }
    // Nearest-neighbour: a stretch of at most a few times, and it keeps bilevel scans bilevel.
    let source = image.as_raw();
    let columns: Vec<usize> = (0..new_width)
        .map(|x| (u64::from(x) * u64::from(width) / u64::from(new_width)) as usize)
        .collect();
    let mut pixels = Vec::with_capacity(new_width as usize * new_height as usize);
    for y in 0..new_height {
        let row =
            (u64::from(y) * u64::from(height) / u64::from(new_height)) as usize * width as usize;
        pixels.extend(columns.iter().map(|&x| source[row + x]));
    }
    let squared = GrayImage::from_raw(new_width, new_height, pixels).expect("one value per pixel");
    (squared, to_dpi(finer))
}

fn claimed_pixels(stream: &Stream) -> u64 {
    let side = |key: &[u8]| {
        stream
            .dict
            .get(key)
            .and_then(Object::as_i64)
            .ok()
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(0)
    };
    side(b"Width").saturating_mul(side(b"Height"))
}

/// Image XObjects of a resource dictionary, including those inside form XObjects; those the
/// page names directly come with their name.
fn collect_images<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    images: &mut Vec<(Option<&'a [u8]>, &'a Stream)>,
) {
    let Ok(Object::Dictionary(xobjects)) = resources
        .get(b"XObject")
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
    else {
        return;
    };
    for (name, value) in xobjects.iter() {
        let Ok((id, Object::Stream(stream))) = doc.dereference(value) else {
            continue;
        };
        if let Some(id) = id {
            if !seen.insert(id) {
                continue;
            }
        }
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => images.push(((depth == 0).then_some(name.as_slice()), stream)),
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                if let Ok(Object::Dictionary(inner)) = stream
                    .dict
                    .get(b"Resources")
                    .and_then(|o| doc.dereference(o).map(|(_, o)| o))
                {
                    collect_images(doc, inner, depth + 1, seen, images);
                }
            }
            _ => {}
        }
    }
}

/// Long filter names; the abbreviations are meant for inline images but cost nothing to accept.
fn filter_name(name: &[u8]) -> &[u8] {
    match name {
        b"Fl" => b"FlateDecode",
        b"LZW" => b"LZWDecode",
        b"A85" => b"ASCII85Decode",
        b"AHx" => b"ASCIIHexDecode",
        b"RL" => b"RunLengthDecode",
        b"DCT" => b"DCTDecode",
        b"CCF" => b"CCITTFaxDecode",
        other => other,
    }
}

/// Decodes one image XObject to 8-bit gray.
fn decode_pdf_image(
    doc: &Document,
    stream: &Stream,
    number: usize,
    max_pixels: u64,
    warnings: &mut Vec<String>,
) -> Result<GrayImage, TextError> {
    let page_error = |reason: String| TextError::PageImage {
        page: number,
        reason,
    };
    let dict = &stream.dict;
    let get = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .map(|(_, o)| o)
    };
    let side = |key: &[u8]| -> Result<u32, TextError> {
        get(key)
            .and_then(|o| o.as_i64().ok())
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0)
            .ok_or_else(|| {
                page_error(format!(
                    "missing or invalid /{}",
                    String::from_utf8_lossy(key)
                ))
            })
    };
    let (width, height) = (side(b"Width")?, side(b"Height")?);
    check_pixels(u64::from(width), u64::from(height), max_pixels, number)?;

    let filters: Vec<&[u8]> = match get(b"Filter") {
        None => Vec::new(),
        Some(Object::Name(name)) => vec![filter_name(name)],
        Some(Object::Array(items)) => items
            .iter()
            .map(|o| {
                doc.dereference(o)
                    .and_then(|(_, o)| o.as_name())
                    .map(filter_name)
            })
            .collect::<Result<_, _>>()
            .map_err(|e| page_error(format!("invalid /Filter: {e}")))?,
        Some(_) => return Err(page_error("invalid /Filter".into())),
    };
    let params: Vec<Option<&Dictionary>> = match get(b"DecodeParms") {
        Some(Object::Dictionary(d)) => vec![Some(d)],
        Some(Object::Array(items)) => items
            .iter()
            .map(|o| doc.dereference(o).ok().and_then(|(_, o)| o.as_dict().ok()))
            .collect(),
        _ => Vec::new(),
    };
    let param = |i: usize| params.get(i).copied().flatten();

    // Transport filters (lopdf undoes them) may precede one image codec, which must come last.
    const TRANSPORT: [&[u8]; 3] = [b"FlateDecode", b"LZWDecode", b"ASCII85Decode"];
    let (codec, transport) = match filters.split_last() {
        Some((last, rest)) if !TRANSPORT.contains(last) => (Some(*last), rest),
        _ => (None, filters.as_slice()),
    };
    let unsupported = |name: &[u8]| TextError::UnsupportedPageImage {
        page: number,
        encoding: String::from_utf8_lossy(name).into_owned(),
    };
    if let Some(bad) = transport.iter().find(|f| !TRANSPORT.contains(f)) {
        return Err(unsupported(bad));
    }
    let codec_index = transport.len();
    match codec {
        None | Some(b"DCTDecode") => {}
        Some(b"CCITTFaxDecode") => {
            let k = param(codec_index)
                .and_then(|p| p.get(b"K").and_then(Object::as_i64).ok())
                .unwrap_or(0);
            if k >= 0 {
                return Err(unsupported(b"CCITTFaxDecode (Group 3)"));
            }
        }
        Some(other) => return Err(unsupported(other)),
    }

    let data: Cow<[u8]> = if transport.is_empty() {
        Cow::Borrowed(&stream.content)
    } else {
        let mut plain = Dictionary::new();
        plain.set(
            "Filter",
            Object::Array(transport.iter().map(|f| Object::Name(f.to_vec())).collect()),
        );
        // lopdf would apply a predictor with a wrong row length below 8 bits per component;
        // predictors are undone below instead, with the image's own geometry.
        if let Some(mut p) = param(codec_index.saturating_sub(1)).cloned() {
            p.remove(b"Predictor");
            plain.set("DecodeParms", p);
        }
        let temp = Stream::new(plain, stream.content.clone());
        Cow::Owned(
            temp.decompressed_content()
                .map_err(|e| page_error(format!("its data cannot be decompressed: {e}")))?,
        )
    };

    // For colour JPEGs /Decode mostly undoes Adobe's inverted CMYK, which the decoder has already
    // dealt with; only a gray one is taken as a negative.
    let gray_jpeg =
        || get(b"ColorSpace").is_some_and(|cs| matches!(color_space(doc, cs, 0), Ok(Space::Gray)));
    let invert = decode_inverted(get(b"Decode")) && (codec != Some(b"DCTDecode") || gray_jpeg());
    let mut gray = match codec {
        Some(b"DCTDecode") => decode_embedded(&data, ImageFormat::Jpeg, max_pixels, number)
            .map_err(|e| match e {
                TextError::Image(reason) => page_error(format!("its JPEG data: {reason}")),
                other => other,
            })?,
        Some(_) => {
            let p = param(codec_index);
            let black_is_1 = p
                .and_then(|p| p.get(b"BlackIs1").and_then(Object::as_bool).ok())
                .unwrap_or(false);
            let image = decode_ccitt_g4(&data, width, height).map_err(page_error)?;
            // The fax decoder paints coded black runs black; BlackIs1 or an inverted /Decode
            // flips what the page shows (both together cancel).
            if black_is_1 {
                let mut image = image;
                image::imageops::invert(&mut image);
                image
            } else {
                image
            }
        }
        None => {
            let predictor = param(codec_index.saturating_sub(1))
                .filter(|_| !transport.is_empty())
                .and_then(|p| p.get(b"Predictor").and_then(Object::as_i64).ok())
                .unwrap_or(1);
            let samples = RawSamples::describe(doc, dict, width, height).map_err(page_error)?;
            let data =
                undo_predictor(data.into_owned(), predictor, &samples).map_err(page_error)?;
            samples
                .to_gray(&data, number, warnings)
                .map_err(page_error)?
        }
    };
    if invert {
        image::imageops::invert(&mut gray);
    }
    Ok(gray)
}

/// Whether a /Decode array maps the first component's range downwards ([1 0]): the image is a
/// negative of its samples. Other component ranges are rare for scans and are not honoured.
fn decode_inverted(decode: Option<&Object>) -> bool {
    let Some(Object::Array(values)) = decode else {
        return false;
    };
    match (
        values.first().and_then(pdf_number),
        values.get(1).and_then(pdf_number),
    ) {
        (Some(min), Some(max)) => min > max,
        _ => false,
    }
}

fn check_pixels(width: u64, height: u64, max_pixels: u64, page: usize) -> Result<(), TextError> {
    if width.saturating_mul(height) > max_pixels {
        return Err(TextError::TooLarge {
            page,
            width,
            height,
            max_pixels,
        });
    }
    Ok(())
}

/// The sample layout of an unencoded (or only deflated) image.
struct RawSamples {
    width: usize,
    height: usize,
    bits: usize,
    space: Space,
}

enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// `components` of `base` per entry, `palette.len() / components` entries.
    Indexed {
        components: usize,
        base: Box<Space>,
        palette: Vec<u8>,
    },
}

impl Space {
    fn components(&self) -> usize {
        match self {
            Space::Gray | Space::Indexed { .. } => 1,
            Space::Rgb => 3,
            Space::Cmyk => 4,
        }
    }
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    // Rec. 709 weights, as `image`'s own conversion uses.
    ((2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b)) / 10_000) as u8
}

fn cmyk_gray(c: u8, m: u8, y: u8, k: u8) -> u8 {
    let ink = |v: u8| 255 - (u16::from(v) + u16::from(k)).min(255) as u8;
    luma(ink(c), ink(m), ink(y))
}

impl RawSamples {
    fn describe(
        doc: &Document,
        dict: &Dictionary,
        width: u32,
        height: u32,
    ) -> Result<RawSamples, String> {
        let image_mask = dict
            .get(b"ImageMask")
            .and_then(Object::as_bool)
            .unwrap_or(false);
        let bits = if image_mask {
            1
        } else {
            dict.get(b"BitsPerComponent")
                .and_then(Object::as_i64)
                .unwrap_or(8)
        };
        if ![1, 2, 4, 8, 16].contains(&bits) {
            return Err(format!("{bits} bits per component"));
        }
        // A stencil mask paints its 0 samples (black ink, usually): it reads as 1-bit gray.
        let space = if image_mask {
            Space::Gray
        } else {
            match dict.get(b"ColorSpace") {
                Ok(cs) => color_space(doc, cs, 0)?,
                Err(_) => return Err("no /ColorSpace".into()),
            }
        };
        Ok(RawSamples {
            width: width as usize,
            height: height as usize,
            bits: bits as usize,
            space,
        })
    }

    fn row_bytes(&self) -> usize {
        (self.width * self.space.components() * self.bits).div_ceil(8)
    }

    fn to_gray(
        &self,
        data: &[u8],
        page: usize,
        warnings: &mut Vec<String>,
    ) -> Result<GrayImage, String> {
        let row_bytes = self.row_bytes();
        let expected = row_bytes * self.height;
        let data: Cow<[u8]> = if data.len() < expected {
            // Viewers show a short image with its missing rows blank; so does this, visibly.
            warnings.push(format!(
                "page {page}: image data ends early ({} of {expected} bytes); the rest is left white",
                data.len()
            ));
            let mut padded = data.to_vec();
            let white = if matches!(self.space, Space::Cmyk) {
                0
            } else {
                0xFF
            };
            padded.resize(expected, white);
            Cow::Owned(padded)
        } else {
            Cow::Borrowed(&data[..expected])
        };

        let components = self.space.components();
        let max = (1u32 << self.bits.min(8)) - 1;
        let mut gray = Vec::with_capacity(self.width * self.height);
        let mut sample = vec![0u8; components];
        for row in data.chunks_exact(row_bytes) {
            for x in 0..self.width {
                for (c, out) in sample.iter_mut().enumerate() {
                    let raw = read_sample(row, (x * components + c) * self.bits, self.bits);
                    *out = match self.space {
                        // Palette indexes stay raw; everything else scales to 0..=255.
                        Space::Indexed { .. } => raw.min(255) as u8,
                        _ => (raw * 255 / max) as u8,
                    };
                }
                gray.push(match &self.space {
                    Space::Gray => sample[0],
                    Space::Rgb => luma(sample[0], sample[1], sample[2]),
                    Space::Cmyk => cmyk_gray(sample[0], sample[1], sample[2], sample[3]),
                    Space::Indexed {
                        components: entry_len,
                        base,
                        palette,
                    } => {
                        let at = usize::from(sample[0]) * entry_len;
                        match palette.get(at..at + entry_len) {
                            Some(entry) => match **base {
                                Space::Rgb => luma(entry[0], entry[1], entry[2]),
                                Space::Cmyk => cmyk_gray(entry[0], entry[1], entry[2], entry[3]),
                                _ => entry[0],
                            },
                            None => 0xFF,
                        }
                    }
                });
            }
        }
        GrayImage::from_raw(self.width as u32, self.height as u32, gray)
            .ok_or_else(|| "inconsistent image size".to_owned())
    }
}

/// The sample at `bit` (MSB first) of `bits` width; 16-bit samples keep their high byte's scale.
fn read_sample(row: &[u8], bit: usize, bits: usize) -> u32 {
    match bits {
        8 => u32::from(row[bit / 8]),
        16 => u32::from(row[bit / 8]),
        _ => {
            let byte = row[bit / 8];
            let shift = 8 - bits - (bit % 8);
            u32::from(byte >> shift) & ((1 << bits) - 1)
        }
    }
}

fn color_space(doc: &Document, cs: &Object, depth: usize) -> Result<Space, String> {
    let (_, cs) = doc
        .dereference(cs)
        .map_err(|e| format!("colour space: {e}"))?;
    let unsupported = |name: &[u8]| {
        format!(
            "colour space {} is not supported",
            String::from_utf8_lossy(name)
        )
    };
    match cs {
        Object::Name(name) => match name.as_slice() {
            b"DeviceGray" | b"G" | b"CalGray" => Ok(Space::Gray),
            b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(Space::Rgb),
            b"DeviceCMYK" | b"CMYK" => Ok(Space::Cmyk),
            other => Err(unsupported(other)),
        },
        Object::Array(items) if depth < 2 => {
            let family = items.first().and_then(|o| o.as_name().ok()).unwrap_or(b"?");
            match family {
                b"CalGray" => Ok(Space::Gray),
                b"CalRGB" => Ok(Space::Rgb),
                b"ICCBased" => {
                    // The profile's component count is what matters for gray; colour accuracy is not.
                    let n = items
                        .get(1)
                        .and_then(|o| doc.dereference(o).ok())
                        .and_then(|(_, o)| o.as_stream().ok())
                        .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok());
                    match n {
                        Some(1) => Ok(Space::Gray),
                        Some(3) => Ok(Space::Rgb),
                        Some(4) => Ok(Space::Cmyk),
                        _ => Err("ICCBased colour space without a usable /N".into()),
                    }
                }
                b"Indexed" | b"I" => {
                    let base = items
                        .get(1)
                        .ok_or("Indexed colour space without a base")
                        .and_then(|b| {
                            color_space(doc, b, depth + 1)
                                .map_err(|_| "Indexed base colour space is not supported")
                        })?;
                    if matches!(base, Space::Indexed { .. }) {
                        return Err("nested Indexed colour space".into());
                    }
                    let components = base.components();
                    let hival = items
                        .get(2)
                        .and_then(|o| o.as_i64().ok())
                        .unwrap_or(255)
                        .clamp(0, 255) as usize;
                    let palette = match items.get(3).map(|o| doc.dereference(o)) {
                        Some(Ok((_, Object::String(bytes, _)))) => bytes.clone(),
                        Some(Ok((_, Object::Stream(s)))) => s
                            .get_plain_content()
                            .map_err(|e| format!("Indexed palette: {e}"))?,
                        _ => return Err("Indexed colour space without a palette".into()),
                    };
                    let palette = palette[..palette.len().min((hival + 1) * components)].to_vec();
                    Ok(Space::Indexed {
                        components,
                        base: Box::new(base),
                        palette,
                    })
                }
                other => Err(unsupported(other)),
            }
        }
        _ => Err("invalid colour space".into()),
    }
}

/// Undoes a Flate/LZW predictor: TIFF 2 (horizontal differencing) or PNG 10–15 (per-row tags).
fn undo_predictor(
    mut data: Vec<u8>,
    predictor: i64,
    samples: &RawSamples,
) -> Result<Vec<u8>, String> {
    let row_bytes = samples.row_bytes();
    let bytes_per_pixel = (samples.space.components() * samples.bits)
        .div_ceil(8)
        .max(1);
    match predictor {
        1 => Ok(data),
        2 => {
            if samples.bits != 8 {
                return Err(format!(
                    "TIFF predictor at {} bits per component",
                    samples.bits
                ));
            }
            for row in data.chunks_mut(row_bytes) {
                for i in bytes_per_pixel..row.len() {
                    row[i] = row[i].wrapping_add(row[i - bytes_per_pixel]);
                }
            }
            Ok(data)
        }
        10..=15 => {
            let mut out = Vec::with_capacity(row_bytes * samples.height);
            let mut previous = vec![0u8; row_bytes];
            for chunk in data.chunks(row_bytes + 1) {
                let (tag, raw) = chunk.split_first().ok_or("empty predictor row")?;
                let mut row = raw.to_vec();
                row.resize(row_bytes, 0);
                png_unfilter(*tag, bytes_per_pixel, &previous, &mut row)?;
                out.extend_from_slice(&row);
                previous = row;
            }
            Ok(out)
        }
        other => Err(format!("unknown predictor {other}")),
    }
}

fn png_unfilter(tag: u8, bpp: usize, above: &[u8], row: &mut [u8]) -> Result<(), String> {
    for i in 0..row.len() {
        let left = if i >= bpp { row[i - bpp] } else { 0 };
        let up = above[i];
        let up_left = if i >= bpp { above[i - bpp] } else { 0 };
        let prediction = match tag {
            0 => 0,
            1 => left,
            2 => up,
            3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
            4 => {
                let p = i16::from(left) + i16::from(up) - i16::from(up_left);
                let (pa, pb, pc) = (
                    (p - i16::from(left)).abs(),
                    (p - i16::from(up)).abs(),
                    (p - i16::from(up_left)).abs(),
                );
                if pa <= pb && pa <= pc {
                    left
                } else if pb <= pc {
                    up
                } else {
                    up_left
                }
            }
            other => return Err(format!("invalid PNG predictor tag {other}")),
        };
        row[i] = row[i].wrapping_add(prediction);
    }
    Ok(())
}

/// CCITT Group 4 data decoded by wrapping it in a one-strip TIFF, which `image` reads.
/// WhiteIsZero matches the fax decoder's output, so coded black is shown black.
fn decode_ccitt_g4(data: &[u8], width: u32, height: u32) -> Result<GrayImage, String> {
    const ENTRIES: u16 = 9;
    let ifd_len = 2 + 12 * usize::from(ENTRIES) + 4;
    let data_offset = 8 + ifd_len;
    let data_len = u32::try_from(data.len()).map_err(|_| "CCITT data too large".to_owned())?;
    let mut tiff = Vec::with_capacity(data_offset + data.len());
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&ENTRIES.to_le_bytes());
    let mut entry = |tag: u16, kind: u16, value: u32| {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    };
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    entry(256, LONG, width); // ImageWidth
    entry(257, LONG, height); // ImageLength
    entry(258, SHORT, 1); // BitsPerSample
    entry(259, SHORT, 4); // Compression: CCITT T.6 (Group 4)
    entry(262, SHORT, 0); // PhotometricInterpretation: WhiteIsZero
    entry(273, LONG, data_offset as u32); // StripOffsets
    entry(277, SHORT, 1); // SamplesPerPixel
    entry(278, LONG, height); // RowsPerStrip
    entry(279, LONG, data_len); // StripByteCounts
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(data);
    let image = ImageReader::with_format(Cursor::new(tiff), ImageFormat::Tiff)
        .decode()
        .map_err(|e| format!("its CCITT Group 4 data: {e}"))?;
    Ok(image.to_luma8())
}

// ---------------------------------------------------------------------------------------------
// Image files

/// Decodes an image file (or one embedded in a PDF) to gray, refusing it before its pixels are
/// allocated if it is larger than `max_pixels`, and turning it upright per its EXIF orientation.
fn decode_image_file(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
) -> Result<GrayImage, TextError> {
    decode_image(bytes, format, max_pixels, page, true)
}

/// As [`decode_image_file`] for JPEG data inside a PDF, where viewers ignore EXIF orientation.
fn decode_embedded(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
) -> Result<GrayImage, TextError> {
    decode_image(bytes, format, max_pixels, page, false)
}

fn decode_image(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
    orient: bool,
) -> Result<GrayImage, TextError> {
    decode_image_from(Cursor::new(bytes), format, max_pixels, page, orient)
}

/// Decodes an image from `reader` (under the decoder guard: a decoder's panic on hostile data
/// is this page's error, as it is in intake).
fn decode_image_from<R: BufRead + Seek>(
    reader: R,
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
    orient: bool,
) -> Result<GrayImage, TextError> {
    let decode = || {
        let fail = |e: image::ImageError| TextError::Image(e.to_string());
        let mut reader = ImageReader::with_format(reader, format);
        let mut limits = Limits::default();
        // Room for the widest pixel format decoded (16-bit RGBA) plus the decoder's own buffers.
        limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
        reader.limits(limits);
        let mut decoder = reader.into_decoder().map_err(fail)?;
        let (width, height) = decoder.dimensions();
        check_pixels(u64::from(width), u64::from(height), max_pixels, page)?;
        let orientation = if orient {
            decoder.orientation().map_err(fail)?
        } else {
            image::metadata::Orientation::NoTransforms
        };
        let mut image = DynamicImage::from_decoder(decoder).map_err(fail)?;
        image.apply_orientation(orientation);
        Ok(to_gray_on_white(&image))
    };
    guarded(decode).unwrap_or_else(|_| Err(TextError::Image(CRASHED.into())))
}

/// Gray, with transparent areas shown as paper (white) rather than black.
fn to_gray_on_white(image: &DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return image.to_luma8();
    }
    let la = image.to_luma_alpha8();
    GrayImage::from_fn(la.width(), la.height(), |x, y| {
        let [l, a] = la.get_pixel(x, y).0;
        let (l, a) = (u32::from(l), u32::from(a));
        image::Luma([((l * a + 255 * (255 - a)) / 255) as u8])
    })
}

/// The horizontal and vertical resolution an image file states, if plausible for a document.
fn file_resolution(bytes: &[u8], media: MediaType) -> Option<(f64, f64)> {
    let resolution = match media {
        MediaType::Jpeg => jfif_resolution(bytes),
        MediaType::Png => png_resolution(bytes),
        _ => None,
    }?;
    plausible(resolution)
}

fn plausible((x, y): (f64, f64)) -> Option<(f64, f64)> {
    let ok = |v: f64| (70.0..=2400.0).contains(&v);
    (ok(x) && ok(y)).then_some((x, y))
}

/// JFIF APP0 density (units 1 = per inch, 2 = per cm).
fn jfif_resolution(bytes: &[u8]) -> Option<(f64, f64)> {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let segment = bytes.get(at + 4..at + 2 + len)?;
        if marker == 0xE0 && segment.len() >= 12 && segment.starts_with(b"JFIF\0") {
            let x = f64::from(u16::from_be_bytes([segment[8], segment[9]]));
            let y = f64::from(u16::from_be_bytes([segment[10], segment[11]]));
            return match segment[7] {
                1 => Some((x, y)),
                2 => Some((x * 2.54, y * 2.54)),
                _ => None,
            };
        }
        at += 2 + len;
    }
    None
}

/// PNG pHYs (pixels per metre when its unit is 1).
fn png_resolution(bytes: &[u8]) -> Option<(f64, f64)> {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        if kind == b"IDAT" {
            return None;
        }
        if kind == b"pHYs" {
            let data = bytes.get(at + 8..at + 8 + 9)?;
            let per_metre = |i: usize| {
                f64::from(u32::from_be_bytes([
                    data[i],
                    data[i + 1],
                    data[i + 2],
                    data[i + 3],
                ]))
            };
            return (data[8] == 1).then(|| (per_metre(0) * 0.0254, per_metre(4) * 0.0254));
        }
        at = at.checked_add(12)?.checked_add(len)?;
    }
    None
}

/// Each TIFF page intake admitted, decoded in turn: the decoder reads only a file's first
/// directory, so each page is read through a view whose header names that page's directory.
fn extract_tiff(
    bytes: &[u8],
    pages: &[TiffPage],
    ocr: &mut OcrSlot,
    max_pixels: u64,
    out: &mut ExtractedText,
) -> Result<(), TextError> {
    if pages.is_empty() {
        return Err(TextError::Image("the TIFF has no pages".into()));
    }
    let mut failures = PageFailures::default();
    for (index, page) in pages.iter().enumerate() {
        let number = index + 1;
        let view = PageView::new(bytes, page.directory, &[]);
        let image = match decode_image_from(view, ImageFormat::Tiff, max_pixels, number, true) {
            Ok(image) => image,
            Err(error) => {
                failures.page(out, number, error)?;
                continue;
            }
        };
        let resolution = page
            .resolution
            .and_then(plausible)
            .unwrap_or(ASSUMED_RESOLUTION);
        let (image, dpi) = square_pixels(image, resolution, max_pixels, number, &mut out.warnings);
        match ocr_page(ocr, number, image, dpi, out) {
            Ok(page) => out.pages.push(page),
            Err(error) => failures.page(out, number, error)?,
        }
    }
    failures.finish(out)
}

#[cfg(test)]
mod tests {
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

    /// `bytes` as intake admits them. A TIFF goes through intake itself, which lists its pages;
    /// a PDF or a single image is described directly (a PDF as one that needed no repair), so
    /// that text's own refusals of files intake would refuse first can still be tested.
    fn admitted(bytes: &[u8], media: MediaType) -> Admitted {
        if media == MediaType::Tiff {
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
            layout: match media {
                MediaType::Pdf => Layout::Pdf { repaired: None },
                _ => Layout::Image,
            },
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
}

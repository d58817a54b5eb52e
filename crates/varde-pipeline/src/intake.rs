//! Admitted validation: what a file is, decided by its content, and whether Varde takes it — before
//! anything is stored.
//!
//! Accepted: PDF, JPEG, PNG, WebP and TIFF, when the content agrees with the file's name and
//! declared type, fits the limits, and really decodes: images are decoded in full (every page of a
//! TIFF, the first frame of an animation) under memory limits, after their declared dimensions were
//! checked against a pixel budget; PDFs are loaded with lopdf, their page tree walked and every
//! page's content streams decompressed. Refused, each with its own error: empty or oversized files,
//! other types, polyglots, password-protected PDFs, PDFs with JavaScript or launch actions,
//! decompression bombs, and files that do not decode.
//!
//! This runs in the isolated worker process, but is still written for hostile input: third-party
//! parsers run under the decoder guard (`formats::guarded`), and nothing is allocated from a declared size before that
//! size has been checked.

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;

use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::tiff::TiffDecoder;
use image::codecs::webp::WebPDecoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError};
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;
use thiserror::Error;

use crate::digest::{hex, sha256};
use crate::formats::guarded;
use crate::formats::tiff::{self, ChainEnd, Directory, PageView};
use crate::MediaType;

const MIB: u64 = 1024 * 1024;

/// What a file may cost to take in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The upload limit (`upload_limit_mib` in the configuration).
    pub max_bytes: u64,
    /// The most pixels one image (or one image inside a PDF) may declare.
    pub max_pixels: u64,
    /// The most pages a PDF or a multi-page TIFF may have.
    pub max_pages: usize,
}

impl Limits {
    /// The defaults with the configured upload limit.
    pub fn with_max_bytes(max_bytes: u64) -> Self {
        Limits {
            max_bytes,
            ..Limits::default()
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 20 * MIB,
            // An A4 page scanned at 600 dpi is ~35 MP and A3 at 600 dpi ~70 MP, so real scans fit;
            // decompression bombs declare gigapixels. 100 MP of RGBA is 400 MB decoded.
            max_pixels: 100_000_000,
            max_pages: 1000,
        }
    }
}

/// An accepted file: what intake found out about it, and where its pages are, so that text reads
/// what intake admitted instead of parsing the file's structure again.
#[derive(Clone, Debug, Serialize)]
pub struct Admitted {
    pub media_type: MediaType,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    pub size_bytes: u64,
    /// PDF pages, TIFF pages or animation frames; 1 for a single image.
    pub pages: usize,
    /// The first image's width and height; `None` for PDFs.
    pub dimensions: Option<(u32, u32)>,
    /// Accepted, but worth knowing.
    pub warnings: Vec<String>,
    /// Where the pages are; for text, not part of the record.
    #[serde(skip)]
    pub layout: Layout,
}

/// Where an admitted document's pages are, as intake found them.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Layout {
    /// One image: a JPEG, PNG or WebP file.
    #[default]
    Image,
    /// A PDF. `repaired` is the copy with a rebuilt cross-reference table, when only that copy
    /// could be read.
    Pdf { repaired: Option<Vec<u8>> },
    /// A TIFF's pages in order; reduced-resolution copies (thumbnails) are not pages.
    Tiff(Vec<TiffPage>),
}

/// One page of an admitted TIFF.
#[derive(Clone, Debug, PartialEq)]
pub struct TiffPage {
    /// Where its image file directory starts.
    pub directory: u64,
    /// Its resolution in pixels per inch, when the file states it.
    pub resolution: Option<(f64, f64)>,
}

/// Why a file was refused. Messages name what was found and never quote the document's content or
/// its file name (both may identify a patient).
#[derive(Debug, Error)]
pub enum IntakeError {
    #[error("the file is empty (0 bytes)")]
    Empty,
    #[error("the file is {}; the limit is {}", size_text(*size), size_text(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("the file is {found}; Varde accepts PDF, JPEG, PNG, WebP and TIFF")]
    UnsupportedType { found: String },
    #[error("the file is {declared} but its content is {}", with_article(found.name()))]
    TypeMismatch { declared: String, found: MediaType },
    #[error("the file is also {also} (a polyglot file); refused")]
    Polyglot { also: String },
    #[error("the PDF is password-protected; remove the password and add it again")]
    EncryptedPdf,
    #[error("the PDF contains {what}; documents with active content are refused")]
    ActivePdfContent { what: String },
    #[error(
        "the image is {width} x {height} pixels ({}); the limit is {} (a possible decompression bomb)",
        megapixels(width.saturating_mul(*height)),
        megapixels(*max_pixels)
    )]
    PixelBudget {
        width: u64,
        height: u64,
        max_pixels: u64,
    },
    #[error("the PDF has no pages")]
    NoPages,
    #[error("the document has at least {pages} pages; the limit is {max}")]
    TooManyPages { pages: usize, max: usize },
    #[error("{}", malformed_text(*media_type, reason))]
    Malformed {
        media_type: MediaType,
        reason: String,
    },
}

impl IntakeError {
    /// A stable code for the API, the audit log and tests.
    pub fn code(&self) -> &'static str {
        match self {
            IntakeError::Empty => "empty",
            IntakeError::TooLarge { .. } => "too_large",
            IntakeError::UnsupportedType { .. } => "unsupported_type",
            IntakeError::TypeMismatch { .. } => "type_mismatch",
            IntakeError::Polyglot { .. } => "polyglot",
            IntakeError::EncryptedPdf => "encrypted_pdf",
            IntakeError::ActivePdfContent { .. } => "active_content",
            IntakeError::PixelBudget { .. } => "pixel_budget",
            IntakeError::NoPages => "no_pages",
            IntakeError::TooManyPages { .. } => "too_many_pages",
            IntakeError::Malformed { .. } => "malformed",
        }
    }
}

/// Validates by content; `declared_name` is the original file name (its extension must agree with
/// the content when it names a known type; an unknown or missing extension is fine),
/// `declared_mime` a type the caller was told.
pub fn validate(
    bytes: &[u8],
    declared_name: Option<&str>,
    declared_mime: Option<&str>,
    limits: &Limits,
) -> Result<Admitted, IntakeError> {
    if bytes.is_empty() {
        return Err(IntakeError::Empty);
    }
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(IntakeError::TooLarge {
            size,
            limit: limits.max_bytes,
        });
    }
    let (media_type, header_at) = identify(bytes)?;
    check_polyglot(bytes, media_type, header_at)?;
    check_declared(media_type, declared_name, declared_mime)?;

    let mut intake = Admitted {
        media_type,
        sha256: hex(&sha256(bytes)),
        size_bytes: size,
        pages: 1,
        dimensions: None,
        warnings: Vec::new(),
        layout: Layout::Image,
    };
    match media_type {
        MediaType::Pdf => pdf::check(bytes, header_at, limits, &mut intake)?,
        MediaType::Jpeg => images::check_jpeg(bytes, limits, &mut intake)?,
        MediaType::Png => images::check_png(bytes, limits, &mut intake)?,
        MediaType::Webp => images::check_webp(bytes, limits, &mut intake)?,
        MediaType::Tiff => images::check_tiff(bytes, limits, &mut intake)?,
    }
    Ok(intake)
}

// ---------------------------------------------------------------------------------------------
// What the bytes are

/// PDF readers (Acrobat, qpdf, poppler, MuPDF) accept a header anywhere in the first 1024 bytes.
const PDF_HEADER_WINDOW: usize = 1024;

/// The accepted type the content is, and where it starts (junk before a PDF header).
fn identify(bytes: &[u8]) -> Result<(MediaType, usize), IntakeError> {
    if let Some(media_type) = MediaType::sniff(bytes) {
        return Ok((media_type, 0));
    }
    let window = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    if let Some(at) = find(window, b"%PDF-") {
        return Ok((MediaType::Pdf, at));
    }
    if bytes.starts_with(b"\x89PNG") {
        return Err(malformed(
            MediaType::Png,
            "its signature is damaged (as by a transfer that rewrote line endings)",
        ));
    }
    if bytes.starts_with(b"\xFF\xD8") {
        return Err(malformed(
            MediaType::Jpeg,
            "its start-of-image marker is not followed by a segment",
        ));
    }
    if looks_like_headerless_pdf(bytes) {
        return Err(malformed(MediaType::Pdf, "it has no %PDF header"));
    }
    Err(IntakeError::UnsupportedType {
        found: describe(bytes),
    })
}

fn looks_like_headerless_pdf(bytes: &[u8]) -> bool {
    find(bytes, b" obj").is_some()
        && (find(bytes, b"endobj").is_some() || find(bytes, b"startxref").is_some())
}

/// Names content Varde does not accept, for messages: "a ZIP archive", "plain text", …
fn describe(bytes: &[u8]) -> String {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let found = if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        if find(bytes, b"word/").is_some() {
            "a Word document (DOCX)"
        } else if find(bytes, b"xl/").is_some() {
            "an Excel workbook (XLSX)"
        } else {
            "a ZIP archive"
        }
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "a GIF image"
    } else if starts(b"BM") && is_bmp(bytes) {
        "a BMP image"
    } else if starts(b"\xFF\xD8") {
        "a JPEG image"
    } else if starts(b"\x89PNG") {
        "a PNG image"
    } else if starts(b"\x00\x00\x00\x0CjP  ") || starts(b"\xFF\x4F\xFF\x51") {
        "a JPEG 2000 image"
    } else if bytes.get(4..8) == Some(b"ftyp") {
        match bytes.get(8..12) {
            Some(b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc") => "a HEIC image",
            Some(b"avif" | b"avis") => "an AVIF image",
            _ => "an MP4/QuickTime media file",
        }
    } else if starts(b"RIFF") {
        "a RIFF media file (audio or video)"
    } else if starts(b"Rar!\x1A\x07") {
        "a RAR archive"
    } else if starts(b"7z\xBC\xAF\x27\x1C") {
        "a 7-Zip archive"
    } else if starts(b"\x1F\x8B") {
        "a gzip archive"
    } else if is_tar(bytes) {
        "a TAR archive"
    } else if starts(b"MZ") {
        "a Windows program"
    } else if starts(b"\x7FELF") {
        "a Linux program (ELF)"
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        "a Microsoft Office document (OLE)"
    } else if starts(b"{\\rtf") {
        "an RTF document"
    } else if starts(b"%!PS") {
        "a PostScript document"
    } else if let Some(text) = as_text(bytes) {
        return describe_text(text).to_string();
    } else {
        let head: Vec<u8> = bytes.iter().take(8).copied().collect();
        return format!("unknown data (starts with 0x{})", hex(&head));
    };
    found.to_string()
}

fn describe_text(text: &str) -> &'static str {
    let head: String = text
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<script") {
        "HTML"
    } else if head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg")) {
        "an SVG image"
    } else if head.starts_with("<?xml") {
        "XML"
    } else {
        "plain text"
    }
}

/// The bytes as text, if they are UTF-8 without control characters other than whitespace.
fn as_text(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A multi-byte character may be cut at the end of the sample.
    let sample = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(sample) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&sample[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0C'));
    printable.then_some(text)
}

fn is_bmp(bytes: &[u8]) -> bool {
    // The DIB header's size names its version; anything else is text that starts with "BM".
    matches!(le_u32(bytes, 14), Some(12 | 40 | 52 | 56 | 64 | 108 | 124))
}

/// A TAR archive: its first 512-byte header carries a valid checksum.
fn is_tar(bytes: &[u8]) -> bool {
    let Some(header) = bytes.get(..512) else {
        return false;
    };
    if header[0] == 0 {
        return false;
    }
    let field = &header[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .filter(|b| !matches!(b, b' ' | 0))
        .collect();
    if digits.is_empty() || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return false;
    }
    let Some(stored) = std::str::from_utf8(&digits)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 8).ok())
    else {
        return false;
    };
    let sum: u32 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    sum == stored
}

/// A ZIP archive ends with an end-of-central-directory record whose central directory is where
/// it says; a stray "PK\x05\x06" in compressed data does not pass that test.
fn is_zip(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"PK\x03\x04") {
        return true;
    }
    // The record is 22 bytes plus a comment of at most 65535.
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let mut search_end = bytes.len();
    while let Some(pos) = rfind(&bytes[tail_start..search_end], b"PK\x05\x06") {
        let at = tail_start + pos;
        let entries = le_u16(bytes, at + 10).unwrap_or(0);
        let cd_size = le_u32(bytes, at + 12).unwrap_or(0) as usize;
        let cd_offset = le_u32(bytes, at + 16).unwrap_or(0) as usize;
        let central_at = |offset: usize| bytes.get(offset..offset + 4) == Some(b"PK\x01\x02");
        // Archives appended to other data keep offsets relative to their own start, so the
        // directory is also looked for just before the record.
        if entries > 0 && (central_at(cd_offset) || (at >= cd_size && central_at(at - cd_size))) {
            return true;
        }
        search_end = at;
    }
    false
}

/// HTML that a browser would run: looked for in a PDF outside its streams, in an image anywhere.
fn has_html(bytes: &[u8]) -> bool {
    const MARKERS: [&[u8]; 4] = [b"<html", b"<script", b"<!doctype html", b"<iframe"];
    MARKERS.iter().any(|m| find_ignore_case(bytes, m).is_some())
}

/// Refuses content that is also another format. Junk before a PDF header is tolerated (PDF readers
/// skip it) unless it is itself a format or markup; junk after an image's end is tolerated unless
/// it is an archive, a PDF or HTML.
fn check_polyglot(
    bytes: &[u8],
    media_type: MediaType,
    header_at: usize,
) -> Result<(), IntakeError> {
    let mut also: Vec<String> = Vec::new();
    let mut add = |what: &str| {
        if !also.iter().any(|a| a == what) {
            also.push(what.to_string());
        }
    };
    if media_type == MediaType::Pdf {
        let prefix = &bytes[..header_at];
        if !prefix.is_empty() {
            let what = describe(prefix);
            if what == "HTML" || has_html(prefix) {
                add("HTML");
            } else if what != "plain text" && !what.starts_with("unknown data") {
                add(&what);
            }
        }
        if is_tar(bytes) {
            add("a TAR archive");
        }
        if is_zip(bytes) {
            add("a ZIP archive");
        }
        if pdf::outside_streams(&bytes[header_at..])
            .iter()
            .any(|part| has_html(part))
        {
            add("HTML");
        }
    } else {
        if is_zip(bytes) {
            add("a ZIP archive");
        }
        if find(bytes, b"%PDF-").is_some() {
            add("a PDF");
        }
        if has_html(bytes) {
            add("HTML");
        }
    }
    if also.is_empty() {
        return Ok(());
    }
    Err(IntakeError::Polyglot {
        also: join_and(&also),
    })
}

fn check_declared(
    found: MediaType,
    declared_name: Option<&str>,
    declared_mime: Option<&str>,
) -> Result<(), IntakeError> {
    if let Some(claimed) = declared_name.and_then(MediaType::from_file_name) {
        if claimed != found {
            return Err(IntakeError::TypeMismatch {
                declared: format!("named as {}", with_article(claimed.name())),
                found,
            });
        }
    }
    if let Some(claimed) = declared_mime.and_then(MediaType::from_mime) {
        if claimed != found {
            return Err(IntakeError::TypeMismatch {
                declared: format!(
                    "declared as {} ({})",
                    with_article(claimed.name()),
                    claimed.mime()
                ),
                found,
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Images

mod images {
    use super::*;

    /// What an image's own structure says, read before any decoder sees it.
    struct Header {
        dimensions: Option<(u32, u32)>,
        /// Animation frames, when the format says.
        frames: usize,
        /// Bytes after the image's end marker.
        trailing: usize,
        /// Why the structure is broken, if it is.
        problem: Option<String>,
    }

    impl Header {
        fn new() -> Self {
            Header {
                dimensions: None,
                frames: 1,
                trailing: 0,
                problem: None,
            }
        }
    }

    pub(super) fn check_png(
        bytes: &[u8],
        limits: &Limits,
        intake: &mut Admitted,
    ) -> Result<(), IntakeError> {
        let header = png_header(bytes);
        admit(MediaType::Png, &header, limits, intake)?;
        decode(MediaType::Png, limits, intake, || {
            PngDecoder::with_limits(Cursor::new(bytes), decoder_limits(limits))
        })
    }

    pub(super) fn check_jpeg(
        bytes: &[u8],
        limits: &Limits,
        intake: &mut Admitted,
    ) -> Result<(), IntakeError> {
        let header = jpeg_header(bytes);
        admit(MediaType::Jpeg, &header, limits, intake)?;
        decode(MediaType::Jpeg, limits, intake, || {
            JpegDecoder::new(Cursor::new(bytes))
        })
    }

    pub(super) fn check_webp(
        bytes: &[u8],
        limits: &Limits,
        intake: &mut Admitted,
    ) -> Result<(), IntakeError> {
        let header = webp_header(bytes);
        admit(MediaType::Webp, &header, limits, intake)?;
        // The decoder gives the first frame of an animation: enough to know the file decodes.
        decode(MediaType::Webp, limits, intake, || {
            WebPDecoder::new(Cursor::new(bytes))
        })
    }

    /// Every page of the chain (thumbnails are not pages), each decoded in full. The pages are
    /// what text will read, so they are returned in the admitted document.
    pub(super) fn check_tiff(
        bytes: &[u8],
        limits: &Limits,
        intake: &mut Admitted,
    ) -> Result<(), IntakeError> {
        let chain = tiff::read_chain(bytes, limits.max_pages)
            .map_err(|e| malformed(MediaType::Tiff, e.to_string()))?;
        let pages = chain.pages();
        if pages.is_empty() {
            return Err(malformed(MediaType::Tiff, "it has no pages"));
        }
        if chain.end == ChainEnd::TooLong {
            return Err(IntakeError::TooManyPages {
                pages: pages.len(),
                max: limits.max_pages,
            });
        }
        let mut dimensions = Vec::with_capacity(pages.len());
        for (index, page) in pages.iter().enumerate() {
            let (Some(width), Some(height)) = (page.width, page.height) else {
                let reason = format!("page {} does not declare its width and height", index + 1);
                return Err(malformed(MediaType::Tiff, reason));
            };
            if width == 0 || height == 0 {
                let reason = format!("page {} declares a width or height of 0", index + 1);
                return Err(malformed(MediaType::Tiff, reason));
            }
            check_pixels(width, height, limits)?;
            let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
            dimensions.push((clamp(width), clamp(height)));
        }
        intake.pages = pages.len();
        intake.dimensions = dimensions.first().copied();
        match chain.end {
            ChainEnd::Loops => intake.warnings.push(format!(
                "the TIFF's page chain loops back on itself; its {} distinct pages were read",
                pages.len()
            )),
            ChainEnd::Broken => intake.warnings.push(format!(
                "the TIFF's page chain is broken after page {}; the pages before it were read",
                pages.len()
            )),
            ChainEnd::Complete | ChainEnd::TooLong => {}
        }
        let mut fax_pages = 0;
        for (index, page) in pages.iter().enumerate() {
            let page_error = |reason: String| {
                let reason = if pages.len() > 1 {
                    format!("page {}: {reason}", index + 1)
                } else {
                    reason
                };
                malformed(MediaType::Tiff, reason)
            };
            // CCITT Group 3 (and its 1-D "RLE" form) has no decoder here; fax servers still send it.
            if matches!(page.compression, 2 | 3) {
                check_strips(page, bytes).map_err(page_error)?;
                fax_pages += 1;
                continue;
            }
            // The decoder lacks the palette and JPEG-YCbCr colour conversions. Decoding such a page
            // as grey or RGB still decodes every byte of its pixel data, which is what is checked.
            let patches: Vec<(u64, u16)> = match page.photometric {
                Some((at, 3)) => vec![(at, 1)],
                Some((at, 6)) if page.compression == 7 => vec![(at, 2)],
                _ => vec![],
            };
            let view = PageView::new(bytes, page.offset, &patches);
            let before = intake.warnings.len();
            decode(MediaType::Tiff, limits, intake, || TiffDecoder::new(view)).map_err(
                |e| match e {
                    IntakeError::Malformed { reason, .. } => page_error(reason),
                    other => other,
                },
            )?;
            // Later pages' orientation notes repeat the first page's.
            if index > 0 {
                intake.warnings.truncate(before);
            }
        }
        if fax_pages > 0 {
            intake.warnings.push(format!(
                "{} CCITT Group 3 fax-coded, which Varde cannot decode: only the structure was checked",
                if fax_pages == 1 { "1 page is".to_string() } else { format!("{fax_pages} pages are") }
            ));
        }
        intake.layout = Layout::Tiff(
            pages
                .iter()
                .map(|p| TiffPage {
                    directory: p.offset,
                    resolution: p.resolution,
                })
                .collect(),
        );
        Ok(())
    }

    /// Checks the structure and the declared size before anything is decoded.
    fn admit(
        media_type: MediaType,
        header: &Header,
        limits: &Limits,
        intake: &mut Admitted,
    ) -> Result<(), IntakeError> {
        if let Some((width, height)) = header.dimensions {
            if width == 0 || height == 0 {
                return Err(malformed(media_type, "it declares a width or height of 0"));
            }
            check_pixels(u64::from(width), u64::from(height), limits)?;
        }
        if let Some(problem) = &header.problem {
            return Err(malformed(media_type, problem.clone()));
        }
        intake.dimensions = header.dimensions;
        intake.pages = header.frames.max(1);
        if intake.pages > limits.max_pages {
            return Err(IntakeError::TooManyPages {
                pages: intake.pages,
                max: limits.max_pages,
            });
        }
        if header.trailing > 0 {
            intake.warnings.push(format!(
                "{} after the end of the image (ignored)",
                plural(header.trailing, "byte")
            ));
        }
        Ok(())
    }

    fn check_pixels(width: u64, height: u64, limits: &Limits) -> Result<(), IntakeError> {
        if width.saturating_mul(height) > limits.max_pixels {
            return Err(IntakeError::PixelBudget {
                width,
                height,
                max_pixels: limits.max_pixels,
            });
        }
        Ok(())
    }

    /// Enough memory for the pixel budget at 8 bytes a pixel (16-bit RGBA) and the decoder's own
    /// buffers; nothing a hostile header claims can make a decoder allocate more.
    fn decoder_limits(limits: &Limits) -> image::Limits {
        let mut l = image::Limits::default();
        l.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 * MIB));
        l
    }

    /// Decodes the whole image (guarded: decoders have panicked on malformed data) and
    /// notes an EXIF orientation.
    fn decode<D, F>(
        media_type: MediaType,
        limits: &Limits,
        intake: &mut Admitted,
        open: F,
    ) -> Result<(), IntakeError>
    where
        D: ImageDecoder,
        F: FnOnce() -> Result<D, ImageError>,
    {
        let outcome = guarded(|| -> Result<Option<Orientation>, ImageError> {
            let mut decoder = open()?;
            decoder.set_limits(decoder_limits(limits))?;
            let orientation = match decoder.orientation() {
                Ok(Orientation::NoTransforms) | Err(_) => exif_orientation(&mut decoder),
                Ok(o) => Some(o),
            };
            DynamicImage::from_decoder(decoder)?;
            Ok(orientation)
        });
        match outcome {
            Ok(Ok(orientation)) => {
                if let Some(o) = orientation.filter(|o| *o != Orientation::NoTransforms) {
                    intake.warnings.push(format!(
                        "EXIF orientation {} (the image is shown {})",
                        o.to_exif(),
                        orientation_text(o)
                    ));
                }
                Ok(())
            }
            Ok(Err(ImageError::Limits(_))) => Err(malformed(
                media_type,
                "decoding it would take more memory than the pixel budget allows",
            )),
            Ok(Err(e)) => Err(malformed(media_type, decoder_reason(&e))),
            Err(_) => Err(malformed(media_type, "the decoder crashed on it")),
        }
    }

    /// Some writers (Pillow for WebP) put JPEG's "Exif\0\0" prefix before the EXIF data, which
    /// the decoders do not expect.
    fn exif_orientation(decoder: &mut impl ImageDecoder) -> Option<Orientation> {
        let exif = decoder.exif_metadata().ok()??;
        Orientation::from_exif_chunk(exif.strip_prefix(b"Exif\0\0")?)
    }

    fn orientation_text(o: Orientation) -> &'static str {
        match o {
            Orientation::NoTransforms => "as stored",
            Orientation::Rotate90 => "rotated 90° clockwise",
            Orientation::Rotate180 => "rotated 180°",
            Orientation::Rotate270 => "rotated 90° counter-clockwise",
            Orientation::FlipHorizontal => "mirrored",
            Orientation::FlipVertical => "flipped upside down",
            Orientation::Rotate90FlipH => "rotated and mirrored",
            Orientation::Rotate270FlipH => "rotated and mirrored",
        }
    }

    /// The decoder's words, cut short: they describe structure, never pixels or text.
    fn decoder_reason(e: &ImageError) -> String {
        let text: String = e
            .to_string()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        if text.is_empty() {
            "the decoder refused it".into()
        } else {
            text
        }
    }

    // --- PNG: chunks up to IEND.

    fn png_header(bytes: &[u8]) -> Header {
        let mut h = Header::new();
        let mut pos = 8;
        let mut first = true;
        loop {
            let (Some(len), Some(kind)) = (be_u32(bytes, pos), bytes.get(pos + 4..pos + 8)) else {
                h.problem = Some("it is truncated (it ends before its IEND chunk)".into());
                return h;
            };
            let data_at = pos + 8;
            let end = data_at as u64 + u64::from(len) + 4;
            if first {
                if kind != b"IHDR" || len != 13 {
                    h.problem = Some("it does not start with an IHDR chunk".into());
                    return h;
                }
                if let (Some(w), Some(hgt)) = (be_u32(bytes, data_at), be_u32(bytes, data_at + 4)) {
                    h.dimensions = Some((w, hgt));
                }
                first = false;
            }
            if kind == b"acTL" {
                if let Some(frames) = be_u32(bytes, data_at) {
                    h.frames = frames as usize;
                }
            }
            if end > bytes.len() as u64 {
                h.problem = Some(format!(
                    "it is truncated ({} runs past the end of the file)",
                    chunk_name(kind)
                ));
                return h;
            }
            // Every chunk's CRC must match: a mismatch is damage (Pillow refuses too; libpng
            // refuses critical chunks and drops ancillary ones).
            let end = end as usize;
            if be_u32(bytes, end - 4) != Some(crc32(&bytes[pos + 4..end - 4])) {
                h.problem = Some(format!(
                    "{} is corrupt (its checksum does not match)",
                    chunk_name(kind)
                ));
                return h;
            }
            pos = end;
            if kind == b"IEND" {
                h.trailing = bytes.len() - pos;
                return h;
            }
        }
    }

    fn chunk_name(kind: &[u8]) -> String {
        if kind.iter().all(u8::is_ascii_alphabetic) {
            format!("its {} chunk", String::from_utf8_lossy(kind))
        } else {
            "a chunk".into()
        }
    }

    // --- JPEG: segments, then the entropy-coded data of each scan, up to EOI.

    fn jpeg_header(bytes: &[u8]) -> Header {
        let mut h = Header::new();
        let truncated = "it is truncated (it ends before its end-of-image marker)";
        let mut pos = 2;
        let mut scans = 0;
        loop {
            // Junk between segments is skipped, as libjpeg does (with a warning).
            while pos < bytes.len() && bytes[pos] != 0xFF {
                pos += 1;
            }
            while pos < bytes.len() && bytes[pos] == 0xFF {
                pos += 1;
            }
            let Some(&marker) = bytes.get(pos) else {
                h.problem = Some(truncated.into());
                return h;
            };
            pos += 1;
            match marker {
                0xD9 => break,
                0x00 | 0x01 | 0xD0..=0xD8 => continue,
                _ => {}
            }
            let Some(len) = be_u16(bytes, pos) else {
                h.problem = Some(truncated.into());
                return h;
            };
            let len = usize::from(len);
            if len < 2 || pos + len > bytes.len() {
                h.problem = Some(if len < 2 {
                    "a segment has an invalid length".into()
                } else {
                    truncated.into()
                });
                return h;
            }
            let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
            if is_frame && h.dimensions.is_none() && len >= 8 {
                let height = be_u16(bytes, pos + 3).unwrap_or(0);
                let width = be_u16(bytes, pos + 5).unwrap_or(0);
                h.dimensions = Some((u32::from(width), u32::from(height)));
            }
            pos += len;
            if marker == 0xDA {
                if h.dimensions.is_none() {
                    h.problem = Some("it has image data but no frame header (SOF)".into());
                    return h;
                }
                scans += 1;
                // Entropy-coded data ends at the first marker that is not a stuffed zero, a
                // restart marker or a fill byte.
                loop {
                    match bytes
                        .get(pos..)
                        .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
                    {
                        None => {
                            h.problem = Some(truncated.into());
                            return h;
                        }
                        Some(at) => {
                            pos += at;
                            match bytes.get(pos + 1) {
                                None => {
                                    h.problem = Some(truncated.into());
                                    return h;
                                }
                                Some(0x00 | 0xD0..=0xD7) => pos += 2,
                                Some(0xFF) => pos += 1,
                                Some(_) => break,
                            }
                        }
                    }
                }
            }
        }
        if h.dimensions.is_none() {
            h.problem = Some("it has no frame header (SOF)".into());
        } else if scans == 0 {
            h.problem = Some("it has no image data (no scan)".into());
        }
        h.trailing = bytes.len() - pos;
        h
    }

    // --- WebP: RIFF chunks.

    fn webp_header(bytes: &[u8]) -> Header {
        let mut h = Header::new();
        let riff_end = le_u32(bytes, 4).map(|n| n as u64 + 8).unwrap_or(0);
        if riff_end > bytes.len() as u64 {
            h.problem = Some("it is truncated (shorter than its RIFF header says)".into());
        }
        let end = (riff_end as usize).min(bytes.len());
        let mut pos = 12;
        let mut animation_frames = 0usize;
        while pos + 8 <= end {
            let kind = &bytes[pos..pos + 4];
            let len = le_u32(bytes, pos + 4).unwrap_or(0) as usize;
            let data = &bytes[pos + 8..(pos + 8).saturating_add(len).min(end)];
            match kind {
                b"VP8X" if data.len() >= 10 => {
                    let w = 1
                        + (u32::from(data[4]) | u32::from(data[5]) << 8 | u32::from(data[6]) << 16);
                    let hgt = 1
                        + (u32::from(data[7]) | u32::from(data[8]) << 8 | u32::from(data[9]) << 16);
                    h.dimensions = Some((w, hgt));
                }
                b"VP8 " if data.len() >= 10 && h.dimensions.is_none() => {
                    let w = u32::from(u16::from_le_bytes([data[6], data[7]]) & 0x3FFF);
                    let hgt = u32::from(u16::from_le_bytes([data[8], data[9]]) & 0x3FFF);
                    h.dimensions = Some((w, hgt));
                }
                b"VP8L" if data.len() >= 5 && h.dimensions.is_none() => {
                    let bits = u32::from_le_bytes([data[1], data[2], data[3], data[4]]);
                    h.dimensions = Some((1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)));
                }
                b"ANMF" => animation_frames += 1,
                _ => {}
            }
            pos = (pos + 8).saturating_add(len).saturating_add(len & 1);
        }
        if pos > end && h.problem.is_none() {
            h.problem = Some("it is truncated (a chunk runs past the end of the file)".into());
        }
        h.frames = animation_frames.max(1);
        h.trailing = bytes.len().saturating_sub(riff_end as usize);
        h
    }

    /// For pages the decoder cannot read: every strip must lie inside the file.
    fn check_strips(page: &Directory, bytes: &[u8]) -> Result<(), String> {
        if page.chunks.is_empty() {
            return Err("its strip table is missing or inconsistent".into());
        }
        let inside = |&(offset, length): &(u64, u64)| {
            length > 0
                && offset
                    .checked_add(length)
                    .is_some_and(|end| end <= bytes.len() as u64)
        };
        if !page.chunks.iter().all(inside) {
            return Err("a strip lies outside the file".into());
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// PDF

mod pdf {
    use super::*;

    /// ISO 32000-1 Annex C: no conforming file has more indirect objects than this.
    const MAX_OBJECT_NUMBER: u32 = 8_388_607;
    /// Content streams may inflate to this much in all before the PDF counts as a bomb.
    pub(super) const MAX_CONTENT_BYTES: usize = 256 * MIB as usize;

    /// Whether zlib `data` inflates to more than `limit` bytes, reading at most `limit + 1` of its
    /// output. A stream that fails to inflate is not judged here (lopdf's lenient reader decides).
    pub(super) fn inflates_beyond(data: &[u8], limit: usize) -> bool {
        use std::io::Read;
        let mut sink = std::io::sink();
        let mut reader = flate2::read::ZlibDecoder::new(data).take(limit as u64 + 1);
        std::io::copy(&mut reader, &mut sink).is_ok_and(|n| n > limit as u64)
    }
    const MAX_TREE_DEPTH: usize = 64;

    /// Why an inspection stopped: a refusal stands; damage, or encryption lopdf could not
    /// undo, may be repaired by rebuilding the cross-reference table.
    enum Problem {
        Refused(IntakeError),
        Damaged(String),
        Undecryptable,
    }

    impl From<IntakeError> for Problem {
        fn from(e: IntakeError) -> Self {
            Problem::Refused(e)
        }
    }

    /// What an inspection of a loaded document found.
    struct Facts {
        pages: usize,
        /// Whether any page draws anything.
        has_content: bool,
        warnings: Vec<String>,
    }

    /// "Recoverable" means: lopdf cannot use the file as written (no readable cross-reference
    /// table, or objects missing at the offsets it gives), but every object can be found by its
    /// `N G obj` header, the catalog by the trailer's /Root or its /Type, and the result passes
    /// every check a sound file must pass — and at least one page draws something. A repair that
    /// yields only blank pages is refused: the blank may be the damage, and a clinical document
    /// must not be silently lost.
    pub(super) fn check(
        bytes: &[u8],
        header_at: usize,
        limits: &Limits,
        intake: &mut Admitted,
    ) -> Result<(), IntakeError> {
        let body = &bytes[header_at..];
        intake.dimensions = None;
        if header_at > 0 {
            intake.warnings.push(format!(
                "{} before the %PDF header (ignored)",
                plural(header_at, "byte")
            ));
        }
        // Objects lopdf cannot parse are skipped silently, so the raw syntax is read as well.
        if let Some(what) = raw_active_content(body) {
            return Err(IntakeError::ActivePdfContent { what: what.into() });
        }
        let (reason, encrypted) = match load(body).and_then(|doc| inspect(&doc, limits)) {
            Ok(facts) => {
                intake.pages = facts.pages;
                intake.warnings.extend(facts.warnings);
                intake.layout = Layout::Pdf { repaired: None };
                return Ok(());
            }
            Err(Problem::Refused(e)) => return Err(e),
            Err(Problem::Damaged(reason)) => (reason, false),
            Err(Problem::Undecryptable) => ("its encryption could not be undone".into(), true),
        };
        let otherwise = || match encrypted {
            true => IntakeError::EncryptedPdf,
            false => malformed(MediaType::Pdf, reason.clone()),
        };
        let repaired = rebuild_xref(body).ok_or_else(otherwise)?;
        let facts = match load(&repaired).and_then(|doc| inspect(&doc, limits)) {
            Ok(facts) if facts.has_content => facts,
            Ok(_) => {
                let reason = format!("{reason}, and rebuilding it recovers only blank pages");
                return Err(malformed(MediaType::Pdf, reason));
            }
            Err(Problem::Refused(e)) => return Err(e),
            Err(Problem::Damaged(_) | Problem::Undecryptable) => return Err(otherwise()),
        };
        let note = match encrypted {
            true => "its encryption dictionary was read through a rebuilt copy",
            false => "its cross-reference table could not be read as written and was rebuilt",
        };
        intake.pages = facts.pages;
        intake.warnings.push(note.into());
        intake.warnings.extend(facts.warnings);
        intake.layout = Layout::Pdf {
            repaired: Some(repaired),
        };
        Ok(())
    }

    fn load(body: &[u8]) -> Result<Document, Problem> {
        match guarded(|| Document::load_mem(body)) {
            Ok(Ok(doc)) => Ok(doc),
            Ok(Err(e)) => Err(Problem::Damaged(load_error_text(&e))),
            Err(_) => Err(Problem::Damaged("the PDF parser crashed on it".into())),
        }
    }

    /// lopdf's errors in words that carry no document content.
    fn load_error_text(e: &lopdf::Error) -> String {
        match e {
            lopdf::Error::Xref(_) | lopdf::Error::MissingXrefEntry => {
                "its cross-reference table cannot be read".into()
            }
            lopdf::Error::Parse(p) => format!("it cannot be parsed ({p})"),
            lopdf::Error::InvalidOffset(_) | lopdf::Error::IndirectObject { .. } => {
                "its cross-reference table points at the wrong places".into()
            }
            _ => "its structure cannot be read".into(),
        }
    }

    fn inspect(doc: &Document, limits: &Limits) -> Result<Facts, Problem> {
        let mut warnings = Vec::new();
        // lopdf opens an encrypted file with the empty user password when it can and then drops
        // /Encrypt from the trailer; an /Encrypt still there means a password is needed.
        if doc.trailer.has(b"Encrypt") {
            return Err(IntakeError::EncryptedPdf.into());
        }
        if doc.encryption_state.is_some() {
            warnings.push(
                "encrypted with an owner password only: it opens without a password, and its \
                 permission flags (print, copy, change) are not enforced"
                    .into(),
            );
        }
        let catalog = doc
            .catalog()
            .map_err(|_| Problem::Damaged("its document catalog is missing".into()))?;
        if resolve(doc, catalog.get(b"NeedsRendering").ok()).and_then(|o| o.as_bool().ok())
            == Some(true)
        {
            return Err(IntakeError::UnsupportedType {
                found: "a dynamic XFA form, not a regular PDF (its pages are empty placeholders; \
                        print it to a regular PDF and add that)"
                    .into(),
            }
            .into());
        }
        if let Some(what) = active_content(doc) {
            return Err(IntakeError::ActivePdfContent { what: what.into() }.into());
        }
        check_images(doc, limits)?;

        let tree = page_tree(doc, catalog, limits)?;
        if tree.pages.is_empty() {
            return Err(IntakeError::NoPages.into());
        }
        if tree.looped {
            warnings.push("the page tree refers back to itself; the loop was ignored".into());
        }
        if let Some(count) = tree.declared_count.filter(|&c| c != tree.pages.len()) {
            warnings.push(format!(
                "the page tree declares {count} pages; {} were found",
                tree.pages.len()
            ));
        }
        let has_content = check_contents(doc, &tree.pages, &mut warnings)?;
        if has_embedded_files(doc, catalog) {
            warnings
                .push("carries embedded files (attachments); they are kept but not opened".into());
        }
        Ok(Facts {
            pages: tree.pages.len(),
            has_content,
            warnings,
        })
    }

    fn resolve<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
        doc.dereference(object?).ok().map(|(_, o)| o)
    }

    // --- Active content

    /// JavaScript or a launch action anywhere in the file — in the catalog's /OpenAction, /AA
    /// triggers, annotations, form fields or the /JavaScript name tree: all are action
    /// dictionaries, found among the document's objects (object streams included).
    fn active_content(doc: &Document) -> Option<&'static str> {
        doc.objects.values().find_map(|o| active_in(o, 0))
    }

    fn active_in(object: &Object, depth: usize) -> Option<&'static str> {
        if depth > MAX_TREE_DEPTH {
            return None;
        }
        match object {
            Object::Dictionary(d) => active_in_dict(d, depth),
            Object::Stream(s) => active_in_dict(&s.dict, depth),
            Object::Array(items) => items.iter().find_map(|o| active_in(o, depth + 1)),
            _ => None,
        }
    }

    fn active_in_dict(dict: &Dictionary, depth: usize) -> Option<&'static str> {
        if dict.has(b"JS") {
            return Some("JavaScript");
        }
        match dict.get(b"S").and_then(Object::as_name) {
            Ok(b"JavaScript") => return Some("JavaScript"),
            Ok(b"Launch") => return Some("a launch action"),
            _ => {}
        }
        dict.iter()
            .find_map(|(_, value)| active_in(value, depth + 1))
    }

    /// The same, in the raw syntax outside streams: `/S /JavaScript`, `/S /Launch`, `/JS (…)`.
    fn raw_active_content(body: &[u8]) -> Option<&'static str> {
        for part in outside_streams(body) {
            let mut at = 0;
            while let Some(i) = find(&part[at..], b"/") {
                let name_at = at + i;
                let (name, after) = name_token(part, name_at + 1);
                if name == b"JS" {
                    let next = skip_space(part, after);
                    if matches!(part.get(next), Some(b'(' | b'<' | b'0'..=b'9')) {
                        return Some("JavaScript");
                    }
                } else if name == b"S" {
                    let next = skip_space(part, after);
                    if part.get(next) == Some(&b'/') {
                        match name_token(part, next + 1).0 {
                            b"JavaScript" => return Some("JavaScript"),
                            b"Launch" => return Some("a launch action"),
                            _ => {}
                        }
                    }
                }
                at = after.max(name_at + 1);
            }
        }
        None
    }

    fn name_token(bytes: &[u8], from: usize) -> (&[u8], usize) {
        let end = bytes[from.min(bytes.len())..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b))
            .map_or(bytes.len(), |n| from + n);
        (&bytes[from.min(end)..end], end)
    }

    /// A name from the file, fit for a message: short, printable ASCII.
    fn pdf_name(name: &[u8]) -> String {
        name.iter()
            .take(32)
            .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
            .collect()
    }

    fn skip_space(bytes: &[u8], mut at: usize) -> usize {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        at
    }

    /// The file without the data of its streams (compressed data is not syntax).
    pub(super) fn outside_streams(body: &[u8]) -> Vec<&[u8]> {
        let mut parts = Vec::new();
        let mut pos = 0;
        while let Some(i) = find(&body[pos..], b"stream") {
            let at = pos + i;
            let after = at + b"stream".len();
            let is_keyword = !(at >= 3 && &body[at - 3..at] == b"end")
                && matches!(body.get(after), Some(b'\r' | b'\n'));
            if !is_keyword {
                parts.push(&body[pos..after]);
                pos = after;
                continue;
            }
            parts.push(&body[pos..at]);
            match find(&body[after..], b"endstream") {
                Some(j) => pos = after + j + b"endstream".len(),
                None => return parts,
            }
        }
        parts.push(&body[pos..]);
        parts
    }

    // --- Images inside the PDF

    /// Image XObjects are held to the same pixel budget as image files: rendering one would
    /// allocate that much.
    fn check_images(doc: &Document, limits: &Limits) -> Result<(), Problem> {
        for object in doc.objects.values() {
            let Object::Stream(stream) = object else {
                continue;
            };
            if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
                continue;
            }
            let number =
                |key: &[u8]| resolve(doc, stream.dict.get(key).ok()).and_then(|o| o.as_i64().ok());
            if let (Some(width), Some(height)) = (number(b"Width"), number(b"Height")) {
                let (width, height) = (width.max(0) as u64, height.max(0) as u64);
                if width.saturating_mul(height) > limits.max_pixels {
                    return Err(IntakeError::PixelBudget {
                        width,
                        height,
                        max_pixels: limits.max_pixels,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    // --- Pages

    struct PageTree {
        pages: Vec<ObjectId>,
        declared_count: Option<usize>,
        looped: bool,
    }

    /// Walks the page tree from the catalog, never trusting /Count: every leaf must be a page
    /// object that exists.
    fn page_tree(
        doc: &Document,
        catalog: &Dictionary,
        limits: &Limits,
    ) -> Result<PageTree, Problem> {
        let root = catalog
            .get(b"Pages")
            .and_then(Object::as_reference)
            .map_err(|_| Problem::Damaged("its catalog has no page tree".into()))?;
        let root_dict = doc
            .get_object(root)
            .and_then(Object::as_dict)
            .map_err(|_| {
                Problem::Damaged(format!(
                    "its page tree (object {} {}) is missing",
                    root.0, root.1
                ))
            })?;
        let declared_count = match root_dict.get(b"Count") {
            Err(_) => None,
            Ok(count) => {
                let count = resolve(doc, Some(count)).and_then(|o| o.as_i64().ok());
                // Integers beyond 2^31 - 1 exceed the limits every PDF reader implements.
                match count {
                    Some(n) if (0..=i64::from(i32::MAX)).contains(&n) => Some(n as usize),
                    Some(n) => {
                        return Err(Problem::Damaged(format!(
                            "its page tree is invalid (it declares {n} pages)"
                        )))
                    }
                    None => {
                        return Err(Problem::Damaged(
                            "its page tree is invalid (its page count is not a number)".into(),
                        ))
                    }
                }
            }
        };
        let mut tree = PageTree {
            pages: Vec::new(),
            declared_count,
            looped: false,
        };
        let mut seen = HashSet::new();
        let mut stack = vec![(root, 0usize)];
        while let Some((id, depth)) = stack.pop() {
            if !seen.insert(id) {
                tree.looped = true;
                continue;
            }
            if depth > MAX_TREE_DEPTH {
                return Err(Problem::Damaged(
                    "its page tree is nested too deeply".into(),
                ));
            }
            let node = doc.get_object(id).and_then(Object::as_dict).map_err(|_| {
                Problem::Damaged(format!(
                    "its page tree refers to object {} {}, which is missing or not a dictionary",
                    id.0, id.1
                ))
            })?;
            let kind = node.get_type().ok();
            if kind == Some(b"Pages") || (kind.is_none() && node.has(b"Kids")) {
                let kids = resolve(doc, node.get(b"Kids").ok())
                    .and_then(|o| o.as_array().ok())
                    .ok_or_else(|| {
                        Problem::Damaged("a node of its page tree has no /Kids".into())
                    })?;
                for kid in kids.iter().rev() {
                    let kid = kid.as_reference().map_err(|_| {
                        Problem::Damaged(
                            "its page tree holds an entry that is not a reference".into(),
                        )
                    })?;
                    stack.push((kid, depth + 1));
                }
            } else if kind == Some(b"Page") || kind.is_none() {
                if tree.pages.len() == limits.max_pages {
                    return Err(IntakeError::TooManyPages {
                        pages: limits.max_pages + 1,
                        max: limits.max_pages,
                    }
                    .into());
                }
                tree.pages.push(id);
            } else {
                return Err(Problem::Damaged(format!(
                    "its page tree holds an object of type /{}",
                    pdf_name(kind.unwrap_or_default())
                )));
            }
        }
        Ok(tree)
    }

    /// Decompresses every page's content streams; says whether any page draws anything.
    fn check_contents(
        doc: &Document,
        pages: &[ObjectId],
        warnings: &mut Vec<String>,
    ) -> Result<bool, Problem> {
        let mut seen = HashSet::new();
        let mut total = 0usize;
        let mut has_content = false;
        let mut unverified = false;
        for (index, &page_id) in pages.iter().enumerate() {
            let number = index + 1;
            let page = doc
                .get_dictionary(page_id)
                .map_err(|_| Problem::Damaged(format!("page {number} is missing")))?;
            let Ok(contents) = page.get(b"Contents") else {
                continue; // A page without /Contents is blank, which is legal.
            };
            let streams: Vec<&Object> = match contents {
                Object::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in streams {
                if let Ok(id) = item.as_reference() {
                    if !seen.insert(id) {
                        continue;
                    }
                }
                let stream = resolve(doc, Some(item))
                    .and_then(|o| o.as_stream().ok())
                    .ok_or_else(|| {
                        Problem::Damaged(format!("page {number}'s content stream is missing"))
                    })?;
                let filters: Vec<Vec<u8>> = stream
                    .filters()
                    .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
                    .unwrap_or_default();
                let mut skip = false;
                for filter in &filters {
                    match filter.as_slice() {
                        b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode" => {}
                        // Legal, but lopdf cannot decode these.
                        b"ASCIIHexDecode" | b"RunLengthDecode" | b"Crypt" => skip = true,
                        // Image codecs on a content stream: nonsense, and a known bomb.
                        other => {
                            let reason = format!(
                                "page {number}'s content stream is encoded with /{}, which is \
                                 not a content encoding",
                                pdf_name(other)
                            );
                            return Err(malformed(MediaType::Pdf, reason).into());
                        }
                    }
                }
                if skip {
                    unverified = true;
                    has_content |= !stream.content.is_empty();
                    continue;
                }
                // lopdf inflates without a limit: inflate a plain Flate stream ourselves first,
                // within what is left of the budget, so a bomb is refused before it allocates.
                // Anything else (or a stream our strict inflater rejects) goes to lopdf, whose
                // lenient reading of damaged streams the corpus relies on.
                let remaining = MAX_CONTENT_BYTES.saturating_sub(total);
                if filters == [b"FlateDecode".to_vec()]
                    && stream.dict.get(b"DecodeParms").is_err()
                    && doc.encryption_state.is_none()
                    && inflates_beyond(&stream.content, remaining)
                {
                    return Err(malformed(
                        MediaType::Pdf,
                        format!(
                            "its content streams inflate to more than {} (a decompression bomb)",
                            size_text(MAX_CONTENT_BYTES as u64)
                        ),
                    )
                    .into());
                }
                let inflated = guarded(|| stream.decompressed_content());
                // lopdf's inflater swallows errors and returns what it got, often nothing.
                let data = match inflated {
                    Ok(Ok(data))
                        if !(data.is_empty()
                            && !filters.is_empty()
                            && !stream.content.is_empty()) =>
                    {
                        data
                    }
                    // lopdf 0.42 cannot read encryption dictionaries with indirect entries and
                    // then decrypts to noise; a rebuilt copy inlines them.
                    _ if doc.encryption_state.is_some() => return Err(Problem::Undecryptable),
                    _ => {
                        let reason = format!("page {number}'s content stream does not decompress");
                        return Err(malformed(MediaType::Pdf, reason).into());
                    }
                };
                total = total.saturating_add(data.len());
                if total > MAX_CONTENT_BYTES {
                    return Err(malformed(
                        MediaType::Pdf,
                        format!(
                            "its content streams inflate to more than {}",
                            size_text(MAX_CONTENT_BYTES as u64)
                        ),
                    )
                    .into());
                }
                has_content |= data.iter().any(|b| !b.is_ascii_whitespace());
            }
        }
        if unverified {
            warnings.push(
                "some content streams use an encoding that was not checked (ASCIIHex or RunLength)"
                    .into(),
            );
        }
        Ok(has_content)
    }

    fn has_embedded_files(doc: &Document, catalog: &Dictionary) -> bool {
        let names = resolve(doc, catalog.get(b"Names").ok()).and_then(|o| o.as_dict().ok());
        names.is_some_and(|n| n.has(b"EmbeddedFiles"))
            || doc.objects.values().any(|o| match o {
                Object::Dictionary(d) => d.has(b"EF") && d.get_type().ok() == Some(b"Filespec"),
                Object::Stream(s) => s.dict.get_type().ok() == Some(b"EmbeddedFile"),
                _ => false,
            })
    }

    // --- Repair

    /// A copy of the file with a fresh cross-reference table appended, built by finding every
    /// `N G obj` header; its trailer points at the catalog named by the old trailers (or the
    /// object whose type is /Catalog) and keeps their /Encrypt and /ID, which decryption needs.
    /// A stream whose /Length does not end at its `endstream` gets a corrected copy appended.
    fn rebuild_xref(body: &[u8]) -> Option<Vec<u8>> {
        let objects = find_objects(body);
        if objects.is_empty() {
            return None;
        }
        let root =
            last_reference(body, b"/Root", &objects).or_else(|| find_catalog(body, &objects))?;
        let mut out = body.to_vec();
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut offsets = BTreeMap::new();
        for (&number, found) in &objects {
            let offset = match fixed_stream(&body[found.start..found.end]) {
                Some(copy) => {
                    let at = out.len();
                    out.extend_from_slice(&copy);
                    at
                }
                None => found.start,
            };
            offsets.insert(number, (found.generation, offset));
        }
        let encrypt = last_reference(body, b"/Encrypt", &objects);
        if let Some((number, generation)) = encrypt {
            if let Some(copy) = inlined_object(body, number, &objects) {
                offsets.insert(number, (generation, out.len()));
                out.extend_from_slice(&copy);
            }
        }
        let xref_at = out.len();
        out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
        let numbers: Vec<u32> = offsets.keys().copied().collect();
        let mut i = 0;
        while i < numbers.len() {
            let mut j = i;
            while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
                j += 1;
            }
            out.extend_from_slice(format!("{} {}\n", numbers[i], j - i + 1).as_bytes());
            for number in &numbers[i..=j] {
                let (generation, offset) = offsets[number];
                out.extend_from_slice(format!("{offset:010} {generation:05} n \n").as_bytes());
            }
            i = j + 1;
        }
        let size = numbers.last().copied().unwrap_or(0) + 1;
        let mut trailer = format!("/Size {size} /Root {} {} R", root.0, root.1);
        if let Some((number, generation)) = encrypt {
            trailer.push_str(&format!(" /Encrypt {number} {generation} R"));
        }
        out.extend_from_slice(format!("trailer\n<< {trailer}").as_bytes());
        if let Some(id) = last_id(body) {
            out.extend_from_slice(b" /ID ");
            out.extend_from_slice(id);
        }
        out.extend_from_slice(format!(" >>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        Some(out)
    }

    /// A copy of the stream object `object` (its bytes up to the next object) with a corrected
    /// /Length, if its declared length does not end at `endstream` (readers that rebuild the
    /// table find the end the same way).
    fn fixed_stream(object: &[u8]) -> Option<Vec<u8>> {
        let keyword = stream_keyword(object)?;
        if find(object, b"endobj").is_some_and(|e| e < keyword) {
            return None;
        }
        let dict = &object[..keyword];
        let mut data_start = keyword + b"stream".len();
        if object.get(data_start) == Some(&b'\r') {
            data_start += 1;
        }
        if object.get(data_start) == Some(&b'\n') {
            data_start += 1;
        }
        let end = data_start + find(&object[data_start..], b"endstream")?;
        let (value_at, value_end, declared) = direct_length(dict)?;
        // Right when only an end-of-line lies between the declared end and `endstream`.
        let declared_end = data_start.checked_add(declared)?;
        if declared_end <= end
            && object[declared_end..end]
                .iter()
                .all(u8::is_ascii_whitespace)
        {
            return None;
        }
        let mut data_end = end;
        for eol in [b'\n', b'\r'] {
            if data_end > data_start && object[data_end - 1] == eol {
                data_end -= 1;
            }
        }
        let mut copy = Vec::with_capacity(dict.len() + (data_end - data_start) + 32);
        copy.extend_from_slice(&dict[..value_at]);
        copy.extend_from_slice((data_end - data_start).to_string().as_bytes());
        copy.extend_from_slice(&dict[value_end..]);
        copy.extend_from_slice(b"stream\n");
        copy.extend_from_slice(&object[data_start..data_end]);
        copy.extend_from_slice(b"\nendstream\nendobj\n");
        Some(copy)
    }

    /// A copy of object `number` with the objects it refers to written in place (two levels
    /// deep), for the encryption dictionary, which lopdf reads without resolving references.
    fn inlined_object(body: &[u8], number: u32, objects: &Objects) -> Option<Vec<u8>> {
        let generation = objects.get(&number)?.generation;
        let text = object_body(body, number, objects)?;
        let inlined = inline_references(body, text, objects, 2);
        if inlined == text {
            return None;
        }
        let mut copy = format!("{number} {generation} obj\n").into_bytes();
        copy.extend_from_slice(&inlined);
        copy.extend_from_slice(b"\nendobj\n");
        Some(copy)
    }

    /// What lies between `N G obj` and `endobj`, for small objects that are not streams.
    fn object_body<'a>(body: &'a [u8], number: u32, objects: &Objects) -> Option<&'a [u8]> {
        let found = objects.get(&number)?;
        let text = &body[found.start..found.end.min(found.start + 8192)];
        let open = find(text, b"obj")? + 3;
        let close = find(text, b"endobj")?;
        let inner = text.get(open..close)?;
        (stream_keyword(inner).is_none()).then_some(inner)
    }

    fn inline_references(body: &[u8], text: &[u8], objects: &Objects, depth: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut pos = 0;
        while pos < text.len() {
            let starts_token = pos == 0 || !text[pos - 1].is_ascii_alphanumeric();
            let reference = (starts_token && text[pos].is_ascii_digit())
                .then(|| reference_span(text, pos))
                .flatten();
            if let (Some((number, end)), true) = (reference, depth > 0) {
                if let Some(inner) = object_body(body, number, objects) {
                    out.extend_from_slice(&inline_references(body, inner, objects, depth - 1));
                    pos = end;
                    continue;
                }
            }
            out.push(text[pos]);
            pos += 1;
        }
        out
    }

    /// `N G R` starting at `at`: the object number and where the reference ends.
    fn reference_span(text: &[u8], at: usize) -> Option<(u32, usize)> {
        let (number, _) = reference_at(text, at)?;
        let r = at + find(&text[at..], b"R")?;
        Some((number, r + 1))
    }

    /// Where the `stream` keyword (not `endstream`, and followed by an end-of-line) starts.
    fn stream_keyword(head: &[u8]) -> Option<usize> {
        let mut pos = 0;
        while let Some(i) = find(&head[pos..], b"stream") {
            let at = pos + i;
            let after_end = at >= 3 && &head[at - 3..at] == b"end";
            if !after_end && matches!(head.get(at + 6), Some(b'\r' | b'\n')) {
                return Some(at);
            }
            pos = at + 6;
        }
        None
    }

    /// The span and value of a direct /Length in a stream dictionary.
    fn direct_length(dict: &[u8]) -> Option<(usize, usize, usize)> {
        let mut pos = 0;
        while let Some(i) = find(&dict[pos..], b"/Length") {
            let after = pos + i + b"/Length".len();
            pos = after;
            if dict.get(after).is_some_and(u8::is_ascii_alphanumeric) {
                continue; // /Length1 and the like belong to fonts.
            }
            let value_at = skip_space(dict, after);
            let mut value_end = value_at;
            while dict.get(value_end).is_some_and(u8::is_ascii_digit) {
                value_end += 1;
            }
            // `N G R` is a reference, resolved by the reader itself.
            if value_end == value_at
                || dict
                    .get(skip_space(dict, value_end))
                    .is_some_and(u8::is_ascii_digit)
            {
                return None;
            }
            let value = std::str::from_utf8(&dict[value_at..value_end])
                .ok()?
                .parse()
                .ok()?;
            return Some((value_at, value_end, value));
        }
        None
    }

    /// An object found by its header: it runs to the next header (so that searching inside
    /// objects stays linear in the file's size).
    struct Found {
        generation: u16,
        start: usize,
        end: usize,
    }

    type Objects = BTreeMap<u32, Found>;

    /// Every `N G obj` header; a later definition wins, as in an incremental update.
    fn find_objects(body: &[u8]) -> Objects {
        let mut headers = Vec::new();
        let mut pos = 0;
        while let Some(i) = find(&body[pos..], b"obj") {
            let at = pos + i;
            pos = at + 3;
            if body.get(at + 3).is_some_and(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            if let Some(header) = object_header_before(body, at) {
                headers.push(header);
            }
        }
        let mut objects = BTreeMap::new();
        for (i, &(number, generation, start)) in headers.iter().enumerate() {
            let end = headers.get(i + 1).map_or(body.len(), |next| next.2);
            if (1..=MAX_OBJECT_NUMBER).contains(&number) {
                objects.insert(
                    number,
                    Found {
                        generation,
                        start,
                        end,
                    },
                );
            }
        }
        objects
    }

    /// Reads `N G ` backwards from the `obj` keyword at `at`.
    fn object_header_before(body: &[u8], at: usize) -> Option<(u32, u16, usize)> {
        let mut pos = at;
        let back_over = |pos: &mut usize, pred: fn(u8) -> bool| -> usize {
            let end = *pos;
            while *pos > 0 && pred(body[*pos - 1]) {
                *pos -= 1;
            }
            end - *pos
        };
        if back_over(&mut pos, |b| b.is_ascii_whitespace()) == 0 {
            return None;
        }
        let generation_end = pos;
        if back_over(&mut pos, |b| b.is_ascii_digit()) == 0 {
            return None;
        }
        let generation: u16 = std::str::from_utf8(&body[pos..generation_end])
            .ok()?
            .parse()
            .ok()?;
        if back_over(&mut pos, |b| b.is_ascii_whitespace()) == 0 {
            return None;
        }
        let number_end = pos;
        if back_over(&mut pos, |b| b.is_ascii_digit()) == 0 {
            return None;
        }
        if pos > 0
            && !(body[pos - 1].is_ascii_whitespace() || b"()<>[]{}/%".contains(&body[pos - 1]))
        {
            return None;
        }
        let number: u32 = std::str::from_utf8(&body[pos..number_end])
            .ok()?
            .parse()
            .ok()?;
        Some((number, generation, pos))
    }

    /// The last `key N G R` in the file that names an object that exists.
    fn last_reference(body: &[u8], key: &[u8], objects: &Objects) -> Option<(u32, u16)> {
        let mut found = None;
        let mut pos = 0;
        while let Some(i) = find(&body[pos..], key) {
            let at = pos + i + key.len();
            pos = at;
            if let Some(reference) = reference_at(body, at) {
                if objects
                    .get(&reference.0)
                    .is_some_and(|f| f.generation == reference.1)
                {
                    found = Some(reference);
                }
            }
        }
        found
    }

    fn find_catalog(body: &[u8], objects: &Objects) -> Option<(u32, u16)> {
        objects.iter().find_map(|(&number, found)| {
            let text = &body[found.start..found.end.min(found.start + 4096)];
            let text = &text[..find(text, b"endobj").unwrap_or(text.len())];
            let catalog =
                find(text, b"/Type/Catalog").is_some() || find(text, b"/Type /Catalog").is_some();
            catalog.then_some((number, found.generation))
        })
    }

    /// The last `/ID [ … ]` array, verbatim.
    fn last_id(body: &[u8]) -> Option<&[u8]> {
        let mut found = None;
        let mut pos = 0;
        while let Some(i) = find(&body[pos..], b"/ID") {
            let at = skip_space(body, pos + i + 3);
            pos = pos + i + 3;
            if body.get(at) == Some(&b'[') {
                let tail = &body[at..(at + 300).min(body.len())];
                if let Some(close) = find(tail, b"]") {
                    found = Some(&tail[..=close]);
                }
            }
        }
        found
    }

    /// Parses `N G R` at `at` (after optional whitespace).
    fn reference_at(body: &[u8], at: usize) -> Option<(u32, u16)> {
        let mut pos = skip_space(body, at);
        let digits = |pos: &mut usize| -> Option<u64> {
            let start = *pos;
            while body.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            std::str::from_utf8(&body[start..*pos]).ok()?.parse().ok()
        };
        let number = u32::try_from(digits(&mut pos)?).ok()?;
        pos = skip_space(body, pos);
        let generation = u16::try_from(digits(&mut pos)?).ok()?;
        pos = skip_space(body, pos);
        (body.get(pos) == Some(&b'R')).then_some((number, generation))
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn malformed(media_type: MediaType, reason: impl Into<String>) -> IntakeError {
    IntakeError::Malformed {
        media_type,
        reason: reason.into(),
    }
}

fn malformed_text(media_type: MediaType, reason: &str) -> String {
    match media_type {
        MediaType::Pdf => format!("the PDF is damaged: {reason}"),
        other => format!("the {} does not decode: {reason}", other.name()),
    }
}

fn with_article(name: &str) -> String {
    if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn plural(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "25.3 MiB", "512 KiB", "10 bytes".
/// A byte count for people: "20 MiB", "25.3 MiB", "512 KiB".
pub fn size_text(bytes: u64) -> String {
    let trimmed = |value: f64, unit: &str| {
        let text = format!("{value:.1}");
        format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
    };
    if bytes >= MIB {
        trimmed(bytes as f64 / MIB as f64, "MiB")
    } else if bytes >= 1024 {
        trimmed(bytes as f64 / 1024.0, "KiB")
    } else {
        plural(bytes as usize, "byte")
    }
}

fn megapixels(pixels: u64) -> String {
    let text = format!("{:.1}", pixels as f64 / 1e6);
    format!("{} megapixels", text.strip_suffix(".0").unwrap_or(&text))
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// CRC-32 as PNG uses it.
fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn le_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

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
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R {page} >>"
            ),
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
        assert!(
            matches!(refuse(&html, "lab.pdf"), IntakeError::Polyglot { also } if also == "HTML")
        );

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
}

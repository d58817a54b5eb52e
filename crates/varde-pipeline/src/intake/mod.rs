//! Intake validation: what a file is, decided by its content, and whether Varde takes it — before
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
//! parsers run under the decoder guard (`formats::guarded`), and nothing is allocated from a
//! declared size before that size has been checked.

mod images;
mod messages;
mod pdf;
mod sniff;
#[cfg(test)]
mod tests;

use serde::Serialize;
use thiserror::Error;

use crate::digest::{hex, sha256};
use crate::formats::bytes::*;
use crate::formats::guarded;
use crate::MediaType;
pub use messages::size_text;
use messages::*;
use sniff::*;

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
#[derive(Clone, Debug, PartialEq)]
pub enum Layout {
    /// One image: a JPEG, PNG or WebP file, and the resolution it states (pixels per inch).
    Image { resolution: Option<(f64, f64)> },
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
        layout: Layout::Image { resolution: None },
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

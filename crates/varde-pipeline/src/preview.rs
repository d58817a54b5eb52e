//! Page previews for the viewer, drawn in the worker so the window never parses a document.
//!
//! A document is opened once per viewing: intake admits it (the same checks and the same page
//! list as analysis: a TIFF's pages are the ones intake found, a PDF is read from its repaired
//! copy where intake had to rebuild it), and the worker keeps it open so that later pages and
//! thumbnails are drawn without sending or parsing it again. Each preview is a PNG of one page
//! in colour on white, at the width asked for (the viewer's screen pixels), never larger than
//! the page image itself for image files. Nothing is written to disk.

use std::io::Cursor;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageEncoder, ImageFormat, RgbImage};
use serde::{Deserialize, Serialize};

use crate::analysis::Refusal;
use crate::formats::tiff::PageView;
use crate::intake::{self, Admitted, Layout, Limits};
use crate::text::render::{Renderer, PAGE_RENDER_TIMEOUT};
use crate::text::{decode_upright, over_white, TextError};
use crate::MediaType;

/// The widest preview drawn (a 4K screen's width at the viewer's largest).
pub const MAX_PREVIEW_WIDTH: u32 = 2400;
/// The narrowest preview drawn (a thumbnail).
pub const MIN_PREVIEW_WIDTH: u32 = 32;
/// Pixels one preview may have: a very tall page is drawn narrower than asked to stay within it.
pub const MAX_PREVIEW_PIXELS: u64 = 12_000_000;

/// Which page of the open document to draw, and how wide.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreviewRequest {
    /// 1-based.
    pub page: usize,
    /// In pixels; clamped to [`MIN_PREVIEW_WIDTH`]..=[`MAX_PREVIEW_WIDTH`].
    pub width: u32,
    /// Intake's limits, used when the document is opened.
    pub max_bytes: u64,
    pub max_pixels: u64,
    pub max_pages: usize,
    pub file_name: Option<String>,
}

/// A drawn page: the PNG and what the viewer needs to lay it out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub page: usize,
    pub pages: usize,
    pub width: u32,
    pub height: u32,
    /// Sent as a frame of its own, not inside the JSON reply.
    #[serde(skip)]
    pub png: Vec<u8>,
}

/// Why a page could not be previewed. Messages name pages and limits, never content.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("no document is open for previews")]
    NotOpen,
    #[error("the document cannot be shown: {0}")]
    Refused(#[from] intake::IntakeError),
    #[error("page {page} does not exist; the document has {pages}")]
    NoSuchPage { page: usize, pages: usize },
    #[error(transparent)]
    Page(#[from] TextError),
    #[error("the preview could not be encoded: {0}")]
    Encode(String),
}

impl PreviewError {
    pub fn code(&self) -> &'static str {
        match self {
            PreviewError::NotOpen => "not_open",
            PreviewError::Refused(e) => e.code(),
            PreviewError::NoSuchPage { .. } => "no_such_page",
            PreviewError::Page(TextError::RenderTimedOut { .. }) => "render_timed_out",
            PreviewError::Page(_) => "page_unreadable",
            PreviewError::Encode(_) => "encode_failed",
        }
    }

    pub fn to_refusal(&self) -> Refusal {
        Refusal {
            code: self.code().to_string(),
            message: self.to_string(),
        }
    }
}

/// The document a worker holds open for previews.
pub struct Previewer {
    bytes: Vec<u8>,
    admitted: Admitted,
    /// Opened on the first PDF page asked for.
    renderer: Option<Renderer>,
}

impl Previewer {
    /// Admits `bytes` as intake would and keeps them open.
    pub fn open(bytes: Vec<u8>, req: &PreviewRequest) -> Result<Previewer, PreviewError> {
        let limits = Limits {
            max_bytes: req.max_bytes,
            max_pixels: req.max_pixels,
            max_pages: req.max_pages,
        };
        let admitted = intake::validate(&bytes, req.file_name.as_deref(), None, &limits)?;
        Ok(Previewer {
            bytes,
            admitted,
            renderer: None,
        })
    }

    /// The number of pages the document has.
    pub fn pages(&self) -> usize {
        self.admitted.pages
    }

    /// Draws page `req.page` at `req.width` as a PNG.
    pub fn draw(&mut self, req: &PreviewRequest) -> Result<Preview, PreviewError> {
        let pages = self.pages();
        let page = req.page;
        if page == 0 || page > pages {
            return Err(PreviewError::NoSuchPage { page, pages });
        }
        let width = req.width.clamp(MIN_PREVIEW_WIDTH, MAX_PREVIEW_WIDTH);
        let image = match (&self.admitted.media_type, &self.admitted.layout) {
            (MediaType::Pdf, Layout::Pdf { repaired }) => {
                if self.renderer.is_none() {
                    let pdf = repaired.as_deref().unwrap_or(&self.bytes).to_vec();
                    let renderer = Renderer::open(pdf, PAGE_RENDER_TIMEOUT)
                        .map_err(|reason| TextError::Render { page, reason })?;
                    self.renderer = Some(renderer);
                }
                let renderer = self.renderer.as_mut().expect("opened above");
                renderer.preview(page, width, MAX_PREVIEW_PIXELS)?
            }
            (media, layout) => {
                let image = match (media, layout) {
                    (MediaType::Tiff, Layout::Tiff(tiff_pages)) => {
                        let view = PageView::new(&self.bytes, tiff_pages[page - 1].directory, &[]);
                        decode_upright(view, ImageFormat::Tiff, req.max_pixels, page, true)?
                    }
                    (MediaType::Jpeg | MediaType::Png | MediaType::Webp, _) => {
                        let format = media.image_format().expect("an image type");
                        let reader = Cursor::new(&self.bytes[..]);
                        decode_upright(reader, format, req.max_pixels, page, true)?
                    }
                    _ => return Err(TextError::NotAdmitted.into()),
                };
                shrink(&image, width)
            }
        };
        let png = encode_png(&image)?;
        Ok(Preview {
            page,
            pages,
            width: image.width(),
            height: image.height(),
            png,
        })
    }
}

/// The image in colour on white, at most `width` wide (never enlarged: the viewer scales up).
fn shrink(image: &DynamicImage, width: u32) -> RgbImage {
    let rgb = on_white(image);
    if rgb.width() <= width {
        return rgb;
    }
    let height = (u64::from(rgb.height()) * u64::from(width) / u64::from(rgb.width())).max(1);
    // Averages each block of source pixels: fast, and sharp enough for text at screen size.
    image::imageops::thumbnail(&rgb, width, height as u32)
}

/// Transparent areas shown as paper (white), as the text pipeline reads them.
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        image::Rgb([over_white(r, a), over_white(g, a), over_white(b, a)])
    })
}

fn encode_png(image: &RgbImage) -> Result<Vec<u8>, PreviewError> {
    let mut png = Vec::new();
    // Fast compression: a preview is drawn while the reviewer waits and lives only in memory.
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Adaptive)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| PreviewError::Encode(e.to_string()))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    fn request(page: usize, width: u32) -> PreviewRequest {
        let limits = Limits::default();
        PreviewRequest {
            page,
            width,
            max_bytes: 50 << 20,
            max_pixels: limits.max_pixels,
            max_pages: limits.max_pages,
            file_name: None,
        }
    }

    fn decoded(preview: &Preview) -> RgbImage {
        image::load_from_memory_with_format(&preview.png, ImageFormat::Png)
            .expect("a preview is a PNG")
            .to_rgb8()
    }

    #[test]
    fn a_pdf_page_is_drawn_at_the_width_asked_for_with_its_own_proportions() {
        let pdf = samples::text_pages_pdf(&[&["side en"], &["Blodprosent 13,9 g/dL", "side to"]]);
        let mut previewer = Previewer::open(pdf, &request(1, 600)).unwrap();
        assert_eq!(previewer.pages(), 2);
        let preview = previewer.draw(&request(2, 600)).unwrap();
        assert_eq!((preview.page, preview.pages, preview.width), (2, 2, 600));
        // A4 is 595 x 842 pt.
        assert!((845..=852).contains(&preview.height), "{}", preview.height);
        let image = decoded(&preview);
        assert_eq!(image.dimensions(), (preview.width, preview.height));
        let dark = image.pixels().filter(|p| p.0[0] < 128).count();
        assert!(dark > 50, "the page's text is drawn ({dark} dark pixels)");
    }

    #[test]
    fn an_image_is_shrunk_to_the_width_but_never_enlarged() {
        let jpeg = samples::gray_jpeg(&image::GrayImage::from_pixel(1200, 800, image::Luma([200])));
        let mut previewer = Previewer::open(jpeg, &request(1, 300)).unwrap();
        let small = previewer.draw(&request(1, 300)).unwrap();
        assert_eq!((small.width, small.height), (300, 200));
        let large = previewer.draw(&request(1, 2000)).unwrap();
        assert_eq!((large.width, large.height), (1200, 800));
    }

    #[test]
    fn a_page_past_the_end_is_refused_with_the_page_count() {
        let pdf = samples::text_pdf(&["one page"]);
        let mut previewer = Previewer::open(pdf, &request(1, 400)).unwrap();
        let err = previewer.draw(&request(3, 400)).unwrap_err();
        assert_eq!(err.code(), "no_such_page");
        assert_eq!(err.to_string(), "page 3 does not exist; the document has 1");
    }

    #[test]
    fn a_file_intake_refuses_is_not_previewed() {
        let err = Previewer::open(b"not a document".to_vec(), &request(1, 400))
            .err()
            .expect("refused");
        assert_eq!(err.code(), "unsupported_type");
    }
}

//! Image files (PNG, JPEG, WebP, TIFF): the structure and declared size are checked against the
//! limits before any decoder runs, then the whole image is decoded under the decoder guard.

use std::io::Cursor;

use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::tiff::TiffDecoder;
use image::codecs::webp::WebPDecoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError};

use super::*;
use crate::formats::tiff::{self, ChainEnd, Directory, PageView};
use crate::formats::{jpeg, png, webp, ImageHeader};

pub(super) fn check_png(
    bytes: &[u8],
    limits: &Limits,
    intake: &mut Admitted,
) -> Result<(), IntakeError> {
    let header = png::header(bytes);
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
    let header = jpeg::header(bytes);
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
    let header = webp::header(bytes);
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
    let fax_pages = decode_tiff_pages(bytes, &pages, limits, intake)?;
    if fax_pages > 0 {
        intake.warnings.push(format!(
            "{} CCITT Group 3 fax-coded, which Varde cannot decode: only the structure was checked",
            if fax_pages == 1 {
                "1 page is".to_string()
            } else {
                format!("{fax_pages} pages are")
            }
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

/// Decodes every page in full, through a view of the file that starts at that page; pages in
/// CCITT Group 3, which has no decoder here, only have their strips checked. Returns how many
/// of those there were.
fn decode_tiff_pages(
    bytes: &[u8],
    pages: &[&Directory],
    limits: &Limits,
    intake: &mut Admitted,
) -> Result<usize, IntakeError> {
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
    Ok(fax_pages)
}

/// Checks the structure and the declared size before anything is decoded.
fn admit(
    media_type: MediaType,
    header: &ImageHeader,
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
    intake.layout = Layout::Image {
        resolution: header.resolution,
    };
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

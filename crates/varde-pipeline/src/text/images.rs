//! Image files: decoded to gray under the pixel budget and the decoder guard, turned upright per
//! their EXIF orientation, and each TIFF page intake admitted read through a view of the file.

use super::*;

/// Decodes an image file (or one embedded in a PDF) to gray, refusing it before its pixels are
/// allocated if it is larger than `max_pixels`, and turning it upright per its EXIF orientation.
pub(super) fn decode_image_file(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
) -> Result<GrayImage, TextError> {
    decode_image(bytes, format, max_pixels, page, true)
}

/// As [`decode_image_file`] for JPEG data inside a PDF, where viewers ignore EXIF orientation.
pub(super) fn decode_embedded(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
) -> Result<GrayImage, TextError> {
    decode_image(bytes, format, max_pixels, page, false)
}

pub(super) fn decode_image(
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
pub(super) fn decode_image_from<R: BufRead + Seek>(
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
pub(super) fn to_gray_on_white(image: &DynamicImage) -> GrayImage {
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

/// A stated resolution, if plausible for a document.
pub(super) fn plausible((x, y): (f64, f64)) -> Option<(f64, f64)> {
    let ok = |v: f64| (70.0..=2400.0).contains(&v);
    (ok(x) && ok(y)).then_some((x, y))
}

/// Each TIFF page intake admitted, decoded in turn: the decoder reads only a file's first
/// directory, so each page is read through a view whose header names that page's directory.
pub(super) fn extract_tiff(
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

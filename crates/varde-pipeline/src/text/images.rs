//! Image files: decoded to gray under the pixel budget and the decoder guard, turned upright per
//! their EXIF orientation, and each TIFF page intake admitted read through a view of the file.

use super::*;

/// Decodes an image file to gray, refusing it before its pixels are
/// allocated if it is larger than `max_pixels`, and turning it upright per its EXIF orientation.
pub(super) fn decode_image_file(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
) -> Result<GrayImage, TextError> {
    decode_image_from(Cursor::new(bytes), format, max_pixels, page, true)
}

/// Decodes an image from `reader` to gray (under the decoder guard: a decoder's panic on
/// hostile data is this page's error, as it is in intake).
pub(super) fn decode_image_from<R: BufRead + Seek>(
    reader: R,
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
    orient: bool,
) -> Result<GrayImage, TextError> {
    decode_upright(reader, format, max_pixels, page, orient).map(|image| to_gray_on_white(&image))
}

/// Decodes an image from `reader` as it is stored, under the pixel budget and the decoder
/// guard, turned upright per its EXIF orientation when `orient`.
pub(crate) fn decode_upright<R: BufRead + Seek>(
    reader: R,
    format: ImageFormat,
    max_pixels: u64,
    page: usize,
    orient: bool,
) -> Result<DynamicImage, TextError> {
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
        Ok(image)
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
        image::Luma([over_white(l, a)])
    })
}

/// A channel value `c` of opacity `a`, composited over white paper.
pub(crate) fn over_white(c: u8, a: u8) -> u8 {
    let (c, a) = (u32::from(c), u32::from(a));
    ((c * a + 255 * (255 - a)) / 255) as u8
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
    ocr: &mut Recognisers,
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
        match ocr_page(ocr, number, PageReason::Image, image, dpi, out) {
            Ok(page) => out.pages.push(page),
            Err(error) => failures.page(out, number, error)?,
        }
    }
    failures.finish(out)
}

pub(super) fn check_pixels(
    width: u64,
    height: u64,
    max_pixels: u64,
    page: usize,
) -> Result<(), TextError> {
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

pub(super) fn luma(r: u8, g: u8, b: u8) -> u8 {
    // Rec. 709 weights, as `image`'s own conversion uses.
    ((2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b)) / 10_000) as u8
}

/// Makes pixels square for OCR: an image scanned at different horizontal and vertical
/// resolutions (a standard-mode fax is 204x98 dpi) has its coarser axis repeated up to the finer
/// one, as a viewer would show it. Returns the image and its dpi.
pub(super) fn square_pixels(
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

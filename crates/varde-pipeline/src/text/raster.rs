//! Decoding a PDF page image by hand: colour spaces, bit depths, the Decode array, PNG and TIFF
//! predictors, and CCITT Group 4 through a one-strip TIFF. A PDF renderer is to replace this.

use super::*;

/// Decodes one image XObject to 8-bit gray.
pub(super) fn decode_pdf_image(
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
pub(super) fn decode_inverted(decode: Option<&Object>) -> bool {
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

/// The sample layout of an unencoded (or only deflated) image.
pub(super) struct RawSamples {
    width: usize,
    height: usize,
    bits: usize,
    space: Space,
}

pub(super) enum Space {
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

pub(super) fn luma(r: u8, g: u8, b: u8) -> u8 {
    // Rec. 709 weights, as `image`'s own conversion uses.
    ((2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b)) / 10_000) as u8
}

pub(super) fn cmyk_gray(c: u8, m: u8, y: u8, k: u8) -> u8 {
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
pub(super) fn read_sample(row: &[u8], bit: usize, bits: usize) -> u32 {
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

pub(super) fn color_space(doc: &Document, cs: &Object, depth: usize) -> Result<Space, String> {
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
pub(super) fn undo_predictor(
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

pub(super) fn png_unfilter(
    tag: u8,
    bpp: usize,
    above: &[u8],
    row: &mut [u8],
) -> Result<(), String> {
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
pub(super) fn decode_ccitt_g4(data: &[u8], width: u32, height: u32) -> Result<GrayImage, String> {
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

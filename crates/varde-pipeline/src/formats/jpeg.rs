//! JPEG (ITU-T T.81, JFIF 1.02): the marker segments, the first frame header's size, the
//! entropy-coded data of each scan up to EOI, and the JFIF density.

use super::bytes::be_u16;
use super::ImageHeader;

/// Reads the segment structure; the first problem found stops the walk.
pub fn header(bytes: &[u8]) -> ImageHeader {
    let mut h = ImageHeader::new();
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
        // JFIF APP0: units 1 = dots per inch, 2 = per centimetre.
        let segment = &bytes[pos + 2..pos + len];
        if marker == 0xE0 && segment.len() >= 12 && segment.starts_with(b"JFIF\0") {
            let x = f64::from(u16::from_be_bytes([segment[8], segment[9]]));
            let y = f64::from(u16::from_be_bytes([segment[10], segment[11]]));
            match segment[7] {
                1 if h.resolution.is_none() => h.resolution = Some((x, y)),
                2 if h.resolution.is_none() => h.resolution = Some((x * 2.54, y * 2.54)),
                _ => {}
            }
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

#[cfg(test)]
mod tests {
    use image::codecs::jpeg::{JpegEncoder, PixelDensity, PixelDensityUnit};
    use image::{ExtendedColorType, ImageEncoder};

    use super::*;

    fn jpeg(density: PixelDensity) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = JpegEncoder::new(&mut bytes);
        encoder.set_pixel_density(density);
        encoder
            .write_image(&[128u8; 40 * 30], 40, 30, ExtendedColorType::L8)
            .expect("encoded");
        bytes
    }

    #[test]
    fn the_frame_size_and_the_jfif_density_are_read() {
        let per_inch = PixelDensity {
            density: (300, 200),
            unit: PixelDensityUnit::Inches,
        };
        let h = header(&jpeg(per_inch));
        assert_eq!((h.problem.as_deref(), h.dimensions), (None, Some((40, 30))));
        assert_eq!(h.resolution, Some((300.0, 200.0)));
        assert_eq!(h.trailing, 0);
        let per_cm = PixelDensity {
            density: (100, 100),
            unit: PixelDensityUnit::Centimeters,
        };
        assert_eq!(header(&jpeg(per_cm)).resolution, Some((254.0, 254.0)));
        let aspect = PixelDensity {
            density: (1, 1),
            unit: PixelDensityUnit::PixelAspectRatio,
        };
        assert_eq!(header(&jpeg(aspect)).resolution, None);
    }

    #[test]
    fn a_jpeg_cut_short_is_named() {
        let bytes = jpeg(PixelDensity::dpi(300));
        let h = header(&bytes[..bytes.len() / 2]);
        assert_eq!(
            h.problem.as_deref(),
            Some("it is truncated (it ends before its end-of-image marker)")
        );
    }
}

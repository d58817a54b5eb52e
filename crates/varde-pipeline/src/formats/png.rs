//! PNG (ISO/IEC 15948, W3C PNG Third Edition): the chunks up to IEND, each CRC checked, the
//! IHDR size, APNG's frame count (acTL) and the pHYs resolution.

use super::bytes::{be_u32, crc32};
use super::ImageHeader;

/// Reads the chunk structure; the first problem found stops the walk.
pub fn header(bytes: &[u8]) -> ImageHeader {
    let mut h = ImageHeader::new();
    let mut pos = 8;
    let mut first = true;
    let mut image_data = false;
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
        // pHYs counts only before the image data (PNG 11.3.5.3); unit 1 is pixels per metre.
        image_data |= kind == b"IDAT";
        if kind == b"pHYs" && len == 9 && !image_data {
            let (x, y) = (be_u32(bytes, data_at), be_u32(bytes, data_at + 4));
            if let (Some(x), Some(y), Some(1)) = (x, y, bytes.get(data_at + 8)) {
                h.resolution = Some((f64::from(x) * 0.0254, f64::from(y) * 0.0254));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[4..]);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    fn png(before_data: &[u8], after_data: &[u8]) -> Vec<u8> {
        let mut ihdr = 40u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&30u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(chunk(b"IHDR", &ihdr));
        out.extend_from_slice(before_data);
        out.extend(chunk(b"IDAT", b""));
        out.extend_from_slice(after_data);
        out.extend(chunk(b"IEND", b""));
        out
    }

    fn phys(per_metre: u32, unit: u8) -> Vec<u8> {
        let mut data = per_metre.to_be_bytes().to_vec();
        data.extend_from_slice(&per_metre.to_be_bytes());
        data.push(unit);
        chunk(b"pHYs", &data)
    }

    #[test]
    fn the_size_and_a_phys_resolution_before_the_image_data_are_read() {
        let h = header(&png(&phys(11_811, 1), b""));
        assert_eq!((h.problem.as_deref(), h.dimensions), (None, Some((40, 30))));
        let (x, y) = h.resolution.expect("resolution");
        assert!(
            (x - 300.0).abs() < 0.1 && (y - 300.0).abs() < 0.1,
            "{x} {y}"
        );
        // An unknown unit is an aspect ratio, and pHYs after IDAT is out of place.
        assert_eq!(header(&png(&phys(11_811, 0), b"")).resolution, None);
        assert_eq!(header(&png(b"", &phys(11_811, 1))).resolution, None);
    }

    #[test]
    fn a_corrupt_chunk_or_a_missing_end_is_named() {
        let mut bytes = png(&phys(11_811, 1), b"");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let h = header(&bytes);
        assert_eq!(
            h.problem.as_deref(),
            Some("its IEND chunk is corrupt (its checksum does not match)")
        );
        let bytes = png(b"", b"");
        let h = header(&bytes[..bytes.len() - 12]);
        assert_eq!(
            h.problem.as_deref(),
            Some("it is truncated (it ends before its IEND chunk)")
        );
    }
}

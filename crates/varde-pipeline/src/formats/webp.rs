//! WebP (RFC 9649): the RIFF chunks, the canvas or bitstream size (VP8X, VP8, VP8L) and the
//! number of animation frames.

use super::bytes::le_u32;
use super::ImageHeader;

/// Reads the chunk structure.
pub fn header(bytes: &[u8]) -> ImageHeader {
    let mut h = ImageHeader::new();
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
                let w =
                    1 + (u32::from(data[4]) | u32::from(data[5]) << 8 | u32::from(data[6]) << 16);
                let hgt =
                    1 + (u32::from(data[7]) | u32::from(data[8]) << 8 | u32::from(data[9]) << 16);
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

//! TIFF's chain of image file directories (TIFF 6.0, Adobe 1992, section 2 "Image File
//! Directory"; BigTIFF, 2008), read once for intake and text so that both see the same pages.
//!
//! Bytes, not policy: this says what the file declares (dimensions, compression, strips,
//! resolution, which directories are reduced-resolution copies, where the chain ends) and lets
//! the image decoder read any one page. Whether that is acceptable is for intake to decide.

use std::collections::HashSet;
use std::io::{BufRead, Read, Seek, SeekFrom};

use thiserror::Error;

/// One image file directory.
#[derive(Clone, Debug, PartialEq)]
pub struct Directory {
    /// Where the directory starts in the file.
    pub offset: u64,
    /// ImageWidth (256) and ImageLength (257).
    pub width: Option<u64>,
    pub height: Option<u64>,
    /// Compression (259); 1 (none) when absent.
    pub compression: u64,
    /// Where a SHORT PhotometricInterpretation (262) value is stored, and the value.
    pub photometric: Option<(u64, u64)>,
    /// Strip or tile offsets paired with their byte counts; empty when missing or inconsistent.
    pub chunks: Vec<(u64, u64)>,
    /// NewSubfileType (254) bit 0: a reduced-resolution copy of another page, such as a thumbnail.
    pub reduced: bool,
    /// XResolution (282) and YResolution (283) in pixels per inch, when the unit (296) is inches
    /// or centimetres.
    pub resolution: Option<(f64, f64)>,
}

/// How the chain of directories ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainEnd {
    /// The last directory links to 0.
    Complete,
    /// A directory links back to one already read; every distinct directory was read.
    Loops,
    /// A directory after the first lies outside the file; the ones before it were read.
    Broken,
    /// More pages than the caller asked for; reading stopped at the first one too many.
    TooLong,
}

/// The directories of a TIFF in file order.
#[derive(Clone, Debug)]
pub struct Chain {
    pub directories: Vec<Directory>,
    pub bigtiff: bool,
    pub little_endian: bool,
    pub end: ChainEnd,
}

impl Chain {
    /// The pages: every directory that is not a reduced-resolution copy of another. A file whose
    /// every directory is marked reduced has nothing else to show, so then they all are pages.
    pub fn pages(&self) -> Vec<&Directory> {
        let full: Vec<&Directory> = self.directories.iter().filter(|d| !d.reduced).collect();
        if full.is_empty() {
            self.directories.iter().collect()
        } else {
            full
        }
    }
}

/// Why the chain could not be read at all.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum TiffError {
    #[error("its TIFF header is invalid")]
    Header,
    #[error("its BigTIFF header is invalid")]
    BigTiffHeader,
    #[error("its first page's directory lies outside the file")]
    FirstDirectoryOutside,
}

/// Reads the chain of directories, stopping after `max_pages` full-resolution ones (the end is
/// then [`ChainEnd::TooLong`] and the directory one too many is included).
pub fn read_chain(bytes: &[u8], max_pages: usize) -> Result<Chain, TiffError> {
    let little_endian = match bytes.get(0..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return Err(TiffError::Header),
    };
    let mut r = Reader {
        bytes,
        little_endian,
        bigtiff: false,
    };
    r.bigtiff = match r.uint(2, 2) {
        Some(42) => false,
        Some(43) => true,
        _ => return Err(TiffError::Header),
    };
    if r.bigtiff && r.uint(4, 2) != Some(8) {
        return Err(TiffError::BigTiffHeader);
    }
    let mut chain = Chain {
        directories: Vec::new(),
        bigtiff: r.bigtiff,
        little_endian,
        end: ChainEnd::Complete,
    };
    let mut next = if r.bigtiff {
        r.uint(8, 8)
    } else {
        r.uint(4, 4)
    };
    let mut seen = HashSet::new();
    let mut pages = 0;
    while let Some(offset) = next.filter(|&o| o != 0) {
        if !seen.insert(offset) {
            chain.end = ChainEnd::Loops;
            break;
        }
        let Some((directory, link)) = r.directory(offset) else {
            if chain.directories.is_empty() {
                return Err(TiffError::FirstDirectoryOutside);
            }
            chain.end = ChainEnd::Broken;
            break;
        };
        pages += usize::from(!directory.reduced);
        chain.directories.push(directory);
        if pages > max_pages {
            chain.end = ChainEnd::TooLong;
            break;
        }
        next = link;
    }
    Ok(chain)
}

/// Reads numbers in the file's byte order.
struct Reader<'a> {
    bytes: &'a [u8],
    little_endian: bool,
    bigtiff: bool,
}

impl Reader<'_> {
    fn uint(&self, at: u64, size: u64) -> Option<u64> {
        let start = usize::try_from(at).ok()?;
        let field = self
            .bytes
            .get(start..start.checked_add(usize::try_from(size).ok()?)?)?;
        let fold = |v: u64, &b: &u8| v << 8 | u64::from(b);
        Some(if self.little_endian {
            field.iter().rev().fold(0, fold)
        } else {
            field.iter().fold(0, fold)
        })
    }

    /// The size of a directory's entry count, of an entry, and of an offset.
    fn sizes(&self) -> (u64, u64, u64) {
        if self.bigtiff {
            (8, 20, 8)
        } else {
            (2, 12, 4)
        }
    }

    /// The directory at `offset` and its link to the next, if its table lies inside the file.
    fn directory(&self, offset: u64) -> Option<(Directory, Option<u64>)> {
        let (count_size, entry_size, link_size) = self.sizes();
        let entries = self.uint(offset, count_size)?;
        let link_at = entries
            .checked_mul(entry_size)?
            .checked_add(offset.checked_add(count_size)?)?;
        if link_at.checked_add(link_size)? > self.bytes.len() as u64 {
            return None;
        }
        // Arrays are bounded by the file: each value takes at least two bytes of it.
        let max_values = self.bytes.len() as u64 / 2;
        let mut d = Directory {
            offset,
            width: None,
            height: None,
            compression: 1,
            photometric: None,
            chunks: Vec::new(),
            reduced: false,
            resolution: None,
        };
        let (mut offsets, mut counts) = (None, None);
        let (mut x_resolution, mut y_resolution, mut unit) = (None, None, 2);
        for i in 0..entries {
            let at = offset + count_size + i * entry_size;
            let single = || self.values(at, 1).and_then(|v| v.first().copied());
            match self.uint(at, 2) {
                Some(254) => d.reduced = single().is_some_and(|v| v & 1 == 1),
                Some(256) => d.width = single(),
                Some(257) => d.height = single(),
                Some(259) => d.compression = single().unwrap_or(1),
                Some(262) if self.uint(at + 2, 2) == Some(3) => {
                    d.photometric = single().map(|v| (at + 4 + link_size, v));
                }
                Some(273 | 324) => offsets = self.values(at, max_values),
                Some(279 | 325) => counts = self.values(at, max_values),
                Some(282) => x_resolution = self.rational(at),
                Some(283) => y_resolution = self.rational(at),
                Some(296) => unit = single().unwrap_or(2),
                _ => {}
            }
        }
        if let (Some(offsets), Some(counts)) = (offsets, counts) {
            if offsets.len() == counts.len() {
                d.chunks = offsets.into_iter().zip(counts).collect();
            }
        }
        let per_inch = match unit {
            2 => Some(1.0),
            3 => Some(2.54),
            _ => None,
        };
        if let (Some(x), Some(scale)) = (x_resolution, per_inch) {
            d.resolution = Some((x * scale, y_resolution.unwrap_or(x) * scale));
        }
        Some((d, self.uint(link_at, link_size)))
    }

    /// The SHORT, LONG or LONG8 values of the entry at `entry` (inline or elsewhere), if there
    /// are at most `max` of them.
    fn values(&self, entry: u64, max: u64) -> Option<Vec<u64>> {
        let size = match self.uint(entry + 2, 2)? {
            3 => 2,
            4 => 4,
            16 if self.bigtiff => 8,
            _ => return None,
        };
        let (count, field, field_size) = if self.bigtiff {
            (self.uint(entry + 4, 8)?, entry + 12, 8)
        } else {
            (self.uint(entry + 4, 4)?, entry + 8, 4)
        };
        if count == 0 || count > max {
            return None;
        }
        let at = if count * size <= field_size {
            field
        } else {
            self.uint(field, field_size)?
        };
        (0..count)
            .map(|i| self.uint(at.checked_add(i * size)?, size))
            .collect()
    }

    /// The first value of a RATIONAL entry (two LONGs, stored elsewhere in classic TIFF and
    /// inline in BigTIFF).
    fn rational(&self, entry: u64) -> Option<f64> {
        if self.uint(entry + 2, 2)? != 5 {
            return None;
        }
        let at = if self.bigtiff {
            entry + 12
        } else {
            self.uint(entry + 8, 4)?
        };
        let (numerator, denominator) = (self.uint(at, 4)?, self.uint(at + 4, 4)?);
        (denominator > 0).then(|| numerator as f64 / denominator as f64)
    }
}

/// The file as a reader whose header names one chosen directory as the first, with a few
/// two-byte values replaced: the decoder reads only a file's first page, and this shows it any
/// page without copying the file.
pub struct PageView<'a> {
    bytes: &'a [u8],
    header: [u8; 16],
    header_len: usize,
    patches: Vec<(u64, [u8; 2])>,
    pos: u64,
}

impl<'a> PageView<'a> {
    /// A view of `bytes` (a TIFF) that starts with the directory at `directory`. `patches` are
    /// (offset, value) pairs, each value written in the file's byte order.
    pub fn new(bytes: &'a [u8], directory: u64, patches: &[(u64, u16)]) -> Self {
        let little_endian = bytes.starts_with(b"II");
        let magic = bytes.get(2..4).map(|m| {
            let m = [m[0], m[1]];
            if little_endian {
                u16::from_le_bytes(m)
            } else {
                u16::from_be_bytes(m)
            }
        });
        let bigtiff = magic == Some(43);
        let header_len = if bigtiff { 16 } else { 8 }.min(bytes.len());
        let mut header = [0u8; 16];
        header[..header_len].copy_from_slice(&bytes[..header_len]);
        if bigtiff && header_len == 16 {
            let v = if little_endian {
                directory.to_le_bytes()
            } else {
                directory.to_be_bytes()
            };
            header[8..16].copy_from_slice(&v);
        } else if header_len == 8 {
            let offset = u32::try_from(directory).unwrap_or(0);
            let v = if little_endian {
                offset.to_le_bytes()
            } else {
                offset.to_be_bytes()
            };
            header[4..8].copy_from_slice(&v);
        }
        let mut patches: Vec<(u64, [u8; 2])> = patches
            .iter()
            .map(|&(at, v)| {
                let v = if little_endian {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                };
                (at, v)
            })
            .collect();
        patches.sort_by_key(|p| p.0);
        PageView {
            bytes,
            header,
            header_len,
            patches,
            pos: 0,
        }
    }
}

impl BufRead for PageView<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let pos = self.pos;
        if pos < self.header_len as u64 {
            return Ok(&self.header[pos as usize..self.header_len]);
        }
        if let Some((at, value)) = self
            .patches
            .iter()
            .find(|(at, _)| (*at..*at + 2).contains(&pos))
        {
            return Ok(&value[(pos - at) as usize..]);
        }
        let next_patch = self.patches.iter().map(|p| p.0).find(|&at| at > pos);
        let start = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        let end = next_patch.map_or(self.bytes.len(), |at| {
            usize::try_from(at)
                .unwrap_or(usize::MAX)
                .min(self.bytes.len())
        });
        Ok(&self.bytes[start..end.max(start)])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = self.pos.saturating_add(amount as u64);
    }
}

impl Read for PageView<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl Seek for PageView<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => (self.bytes.len() as u64).checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start")
        })?;
        Ok(self.pos)
    }
}

/// A little-endian TIFF of uncompressed 8-bit gray pages, one strip each, for tests. A page's
/// `true` marks it as a reduced-resolution copy (NewSubfileType 1); `link_last_to` makes the last
/// directory link back to directory `i` instead of ending the chain.
#[cfg(test)]
pub(crate) fn gray_tiff(
    pages: &[(&image::GrayImage, bool)],
    link_last_to: Option<usize>,
) -> Vec<u8> {
    const ENTRIES: u16 = 10;
    let directory_len = 2 + 12 * u32::from(ENTRIES) + 4;
    let mut offsets = Vec::new();
    let mut at = 8u32;
    for (image, _) in pages {
        offsets.push(at);
        at += directory_len + image.as_raw().len() as u32;
        at += at % 2;
    }
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&offsets[0].to_le_bytes());
    for (index, (image, reduced)) in pages.iter().enumerate() {
        let data_at = offsets[index] + directory_len;
        out.extend_from_slice(&ENTRIES.to_le_bytes());
        let (short, long) = (3u16, 4u16);
        for (tag, kind, value) in [
            (254u16, long, u32::from(*reduced)),      // NewSubfileType
            (256, long, image.width()),               // ImageWidth
            (257, long, image.height()),              // ImageLength
            (258, short, 8),                          // BitsPerSample
            (259, short, 1),                          // Compression: none
            (262, short, 1),                          // PhotometricInterpretation: BlackIsZero
            (273, long, data_at),                     // StripOffsets
            (277, short, 1),                          // SamplesPerPixel
            (278, long, image.height()),              // RowsPerStrip
            (279, long, image.as_raw().len() as u32), // StripByteCounts
        ] {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        let next = match (offsets.get(index + 1), link_last_to) {
            (Some(&next), _) => next,
            (None, Some(back)) => offsets[back],
            (None, None) => 0,
        };
        out.extend_from_slice(&next.to_le_bytes());
        out.extend_from_slice(image.as_raw());
        if out.len() % 2 == 1 {
            out.push(0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use image::GrayImage;

    use super::*;

    fn page() -> GrayImage {
        GrayImage::new(40, 30)
    }

    fn thumbnail() -> GrayImage {
        GrayImage::new(4, 3)
    }

    #[test]
    fn thumbnails_are_directories_but_not_pages() {
        let (page, thumbnail) = (page(), thumbnail());
        let bytes = gray_tiff(&[(&page, false), (&thumbnail, true), (&page, false)], None);
        let chain = read_chain(&bytes, 10).expect("chain");
        assert_eq!(chain.directories.len(), 3);
        assert_eq!(chain.end, ChainEnd::Complete);
        let pages = chain.pages();
        assert_eq!(pages.len(), 2);
        assert!(pages
            .iter()
            .all(|p| p.width == Some(40) && p.height == Some(30)));
        assert!(pages
            .iter()
            .all(|p| p.chunks.len() == 1 && p.compression == 1));
    }

    #[test]
    fn a_looping_chain_yields_every_distinct_directory_once() {
        let page = page();
        let bytes = gray_tiff(&[(&page, false), (&page, false), (&page, false)], Some(0));
        let chain = read_chain(&bytes, 10).expect("chain");
        assert_eq!(chain.end, ChainEnd::Loops);
        assert_eq!(chain.pages().len(), 3);
    }

    #[test]
    fn reading_stops_at_the_first_page_over_the_limit_not_counting_thumbnails() {
        let (page, thumbnail) = (page(), thumbnail());
        let pages = [
            (&page, false),
            (&thumbnail, true),
            (&page, false),
            (&page, false),
        ];
        let bytes = gray_tiff(&pages, None);
        let chain = read_chain(&bytes, 2).expect("chain");
        assert_eq!(chain.end, ChainEnd::TooLong);
        assert_eq!(chain.pages().len(), 3);
        assert_eq!(
            read_chain(&bytes, 3).expect("chain").end,
            ChainEnd::Complete
        );
    }

    #[test]
    fn a_link_outside_the_file_ends_the_chain_after_the_good_directories() {
        let page = page();
        let mut bytes = gray_tiff(&[(&page, false)], None);
        let link_at = 8 + 2 + 12 * 10;
        bytes[link_at..link_at + 4].copy_from_slice(&1_000_000u32.to_le_bytes());
        let chain = read_chain(&bytes, 10).expect("chain");
        assert_eq!(chain.end, ChainEnd::Broken);
        assert_eq!(chain.directories.len(), 1);
        bytes[4..8].copy_from_slice(&1_000_000u32.to_le_bytes());
        assert_eq!(
            read_chain(&bytes, 10).unwrap_err(),
            TiffError::FirstDirectoryOutside
        );
        assert_eq!(read_chain(b"II\x2c\0", 10).unwrap_err(), TiffError::Header);
    }

    #[test]
    fn the_page_view_names_the_chosen_directory_first_and_applies_patches() {
        let page = page();
        let bytes = gray_tiff(&[(&page, false), (&page, false)], None);
        let chain = read_chain(&bytes, 10).expect("chain");
        let second = &chain.directories[1];
        let mut view = PageView::new(&bytes, second.offset, &[(20, 0xBEEF)]);
        let mut seen = Vec::new();
        view.read_to_end(&mut seen).expect("read");
        assert_eq!(seen.len(), bytes.len());
        assert_eq!(&seen[4..8], &(second.offset as u32).to_le_bytes());
        assert_eq!(&seen[20..22], &0xBEEFu16.to_le_bytes());
        assert_eq!(&seen[22..], &bytes[22..]);
        let chain = read_chain(&seen, 10).expect("chain of the view");
        assert_eq!(chain.directories.len(), 1);
        assert_eq!(chain.directories[0].offset, second.offset);
    }
}

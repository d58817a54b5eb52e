//! What the bytes are: the type by content (not name), what an unaccepted file is, polyglots,
//! and whether the declared name and type agree.

use super::*;

/// PDF readers (Acrobat, qpdf, poppler, MuPDF) accept a header anywhere in the first 1024 bytes.
pub(super) const PDF_HEADER_WINDOW: usize = 1024;

/// The accepted type the content is, and where it starts (junk before a PDF header).
pub(super) fn identify(bytes: &[u8]) -> Result<(MediaType, usize), IntakeError> {
    if let Some(media_type) = MediaType::sniff(bytes) {
        return Ok((media_type, 0));
    }
    let window = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    if let Some(at) = find(window, b"%PDF-") {
        return Ok((MediaType::Pdf, at));
    }
    if bytes.starts_with(b"\x89PNG") {
        return Err(malformed(
            MediaType::Png,
            "its signature is damaged (as by a transfer that rewrote line endings)",
        ));
    }
    if bytes.starts_with(b"\xFF\xD8") {
        return Err(malformed(
            MediaType::Jpeg,
            "its start-of-image marker is not followed by a segment",
        ));
    }
    if looks_like_headerless_pdf(bytes) {
        return Err(malformed(MediaType::Pdf, "it has no %PDF header"));
    }
    Err(IntakeError::UnsupportedType {
        found: describe(bytes),
    })
}

pub(super) fn looks_like_headerless_pdf(bytes: &[u8]) -> bool {
    find(bytes, b" obj").is_some()
        && (find(bytes, b"endobj").is_some() || find(bytes, b"startxref").is_some())
}

/// Names content Varde does not accept, for messages: "a ZIP archive", "plain text", …
pub(super) fn describe(bytes: &[u8]) -> String {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let found = if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        if find(bytes, b"word/").is_some() {
            "a Word document (DOCX)"
        } else if find(bytes, b"xl/").is_some() {
            "an Excel workbook (XLSX)"
        } else {
            "a ZIP archive"
        }
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "a GIF image"
    } else if starts(b"BM") && is_bmp(bytes) {
        "a BMP image"
    } else if starts(b"\xFF\xD8") {
        "a JPEG image"
    } else if starts(b"\x89PNG") {
        "a PNG image"
    } else if starts(b"\x00\x00\x00\x0CjP  ") || starts(b"\xFF\x4F\xFF\x51") {
        "a JPEG 2000 image"
    } else if bytes.get(4..8) == Some(b"ftyp") {
        match bytes.get(8..12) {
            Some(b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc") => "a HEIC image",
            Some(b"avif" | b"avis") => "an AVIF image",
            _ => "an MP4/QuickTime media file",
        }
    } else if starts(b"RIFF") {
        "a RIFF media file (audio or video)"
    } else if starts(b"Rar!\x1A\x07") {
        "a RAR archive"
    } else if starts(b"7z\xBC\xAF\x27\x1C") {
        "a 7-Zip archive"
    } else if starts(b"\x1F\x8B") {
        "a gzip archive"
    } else if is_tar(bytes) {
        "a TAR archive"
    } else if starts(b"MZ") {
        "a Windows program"
    } else if starts(b"\x7FELF") {
        "a Linux program (ELF)"
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        "a Microsoft Office document (OLE)"
    } else if starts(b"{\\rtf") {
        "an RTF document"
    } else if starts(b"%!PS") {
        "a PostScript document"
    } else if let Some(text) = as_text(bytes) {
        return describe_text(text).to_string();
    } else {
        let head: Vec<u8> = bytes.iter().take(8).copied().collect();
        return format!("unknown data (starts with 0x{})", hex(&head));
    };
    found.to_string()
}

pub(super) fn describe_text(text: &str) -> &'static str {
    let head: String = text
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<script") {
        "HTML"
    } else if head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg")) {
        "an SVG image"
    } else if head.starts_with("<?xml") {
        "XML"
    } else {
        "plain text"
    }
}

/// The bytes as text, if they are UTF-8 without control characters other than whitespace.
pub(super) fn as_text(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A multi-byte character may be cut at the end of the sample.
    let sample = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(sample) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&sample[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0C'));
    printable.then_some(text)
}

pub(super) fn is_bmp(bytes: &[u8]) -> bool {
    // The DIB header's size names its version; anything else is text that starts with "BM".
    matches!(le_u32(bytes, 14), Some(12 | 40 | 52 | 56 | 64 | 108 | 124))
}

/// A TAR archive: its first 512-byte header carries a valid checksum.
pub(super) fn is_tar(bytes: &[u8]) -> bool {
    let Some(header) = bytes.get(..512) else {
        return false;
    };
    if header[0] == 0 {
        return false;
    }
    let field = &header[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .filter(|b| !matches!(b, b' ' | 0))
        .collect();
    if digits.is_empty() || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return false;
    }
    let Some(stored) = std::str::from_utf8(&digits)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 8).ok())
    else {
        return false;
    };
    let sum: u32 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    sum == stored
}

/// A ZIP archive ends with an end-of-central-directory record whose central directory is where
/// it says; a stray "PK\x05\x06" in compressed data does not pass that test.
pub(super) fn is_zip(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"PK\x03\x04") {
        return true;
    }
    // The record is 22 bytes plus a comment of at most 65535.
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let mut search_end = bytes.len();
    while let Some(pos) = rfind(&bytes[tail_start..search_end], b"PK\x05\x06") {
        let at = tail_start + pos;
        let entries = le_u16(bytes, at + 10).unwrap_or(0);
        let cd_size = le_u32(bytes, at + 12).unwrap_or(0) as usize;
        let cd_offset = le_u32(bytes, at + 16).unwrap_or(0) as usize;
        let central_at = |offset: usize| bytes.get(offset..offset + 4) == Some(b"PK\x01\x02");
        // Archives appended to other data keep offsets relative to their own start, so the
        // directory is also looked for just before the record.
        if entries > 0 && (central_at(cd_offset) || (at >= cd_size && central_at(at - cd_size))) {
            return true;
        }
        search_end = at;
    }
    false
}

/// HTML that a browser would run: looked for in a PDF outside its streams, in an image anywhere.
pub(super) fn has_html(bytes: &[u8]) -> bool {
    const MARKERS: [&[u8]; 4] = [b"<html", b"<script", b"<!doctype html", b"<iframe"];
    MARKERS.iter().any(|m| find_ignore_case(bytes, m).is_some())
}

/// Refuses content that is also another format. Junk before a PDF header is tolerated (PDF readers
/// skip it) unless it is itself a format or markup; junk after an image's end is tolerated unless
/// it is an archive, a PDF or HTML.
pub(super) fn check_polyglot(
    bytes: &[u8],
    media_type: MediaType,
    header_at: usize,
) -> Result<(), IntakeError> {
    let mut also: Vec<String> = Vec::new();
    let mut add = |what: &str| {
        if !also.iter().any(|a| a == what) {
            also.push(what.to_string());
        }
    };
    if media_type == MediaType::Pdf {
        let prefix = &bytes[..header_at];
        if !prefix.is_empty() {
            let what = describe(prefix);
            if what == "HTML" || has_html(prefix) {
                add("HTML");
            } else if what != "plain text" && !what.starts_with("unknown data") {
                add(&what);
            }
        }
        if is_tar(bytes) {
            add("a TAR archive");
        }
        if is_zip(bytes) {
            add("a ZIP archive");
        }
        if pdf::outside_streams(&bytes[header_at..])
            .iter()
            .any(|part| has_html(part))
        {
            add("HTML");
        }
    } else {
        if is_zip(bytes) {
            add("a ZIP archive");
        }
        if find(bytes, b"%PDF-").is_some() {
            add("a PDF");
        }
        if has_html(bytes) {
            add("HTML");
        }
    }
    if also.is_empty() {
        return Ok(());
    }
    Err(IntakeError::Polyglot {
        also: join_and(&also),
    })
}

pub(super) fn check_declared(
    found: MediaType,
    declared_name: Option<&str>,
    declared_mime: Option<&str>,
) -> Result<(), IntakeError> {
    if let Some(claimed) = declared_name.and_then(MediaType::from_file_name) {
        if claimed != found {
            return Err(IntakeError::TypeMismatch {
                declared: format!("named as {}", with_article(claimed.name())),
                found,
            });
        }
    }
    if let Some(claimed) = declared_mime.and_then(MediaType::from_mime) {
        if claimed != found {
            return Err(IntakeError::TypeMismatch {
                declared: format!(
                    "declared as {} ({})",
                    with_article(claimed.name()),
                    claimed.mime()
                ),
                found,
            });
        }
    }
    Ok(())
}

//! The document formats Varde accepts, recognised by their content (magic bytes), never by name.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
    Webp,
    Tiff,
}

impl MediaType {
    pub const ALL: [MediaType; 5] = [
        MediaType::Pdf,
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Webp,
        MediaType::Tiff,
    ];

    /// The format the first bytes announce, if it is one Varde accepts.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        match bytes {
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(MediaType::Pdf),
            [0xFF, 0xD8, 0xFF, ..] => Some(MediaType::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(MediaType::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
                Some(MediaType::Webp)
            }
            [b'I', b'I', 42 | 43, 0, ..] | [b'M', b'M', 0, 42 | 43, ..] => Some(MediaType::Tiff),
            _ => None,
        }
    }

    /// The image decoder's name for this type; `None` for a PDF.
    pub fn image_format(self) -> Option<image::ImageFormat> {
        match self {
            MediaType::Pdf => None,
            MediaType::Jpeg => Some(image::ImageFormat::Jpeg),
            MediaType::Png => Some(image::ImageFormat::Png),
            MediaType::Webp => Some(image::ImageFormat::WebP),
            MediaType::Tiff => Some(image::ImageFormat::Tiff),
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Webp => "image/webp",
            MediaType::Tiff => "image/tiff",
        }
    }

    /// A short human name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Jpeg => "JPEG image",
            MediaType::Png => "PNG image",
            MediaType::Webp => "WebP image",
            MediaType::Tiff => "TIFF image",
        }
    }

    pub fn from_mime(mime: &str) -> Option<MediaType> {
        let m = mime.trim().to_ascii_lowercase();
        MediaType::ALL
            .into_iter()
            .find(|t| t.mime() == m || (m == "image/jpg" && *t == MediaType::Jpeg))
    }

    /// The format a file name's extension claims, if it is one Varde knows.
    pub fn from_file_name(name: &str) -> Option<MediaType> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(MediaType::Pdf),
            "jpg" | "jpeg" | "jpe" | "jfif" => Some(MediaType::Jpeg),
            "png" => Some(MediaType::Png),
            "webp" => Some(MediaType::Webp),
            "tif" | "tiff" => Some(MediaType::Tiff),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content_and_names_by_extension() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(MediaType::Png)
        );
        assert_eq!(
            MediaType::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(MediaType::Webp)
        );
        assert_eq!(MediaType::sniff(b"II*\0"), Some(MediaType::Tiff));
        assert_eq!(MediaType::sniff(b"PK\x03\x04"), None);
        assert_eq!(MediaType::from_file_name("Scan.JPG"), Some(MediaType::Jpeg));
        assert_eq!(MediaType::from_file_name("report"), None);
        assert_eq!(MediaType::from_mime("image/jpg"), Some(MediaType::Jpeg));
    }
}

//! Synthetic sample documents (no real person) for `varde demo` and the tests: small, valid PDFs
//! with a real text layer, written with correct cross-reference offsets.

/// A one-page A4 PDF whose text layer holds `lines` (Latin-1 only; other characters become '?').
pub fn text_pdf(lines: &[&str]) -> Vec<u8> {
    text_pages_pdf(&[lines])
}

/// An A4 PDF with one page per entry of `pages`, each page's text layer holding its lines.
pub fn text_pages_pdf(pages: &[&[&str]]) -> Vec<u8> {
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    for (i, lines) in pages.iter().enumerate() {
        let content = text_block(lines, 0);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    pdf_from_objects(&objects, "")
}

/// Where a scanned page's text layer is, relative to its image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// Visible, drawn over the image (a scanner's stamp).
    Over,
    /// Visible, drawn first and covered by the image.
    Under,
    /// Invisible (render mode 3), as OCR tools write it.
    Invisible,
}

/// A one-page PDF of a scan: `jpeg` (an 8-bit gray JPEG of `width`x`height` pixels at `dpi`)
/// drawn over the whole page, with `lines` as a text layer placed as `layer` says.
pub fn scan_pdf(
    jpeg: &[u8],
    (width, height): (u32, u32),
    dpi: u32,
    lines: &[&str],
    layer: Layer,
) -> Vec<u8> {
    let (w_pt, h_pt) = (
        f64::from(width) * 72.0 / f64::from(dpi),
        f64::from(height) * 72.0 / f64::from(dpi),
    );
    let image = format!("q {w_pt:.2} 0 0 {h_pt:.2} 0 0 cm /Im0 Do Q\n");
    let text = text_block(lines, if layer == Layer::Invisible { 3 } else { 0 })
        .replace("56 780 Td", &format!("56 {:.0} Td", h_pt - 40.0));
    let content = match layer {
        Layer::Under => format!("{text}{image}"),
        Layer::Over | Layer::Invisible => format!("{image}{text}"),
    };
    let mut image_object = format!(
        "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    image_object.extend_from_slice(jpeg);
    image_object.extend_from_slice(b"\nendstream");
    let objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt:.2} {h_pt:.2}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im0 6 0 R >> >> >>").into_bytes(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()).into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        image_object,
    ];
    pdf_from_raw_objects(&objects, "")
}

/// `gray` as a JPEG of quality 90, as a scanner stores a gray page.
pub fn gray_jpeg(gray: &image::GrayImage) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(gray)
        .expect("a gray image encodes");
    jpeg
}

/// A text object showing `lines` from the top left of an A4 page, in text render `mode`.
fn text_block(lines: &[&str], mode: u8) -> String {
    let mut content = format!("BT /F1 12 Tf 14 TL {mode} Tr 56 780 Td\n");
    for line in lines {
        let escaped: String = line
            .chars()
            .map(|c| match c {
                '(' | ')' | '\\' => format!("\\{c}"),
                c if (c as u32) < 0x80 => c.to_string(),
                c if (c as u32) <= 0xFF => format!("\\{:03o}", c as u32),
                _ => "?".to_string(),
            })
            .collect();
        content.push_str(&format!("({escaped}) Tj T*\n"));
    }
    content.push_str("ET\n");
    content
}

/// A PDF of `objects` (numbered from 1, object 1 the catalog) with a correct cross-reference
/// table; `trailer_extra` is added to the trailer dictionary (e.g. an `/ID`).
pub fn pdf_from_objects(objects: &[String], trailer_extra: &str) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = objects.iter().map(|o| o.clone().into_bytes()).collect();
    pdf_from_raw_objects(&objects, trailer_extra)
}

/// As [`pdf_from_objects`], for objects that hold binary streams.
pub fn pdf_from_raw_objects(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A synthetic Norwegian lab report.
pub fn lab_report_pdf() -> Vec<u8> {
    text_pdf(&[
        "Laboratoriesvar - Klinisk kjemi",
        "Rekvirent: Demo legekontor   Prøvetatt: 2026-11-20",
        "Pasient: Demo Pasient",
        "Analyse            Resultat   Enhet    Referanseområde",
        "Hemoglobin         11.9       g/dL     13.4 - 17.0   L",
        "CRP                42         mg/L     < 5           H",
        "HbA1c              41         mmol/mol 20 - 42",
        "Kreatinin          88         umol/L   60 - 105",
        "Leukocytter        12.1       10^9/L   3.5 - 10.0    H",
        "Vurdering: forhøyet CRP og leukocytter, lav hemoglobin.",
    ])
}

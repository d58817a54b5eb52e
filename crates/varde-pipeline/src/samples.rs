//! Synthetic sample documents (no real person) for `varde demo` and the tests: small, valid PDFs
//! with a real text layer, written with correct cross-reference offsets.

/// A one-page A4 PDF whose text layer holds `lines` (Latin-1 only; other characters become '?').
pub fn text_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 14 TL 56 780 Td\n");
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
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    pdf_from_objects(&objects, "")
}

/// A PDF of `objects` (numbered from 1, object 1 the catalog) with a correct cross-reference
/// table; `trailer_extra` is added to the trailer dictionary (e.g. an `/ID`).
pub fn pdf_from_objects(objects: &[String], trailer_extra: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
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

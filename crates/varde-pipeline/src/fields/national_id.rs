//! National ID numbers (fødselsnummer, D- and H-nummer) anywhere in the text, validated by the
//! domain, and the MRZ's personal number.

use super::*;

/// 11-digit runs (or `DDMMYY NNNNN`) not inside longer digit runs: (digits, byte start, end).
pub(super) fn national_id_candidates(line: &str) -> Vec<(String, usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let run = j - i;
        if run == 11 {
            out.push((line[i..j].to_string(), i, j));
        } else if run == 6 && b.get(j) == Some(&b' ') {
            let k = j + 1;
            let mut m = k;
            while m < b.len() && b[m].is_ascii_digit() {
                m += 1;
            }
            if m - k == 5 {
                out.push((format!("{}{}", &line[i..j], &line[k..m]), i, m));
                j = m;
            }
        }
        i = j;
    }
    out
}

pub(super) fn national_ids(
    index: &TextIndex,
    today: Date,
    mrz_personal_number: Option<String>,
    fields: &mut FieldSet,
) {
    let mut found: Vec<(String, Option<(usize, usize)>)> = Vec::new();
    for line in &index.lines {
        for (digits, s, e) in national_id_candidates(line.text) {
            if NationalId::parse(&digits, today).is_ok() {
                found.push((digits, Some((line.byte_start + s, line.byte_start + e))));
            }
        }
    }
    // A Norwegian passport's MRZ personal number is the fødselsnummer.
    if let Some(pn) = mrz_personal_number {
        let pn = pn.trim_end_matches('<');
        if pn.len() == 11 && NationalId::parse(pn, today).is_ok() {
            let span = fields
                .get_mut(FieldKey::PersonalNumber)
                .and_then(|f| f.span);
            found.push((pn.to_string(), span));
        }
    }
    let Some((first, span)) = found.first().cloned() else {
        return;
    };
    let mut warnings = Vec::new();
    if found.iter().any(|(d, _)| *d != first) {
        warnings.push(FieldWarning::MultipleNationalIds);
    }
    fields.set(
        FieldKey::NationalId,
        RawField {
            value: first,
            span,
            warnings,
        },
    );
}

//! National ID numbers (fødselsnummer, D- and H-nummer) anywhere in the text, validated by the
//! domain, and the MRZ's personal number; labelled numbers that fail validation are kept for the
//! reviewer.

use varde_domain::national_id::BirthDate;

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

/// Labels that say the number after them (on the line, or on the next line) is a national ID
/// number, so a number failing validation is shown rather than dropped.
const LABELS: [&str; 8] = [
    "fødselsnummer",
    "fodselsnummer",
    "personnummer",
    "personnr",
    "personal no",
    "personal number",
    "fnr",
    "d-nummer",
];

/// The national ID numbers in the text: the valid ones, and the first labelled invalid one.
pub(super) struct NationalIdCandidates {
    valid: Vec<(NationalId, Option<(usize, usize)>)>,
    invalid_labelled: Option<(String, (usize, usize))>,
}

impl NationalIdCandidates {
    pub(super) fn find(index: &TextIndex, today: Date) -> NationalIdCandidates {
        let mut valid = Vec::new();
        let mut invalid_labelled = None;
        let mut previous_labelled = false;
        for line in &index.lines {
            if line.text.trim().is_empty() {
                continue;
            }
            let lower = line.text.to_lowercase();
            let label_at = LABELS.iter().filter_map(|l| lower.find(l)).min();
            for (digits, s, e) in national_id_candidates(line.text) {
                let span = (line.byte_start + s, line.byte_start + e);
                match NationalId::parse(&digits, today) {
                    Ok(id) => valid.push((id, Some(span))),
                    Err(_) if previous_labelled || label_at.is_some_and(|at| at < s) => {
                        invalid_labelled.get_or_insert((digits, span));
                    }
                    Err(_) => {}
                }
            }
            previous_labelled = label_at.is_some();
        }
        NationalIdCandidates {
            valid,
            invalid_labelled,
        }
    }

    /// Birth dates the valid numbers give exactly (today's rule), for the MRZ's century.
    pub(super) fn exact_birth_dates(&self) -> Vec<Date> {
        self.valid
            .iter()
            .filter_map(|(id, _)| match id.birth_date() {
                BirthDate::Exact(date) => Some(date),
                BirthDate::Hint(_) => None,
            })
            .collect()
    }

    /// Sets `national_id`: the first valid number (a Norwegian passport's MRZ personal number
    /// counts), warned when others differ or it does not fit the document's date of birth; else
    /// a labelled invalid number, warned as such.
    pub(super) fn into_field(
        mut self,
        today: Date,
        mrz_personal_number: Option<String>,
        fields: &mut FieldSet,
    ) {
        if let Some(pn) = mrz_personal_number {
            if let Ok(id) = NationalId::parse(pn.trim_end_matches('<'), today) {
                let span = fields.get(FieldKey::PersonalNumber).and_then(|f| f.span);
                self.valid.push((id, span));
            }
        }
        let Some((first, span)) = self.valid.first().cloned() else {
            if let Some((digits, span)) = self.invalid_labelled {
                let mut field = RawField::new(digits, Some(span), confidence::NATIONAL_ID_INVALID);
                field.warnings.push(FieldWarning::NationalIdInvalid);
                fields.set(FieldKey::NationalId, field);
            }
            return;
        };
        let mut field = RawField::new(
            first.as_str().to_string(),
            span,
            confidence::NATIONAL_ID_VALID,
        );
        if self.valid.iter().any(|(id, _)| id != &first) {
            field.warnings.push(FieldWarning::MultipleNationalIds);
        }
        let birth = fields
            .get(FieldKey::BirthDate)
            .and_then(|f| parse_iso_date(&f.value));
        if birth.is_some_and(|date| !first.is_consistent_with_birth_date(date)) {
            field
                .warnings
                .push(FieldWarning::NationalIdBirthDateMismatch);
        }
        fields.set(FieldKey::NationalId, field);
    }
}

/// `YYYY-MM-DD` as the field reader writes dates.
fn parse_iso_date(s: &str) -> Option<Date> {
    let mut parts = s.splitn(3, '-').map(str::parse::<u32>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    ymd(i32::try_from(y).ok()?, m, d).filter(|_| s.len() == 10)
}

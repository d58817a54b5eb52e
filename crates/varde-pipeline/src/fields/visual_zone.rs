//! Visual-zone dates on identity documents: labelled dates of expiry and birth, Norwegian and
//! English, filling in or checked against the MRZ.

use super::*;

/// `DD.MM.YYYY` (also with `/` or `-`) anywhere in `s`: the date and its byte range in `s`.
pub(super) fn find_dmy(s: &str) -> Option<(Date, usize, usize)> {
    let b = s.as_bytes();
    (0..b.len()).find_map(|i| {
        let w = b.get(i..i + 10)?;
        let digit = |j: usize| w[j].is_ascii_digit();
        let sep = w[2];
        if (i > 0 && b[i - 1].is_ascii_digit())
            || b.get(i + 10).is_some_and(u8::is_ascii_digit)
            || !matches!(sep, b'.' | b'/' | b'-')
            || w[5] != sep
            || ![0, 1, 3, 4, 6, 7, 8, 9].iter().all(|&j| digit(j))
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            std::str::from_utf8(&w[r]).ok()?.parse().ok()
        };
        let date = ymd(num(6..10)? as i32, num(3..5)?, num(0..2)?)?;
        Some((date, i, i + 10))
    })
}

pub(super) fn visual_zone_dates(index: &TextIndex, today: Date, fields: &mut FieldSet) {
    const EXPIRY: [&str; 5] = [
        "utløpsdato",
        "date of expiry",
        "gyldig til",
        "expiry date",
        "expires",
    ];
    const BIRTH: [&str; 3] = ["fødselsdato", "date of birth", "født"];
    for (key, labels) in [
        (FieldKey::ExpiryDate, &EXPIRY[..]),
        (FieldKey::BirthDate, &BIRTH[..]),
    ] {
        let found = index.lines.iter().enumerate().find_map(|(i, line)| {
            let lower = line.text.to_lowercase();
            let at = labels.iter().find_map(|l| lower.find(l))?;
            // The date follows the label on its line, or is alone on the next non-blank one.
            // `lower` may differ in length from the line only for exotic letters; fall back to 0.
            let after = line.text.get(at..).unwrap_or(line.text);
            let same = find_dmy(after).map(|(d, s, e)| {
                let base = line.byte_start + (line.text.len() - after.len());
                (d, base + s, base + e)
            });
            same.or_else(|| {
                let next = index.lines[i + 1..]
                    .iter()
                    .find(|l| !l.text.trim().is_empty())?;
                find_dmy(next.text).map(|(d, s, e)| (d, next.byte_start + s, next.byte_start + e))
            })
        });
        let Some((date, start, end)) = found else {
            continue;
        };
        match fields.get_mut(key) {
            Some(existing) => {
                if existing.value != iso_date(date) {
                    add_warning(&mut existing.warnings, FieldWarning::VisualZoneMismatch);
                }
            }
            None => {
                let mut warnings = Vec::new();
                if key == FieldKey::ExpiryDate && date < today {
                    warnings.push(FieldWarning::Expired);
                }
                fields.set(
                    key,
                    RawField {
                        value: iso_date(date),
                        span: Some((start, end)),
                        warnings,
                    },
                );
            }
        }
    }
}

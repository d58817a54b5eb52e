//! Dates as identity documents print them: `DD.MM.YYYY` (or `/`, `-`, space), `DD.MM.YY`, and
//! `12 MAR/MAR 1985`, `12 OKT/OCT 1971` (Norwegian and English month abbreviations).

use time::Date;

use super::super::mrz::{birth_date, expiry_date, ymd};

/// Which century a two-digit year is in: a birth or issue date is not in the future, an expiry
/// date follows the MRZ's rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Era {
    Past,
    Expiry,
}

const MONTHS: [(&str, u32); 15] = [
    ("JAN", 1),
    ("FEB", 2),
    ("MAR", 3),
    ("APR", 4),
    ("MAI", 5),
    ("MAY", 5),
    ("JUN", 6),
    ("JUL", 7),
    ("AUG", 8),
    ("SEP", 9),
    ("OKT", 10),
    ("OCT", 10),
    ("NOV", 11),
    ("DES", 12),
    ("DEC", 12),
];

/// The first date in `s`: the date and its byte range in `s`.
pub(super) fn find_date(s: &str, era: Era, today: Date) -> Option<(Date, usize, usize)> {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
        .find_map(|i| date_at(s, i, era, today))
}

/// A number of 1–`max` digits at `i`: its value and where it ends.
fn number(b: &[u8], i: usize, max: usize) -> Option<(u32, usize)> {
    let len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if len == 0 || len > max {
        return None;
    }
    let text = std::str::from_utf8(&b[i..i + len]).ok()?;
    Some((text.parse().ok()?, i + len))
}

fn date_at(s: &str, i: usize, era: Era, today: Date) -> Option<(Date, usize, usize)> {
    let b = s.as_bytes();
    let (day, j) = number(b, i, 2)?;
    let (month, k) = numeric_month(b, j).or_else(|| named_month(s, j))?;
    let (year, end) = number(b, k, 4)?;
    let year_digits = end - k;
    let date = match year_digits {
        4 => ymd(year as i32, month, day)?,
        2 => match era {
            Era::Past => birth_date((year, month, day), &[], None, today)?,
            Era::Expiry => expiry_date((year, month, day), today)?,
        },
        _ => return None,
    };
    Some((date, i, end))
}

/// `.MM.` (or `/`, `-`, one space) after the day: the month and where the year starts.
fn numeric_month(b: &[u8], j: usize) -> Option<(u32, usize)> {
    let sep = *b.get(j)?;
    if !matches!(sep, b'.' | b'/' | b'-' | b' ') {
        return None;
    }
    let (month, k) = number(b, j + 1, 2)?;
    (b.get(k) == Some(&sep)).then_some((month, k + 1))
}

/// ` MAR/MAR ` or ` OKT ` after the day: the month and where the year starts.
fn named_month(s: &str, j: usize) -> Option<(u32, usize)> {
    let rest = s.get(j..)?;
    let trimmed = rest.trim_start_matches([' ', '.']);
    let word_len = trimmed
        .find(|c: char| !c.is_alphabetic() && c != '/')
        .unwrap_or(trimmed.len());
    if trimmed.len() == rest.len() || word_len < 3 {
        return None;
    }
    let word = trimmed[..word_len].to_uppercase();
    let month = word.split('/').find_map(|w| {
        MONTHS
            .iter()
            .find(|(m, _)| w.starts_with(m))
            .map(|&(_, n)| n)
    })?;
    let after = &trimmed[word_len..];
    let year_start = after.trim_start_matches([' ', '.']);
    if year_start.len() == after.len() {
        return None;
    }
    Some((month, s.len() - year_start.len()))
}

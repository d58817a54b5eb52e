//! EU driving licences (directive 2006/126/EC): no MRZ, numbered fields `1.` surname,
//! `2.` given names, `3.` date (and place) of birth, `4a.` issue date, `4b.` expiry date,
//! `4c.` issuing authority, `4d.` personal number, `5.` licence number.

use time::Date;
use varde_domain::document::FieldKey;

use super::super::text_index::TextIndex;
use super::dates::{find_date, Era};
use super::{name_value, national_number, Found};

/// A numbered field's marker at the start of `line` (`4a.`, `4a)`, `1.`): the number and
/// letter, and where the value starts.
fn marker(line: &str) -> Option<(&str, usize)> {
    let start = line.len() - line.trim_start().len();
    let rest = &line[start..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 1 {
        return None;
    }
    let letter = rest[1..].starts_with(|c: char| matches!(c, 'a'..='d'));
    let id_len = if letter { 2 } else { 1 };
    let after = &rest[id_len..];
    if !after.starts_with(['.', ')']) || !after[1..].starts_with(' ') {
        return None;
    }
    let value = &after[1..];
    let skipped = value.len() - value.trim_start().len();
    Some((&rest[..id_len], start + id_len + 1 + skipped))
}

/// A licence number as printed up to a column gap, its spaces dropped (`10 123456 7`;
/// `SMITH712211J99AB`): 6–20 letters and digits with a digit among them.
fn licence_number(text: &str, offset: usize) -> Option<Found> {
    let printed = text.split("  ").next()?.trim_end();
    let compact: String = printed.chars().filter(|c| *c != ' ').collect();
    let ok = (6..=20).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact.chars().any(|c| c.is_ascii_digit());
    ok.then(|| Found::compact(printed, compact, offset))
}

/// Whether the text has a licence's numbered fields: at least `1.`, `2.`, `3.` and `4a.` or `4b.`.
pub(super) fn has_numbered_fields(index: &TextIndex) -> bool {
    let ids: Vec<&str> = index
        .lines
        .iter()
        .filter_map(|l| marker(l.text).map(|(id, _)| id))
        .collect();
    ["1", "2", "3"].iter().all(|id| ids.contains(id))
        && (ids.contains(&"4a") || ids.contains(&"4b"))
}

/// The licence's fields, by their numbers.
pub(super) fn licence_fields(index: &TextIndex, today: Date) -> Vec<(FieldKey, Found)> {
    let mut out = Vec::new();
    for line in &index.lines {
        let Some((id, at)) = marker(line.text) else {
            continue;
        };
        let value = &line.text[at..];
        let offset = line.byte_start + at;
        let date = |era| {
            find_date(value, era, today).map(|(d, s, e)| Found::date(d, offset + s, offset + e))
        };
        let found = match id {
            "1" => name_value(value, offset).map(|f| (FieldKey::Surname, f)),
            "2" => name_value(value, offset).map(|f| (FieldKey::GivenNames, f)),
            "3" => date(Era::Past).map(|f| (FieldKey::BirthDate, f)),
            "4a" => date(Era::Past).map(|f| (FieldKey::IssueDate, f)),
            "4b" => date(Era::Expiry).map(|f| (FieldKey::ExpiryDate, f)),
            "4c" => name_value(value, offset).map(|f| (FieldKey::IssuingAuthority, f)),
            "4d" => national_number(value, offset).map(|f| (FieldKey::PersonalNumber, f)),
            "5" => licence_number(value, offset).map(|f| (FieldKey::DocumentNumber, f)),
            _ => None,
        };
        out.extend(found);
    }
    out
}

//! The visual zone of identity documents, Norwegian and English (and the French of bilingual
//! passports): labelled surname, given names, dates of birth, issue and expiry, document
//! number, nationality, sex (`K` = kvinne = F) and personal number, the value after the label
//! or on the next non-blank line ([`labels`], dates in [`dates`]); driving licences by their
//! numbered fields ([`licence`]). The values fill what the MRZ lacks, or are cross-checked
//! against it: names after folding (ICAO transliteration, case, accents), the rest as read.

mod dates;
mod labels;
mod licence;
#[cfg(test)]
mod tests;

use time::Date;
use varde_domain::checks::name_words;
use varde_domain::document::{FieldKey, FieldWarning};

use super::text_index::TextIndex;
use super::{confidence, iso_date, FieldSet, RawField};
use dates::{find_date, Era};
use labels::{labelled_values, LABELS};
use licence::{has_numbered_fields, licence_fields};

/// A value read from the visual zone, with its byte span in the text.
#[derive(Clone, Debug)]
pub(super) struct Found {
    value: String,
    date: Option<Date>,
    span: (usize, usize),
}

impl Found {
    fn text(value: &str, start: usize) -> Found {
        Found {
            value: value.to_string(),
            date: None,
            span: (start, start + value.len()),
        }
    }

    /// `value` read from `printed` at `start` (spaces dropped, a code looked up).
    fn compact(printed: &str, value: String, start: usize) -> Found {
        Found {
            value,
            date: None,
            span: (start, start + printed.len()),
        }
    }

    fn date(date: Date, start: usize, end: usize) -> Found {
        Found {
            value: iso_date(date),
            date: Some(date),
            span: (start, end),
        }
    }
}

/// A name (or an authority): the text up to a column gap, letters and name punctuation only.
fn name_value(text: &str, offset: usize) -> Option<Found> {
    let value = text.trim_start().split("  ").next()?.trim_end();
    let value = value.trim_end_matches([',', '.', ';']);
    let nameish = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | ',');
    let is_label = LABELS
        .iter()
        .flat_map(|(_, ls)| ls.iter())
        .any(|l| value.to_lowercase().contains(l));
    if value.chars().filter(|c| c.is_alphabetic()).count() < 2
        || !value.chars().all(nameish)
        || is_label
    {
        return None;
    }
    let start = offset + (text.find(value)?);
    Some(Found::text(value, start))
}

/// A document number: the first token of 6–12 letters and digits with a digit in it.
fn token_value(text: &str, offset: usize) -> Option<Found> {
    let mut at = 0;
    for token in text.split(' ') {
        let start = at;
        at += token.len() + 1;
        let ok = (6..=12).contains(&token.len())
            && token.chars().all(|c| c.is_ascii_alphanumeric())
            && token.chars().any(|c| c.is_ascii_digit());
        if ok {
            return Some(Found::text(token, offset + start));
        }
    }
    None
}

/// 11 digits, or `DDMMYY NNNNN`, as the personal number.
fn national_number(text: &str, offset: usize) -> Option<Found> {
    let (digits, s, e) = super::national_id::national_id_candidates(text)
        .into_iter()
        .next()?;
    Some(Found::compact(&text[s..e], digits, offset + s))
}

/// Sex as one letter (`K`/`F` female, `M` male, `X`) or a word (kvinne, mann, female, male).
fn sex_value(text: &str, offset: usize) -> Option<Found> {
    let mut at = 0;
    for token in text.split([' ', '/']) {
        let start = at;
        at += token.len() + 1;
        let value = match token.to_lowercase().as_str() {
            "k" | "f" | "kvinne" | "female" => "F",
            "m" | "mann" | "male" => "M",
            "x" => "X",
            _ => continue,
        };
        return Some(Found::compact(token, value.to_string(), offset + start));
    }
    None
}

/// A nationality as printed: the first word of three or more letters, a code or a word
/// (`NOR`, `NORSK/NORWEGIAN`); a one-letter column before it (sex) is passed over.
fn nationality_value(text: &str, offset: usize) -> Option<Found> {
    let mut at = 0;
    for token in text.split(' ') {
        let start = at;
        at += token.len() + 1;
        let letters = token.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 3 && token.chars().all(|c| c.is_alphabetic() || c == '/') {
            return Some(Found::text(token, offset + start));
        }
    }
    None
}

fn value_for(key: FieldKey, text: &str, offset: usize, today: Date) -> Option<Found> {
    let date =
        |era| find_date(text, era, today).map(|(d, s, e)| Found::date(d, offset + s, offset + e));
    match key {
        FieldKey::Surname | FieldKey::GivenNames => name_value(text, offset),
        FieldKey::BirthDate | FieldKey::IssueDate => date(Era::Past),
        FieldKey::ExpiryDate => date(Era::Expiry),
        FieldKey::DocumentNumber => token_value(text, offset),
        FieldKey::Nationality => nationality_value(text, offset),
        FieldKey::Sex => sex_value(text, offset),
        FieldKey::PersonalNumber => national_number(text, offset),
        _ => None,
    }
}

/// What the visual zone says.
pub(super) struct VisualZone {
    fields: Vec<(FieldKey, Found)>,
    licence: bool,
}

/// Reads the labelled fields, and a driving licence's numbered ones when the label says so or
/// the text has them.
pub(super) fn read_visual_zone(index: &TextIndex, label: Option<&str>, today: Date) -> VisualZone {
    let mut fields: Vec<(FieldKey, Found)> = Vec::new();
    for (key, labels) in LABELS {
        let found = labelled_values(index, key, labels)
            .into_iter()
            .find_map(|(text, offset)| value_for(key, text, offset, today));
        fields.extend(found.map(|f| (key, f)));
    }
    let licence = label == Some("drivers_license") || has_numbered_fields(index);
    if licence {
        for (key, found) in licence_fields(index, today) {
            fields.retain(|(k, _)| *k != key);
            fields.push((key, found));
        }
    }
    VisualZone { fields, licence }
}

impl VisualZone {
    /// The date of birth it states, for the MRZ's century.
    pub(super) fn birth_date(&self) -> Option<Date> {
        self.fields
            .iter()
            .find(|(k, _)| *k == FieldKey::BirthDate)
            .and_then(|(_, f)| f.date)
    }

    /// Whether the document is a driving licence by its numbered fields.
    pub(super) fn is_licence(&self) -> bool {
        self.licence
    }

    /// Fills the fields the MRZ did not give; cross-checks those it did.
    pub(super) fn merge_into(self, fields: &mut FieldSet, today: Date) {
        for (key, found) in self.fields {
            match fields.get_mut(key) {
                Some(existing) if agrees(key, &existing.value, &found.value) => {
                    existing.confidence = existing.confidence.max(confidence::VISUAL_AGREES);
                }
                Some(existing) => {
                    // A nationality spelt out (`NORSK`) is not comparable with a code.
                    if key == FieldKey::Nationality && found.value.len() != 3 {
                        continue;
                    }
                    super::add_warning(&mut existing.warnings, FieldWarning::VisualZoneMismatch);
                    existing.confidence = existing.confidence.min(confidence::VISUAL_DISAGREES);
                }
                None => {
                    let mut field =
                        RawField::new(found.value, Some(found.span), confidence::VISUAL_ONLY);
                    if key == FieldKey::ExpiryDate && found.date.is_some_and(|d| d < today) {
                        field.warnings.push(FieldWarning::Expired);
                    }
                    fields.set(key, field);
                }
            }
        }
    }
}

/// Whether the visual zone's value is the MRZ's: names after folding, codes and numbers without
/// case and spaces.
fn agrees(key: FieldKey, mrz: &str, visual: &str) -> bool {
    match key {
        FieldKey::Surname | FieldKey::GivenNames | FieldKey::IssuingAuthority => {
            name_words(mrz) == name_words(visual)
        }
        _ => {
            let plain = |s: &str| -> String {
                s.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_uppercase)
                    .collect()
            };
            plain(mrz) == plain(visual)
        }
    }
}

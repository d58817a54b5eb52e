//! One result line into readings: `name value [unit] [marker] [reference] [marker]`, several per
//! line when they are separated by `, `/`; ` or only by spaces (`BT 142/91 puls 88 temp 38,4`).
//! Precision over recall: a line counts only if its name is a known analyte or vital, or it has
//! a known unit *and* a reference range; names that are dates, pages, phones, addresses or IDs
//! are refused, as are lines with numbers left over.

use super::blood_pressure;
use super::names::{is_refused, name_key};
use super::ranges::{parse_flag, parse_reference, Reference};
use super::units::known_unit;
use super::value::split_value;
use super::vocabulary::{vocabulary, Entry, Known};
use crate::analysis::Flag;

/// One value as printed, before the vocabulary's units and ranges are applied.
#[derive(Clone, Debug)]
pub(super) struct Reading {
    /// The name as printed.
    pub(super) label: String,
    pub(super) entry: Option<&'static Entry>,
    pub(super) value: Value,
    pub(super) unit: Option<String>,
    pub(super) reference: Option<Reference>,
    /// The lab's marker: a direction, or `*` (abnormal, direction from the range).
    pub(super) marker: Option<Option<Flag>>,
    /// Value, known unit and reference range: a lab-table row.
    pub(super) is_table_row: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Value {
    /// A number, with `<`/`>` when the result is censored (`<5`, `>90`).
    Number(f64, Option<char>),
    /// Systolic over diastolic.
    Pressure(f64, f64),
}

/// The readings of one line, or `None` when it is not a result line.
pub(super) fn parse_line(line: &str) -> Option<Vec<Reading>> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut cuts = Vec::new();
    for i in 0..bytes.len().saturating_sub(2) {
        if matches!(bytes[i], b',' | b';')
            && bytes[i + 1] == b' '
            && line[i + 2..].starts_with(|c: char| c.is_alphabetic())
        {
            cuts.push(i);
        }
    }
    cuts.push(line.len());
    let mut segment_start = 0;
    for cut in cuts {
        if let Some(mut readings) = parse_segment(&line[segment_start..cut], 0) {
            out.append(&mut readings);
        }
        segment_start = (cut + 2).min(line.len());
    }
    (!out.is_empty()).then_some(out)
}

/// Whether `token` reads as a value: a number (with a comparator) alone, or with a known unit,
/// a marker or a diastolic pressure glued to it.
fn is_value_token(token: &str) -> bool {
    split_value(token).is_some_and(|(_, _, glued)| {
        let glued = glued.trim_end_matches([',', ';']);
        glued.is_empty()
            || known_unit(glued)
            || parse_flag(glued).is_some()
            || glued
                .strip_prefix('/')
                .is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The printed name before the value at `value_at`: what follows the last colon
/// (`Ved innkomst: BT`), without bullets and trailing punctuation.
fn printed_name(segment: &str) -> &str {
    let mut name = segment.trim().trim_end_matches(':');
    if let Some((_, after)) = name.rsplit_once(':') {
        name = after.trim();
    }
    name.trim_start_matches(['-', '*', '•', '·'])
        .trim_end_matches([':', '.', '='])
        .trim()
}

/// Readings of one segment; a second reading after the first (only spaces between) is read
/// when its name is a known one. `depth` bounds that recursion.
fn parse_segment(segment: &str, depth: usize) -> Option<Vec<Reading>> {
    // The value is the first token that reads as one; a token before any name that does not
    // (`25-OH`) is part of the name.
    let mut value_at = None;
    let mut pos = 0;
    for token in segment.split_whitespace() {
        let at = pos + segment[pos..].find(token)?;
        pos = at + token.len();
        if token.starts_with(|c: char| c.is_ascii_digit() || "<>≤≥".contains(c)) {
            if is_value_token(token) {
                value_at = Some(at);
                break;
            }
            if !segment[..at].trim().is_empty() {
                return None;
            }
        }
    }
    let value_at = value_at?;
    let name = printed_name(&segment[..value_at]);
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || name.chars().count() > 48 || name.split_whitespace().count() > 6 {
        return None;
    }
    let key = name_key(name);
    if is_refused(&key) {
        return None;
    }
    let known = vocabulary().lookup(name);
    let entry = match known {
        Some(Known::Coded(e)) => Some(e),
        _ => None,
    };
    // A name that starts with a digit is only a name the vocabulary knows (`25-OH vitamin D`).
    if !name.starts_with(char::is_alphabetic) && entry.is_none() {
        return None;
    }
    let rest = &segment[value_at..];
    let (reading, rest) = match entry.filter(|e| blood_pressure::is_panel(e)) {
        Some(e) => blood_pressure::parse(name, e, rest)?,
        None => parse_value(name, entry, known.is_some(), rest)?,
    };
    let mut out = vec![reading];
    if rest.chars().any(|c| c.is_ascii_digit()) {
        // Numbers left over make the line ambiguous (a second column, a date, a phone number),
        // unless they are another known result.
        if depth > 8 || !rest.starts_with(char::is_alphabetic) {
            return None;
        }
        let more = parse_segment(rest, depth + 1)?;
        if more.iter().any(|r| r.entry.is_none()) {
            return None;
        }
        out.extend(more);
    }
    Some(out)
}

/// The value, unit, markers and reference after a name; the reading and what is left.
fn parse_value<'s>(
    name: &str,
    entry: Option<&'static Entry>,
    known_name: bool,
    rest: &'s str,
) -> Option<(Reading, &'s str)> {
    let value_token = rest.split_whitespace().next()?;
    let (comparator, value, glued) = split_value(value_token)?;
    let mut rest = rest[value_token.len()..].trim_start();
    let mut unit = None;
    let mut unit_known = false;
    let mut marker: Option<Option<Flag>> = None;
    let glued = glued.trim_end_matches([',', ';']);
    if let Some(m) = parse_flag(glued) {
        marker = Some(m);
    } else if !glued.is_empty() {
        unit = Some(glued.to_string());
        unit_known = true;
    }
    // The unit: right after the value, or after a marker column (`5.9 H mmol/L 3.5-5.0`).
    let take_unit = |rest: &mut &'s str, unit: &mut Option<String>, unit_known: &mut bool| {
        let Some(token) = rest.split_whitespace().next().filter(|_| unit.is_none()) else {
            return;
        };
        let bare = token.trim_end_matches([',', ';']);
        let entry_unit = entry.is_some_and(|e| e.unit_spelled(bare).is_some());
        let known = entry_unit || known_unit(bare);
        let is_other = parse_flag(bare).is_some()
            || bare.starts_with(|c: char| c.is_ascii_digit() || "<>≤≥([".contains(c))
            || bare.to_lowercase().starts_with("ref");
        // A known unit (`10^9/L` too); or, after a known analyte, a unit-like word as written
        // (OCR may have lost a `µ`; the reviewer sees the source line). Any other word is
        // trailing text.
        if known || (!is_other && known_name && bare.contains('/')) {
            *unit_known = known;
            *unit = Some(bare.to_string());
            *rest = rest[token.len()..].trim_start();
        }
    };
    take_unit(&mut rest, &mut unit, &mut unit_known);
    let mut take_marker = |rest: &mut &'s str| {
        if let Some(token) = rest.split_whitespace().next() {
            if let Some(m) = parse_flag(token.trim_end_matches([',', ';'])) {
                marker = Some(m);
                *rest = rest[token.len()..].trim_start();
            }
        }
    };
    take_marker(&mut rest);
    take_unit(&mut rest, &mut unit, &mut unit_known);
    let reference = parse_reference(rest).map(|(r, after)| {
        rest = after.trim_start();
        r
    });
    take_marker(&mut rest);
    let rest = rest.trim_start_matches([',', ';']).trim_start();
    if !(known_name || unit_known && reference.is_some()) {
        return None;
    }
    Some((
        Reading {
            label: name.to_string(),
            entry,
            value: Value::Number(value, comparator),
            unit,
            reference,
            marker,
            is_table_row: unit_known && reference.is_some(),
        },
        rest,
    ))
}

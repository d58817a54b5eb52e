//! Observations: lab values and vitals, one or more per result line (`name value [unit]
//! [reference] [flag]`), precision over recall.

use super::*;

pub(super) struct ParsedLine {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) observations: Vec<Observation>,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Observation {
    pub(super) name: String,
    pub(super) value: f64,
    /// `<` or `>` when the result is censored (`<5`, `>90`).
    pub(super) comparator: Option<char>,
    pub(super) unit: Option<String>,
    pub(super) ref_low: Option<f64>,
    pub(super) ref_high: Option<f64>,
    pub(super) ref_source: Option<RangeSource>,
    pub(super) flag: Option<Flag>,
    /// Value, known unit and reference range: a lab-table row.
    pub(super) is_table_row: bool,
}

impl Observation {
    /// The record, read from the line at UTF-16 offsets `start..end`.
    pub(super) fn to_record(&self, start: usize, end: usize) -> document::Observation {
        document::Observation {
            name: self.name.clone(),
            value: self.value,
            comparator: self.comparator.map(|c| match c {
                '<' => Comparator::Below,
                _ => Comparator::Above,
            }),
            unit: self.unit.clone(),
            ref_low: self.ref_low,
            ref_high: self.ref_high,
            ref_source: self.ref_source,
            flag: self.flag,
            start,
            end,
        }
    }
}

pub(super) fn normalise_unit(u: &str) -> String {
    u.to_lowercase()
        .replace(['μ', 'u'], "µ")
        .replace("µ/l", "u/l")
        .replace("iµ", "iu")
        .replace("mµ", "mu")
        .replace("kµ", "ku")
}

pub(super) fn known_unit(token: &str) -> bool {
    let t = normalise_unit(token);
    KNOWN_UNITS.iter().any(|u| normalise_unit(u) == t)
}

/// The name lower-cased, with a specimen prefix (`S-`, `B-`, `P-`, `U-`, `fB-`, `Pt-`, `aB-`, `vB-`)
/// and punctuation removed, padded with spaces for whole-word search.
pub(super) fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for word in
        lower.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ':' | '[' | ']'))
    {
        if word.is_empty() {
            continue;
        }
        let word = match word.split_once('-') {
            Some((prefix, rest))
                if !rest.is_empty()
                    && ["s", "b", "p", "u", "fb", "pt", "ab", "vb", "sp", "f"]
                        .contains(&prefix) =>
            {
                rest
            }
            _ => word,
        };
        words.push(word.to_string());
    }
    format!(" {} ", words.join(" "))
}

pub(super) fn has_alias(key: &str, aliases: &[&str]) -> bool {
    aliases.iter().any(|a| key.contains(&format!(" {a} ")))
}

/// A number written with a decimal comma or point: up to six digits, up to four decimals.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let (int, frac) = match s.find([',', '.']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if int.is_empty() || int.len() > 6 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 4 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    format!("{int}.{}", frac.unwrap_or("0")).parse().ok()
}

/// The leading number of `s` (with an optional `<`/`>` comparator) and what follows it.
pub(super) fn split_value(token: &str) -> Option<(Option<char>, f64, &str)> {
    let (comparator, rest) = match token.chars().next()? {
        c @ ('<' | '>') => (Some(c), &token[1..]),
        '≤' => (Some('<'), &token['≤'.len_utf8()..]),
        '≥' => (Some('>'), &token['≥'.len_utf8()..]),
        _ => (None, token),
    };
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || (matches!(c, ',' | '.')
                    && rest[i + 1..].starts_with(|d: char| d.is_ascii_digit())))
        })
        .map_or(rest.len(), |(i, _)| i);
    let value = parse_number(&rest[..end])?;
    Some((comparator, value, &rest[end..]))
}

/// Parses one line into observations: segments separated by `, ` or `; ` before a letter are
/// read separately (`BT 142/91 mmHg, puls 88, temp 38,4`).
pub(super) fn parse_observation_line(line: &str) -> Option<Vec<Observation>> {
    let mut out = Vec::new();
    let mut segment_start = 0;
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
    for cut in cuts {
        let segment = &line[segment_start..cut];
        if let Some(mut obs) = parse_segment(segment) {
            out.append(&mut obs);
        }
        segment_start = (cut + 2).min(line.len());
    }
    (!out.is_empty()).then_some(out)
}

pub(super) fn parse_segment(segment: &str) -> Option<Vec<Observation>> {
    // The value is the first whitespace-separated token that starts with a number.
    let mut value_at = None;
    let mut pos = 0;
    for token in segment.split_whitespace() {
        let at = pos + segment[pos..].find(token)?;
        pos = at + token.len();
        if token.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '<' | '>' | '≤' | '≥'))
        {
            value_at = Some(at);
            break;
        }
    }
    let value_at = value_at?;
    let mut name = segment[..value_at].trim().trim_end_matches(':');
    // `Ved innkomst: BT 142/91` — the name is what follows the last colon.
    if let Some((_, after)) = name.rsplit_once(':') {
        name = after.trim();
    }
    let name = name
        .trim_start_matches(['-', '*', '•', '·'])
        .trim_end_matches([':', '.', '='])
        .trim();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2
        || !name.starts_with(char::is_alphabetic)
        || name.chars().count() > 48
        || name.split_whitespace().count() > 6
    {
        return None;
    }
    let key = name_key(name);
    if key
        .split_whitespace()
        .any(|w| REFUSED_NAME_WORDS.contains(&w))
    {
        return None;
    }
    let known_name = has_alias(&key, KNOWN_NAMES);
    let rest = &segment[value_at..];
    let value_token = rest.split_whitespace().next()?;

    // Blood pressure: `142/91`.
    if has_alias(&key, &BLOOD_PRESSURE) {
        let (sys, dia) = value_token.split_once('/')?;
        let (sys, dia) = (
            parse_number(sys)?,
            parse_number(dia.trim_end_matches([',', ';']))?,
        );
        let after = rest[value_token.len()..].trim_start();
        let unit_ok = after.is_empty()
            || after
                .split_whitespace()
                .next()
                .is_some_and(|u| known_unit(u.trim_end_matches([',', ';'])))
            || !after.chars().any(|c| c.is_ascii_digit());
        if !unit_ok || after.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let norwegian = key.contains(" blodtrykk ") || key.contains(" bt ");
        let (s_name, d_name) = if norwegian {
            ("systolisk", "diastolisk")
        } else {
            ("systolic", "diastolic")
        };
        let make = |part: &str, range: &str, v: f64| -> Option<Observation> {
            let (_, low, high, min, max) = STANDARD_ADULT_RANGES
                .iter()
                .find(|r| r.0.contains(&range))?;
            if !(*min..=*max).contains(&v) {
                return None;
            }
            Some(Observation {
                name: format!("{name} {part}"),
                value: v,
                comparator: None,
                unit: Some("mmHg".into()),
                ref_low: Some(*low),
                ref_high: Some(*high),
                ref_source: Some(RangeSource::StandardAdult),
                flag: flag_from_range(v, None, Some(*low), Some(*high)),
                is_table_row: false,
            })
        };
        return Some(vec![
            make(s_name, "systolic", sys)?,
            make(d_name, "diastolic", dia)?,
        ]);
    }

    let (comparator, value, glued) = split_value(value_token)?;
    let mut rest = rest[value_token.len()..].trim_start();
    // A unit glued to the number (`93%`, `48mg/L`) or the next token.
    let mut unit = None;
    let mut unit_known = false;
    if !glued.is_empty() {
        let glued = glued.trim_end_matches([',', ';']);
        if !known_unit(glued) {
            return None;
        }
        unit = Some(glued.to_string());
        unit_known = true;
    } else if let Some(token) = rest.split_whitespace().next() {
        let bare = token.trim_end_matches([',', ';']);
        let is_other = parse_flag(bare).is_some()
            || bare.starts_with(|c: char| c.is_ascii_digit() || "<>≤≥([".contains(c))
            || bare.to_lowercase().starts_with("ref");
        // A known unit; or, after a known analyte, a unit-like word as written (OCR may have
        // lost a `µ`; the reviewer sees the source line). Any other word is left as trailing
        // text.
        if !is_other && (known_unit(bare) || (known_name && bare.contains('/'))) {
            unit_known = known_unit(bare);
            unit = Some(bare.to_string());
            rest = rest[token.len()..].trim_start();
        }
    }

    let mut flag_explicit: Option<Option<Flag>> = None;
    let mut take_flag = |rest: &mut &str| {
        if let Some(token) = rest.split_whitespace().next() {
            if let Some(f) = parse_flag(token) {
                flag_explicit = Some(f);
                *rest = rest[token.len()..].trim_start();
            }
        }
    };
    take_flag(&mut rest);
    let reference = match parse_reference(rest) {
        Some((r, after)) => {
            rest = after.trim_start();
            Some(r)
        }
        None => None,
    };
    take_flag(&mut rest);
    // Numbers left over make the line ambiguous (a second column, a date, a phone number).
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if !(known_name || unit_known && reference.is_some()) {
        return None;
    }

    let (mut ref_low, mut ref_high) = reference.as_ref().map_or((None, None), |r| (r.low, r.high));
    let mut ref_source = reference.as_ref().map(|_| RangeSource::Document);
    let vital = STANDARD_ADULT_RANGES
        .iter()
        .skip(2)
        .find(|(aliases, ..)| has_alias(&key, aliases));
    if let Some((_, low, high, min, max)) = vital {
        if !(*min..=*max).contains(&value) {
            return None;
        }
        if reference.is_none() {
            ref_low = Some(*low);
            ref_high = Some(*high);
            ref_source = Some(RangeSource::StandardAdult);
        }
    }
    let computed = flag_from_range(value, comparator, ref_low, ref_high);
    // The lab's own marker wins over the computed flag (its range may be age- or sex-specific).
    let flag = match flag_explicit {
        Some(Some(f)) => Some(f),
        _ => computed,
    };
    Some(vec![Observation {
        name: name.to_string(),
        value,
        comparator,
        unit,
        ref_low,
        ref_high,
        ref_source,
        flag,
        is_table_row: unit_known && reference.is_some(),
    }])
}

mod reference;
mod vocabulary;

use reference::*;
use vocabulary::*;

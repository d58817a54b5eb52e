//! Blood pressure, `142/91 mmHg`: one observation (LOINC 85354-9) whose systolic (8480-6) and
//! diastolic (8462-4) values are components, as FHIR models it. Each component is flagged
//! against the printed range or the vocabulary's default; the panel's flag is the worse of the
//! two.

use super::line::{Reading, Value};
use super::ranges::{flag_from_range, parse_flag};
use super::units::spelling_key;
use super::value::parse_number;
use super::vocabulary::{vocabulary, Entry};
use crate::analysis::{Flag, ObservationComponent, RangeSource};

pub(super) const PANEL: &str = "85354-9";
const SYSTOLIC: &str = "Systolic blood pressure";
const DIASTOLIC: &str = "Diastolic blood pressure";

pub(super) fn is_panel(entry: &Entry) -> bool {
    entry.code == PANEL
}

/// `142/91 [mmHg]` at the start of `rest`: the reading and what is left.
pub(super) fn parse<'s>(
    name: &str,
    entry: &'static Entry,
    rest: &'s str,
) -> Option<(Reading, &'s str)> {
    let token = rest.split_whitespace().next()?;
    let (sys, dia) = token.trim_end_matches([',', ';']).split_once('/')?;
    let digits_end = dia
        .find(|c: char| !(c.is_ascii_digit()))
        .unwrap_or(dia.len());
    let (dia, glued) = dia.split_at(digits_end);
    let (sys, dia) = (parse_number(sys)?, parse_number(dia)?);
    let mut rest = rest[token.len()..].trim_start();
    let is_mmhg = |t: &str| spelling_key(t.trim_end_matches([',', ';'])) == "mmhg";
    let mut unit = None;
    if !glued.is_empty() {
        if !is_mmhg(glued) {
            return None;
        }
        unit = Some(glued.to_string());
    } else if let Some(t) = rest.split_whitespace().next().filter(|t| is_mmhg(t)) {
        unit = Some(t.trim_end_matches([',', ';']).to_string());
        rest = rest[t.len()..].trim_start();
    }
    let mut marker = None;
    if let Some(t) = rest.split_whitespace().next() {
        if let Some(m) = parse_flag(t) {
            marker = Some(m);
            rest = rest[t.len()..].trim_start();
        }
    }
    for (part, v) in [(SYSTOLIC, sys), (DIASTOLIC, dia)] {
        if !vocabulary().entry(part)?.unit().plausible(v) {
            return None;
        }
    }
    if sys <= dia {
        return None;
    }
    Some((
        Reading {
            label: name.to_string(),
            entry: Some(entry),
            value: Value::Pressure(sys, dia),
            unit,
            reference: None,
            marker,
            is_table_row: false,
        },
        rest.trim_start_matches([',', ';']).trim_start(),
    ))
}

/// The two components, flagged against the vocabulary's default ranges.
pub(super) fn components(sys: f64, dia: f64) -> Vec<ObservationComponent> {
    [(SYSTOLIC, sys), (DIASTOLIC, dia)]
        .into_iter()
        .filter_map(|(name, value)| {
            let entry = vocabulary().entry(name)?;
            let unit = entry.unit();
            let [low, high] = unit
                .range
                .as_ref()
                .and_then(|r| r.all)
                .unwrap_or([None, None]);
            Some(ObservationComponent {
                name: entry.name.clone(),
                code: entry.code.clone(),
                value,
                unit: Some(unit.ucum.clone()),
                low,
                high,
                range_source: Some(RangeSource::Default),
                flag: flag_from_range(value, None, low, high),
            })
        })
        .collect()
}

/// The panel's flag: high if either part is high, else low if either is low, else normal.
pub(super) fn panel_flag(components: &[ObservationComponent]) -> Option<Flag> {
    let flags: Vec<Flag> = components.iter().filter_map(|c| c.flag).collect();
    if flags.contains(&Flag::High) {
        Some(Flag::High)
    } else if flags.contains(&Flag::Low) {
        Some(Flag::Low)
    } else {
        flags.first().copied()
    }
}

//! Observations: lab values and vitals read from result lines (see [`line`]), coded from the
//! reviewed vocabulary (`data/lab-vocabulary.json`, see [`vocabulary`]): a canonical English
//! name, its LOINC code, the UCUM unit ([`units`]), the printed range or the vocabulary's default
//! for the document's sex ([`sex`], [`ranges`]), the flag, where it was read and how far it can be
//! trusted ([`confidence`]). Blood pressure is one observation with two components
//! ([`blood_pressure`]). [`summary`] words them for the clinician in the document's language
//! ([`language`]).
//!
//! Defaults are only used when the unit is the vocabulary's (or a vital has none): a value in a
//! unit the vocabulary does not give its analyte keeps the printed range or none. When the sex
//! is unknown and the default differs by sex, the range shown spans both and the value is
//! flagged only where both agree.

mod blood_pressure;
mod confidence;
mod language;
mod line;
mod names;
mod ranges;
mod sex;
mod summary;
#[cfg(test)]
mod tests;
mod units;
mod value;
mod vocabulary;

pub(super) use language::detect_language;
pub(super) use sex::document_sex;
pub(super) use summary::summarise;

use varde_domain::national_id::LegalSex;

use super::text_index::TextIndex;
use crate::analysis::{Comparator, Flag, Observation, RangeSource, SourceSpan};
use line::{parse_line, Reading, Value};
use ranges::{default_flag, flag_from_range};
use units::read_unit;
use vocabulary::Kind;

/// The observations of a text, and how many of its lines are clearly lab-table rows (value,
/// known unit and reference range).
pub(super) struct Read {
    pub(super) observations: Vec<Observation>,
    pub(super) table_rows: usize,
}

/// Every result line of `index`, coded; `sex` chooses sex-specific default ranges.
pub(super) fn read_observations(index: &TextIndex, sex: Option<LegalSex>) -> Read {
    let mut observations = Vec::new();
    let mut table_rows = 0;
    let mut page = 1;
    let mut last_start = 0;
    for line in &index.lines {
        page += index.text[last_start..line.byte_start]
            .matches('\x0c')
            .count();
        last_start = line.byte_start;
        let Some(readings) = parse_line(line.text) else {
            continue;
        };
        table_rows += usize::from(readings.iter().any(|r| r.is_table_row));
        let source = SourceSpan {
            page,
            start: index.utf16(line.byte_start),
            end: index.utf16(line.byte_start + line.text.len()),
        };
        observations.extend(
            readings
                .iter()
                .map(|r| record(r, source, sex))
                .filter(plausible),
        );
    }
    Read {
        observations,
        table_rows,
    }
}

/// A reading as a coded record.
fn record(r: &Reading, source: SourceSpan, sex: Option<LegalSex>) -> Observation {
    let entry = r.entry;
    let mut o = Observation {
        name: entry.map(|e| e.name.clone()),
        code: entry.map(|e| e.code.clone()),
        label: r.label.clone(),
        value: None,
        comparator: None,
        unit: None,
        low: r.reference.and_then(|x| x.low),
        high: r.reference.and_then(|x| x.high),
        range_source: r.reference.map(|_| RangeSource::Document),
        flag: None,
        source,
        confidence: confidence::UNCODED_TABLE_ROW,
        components: Vec::new(),
    };
    let (value, comparator) = match r.value {
        Value::Pressure(sys, dia) => {
            o.components = blood_pressure::components(sys, dia);
            o.unit = o.components.first().and_then(|c| c.unit.clone());
            o.flag = match r.marker {
                Some(Some(f)) => Some(f),
                _ => blood_pressure::panel_flag(&o.components),
            };
            o.confidence = confidence::BLOOD_PRESSURE;
            return o;
        }
        Value::Number(v, c) => (v, c),
    };
    o.value = Some(value);
    o.comparator = comparator.map(|c| match c {
        '<' => Comparator::Below,
        _ => Comparator::Above,
    });
    let read = r.unit.as_deref().map(|u| read_unit(entry, u));
    o.unit = read.as_ref().map(|u| u.ucum.clone());
    let mut variant = read.as_ref().and_then(|u| u.variant);
    if let Some(e) = entry {
        // No unit printed: a vital's own unit, or an analyte printed without one (INR).
        if r.unit.is_none() && (e.kind == Kind::Vital || e.unit().unitless) {
            variant = Some(e.unit());
            o.unit = Some(e.unit().ucum.clone());
        }
        o.code = Some(e.code_in(variant).to_string());
        o.confidence = if variant.is_some() {
            confidence::CODED_DEFAULT_RANGE
        } else {
            confidence::CODED_OTHER_UNIT
        };
    }
    let mut computed = flag_from_range(value, comparator, o.low, o.high);
    if r.reference.is_some() && variant.is_some() {
        o.confidence = confidence::CODED_PRINTED_RANGE;
    } else if let Some(default) = variant.and_then(|v| v.range.as_ref()) {
        if r.reference.is_none() {
            let (range, flag) = default_flag(value, comparator, &default.for_sex(sex));
            if range.low.is_some() || range.high.is_some() {
                (o.low, o.high) = (range.low, range.high);
                o.range_source = Some(RangeSource::Default);
                computed = flag;
            }
        }
    }
    // The lab's own marker wins over the computed flag (its range may be age- or
    // sex-specific); `*` says only "abnormal", the range gives the direction.
    o.flag = match r.marker {
        Some(Some(f)) => Some(f),
        Some(None) if computed == Some(Flag::Normal) => None,
        _ => computed,
    };
    o
}

/// Whether a vital's value is plausible at all in its unit (`Puls 880` is not a pulse).
fn plausible(o: &Observation) -> bool {
    let Some(entry) = o
        .name
        .as_deref()
        .and_then(|n| vocabulary::vocabulary().entry(n))
    else {
        return true;
    };
    let (Some(value), Some(unit)) = (o.value, o.unit.as_deref()) else {
        return true;
    };
    match entry.units.iter().find(|u| u.ucum == unit) {
        Some(u) => u.plausible(value),
        None => true,
    }
}

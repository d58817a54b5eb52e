//! The clinician's summary of a document's observations: one short paragraph in the document's
//! language, values outside their range first (in document order, with value, unit, direction
//! and range), then the names of those within range, then values not assessed (no range, or a censored value the range cannot judge). Every number
//! in it is an observation's value, range bound or unit as printed in the record; the words are
//! fixed per language. Deterministic: no model, the same observations give the same text.

use crate::analysis::{Flag, LabSummary, Language, Observation, RangeSource};

struct Words {
    outside: &'static str,
    within: &'static str,
    unranged: &'static str,
    low: &'static str,
    high: &'static str,
    printed: &'static str,
    default: &'static str,
    decimal: char,
}

const NB: Words = Words {
    outside: "Utenfor referanseområdet",
    within: "Innenfor referanseområdet",
    unranged: "Ikke vurdert",
    low: "lav",
    high: "høy",
    printed: "ref.",
    default: "standard",
    decimal: ',',
};
const EN: Words = Words {
    outside: "Outside the reference range",
    within: "Within the reference range",
    unranged: "Not assessed",
    low: "low",
    high: "high",
    printed: "ref.",
    default: "default",
    decimal: '.',
};

/// A number as the language writes it: no trailing zeros, at most four decimals.
fn number(v: f64, decimal: char) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', &decimal.to_string())
}

/// A UCUM unit as a clinician reads it (`umol/L` as `µmol/L`, `mm[Hg]` as `mmHg`).
fn shown_unit(ucum: &str) -> String {
    match ucum {
        "Cel" => "°C".into(),
        "mm[Hg]" => "mmHg".into(),
        "{INR}" => String::new(),
        "10*9/L" => "×10^9/L".into(),
        "10*12/L" => "×10^12/L".into(),
        "mL/min/{1.73_m2}" => "mL/min/1.73m²".into(),
        other => other
            .replace("umol", "µmol")
            .replace("ug/", "µg/")
            .replace("[IU]", "IU"),
    }
}

fn value_text(o: &Observation, w: &Words) -> String {
    let mut s = match (o.value, o.components.as_slice()) {
        (Some(v), _) => {
            let sign = match o.comparator {
                Some(crate::analysis::Comparator::Below) => "<",
                Some(crate::analysis::Comparator::Above) => ">",
                None => "",
            };
            format!("{sign}{}", number(v, w.decimal))
        }
        (None, parts) => parts
            .iter()
            .map(|c| number(c.value, w.decimal))
            .collect::<Vec<_>>()
            .join("/"),
    };
    if let Some(unit) = o.unit.as_deref().map(shown_unit).filter(|u| !u.is_empty()) {
        s.push(' ');
        s.push_str(&unit);
    }
    s
}

fn range_text(o: &Observation, w: &Words) -> Option<String> {
    let n = |v: f64| number(v, w.decimal);
    let range = match (o.low, o.high) {
        (Some(l), Some(h)) => format!("{}–{}", n(l), n(h)),
        (None, Some(h)) => format!("<{}", n(h)),
        (Some(l), None) => format!(">{}", n(l)),
        (None, None) => return None,
    };
    let source = match o.range_source {
        Some(RangeSource::Default) => w.default,
        _ => w.printed,
    };
    Some(format!("{source} {range}"))
}

/// The summary of `observations` in `language`; `None` without observations.
pub(in crate::fields) fn summarise(
    observations: &[Observation],
    language: Language,
) -> Option<LabSummary> {
    if observations.is_empty() {
        return None;
    }
    let w = match language {
        Language::Nb => &NB,
        Language::En => &EN,
    };
    let outside: Vec<String> = observations
        .iter()
        .filter(|o| matches!(o.flag, Some(Flag::Low | Flag::High)))
        .map(|o| {
            let direction = match o.flag {
                Some(Flag::Low) => w.low,
                _ => w.high,
            };
            let detail = match range_text(o, w) {
                Some(range) => format!("{direction}, {range}"),
                None => direction.to_string(),
            };
            format!("{} {} ({detail})", o.label, value_text(o, w))
        })
        .collect();
    let within: Vec<&str> = observations
        .iter()
        .filter(|o| o.flag == Some(Flag::Normal))
        .map(|o| o.label.as_str())
        .collect();
    let unranged: Vec<String> = observations
        .iter()
        .filter(|o| o.flag.is_none())
        .map(|o| match range_text(o, w) {
            Some(range) => format!("{} {} ({range})", o.label, value_text(o, w)),
            None => format!("{} {}", o.label, value_text(o, w)),
        })
        .collect();
    let mut sentences = Vec::new();
    for (heading, items) in [
        (w.outside, outside),
        (w.within, within.into_iter().map(str::to_string).collect()),
        (w.unranged, unranged),
    ] {
        if !items.is_empty() {
            sentences.push(format!("{heading}: {}.", items.join(", ")));
        }
    }
    Some(LabSummary {
        language,
        text: sentences.join(" "),
    })
}

//! Reference ranges: parsed from the document, or standard adult ranges for vitals, and the flag
//! a value gets from them or from a printed marker.

use super::*;

/// Vitals and their standard adult ranges, used only when the document gives no reference:
/// blood pressure below 140/90 (Norwegian hypertension threshold) and at least 90/60, pulse
/// 50–100 /min, temperature 36.0–37.9 °C (fever from 38.0), SpO2 at least 95 %, respiratory rate
/// 12–20 /min. (aliases, low, high, plausible min, plausible max)
pub(super) const STANDARD_ADULT_RANGES: &[(&[&str], f64, f64, f64, f64)] = &[
    (&["systolic"], 90.0, 139.0, 50.0, 300.0),
    (&["diastolic"], 60.0, 89.0, 20.0, 200.0),
    (
        &["puls", "pulse", "hr", "heart rate", "hjertefrekvens"],
        50.0,
        100.0,
        20.0,
        250.0,
    ),
    (
        &["temp", "temperatur", "temperature"],
        36.0,
        37.9,
        30.0,
        45.0,
    ),
    (
        &["spo2", "o2-metning", "metning", "saturation"],
        95.0,
        100.0,
        50.0,
        100.0,
    ),
    (
        &["respirasjonsfrekvens", "rf", "resp", "respiratory rate"],
        12.0,
        20.0,
        4.0,
        80.0,
    ),
];

#[derive(Debug, PartialEq)]
pub(super) struct Reference {
    pub(super) low: Option<f64>,
    pub(super) high: Option<f64>,
}

/// A reference at the start of `s`: `13,4 – 17,0`, `(60-105)`, `<5`, `(< 5)`, `>60`, with an
/// optional `ref.`/`Referanseområde:` before it. Returns it and the rest.
pub(super) fn parse_reference(s: &str) -> Option<(Reference, &str)> {
    let mut rest = s.trim_start();
    let lower = rest.to_lowercase();
    for prefix in [
        "referanseområde",
        "referanse",
        "ref.område",
        "ref.",
        "ref",
        "normal",
    ] {
        if lower.starts_with(prefix) && lower.len() >= prefix.len() {
            rest = rest[prefix.len()..].trim_start_matches([':', ' ']);
            break;
        }
    }
    let opened = rest.starts_with(['(', '[']);
    if opened {
        rest = rest[1..].trim_start();
    }
    let number = |s: &str| -> Option<(f64, usize)> {
        let end = s
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, ',' | '.')))
            .map_or(s.len(), |(i, _)| i);
        parse_number(&s[..end]).map(|v| (v, end))
    };
    let (reference, mut rest) = if let Some(c) = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '<' | '>' | '≤' | '≥'))
    {
        let after = rest[c.len_utf8()..].trim_start_matches('=').trim_start();
        let (v, n) = number(after)?;
        let r = if matches!(c, '<' | '≤') {
            Reference {
                low: None,
                high: Some(v),
            }
        } else {
            Reference {
                low: Some(v),
                high: None,
            }
        };
        (r, &after[n..])
    } else {
        let (low, n) = number(rest)?;
        let after = rest[n..].trim_start();
        let sep = after.chars().next()?;
        if !matches!(sep, '-' | '–' | '—') {
            return None;
        }
        let after = after[sep.len_utf8()..].trim_start();
        let (high, n) = number(after)?;
        if high < low {
            return None;
        }
        (
            Reference {
                low: Some(low),
                high: Some(high),
            },
            &after[n..],
        )
    };
    if opened {
        rest = rest.trim_start().strip_prefix([')', ']'])?;
    }
    Some((reference, rest))
}

/// An explicit abnormal marker: `H`, `L`, `*`, `høy`, `lav`, `forhøyet`, arrows.
pub(super) fn parse_flag(token: &str) -> Option<Option<Flag>> {
    match token.to_lowercase().trim_matches(['(', ')']) {
        "h" | "hh" | "h*" | "high" | "høy" | "forhøyet" | "↑" => Some(Some(Flag::High)),
        "l" | "ll" | "l*" | "low" | "lav" | "redusert" | "↓" => Some(Some(Flag::Low)),
        "*" => Some(None),
        _ => None,
    }
}

pub(super) fn flag_from_range(
    value: f64,
    comparator: Option<char>,
    low: Option<f64>,
    high: Option<f64>,
) -> Option<Flag> {
    if low.is_none() && high.is_none() {
        return None;
    }
    match comparator {
        None => {
            if low.is_some_and(|l| value < l) {
                Some(Flag::Low)
            } else if high.is_some_and(|h| value > h) {
                Some(Flag::High)
            } else {
                Some(Flag::Normal)
            }
        }
        // The true value is below `value`: only a bound on one side can be judged.
        Some('<') => {
            if low.is_some_and(|l| value <= l) {
                Some(Flag::Low)
            } else if low.is_none() && high.is_some_and(|h| value <= h) {
                Some(Flag::Normal)
            } else {
                None
            }
        }
        // The true value is above `value`.
        _ => {
            if high.is_some_and(|h| value >= h) {
                Some(Flag::High)
            } else if high.is_none() && low.is_some_and(|l| value >= l) {
                Some(Flag::Normal)
            } else {
                None
            }
        }
    }
}

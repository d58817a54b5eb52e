//! Reference ranges: printed in the document (`13,4 – 17,0`, `(60-105)`, `<5`, `> 60`,
//! `ref. 3,5-5,0`), or the vocabulary's default for the document's sex; and the flag a value gets
//! from its range or from the lab's printed marker (`H`, `L`, `*`, `høy`, `lav`, arrows).

use super::value::{comparator, leading_number};
use super::vocabulary::Bounds;
use crate::analysis::Flag;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Reference {
    pub(super) low: Option<f64>,
    pub(super) high: Option<f64>,
}

const PREFIXES: [&str; 8] = [
    "referanseområde",
    "referanse",
    "ref.område",
    "ref.",
    "ref",
    "normal",
    "reference range",
    "reference",
];

/// A reference at the start of `s`, with an optional `ref.`/`Referanseområde:` before it and
/// parentheses or brackets around it. Returns it and the rest.
pub(super) fn parse_reference(s: &str) -> Option<(Reference, &str)> {
    let mut rest = s.trim_start();
    // `(ref. 3,5-5,0)` as well as `ref. (3,5-5,0)`.
    let mut opened = rest.starts_with(['(', '[']);
    if opened {
        rest = rest[1..].trim_start();
    }
    let lower = rest.to_lowercase();
    // The longest first: `reference range` before `ref`.
    let mut prefixes = PREFIXES;
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    if let Some(prefix) = prefixes.iter().find(|p| lower.starts_with(*p)) {
        rest = rest[prefix.len()..].trim_start_matches([':', ' ']);
    }
    if !opened && rest.starts_with(['(', '[']) {
        opened = true;
        rest = rest[1..].trim_start();
    }
    let (reference, mut rest) = match comparator(rest) {
        (Some(c), after) => {
            let after = after.trim_start_matches('=').trim_start();
            let (v, n) = leading_number(after)?;
            let r = if c == '<' {
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
        }
        (None, _) => {
            let (low, n) = leading_number(rest)?;
            let after = rest[n..].trim_start();
            let sep = after.chars().next()?;
            if !matches!(sep, '-' | '–' | '—') {
                return None;
            }
            let after = after[sep.len_utf8()..].trim_start();
            let (high, n) = leading_number(after)?;
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
        }
    };
    if opened {
        rest = rest.trim_start().strip_prefix([')', ']'])?;
    }
    Some((reference, rest))
}

/// An explicit abnormal marker: `Some(Some(flag))` for a direction, `Some(None)` for `*`
/// (abnormal, direction left to the range).
pub(super) fn parse_flag(token: &str) -> Option<Option<Flag>> {
    match token.to_lowercase().trim_matches(['(', ')']) {
        "h" | "hh" | "h*" | "*h" | "high" | "høy" | "forhøyet" | "↑" => Some(Some(Flag::High)),
        "l" | "ll" | "l*" | "*l" | "low" | "lav" | "redusert" | "↓" => Some(Some(Flag::Low)),
        "*" | "**" => Some(None),
        _ => None,
    }
}

/// A value's flag against its range; `None` with no range, or when a censored value cannot be
/// judged.
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

/// A default range for a value: one range, or (sex unknown, ranges that differ by sex) the two,
/// reported as the range that spans both and flagged only where both agree.
pub(super) fn default_flag(
    value: f64,
    comparator: Option<char>,
    ranges: &[Bounds],
) -> (Reference, Option<Flag>) {
    let flags: Vec<Option<Flag>> = ranges
        .iter()
        .map(|[l, h]| flag_from_range(value, comparator, *l, *h))
        .collect();
    let flag = match flags.split_first() {
        Some((first, rest)) if rest.iter().all(|f| f == first) => *first,
        _ => None,
    };
    let low = ranges
        .iter()
        .map(|r| r[0])
        .reduce(|a, b| a.zip(b).map(|(a, b)| a.min(b)))
        .flatten();
    let high = ranges
        .iter()
        .map(|r| r[1])
        .reduce(|a, b| a.zip(b).map(|(a, b)| a.max(b)))
        .flatten();
    (Reference { low, high }, flag)
}

//! The observation reader's unit tests: every vocabulary entry, units, ranges, result lines,
//! blood pressure, sex-specific defaults and the summary in both languages.

mod lines;
mod summary;
mod vocabulary;

use serde_json::Value;
use time::macros::date;
use time::Date;

use crate::fields::read;

pub(super) const TODAY: Date = date!(2026 - 11 - 22);

/// The observations of a lab report's lines, serialised (what the store and the window see).
pub(super) fn obs(lines: &[&str]) -> Vec<Value> {
    read(&lines.join("\n"), Some("lab_report"), TODAY)
        .observations
        .iter()
        .map(|o| serde_json::to_value(o).unwrap())
        .collect()
}

/// The one observation of `line`.
pub(super) fn one(line: &str) -> Value {
    let o = obs(&[line]);
    assert_eq!(o.len(), 1, "{line}: {o:#?}");
    o[0].clone()
}

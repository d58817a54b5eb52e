//! What the field reader's tests share: a fixed today, and the serialised fields (what the store
//! and the window see) with their warnings.

use serde_json::Value;
use time::macros::date;
use time::Date;

use super::read;

pub(super) const TODAY: Date = date!(2026 - 11 - 22);

/// The fields read from `text`, serialised.
pub(super) fn fields_json(text: &str, label: Option<&str>) -> Value {
    serde_json::to_value(read(text, label, TODAY).fields).unwrap()
}

/// The warning codes of field `key`; panics if there is no such field.
pub(super) fn warnings_of(fields: &Value, key: &str) -> Vec<String> {
    fields[key]["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("no field {key} in {fields}"))
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

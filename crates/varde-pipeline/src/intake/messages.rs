//! The words of intake's messages: sizes, plurals, articles. They name what was found, never
//! the document's content.

use super::*;

pub(super) fn malformed(media_type: MediaType, reason: impl Into<String>) -> IntakeError {
    IntakeError::Malformed {
        media_type,
        reason: reason.into(),
    }
}

pub(super) fn malformed_text(media_type: MediaType, reason: &str) -> String {
    match media_type {
        MediaType::Pdf => format!("the PDF is damaged: {reason}"),
        other => format!("the {} does not decode: {reason}", other.name()),
    }
}

pub(super) fn with_article(name: &str) -> String {
    if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

pub(super) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub(super) fn plural(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "25.3 MiB", "512 KiB", "10 bytes".
/// A byte count for people: "20 MiB", "25.3 MiB", "512 KiB".
pub fn size_text(bytes: u64) -> String {
    let trimmed = |value: f64, unit: &str| {
        let text = format!("{value:.1}");
        format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
    };
    if bytes >= MIB {
        trimmed(bytes as f64 / MIB as f64, "MiB")
    } else if bytes >= 1024 {
        trimmed(bytes as f64 / 1024.0, "KiB")
    } else {
        plural(bytes as usize, "byte")
    }
}

pub(super) fn megapixels(pixels: u64) -> String {
    let text = format!("{:.1}", pixels as f64 / 1e6);
    format!("{} megapixels", text.strip_suffix(".0").unwrap_or(&text))
}

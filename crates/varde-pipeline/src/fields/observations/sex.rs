//! The document's sex, for sex-specific default ranges: the sex field of an identity document,
//! else the national ID number (its ninth digit, under today's rule), else a `Kjønn:`/`Sex:`
//! line of a lab report.

use time::Date;
use varde_domain::national_id::{LegalSex, NationalId};

fn sex_word(word: &str) -> Option<LegalSex> {
    match word
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric())
    {
        "k" | "f" | "kvinne" | "female" | "kv" => Some(LegalSex::Female),
        "m" | "mann" | "male" => Some(LegalSex::Male),
        _ => None,
    }
}

/// The sex a `Kjønn: Kvinne` / `Sex: M` / `Gender: female` label in `text` states.
fn labelled_sex(text: &str) -> Option<LegalSex> {
    text.lines().find_map(|line| {
        let lower = line.to_lowercase();
        ["kjønn", "sex", "gender"].iter().find_map(|label| {
            let at = lower.find(label)?;
            let after = &line[at + label.len()..];
            let after = after.trim_start().strip_prefix(':')?;
            after.split_whitespace().next().and_then(sex_word)
        })
    })
}

pub(in crate::fields) fn document_sex(
    text: &str,
    sex_field: Option<&str>,
    national_id: Option<&str>,
    today: Date,
) -> Option<LegalSex> {
    sex_field
        .and_then(sex_word)
        .or_else(|| {
            national_id
                .and_then(|n| NationalId::parse(n, today).ok())
                .and_then(|n| n.legal_sex())
        })
        .or_else(|| labelled_sex(text))
}

//! The visual zone's labels, Norwegian, English and French as passports print them
//! (`Etternavn/Surname/Nom`), and where a labelled value is: after the label on its line, or on
//! the next non-blank line.

use varde_domain::document::FieldKey;

use super::super::text_index::TextIndex;

/// Each field's labels, lower case.
pub(super) const LABELS: [(FieldKey, &[&str]); 9] = [
    (FieldKey::Surname, &["etternavn", "surname", "nom"]),
    (
        FieldKey::GivenNames,
        &["fornavn", "given names", "given name", "prénoms", "prenoms"],
    ),
    (
        FieldKey::BirthDate,
        &["fødselsdato", "date of birth", "date de naissance", "født"],
    ),
    (
        FieldKey::DocumentNumber,
        &[
            "passnr",
            "passnummer",
            "passport no",
            "passport number",
            "dokumentnr",
            "dokumentnummer",
            "document no",
            "document number",
        ],
    ),
    (
        FieldKey::ExpiryDate,
        &[
            "utløpsdato",
            "date of expiry",
            "gyldig til",
            "expiry date",
            "expires",
            "date d'expiration",
        ],
    ),
    (
        FieldKey::IssueDate,
        &[
            "utstedelsesdato",
            "utstedt",
            "date of issue",
            "date de délivrance",
        ],
    ),
    (
        FieldKey::Nationality,
        &[
            "nasjonalitet",
            "statsborgerskap",
            "nationality",
            "nationalité",
        ],
    ),
    (FieldKey::Sex, &["kjønn", "sex", "sexe"]),
    (
        FieldKey::PersonalNumber,
        &[
            "personnr",
            "personnummer",
            "personal no",
            "personal number",
            "fødselsnummer",
        ],
    ),
];

/// Where `label` stands in `lower` as a whole word: its byte range.
fn find_word(lower: &str, label: &str) -> Option<(usize, usize)> {
    lower.match_indices(label).find_map(|(at, _)| {
        let end = at + label.len();
        let before = lower[..at].chars().next_back();
        let after = lower[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        (boundary(before) && boundary(after)).then_some((at, end))
    })
}

/// The end of the last of `labels` on the line, and where the first label of any other field
/// starts after it (a value ends there: `Fødselsdato 15.03.1985 Kjønn K`).
fn label_end(lower: &str, key: FieldKey, labels: &[&str]) -> Option<(usize, usize)> {
    let end = labels
        .iter()
        .filter_map(|l| find_word(lower, l))
        .map(|(_, e)| e)
        .max()?;
    let next = LABELS
        .iter()
        .filter(|(k, _)| *k != key)
        .flat_map(|(_, ls)| ls.iter())
        .filter_map(|l| find_word(&lower[end..], l).map(|(s, _)| end + s))
        .min()
        .unwrap_or(lower.len());
    Some((end, next))
}

/// Text that may hold `key`'s value: after its label on the same line (up to another field's
/// label), then the next non-blank line. Each with its byte offset in the text.
pub(super) fn labelled_values<'a>(
    index: &TextIndex<'a>,
    key: FieldKey,
    labels: &[&str],
) -> Vec<(&'a str, usize)> {
    let mut out = Vec::new();
    for (i, line) in index.lines.iter().enumerate() {
        let lower = line.text.to_lowercase();
        // Lower-casing changed byte lengths (rare letters): positions would not match.
        if lower.len() != line.text.len() {
            continue;
        }
        let Some((end, next)) = label_end(&lower, key, labels) else {
            continue;
        };
        let same = &line.text[end..next];
        let skipped = same.len() - same.trim_start_matches([' ', ':', '/', '.', '-']).len();
        out.push((&same[skipped..], line.byte_start + end + skipped));
        if let Some(next) = index.lines[i + 1..]
            .iter()
            .find(|l| !l.text.trim().is_empty())
        {
            out.push((next.text, next.byte_start));
        }
    }
    out
}

//! The language a document is written in, bokmål or English, by the words it uses: common
//! function words and the words of lab reports, Norwegian letters counting for bokmål. Ties go
//! to bokmål, Varde's first language.

use crate::analysis::Language;

const NORWEGIAN: &[&str] = &[
    "og",
    "ikke",
    "er",
    "med",
    "på",
    "av",
    "til",
    "for",
    "som",
    "det",
    "en",
    "et",
    "har",
    "prøvetatt",
    "prøve",
    "prøvesvar",
    "referanse",
    "referanseområde",
    "resultat",
    "enhet",
    "analyse",
    "svar",
    "pasient",
    "lege",
    "rekvirent",
    "kommentar",
    "lav",
    "høy",
    "kreatinin",
    "natrium",
    "kalium",
    "leukocytter",
    "trombocytter",
    "glukose",
    "blodtrykk",
    "puls",
    "innkomst",
    "vurdering",
    "epikrise",
    "fødselsnummer",
    "navn",
    "dato",
    "side",
];
const ENGLISH: &[&str] = &[
    "and",
    "not",
    "is",
    "with",
    "on",
    "of",
    "to",
    "the",
    "for",
    "as",
    "it",
    "a",
    "has",
    "collected",
    "sample",
    "report",
    "reference",
    "range",
    "result",
    "unit",
    "test",
    "patient",
    "physician",
    "requested",
    "comment",
    "low",
    "high",
    "creatinine",
    "sodium",
    "potassium",
    "platelets",
    "glucose",
    "blood",
    "pressure",
    "pulse",
    "admission",
    "assessment",
    "discharge",
    "summary",
    "name",
    "date",
    "page",
];

pub(in crate::fields) fn detect_language(text: &str) -> Language {
    let (mut nb, mut en) = (0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        if word.contains(['æ', 'ø', 'å']) || NORWEGIAN.contains(&word.as_str()) {
            nb += 1;
        }
        if ENGLISH.contains(&word.as_str()) {
            en += 1;
        }
    }
    if en > nb {
        Language::En
    } else {
        Language::Nb
    }
}

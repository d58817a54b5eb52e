//! The vocabulary of analytes and vitals, reviewed data in `data/lab-vocabulary.json` (embedded):
//! canonical names, LOINC codes, UCUM units with their printed spellings, Norwegian and English
//! names, default reference ranges and plausible values. Loaded and checked once; a printed name
//! is looked up by its most specific alias.

use std::sync::OnceLock;

use serde::Deserialize;
use varde_domain::national_id::LegalSex;

use super::names::name_key;
use super::units::spelling_key;

const VOCABULARY_JSON: &str = include_str!("../../../data/lab-vocabulary.json");

#[derive(Debug, thiserror::Error)]
pub(crate) enum VocabularyError {
    #[error("the lab vocabulary is not valid: {0}")]
    Json(#[from] serde_json::Error),
    #[error("lab vocabulary entry {name:?}: {problem}")]
    Entry { name: String, problem: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Lab,
    Vital,
}

/// A range's two ends, either open (`null`).
pub(crate) type Bounds = [Option<f64>; 2];

/// A default reference range: one for everyone, or one per sex.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefaultRange {
    pub(crate) all: Option<Bounds>,
    pub(crate) female: Option<Bounds>,
    pub(crate) male: Option<Bounds>,
}

impl DefaultRange {
    /// The range for `sex`, or, when the sex is unknown and the ranges differ by sex, both.
    pub(crate) fn for_sex(&self, sex: Option<LegalSex>) -> Vec<Bounds> {
        match (self.all, sex) {
            (Some(all), _) => vec![all],
            (None, Some(LegalSex::Female)) => self.female.into_iter().collect(),
            (None, Some(LegalSex::Male)) => self.male.into_iter().collect(),
            (None, None) => self.female.into_iter().chain(self.male).collect(),
        }
    }
}

/// One accepted unit of an analyte.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnitVariant {
    pub(crate) ucum: String,
    /// The LOINC code in this unit, when the property differs from the entry's (mass versus
    /// molar concentration).
    pub(crate) code: Option<String>,
    pub(crate) spellings: Vec<String>,
    /// Printed without a unit (INR): a value with no unit is in this one.
    #[serde(default)]
    pub(crate) unitless: bool,
    pub(crate) range: Option<DefaultRange>,
    /// Values outside are not a reading of this analyte in this unit (a page number, a date).
    pub(crate) plausible: Option<[f64; 2]>,
}

impl UnitVariant {
    pub(crate) fn plausible(&self, value: f64) -> bool {
        self.plausible
            .is_none_or(|[lo, hi]| (lo..=hi).contains(&value))
    }

    /// Whether `printed` (as written) is one of this unit's spellings or its UCUM code.
    pub(crate) fn spelled(&self, printed: &str) -> bool {
        let key = spelling_key(printed);
        key == spelling_key(&self.ucum) || self.spellings.iter().any(|s| spelling_key(s) == key)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) code: String,
    pub(crate) kind: Kind,
    pub(crate) nb: Vec<String>,
    pub(crate) en: Vec<String>,
    pub(crate) units: Vec<UnitVariant>,
}

impl Entry {
    /// The canonical unit.
    pub(crate) fn unit(&self) -> &UnitVariant {
        &self.units[0]
    }

    /// The LOINC code of a reading in `unit`.
    pub(crate) fn code_in<'a>(&'a self, unit: Option<&'a UnitVariant>) -> &'a str {
        unit.and_then(|u| u.code.as_deref()).unwrap_or(&self.code)
    }

    /// The unit `printed` is a spelling of.
    pub(crate) fn unit_spelled(&self, printed: &str) -> Option<&UnitVariant> {
        self.units.iter().find(|u| u.spelled(printed))
    }

    fn aliases(&self) -> impl Iterator<Item = &String> {
        self.nb.iter().chain(&self.en)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    #[serde(rename = "about")]
    _about: String,
    entries: Vec<Entry>,
    other_names: Vec<String>,
}

/// The vocabulary, checked.
pub(crate) struct Vocabulary {
    pub(crate) entries: Vec<Entry>,
    /// Analytes recognised by name but not coded.
    pub(crate) other_names: Vec<String>,
}

/// What a printed name is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Known<'v> {
    Coded(&'v Entry),
    /// Recognised as an analyte, without a code.
    Uncoded,
}

impl Vocabulary {
    pub(crate) fn parse(json: &str) -> Result<Vocabulary, VocabularyError> {
        let file: VocabularyFile = serde_json::from_str(json)?;
        for e in &file.entries {
            let problem = if !loinc_check_digit_holds(&e.code) {
                Some(format!("LOINC code {} fails its check digit", e.code))
            } else if let Some(c) = e
                .units
                .iter()
                .filter_map(|u| u.code.as_deref())
                .find(|c| !loinc_check_digit_holds(c))
            {
                Some(format!("LOINC code {c} fails its check digit"))
            } else if e.units.is_empty() {
                Some("no unit".to_string())
            } else if e.nb.is_empty() || e.en.is_empty() {
                Some("needs Norwegian and English names".to_string())
            } else if e.aliases().any(|a| a.trim() != a || a.to_lowercase() != *a) {
                Some("names are lower case, without surrounding spaces".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(VocabularyError::Entry {
                    name: e.name.clone(),
                    problem,
                });
            }
        }
        Ok(Vocabulary {
            entries: file.entries,
            other_names: file.other_names,
        })
    }

    /// The entry a printed name names: the one with the most specific alias (most words, then
    /// longest) found as whole words in it, so "HDL-kolesterol" is HDL and "Blodtrykk systolisk"
    /// is the systolic pressure, not blood pressure.
    pub(crate) fn lookup(&self, printed: &str) -> Option<Known<'_>> {
        let key = name_key(printed);
        let score = |alias: &str| (alias.split_whitespace().count(), alias.len());
        let mut best: Option<((usize, usize), Known<'_>)> = None;
        for entry in &self.entries {
            for alias in entry.aliases() {
                if has_words(&key, alias) && best.as_ref().is_none_or(|(s, _)| score(alias) > *s) {
                    best = Some((score(alias), Known::Coded(entry)));
                }
            }
        }
        if best.is_none() && self.other_names.iter().any(|a| has_words(&key, a)) {
            return Some(Known::Uncoded);
        }
        best.map(|(_, k)| k)
    }

    /// The entry named `name` (canonical).
    pub(crate) fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Whether `token` is a unit spelling of any entry.
    pub(crate) fn knows_unit(&self, token: &str) -> bool {
        self.entries
            .iter()
            .flat_map(|e| &e.units)
            .any(|u| !u.unitless && u.spelled(token))
    }
}

/// `alias` as whole words of `key` (a [`name_key`]: lower case, padded with spaces).
fn has_words(key: &str, alias: &str) -> bool {
    key.contains(&format!(" {alias} "))
}

/// LOINC's mod-10 check digit (the Luhn algorithm over the digits before the hyphen).
pub(crate) fn loinc_check_digit_holds(code: &str) -> bool {
    let Some((number, check)) = code.split_once('-') else {
        return false;
    };
    if number.is_empty()
        || check.len() != 1
        || !code.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    {
        return false;
    }
    let sum: u32 = number
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let d = 2 * d;
                d - if d > 9 { 9 } else { 0 }
            } else {
                d
            }
        })
        .sum();
    check.parse::<u32>().ok() == Some((10 - sum % 10) % 10)
}

/// The embedded vocabulary (a test proves it loads).
pub(crate) fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        Vocabulary::parse(VOCABULARY_JSON)
            .expect("the embedded lab vocabulary is checked by a test")
    })
}

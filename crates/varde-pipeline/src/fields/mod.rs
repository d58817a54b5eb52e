//! Field reading: structured facts read from a document's text, for the reviewer to check
//! against the case — pure functions, no I/O, no clock (the caller passes `today`).
//!
//! - **MRZ** (ICAO 9303 TD3 2×44, TD2 2×36, TD1 3×30, visas MRV-A 2×44 and MRV-B 2×36),
//!   tolerant of OCR noise: spaces inside lines, lower case, `«`/`‹`/`く` for `<`, `K` for `<`
//!   after three fillers, lines a few fillers too long or short. The usual confusions (`O`/`0`,
//!   `I`/`1`, `B`/`8`, `S`/`5`, `Z`/`2`, `G`/`6`, `D`/`Q`/`U` for `0`) are repaired by field type
//!   only where a check digit then confirms the repair, or, in fields without one (names,
//!   country codes), where the alphabet forces it; each repair is recorded on its field
//!   (`repairs`, warning `mrz_repaired`). A failing check digit adds `mrz_check_failed` to its
//!   field and to the `mrz` field; the zone is kept. See [`mrz`] and its `century` module for
//!   the birth century.
//! - **National ID** (fødselsnummer, D-, H-nummer): 11 digits (or `DDMMYY NNNNN`) that
//!   `domain::national_id` accepts, on any document — a lab report's patient number is what ties
//!   it to the case. A Norwegian passport's MRZ personal number counts too.
//!   A labelled number that fails validation is still shown, with `national_id_invalid`; a valid
//!   one that does not fit the document's date of birth gets `national_id_birth_date_mismatch`.
//! - **Visual zone** of identity documents, Norwegian and English labels (see [`visual_zone`]):
//!   names, dates, document number, nationality, sex, personal number; driving licences by
//!   their numbered fields. They fill what the MRZ lacks, or are cross-checked against it
//!   (`visual_zone_mismatch`).
//! - **Observations** (lab values, vitals), coded from the reviewed vocabulary
//!   (`data/lab-vocabulary.json`): canonical English name, LOINC code, the name as printed, the
//!   value, its UCUM unit, the printed range or else the vocabulary's default (sex-specific when
//!   the document's sex is known), the flag, the source (page and offsets) and a confidence.
//!   Precision over recall — a wrongly flagged value is worse than a missed one — so a line
//!   counts only if its name is a known analyte or vital, or it has a known unit *and* a
//!   reference range; names that are dates, pages, phones, addresses or IDs are refused, as are
//!   lines with numbers left over that are not another known result. Blood pressure `142/91` is
//!   one observation with systolic and diastolic components. A deterministic summary words them
//!   in the document's language. See [`observations`].
//!
//! Identity fields (everything from the MRZ and the visual zone) are only read when an MRZ is
//! found, the text has a driving licence's numbered fields, or the label is `passport`,
//! `national_id` or `drivers_license`; observations only for
//! `lab_report` and `discharge_summary`, or when at least [`MIN_TABLE_ROWS`] lines are clearly
//! lab-table rows (value, known unit and reference range).
//!
//! Offsets (`start`, `end`) are in UTF-16 code units of the analysed text (the UI slices a
//! JavaScript string with them). Fields are `key → {value, start, end, warnings, repairs,
//! confidence}`; the confidence scale is in [`confidence`].

mod confidence;
mod mrz;
mod national_id;
mod observations;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
mod text_index;
mod visual_zone;

use time::Date;

use varde_domain::document::{self, Field, FieldKey, FieldWarning, Fields};
use varde_domain::national_id::NationalId;

use crate::analysis::{LabSummary, Observation};

use mrz::*;
use national_id::*;
use observations::*;
use text_index::*;
use visual_zone::*;

/// What extraction found in one document's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extraction {
    pub fields: Fields,
    pub observations: Vec<Observation>,
    /// The observations in a paragraph for the clinician; `None` without observations.
    pub summary: Option<LabSummary>,
}

/// Lab-table rows (value, known unit, reference range) that make a document's observations worth
/// reading whatever its label.
pub const MIN_TABLE_ROWS: usize = 3;

const IDENTITY_LABELS: [&str; 3] = ["passport", "national_id", "drivers_license"];
const CLINICAL_LABELS: [&str; 2] = ["lab_report", "discharge_summary"];

/// How well a text reads as an MRZ, worse first when sorted in reverse: check digits that fail,
/// then characters repaired. Used to choose between two readings of one zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MrzQuality {
    pub failed: usize,
    pub repaired: usize,
}

/// The quality of the MRZ in `text`, or `None` if it has none (a zone needs at least two check
/// digits that hold).
pub fn mrz_quality(text: &str) -> Option<MrzQuality> {
    let mut set = FieldSet::default();
    mrz::find_mrz(&TextIndex::new(text), &[], Date::MAX)?.into_fields(&mut set);
    let fields = set.0.iter().filter(|(k, _)| *k != FieldKey::Mrz);
    let (mut failed, mut repaired) = (0, 0);
    for (_, f) in fields {
        failed += usize::from(f.warnings.contains(&FieldWarning::MrzCheckFailed));
        repaired += f.repairs.len();
    }
    Some(MrzQuality { failed, repaired })
}

/// Extracts fields and observations from `text`; `label` is the classifier's label, if any.
pub fn read(text: &str, label: Option<&str>, today: Date) -> Extraction {
    let index = TextIndex::new(text);
    let mut fields = FieldSet::default();

    let ids = NationalIdCandidates::find(&index, today);
    let visual = read_visual_zone(&index, label, today);
    let mut birth_evidence = ids.exact_birth_dates();
    birth_evidence.extend(visual.birth_date());
    let mrz = find_mrz(&index, &birth_evidence, today);
    let identity =
        mrz.is_some() || visual.is_licence() || label.is_some_and(|l| IDENTITY_LABELS.contains(&l));
    let mrz_personal_number = mrz.as_ref().and_then(|m| m.personal_number.clone());
    if let Some(mrz) = mrz {
        mrz.into_fields(&mut fields);
    }
    if identity {
        visual.merge_into(&mut fields, today);
    }
    ids.into_field(today, mrz_personal_number, &mut fields);

    let sex = document_sex(
        text,
        fields.get(FieldKey::Sex).map(|f| f.value.as_str()),
        fields.get(FieldKey::NationalId).map(|f| f.value.as_str()),
        today,
    );
    let read = read_observations(&index, sex);
    let clinical =
        label.is_some_and(|l| CLINICAL_LABELS.contains(&l)) || read.table_rows >= MIN_TABLE_ROWS;
    let observations = if clinical {
        read.observations
    } else {
        Vec::new()
    };
    let summary = summarise(&observations, detect_language(text));

    Extraction {
        fields: fields.into_fields(&index),
        observations,
        summary,
    }
}

/// A field before its offsets are converted: byte span in the text.
#[derive(Clone, Debug)]
struct RawField {
    value: String,
    span: Option<(usize, usize)>,
    warnings: Vec<FieldWarning>,
    repairs: Vec<document::Repair>,
    confidence: f32,
}

impl RawField {
    fn new(value: String, span: Option<(usize, usize)>, confidence: f32) -> RawField {
        RawField {
            value,
            span,
            warnings: Vec::new(),
            repairs: Vec::new(),
            confidence,
        }
    }
}

/// The fields read so far, in the order they were read.
#[derive(Default)]
struct FieldSet(Vec<(FieldKey, RawField)>);

impl FieldSet {
    fn get(&self, key: FieldKey) -> Option<&RawField> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, f)| f)
    }

    fn get_mut(&mut self, key: FieldKey) -> Option<&mut RawField> {
        self.0.iter_mut().find(|(k, _)| *k == key).map(|(_, f)| f)
    }

    fn set(&mut self, key: FieldKey, field: RawField) {
        match self.get_mut(key) {
            Some(existing) => *existing = field,
            None => self.0.push((key, field)),
        }
    }

    fn into_fields(self, index: &TextIndex) -> Fields {
        self.0
            .into_iter()
            .map(|(key, f)| {
                let (start, end) = match f.span {
                    Some((s, e)) => (Some(index.utf16(s)), Some(index.utf16(e))),
                    None => (None, None),
                };
                let mut field = Field {
                    value: f.value,
                    start,
                    end,
                    warnings: Vec::new(),
                    repairs: f.repairs,
                    confidence: f.confidence,
                };
                f.warnings.into_iter().for_each(|w| field.warn(w));
                (key, field)
            })
            .collect()
    }
}

fn add_warning(warnings: &mut Vec<FieldWarning>, warning: FieldWarning) {
    if !warnings.contains(&warning) {
        warnings.push(warning);
    }
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

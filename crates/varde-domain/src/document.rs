//! What a document says, as the pipeline read it: identity fields, each with where in the text
//! it was read and what is wrong with it, and observations (lab values and vitals). Plain typed
//! records: the pipeline fills them, the checks read them, and they are serialised only at the
//! edges (the worker's reply, the store, the window).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The fields a document can carry, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKey {
    /// The machine-readable zone itself; its value is the format (`TD1`, `TD2`, `TD3`).
    Mrz,
    DocumentType,
    IssuingState,
    Surname,
    GivenNames,
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    /// The MRZ's optional data (a Norwegian passport's fødselsnummer).
    PersonalNumber,
    /// A fødselsnummer, D- or H-nummer found anywhere in the text.
    NationalId,
}

impl FieldKey {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKey::Mrz => "mrz",
            FieldKey::DocumentType => "document_type",
            FieldKey::IssuingState => "issuing_state",
            FieldKey::Surname => "surname",
            FieldKey::GivenNames => "given_names",
            FieldKey::DocumentNumber => "document_number",
            FieldKey::Nationality => "nationality",
            FieldKey::BirthDate => "birth_date",
            FieldKey::Sex => "sex",
            FieldKey::ExpiryDate => "expiry_date",
            FieldKey::PersonalNumber => "personal_number",
            FieldKey::NationalId => "national_id",
        }
    }
}

/// What is wrong with a field, as a stable code the window words for the reviewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldWarning {
    /// A check digit over this field (or, on `mrz`, any) does not match.
    MrzCheckFailed,
    /// A date that does not exist (31 February).
    InvalidDate,
    /// Characters outside the MRZ alphabet where letters were expected.
    UnreadableCharacters,
    /// The expiry date is before today.
    Expired,
    /// The visual zone states another value than the MRZ.
    VisualZoneMismatch,
    /// More than one different national ID number in the text.
    MultipleNationalIds,
    /// The name is not the case subject's.
    NameMismatch,
    /// The date of birth is not the case subject's.
    BirthDateMismatch,
    /// The national ID number is not the case subject's.
    NationalIdMismatch,
}

impl FieldWarning {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldWarning::MrzCheckFailed => "mrz_check_failed",
            FieldWarning::InvalidDate => "invalid_date",
            FieldWarning::UnreadableCharacters => "unreadable_characters",
            FieldWarning::Expired => "expired",
            FieldWarning::VisualZoneMismatch => "visual_zone_mismatch",
            FieldWarning::MultipleNationalIds => "multiple_national_ids",
            FieldWarning::NameMismatch => "name_mismatch",
            FieldWarning::BirthDateMismatch => "birth_date_mismatch",
            FieldWarning::NationalIdMismatch => "national_id_mismatch",
        }
    }
}

/// One field: its value, where it was read (UTF-16 offsets into the analysed text, what the
/// window slices a JavaScript string with), and its warnings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
pub struct Field {
    pub value: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
    #[serde(default)]
    pub warnings: Vec<FieldWarning>,
}

impl Field {
    /// Adds `warning` unless the field has it already.
    pub fn warn(&mut self, warning: FieldWarning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }
}

/// A document's fields by name; a field the document does not carry is absent.
pub type Fields = BTreeMap<FieldKey, Field>;

/// Where an observation's reference range came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeSource {
    /// Printed in the document.
    Document,
    /// Varde's standard adult range for a vital sign, used when the document prints none.
    StandardAdult,
}

/// Whether a value is below, within or above its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Low,
    Normal,
    High,
}

/// A censored result's comparator: `<5`, `>90`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
pub enum Comparator {
    #[serde(rename = "<")]
    Below,
    #[serde(rename = ">")]
    Above,
}

/// A lab value or vital sign read from one line of the text.
#[derive(Clone, Debug, PartialEq, Serialize, TS, Deserialize)]
pub struct Observation {
    /// The name as printed.
    pub name: String,
    pub value: f64,
    pub comparator: Option<Comparator>,
    pub unit: Option<String>,
    pub ref_low: Option<f64>,
    pub ref_high: Option<f64>,
    pub ref_source: Option<RangeSource>,
    /// `None` when there is no range and no printed marker.
    pub flag: Option<Flag>,
    /// UTF-16 offsets of the line it was read from.
    pub start: usize,
    pub end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_serialise_with_the_names_the_window_and_the_store_use() {
        let mut fields = Fields::new();
        let mut field = Field {
            value: "2031-03-12".into(),
            start: Some(3),
            end: Some(9),
            warnings: vec![],
        };
        field.warn(FieldWarning::Expired);
        field.warn(FieldWarning::Expired);
        fields.insert(FieldKey::ExpiryDate, field);
        let json = serde_json::to_value(&fields).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"expiry_date": {"value": "2031-03-12", "start": 3, "end": 9, "warnings": ["expired"]}})
        );
        assert_eq!(serde_json::from_value::<Fields>(json).unwrap(), fields);
        for key in [FieldKey::Mrz, FieldKey::GivenNames, FieldKey::NationalId] {
            assert_eq!(serde_json::to_value(key).unwrap(), key.as_str());
        }
        for w in [
            FieldWarning::MrzCheckFailed,
            FieldWarning::NationalIdMismatch,
        ] {
            assert_eq!(serde_json::to_value(w).unwrap(), w.as_str());
        }

        let observation = Observation {
            name: "Kreatinin".into(),
            value: 4.0,
            comparator: Some(Comparator::Below),
            unit: Some("µmol/L".into()),
            ref_low: Some(60.0),
            ref_high: Some(105.0),
            ref_source: Some(RangeSource::Document),
            flag: Some(Flag::Low),
            start: 0,
            end: 20,
        };
        let json = serde_json::to_value(&observation).unwrap();
        assert_eq!(json["comparator"], "<");
        assert_eq!(json["ref_source"], "document");
        assert_eq!(json["flag"], "low");
        assert_eq!(
            serde_json::from_value::<Observation>(json).unwrap(),
            observation
        );
    }
}

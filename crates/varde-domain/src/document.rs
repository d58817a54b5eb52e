//! What a document says, as the pipeline read it: identity fields, each with where in the text
//! it was read and what is wrong with it. Plain typed records: the pipeline fills them, the
//! checks read them, and they are serialised only at the edges (the worker's reply, the store,
//! the window). Observations (lab values and vitals) are the pipeline's own records
//! (`varde_pipeline::analysis::Observation`): no rule of the domain reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The fields a document can carry, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKey {
    /// The machine-readable zone itself; its value is the format (`TD1`, `TD2`, `TD3`, `MRV-A`,
    /// `MRV-B`).
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
    /// The date the document was issued (a driving licence's field 4a).
    IssueDate,
    /// Who issued the document (a driving licence's field 4c).
    IssuingAuthority,
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
            FieldKey::IssueDate => "issue_date",
            FieldKey::IssuingAuthority => "issuing_authority",
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
    /// Characters of the MRZ were corrected (see the field's `repairs`).
    MrzRepaired,
    /// The document's national ID number is valid but gives another date of birth than the
    /// document states.
    NationalIdBirthDateMismatch,
    /// A labelled national ID number fails validation; shown as read, for the reviewer to check.
    NationalIdInvalid,
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
            FieldWarning::MrzRepaired => "mrz_repaired",
            FieldWarning::NationalIdBirthDateMismatch => "national_id_birth_date_mismatch",
            FieldWarning::NationalIdInvalid => "national_id_invalid",
        }
    }
}

/// One field: its value, where it was read (UTF-16 offsets into the analysed text, what the
/// window slices a JavaScript string with), its warnings, the characters the reader corrected,
/// and how far the reading can be trusted.
#[derive(Clone, Debug, PartialEq, Serialize, TS, Deserialize)]
pub struct Field {
    pub value: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
    #[serde(default)]
    pub warnings: Vec<FieldWarning>,
    /// Characters read as one thing and corrected to another (OCR confusions such as `O`/`0`);
    /// absent when nothing was corrected, and in analyses stored before repairs were recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<Repair>>", inline)]
    pub repairs: Vec<Repair>,
    /// How far the value can be trusted, 0–1, from how it was read (a confirming check digit,
    /// a repair, the visual zone agreeing); the scale is the field reader's. 0 in analyses
    /// stored before confidence was recorded.
    #[serde(default)]
    pub confidence: f32,
}

/// One corrected character run of a field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
pub struct Repair {
    /// Character index of the correction in the field as printed (for a value's own characters,
    /// its index in the value; a correction in trailing fillers lies past the value's end).
    #[ts(type = "number")]
    pub at: u32,
    /// What the text had.
    pub read: String,
    /// What the reader took it to be.
    pub corrected: String,
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
            repairs: vec![],
            confidence: 0.99,
        };
        field.warn(FieldWarning::Expired);
        field.warn(FieldWarning::Expired);
        fields.insert(FieldKey::ExpiryDate, field);
        let json = serde_json::to_value(&fields).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"expiry_date": {"value": "2031-03-12", "start": 3, "end": 9, "warnings": ["expired"], "confidence": 0.99f32}})
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
    }

    #[test]
    fn repairs_serialise_and_old_fields_without_repairs_or_confidence_still_load() {
        let old = serde_json::json!({"value": "NOR", "start": 1, "end": 4, "warnings": []});
        let field: Field = serde_json::from_value(old).unwrap();
        assert!(field.repairs.is_empty());
        assert_eq!(field.confidence, 0.0);

        let repaired = Field {
            value: "1974-08-12".into(),
            start: None,
            end: None,
            warnings: vec![FieldWarning::MrzRepaired],
            repairs: vec![Repair {
                at: 1,
                read: "I".into(),
                corrected: "1".into(),
            }],
            confidence: 0.9,
        };
        let json = serde_json::to_value(&repaired).unwrap();
        assert_eq!(
            json["repairs"],
            serde_json::json!([{"at": 1, "read": "I", "corrected": "1"}])
        );
        assert_eq!(json["warnings"], serde_json::json!(["mrz_repaired"]));
        assert_eq!(serde_json::from_value::<Field>(json).unwrap(), repaired);
    }
}

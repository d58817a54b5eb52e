//! The AI signal: what the classifier's output means for a reviewer. The AI only suggests; a
//! human decides. It suggests `approve` only when it is confident and nothing else is wrong:
//! every warning extraction or the case check puts on a field that a reviewer must look at
//! (expired, check digit failed, zones disagree, someone else's document, an invalid national
//! ID number) is a concern, named by the warning's own code, and turns the suggestion into
//! manual review with those codes as its reasons.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::document::{FieldWarning, Fields};
use super::Suggestion;

/// Something about a document that makes a confident label not enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// The classifier could not run (missing runtime or model).
    NoClassifier,
    /// No text could be read from the document.
    NoText,
    /// OCR read the page with low confidence.
    LowOcrConfidence,
    /// The label is `other`: not a document this workflow expects.
    UnrecognisedDocument,
    /// The same file is already in another case.
    DuplicateFile,
    /// A page's text layer (often invisible) says something other than what the page shows.
    TextLayerDiffers,
    /// A check digit of the MRZ does not match.
    MrzCheckFailed,
    /// The visual zone and the MRZ state different values.
    VisualZoneMismatch,
    /// The document's expiry date has passed.
    Expired,
    /// The holder's name is not the case subject's.
    NameMismatch,
    /// The holder's date of birth is not the case subject's.
    BirthDateMismatch,
    /// The national ID number is not the case subject's.
    NationalIdMismatch,
    /// The document carries different national ID numbers.
    MultipleNationalIds,
    /// A labelled national ID number fails its control digits.
    NationalIdInvalid,
    /// The national ID number does not fit the date of birth beside it.
    NationalIdBirthDateMismatch,
    /// The classifier's label is not the kind of document the MRZ's document code states.
    LabelDiffersFromMrz,
}

impl Concern {
    /// The concern a field warning raises, if a reviewer must look at it.
    pub fn of_warning(warning: FieldWarning) -> Option<Concern> {
        Some(match warning {
            FieldWarning::MrzCheckFailed => Concern::MrzCheckFailed,
            FieldWarning::VisualZoneMismatch => Concern::VisualZoneMismatch,
            FieldWarning::Expired => Concern::Expired,
            FieldWarning::NameMismatch => Concern::NameMismatch,
            FieldWarning::BirthDateMismatch => Concern::BirthDateMismatch,
            FieldWarning::NationalIdMismatch => Concern::NationalIdMismatch,
            FieldWarning::MultipleNationalIds => Concern::MultipleNationalIds,
            FieldWarning::NationalIdInvalid => Concern::NationalIdInvalid,
            FieldWarning::NationalIdBirthDateMismatch => Concern::NationalIdBirthDateMismatch,
            // A repair its check digit confirmed is shown on the field, not a doubt in itself;
            // a date that does not exist comes with a failed check digit.
            FieldWarning::MrzRepaired
            | FieldWarning::InvalidDate
            | FieldWarning::UnreadableCharacters => return None,
        })
    }
}

/// Whether `label` is a kind of document an MRZ with `document_code` (its first one or two
/// characters) can be on: `P` passports; `I`, `A`, `C` identity and residence cards; `V` visas,
/// which are pages of a passport or stand alone; `D` the few driving licences with one. A zone
/// whose check digits hold is better evidence of the kind than the text around it.
pub fn label_fits_mrz(label: &str, document_code: &str) -> bool {
    match document_code.chars().next() {
        Some('P') => label == "passport",
        Some('I' | 'A' | 'C') => label == "national_id",
        Some('V') => matches!(label, "passport" | "other"),
        Some('D') => label == "drivers_license",
        _ => true,
    }
}

/// The concerns `fields`' warnings raise, each once, in the order the fields list them.
pub fn field_concerns(fields: &Fields) -> Vec<Concern> {
    let mut out = Vec::new();
    for warning in fields.values().flat_map(|f| f.warnings.iter().copied()) {
        if let Some(c) = Concern::of_warning(warning).filter(|c| !out.contains(c)) {
            out.push(c);
        }
    }
    out
}

/// Adds `more` concerns to a document's signal (the case check, done outside the worker): an
/// `approve` becomes manual review if any is new.
pub fn add_concerns(suggestion: &mut Suggestion, concerns: &mut Vec<Concern>, more: &[Concern]) {
    for c in more {
        if !concerns.contains(c) {
            concerns.push(*c);
        }
    }
    if !concerns.is_empty() {
        *suggestion = Suggestion::ManualReview;
    }
}

/// OCR below this mean confidence is too unsure to act on.
pub const MIN_OCR_CONFIDENCE: f32 = 0.55;

/// The suggestion for one document, and whether its label must be shown as uncertain (below the
/// threshold the label is never shown as a plain answer).
pub fn suggest(
    confidence: Option<f32>,
    threshold: f64,
    concerns: &[Concern],
) -> (Suggestion, bool) {
    // Compared in f32, the model's precision: 0.70_f32 widened to f64 is 0.6999…, which must
    // still count as "at the threshold".
    let confident = confidence.is_some_and(|c| c >= threshold as f32);
    let suggestion = if confident && concerns.is_empty() {
        Suggestion::Approve
    } else {
        Suggestion::ManualReview
    };
    (suggestion, !confident)
}

/// A case's suggestion from its documents': approve only if every document's is approve.
pub fn case_suggestion(documents: &[Suggestion]) -> Suggestion {
    if !documents.is_empty() && documents.iter().all(|s| *s == Suggestion::Approve) {
        Suggestion::Approve
    } else {
        Suggestion::ManualReview
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approve_needs_confidence_at_the_threshold_and_no_concern() {
        assert_eq!(suggest(Some(0.70), 0.70, &[]), (Suggestion::Approve, false));
        assert_eq!(
            suggest(Some(0.69), 0.70, &[]),
            (Suggestion::ManualReview, true)
        );
        assert_eq!(
            suggest(Some(0.99), 0.70, &[Concern::LowOcrConfidence]),
            (Suggestion::ManualReview, false)
        );
        assert_eq!(
            suggest(None, 0.70, &[Concern::NoClassifier]),
            (Suggestion::ManualReview, true)
        );
    }

    #[test]
    fn every_warning_a_reviewer_must_see_is_a_concern_named_by_its_code_and_blocks_approval() {
        use crate::document::{Field, FieldKey};
        let field = |warnings: Vec<FieldWarning>| Field {
            value: "x".into(),
            start: None,
            end: None,
            warnings,
            repairs: Vec::new(),
            confidence: 0.9,
        };
        let fields: Fields = [
            (FieldKey::ExpiryDate, field(vec![FieldWarning::Expired])),
            (
                FieldKey::DocumentNumber,
                field(vec![FieldWarning::MrzCheckFailed]),
            ),
            (FieldKey::Mrz, field(vec![FieldWarning::MrzCheckFailed])),
            (FieldKey::Surname, field(vec![FieldWarning::InvalidDate])),
        ]
        .into_iter()
        .collect();
        let concerns = field_concerns(&fields);
        assert_eq!(concerns.len(), 2, "{concerns:?}");
        assert!(
            concerns.contains(&Concern::Expired) && concerns.contains(&Concern::MrzCheckFailed)
        );
        let json = serde_json::to_string(&concerns).unwrap();
        assert!(
            json.contains("\"expired\"") && json.contains("\"mrz_check_failed\""),
            "{json}"
        );
        assert_eq!(
            suggest(Some(0.99), 0.7, &concerns).0,
            Suggestion::ManualReview
        );

        let (mut suggestion, mut concerns) = (Suggestion::Approve, Vec::new());
        add_concerns(&mut suggestion, &mut concerns, &[]);
        assert_eq!(suggestion, Suggestion::Approve);
        add_concerns(&mut suggestion, &mut concerns, &[Concern::NameMismatch]);
        assert_eq!(
            (suggestion, concerns),
            (Suggestion::ManualReview, vec![Concern::NameMismatch])
        );
    }

    #[test]
    fn the_mrz_document_code_names_the_kinds_of_document_it_can_be_on() {
        assert!(label_fits_mrz("passport", "P"));
        assert!(!label_fits_mrz("national_id", "P"));
        assert!(label_fits_mrz("national_id", "ID"));
        assert!(label_fits_mrz("national_id", "I"));
        assert!(!label_fits_mrz("national_id", "VI"));
        assert!(label_fits_mrz("other", "V"));
        assert!(label_fits_mrz("lab_report", ""), "no code, no evidence");
    }

    #[test]
    fn a_case_is_suggested_for_approval_only_when_all_its_documents_are() {
        use Suggestion::*;
        assert_eq!(case_suggestion(&[Approve, Approve]), Approve);
        assert_eq!(case_suggestion(&[Approve, ManualReview]), ManualReview);
        assert_eq!(case_suggestion(&[]), ManualReview);
    }
}

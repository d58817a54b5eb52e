//! The AI signal: what the classifier's output means for a reviewer. The AI only suggests; a
//! human decides. It suggests `approve` only when it is confident and nothing else is wrong.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    fn a_case_is_suggested_for_approval_only_when_all_its_documents_are() {
        use Suggestion::*;
        assert_eq!(case_suggestion(&[Approve, Approve]), Approve);
        assert_eq!(case_suggestion(&[Approve, ManualReview]), ManualReview);
        assert_eq!(case_suggestion(&[]), ManualReview);
    }
}

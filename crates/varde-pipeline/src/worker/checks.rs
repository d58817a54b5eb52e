//! What the parent checks in a worker's answer before anything of it is stored, shown or signed
//! into the audit log. The worker parses hostile files and may be under a document's control, so
//! every label, code, media type, model name and suggestion must come from the known sets, and
//! numbers must be in range; a suggestion must follow from the confidence and concerns it came
//! with. An answer that fails is refused whole (the worker is stopped), never repaired.

use varde_domain::signal;

use crate::analysis::{Analysis, Refusal, Request, Stage};
use crate::media::MediaType;
use crate::preview::{Preview, PreviewRequest, MAX_PREVIEW_PIXELS, MAX_PREVIEW_WIDTH};

/// Every label the classifier may give (its model card's `labels`; a test keeps them equal).
pub const KNOWN_LABELS: [&str; 9] = [
    "passport",
    "national_id",
    "drivers_license",
    "medical_certificate",
    "lab_report",
    "discharge_summary",
    "prescription",
    "referral",
    "other",
];

/// Every code a worker may refuse a document or a page with: intake's, the text step's, the
/// previewer's and the worker's own.
pub const REFUSAL_CODES: &[&str] = &[
    // intake::IntakeError::code
    "empty",
    "too_large",
    "unsupported_type",
    "type_mismatch",
    "polyglot",
    "encrypted_pdf",
    "active_content",
    "pixel_budget",
    "no_pages",
    "too_many_pages",
    "malformed",
    // analysis::run
    "ocr_unavailable",
    // preview::PreviewError::code
    "not_open",
    "no_such_page",
    "render_timed_out",
    "page_unreadable",
    "encode_failed",
    // the worker's own
    "bad_request",
];

/// Codes only debug builds' injected faults answer with (see `faults`).
#[cfg(debug_assertions)]
pub const FAULT_CODES: &[&str] = &[
    "environment",
    "access_denied",
    "sandbox_escaped",
    "fault_task",
];

/// The model names the pipeline gives: `name@version`, short, of plain characters.
const MAX_MODEL_NAME: usize = 64;
/// Enough for every warning a long document earns; more is a worker out of control.
const MAX_WARNINGS: usize = 1000;
const MAX_WARNING_CHARS: usize = 1000;

/// Why a worker's answer was refused. Names what was wrong, never the offending value (it could
/// be anything, a document's text included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplyProblem {
    #[error("it answered another request than the one asked")]
    WrongRequestId,
    #[error("it sent a frame larger than the upload limit allows")]
    FrameTooLarge,
    #[error("its answer could not be read")]
    Unreadable,
    #[error("it answered with the wrong kind of result")]
    WrongKind,
    #[error("it refused with a code Varde does not know")]
    UnknownRefusalCode,
    #[error("it gave a label the classifier does not have")]
    UnknownLabel,
    #[error("it named a media type Varde does not accept")]
    UnknownMediaType,
    #[error("it named a model in an unexpected form")]
    BadModelName,
    #[error("it gave a confidence outside 0–1")]
    ConfidenceOutOfRange,
    #[error("it gave a label, confidence and model that do not go together")]
    IncompleteClassification,
    #[error("it used another threshold than the one asked")]
    ThresholdChanged,
    #[error("its suggestion does not follow from its confidence and concerns")]
    SuggestionInconsistent,
    #[error("it counted more pages than allowed")]
    TooManyPages,
    #[error("its document digest is not a SHA-256")]
    BadDigest,
    #[error("it gave more or longer warnings than any document earns")]
    TooManyWarnings,
    #[error("it drew a page larger than asked")]
    PreviewOutOfBounds,
    #[error("it sent a page image that is not a PNG")]
    NotPng,
}

impl ReplyProblem {
    /// A stable code for the job's record and the log.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyProblem::WrongRequestId => "wrong_request_id",
            ReplyProblem::FrameTooLarge => "frame_too_large",
            ReplyProblem::Unreadable => "unreadable",
            ReplyProblem::WrongKind => "wrong_kind",
            ReplyProblem::UnknownRefusalCode => "unknown_refusal_code",
            ReplyProblem::UnknownLabel => "unknown_label",
            ReplyProblem::UnknownMediaType => "unknown_media_type",
            ReplyProblem::BadModelName => "bad_model_name",
            ReplyProblem::ConfidenceOutOfRange => "confidence_out_of_range",
            ReplyProblem::IncompleteClassification => "incomplete_classification",
            ReplyProblem::ThresholdChanged => "threshold_changed",
            ReplyProblem::SuggestionInconsistent => "suggestion_inconsistent",
            ReplyProblem::TooManyPages => "too_many_pages",
            ReplyProblem::BadDigest => "bad_digest",
            ReplyProblem::TooManyWarnings => "too_many_warnings",
            ReplyProblem::PreviewOutOfBounds => "preview_out_of_bounds",
            ReplyProblem::NotPng => "not_png",
        }
    }
}

pub(crate) fn check_refusal(r: &Refusal) -> Result<(), ReplyProblem> {
    #[cfg(debug_assertions)]
    if FAULT_CODES.contains(&r.code.as_str()) {
        return Ok(());
    }
    if REFUSAL_CODES.contains(&r.code.as_str()) {
        Ok(())
    } else {
        Err(ReplyProblem::UnknownRefusalCode)
    }
}

fn unit_interval(x: Option<f32>) -> Result<(), ReplyProblem> {
    match x {
        Some(c) if !(0.0..=1.0).contains(&c) => Err(ReplyProblem::ConfidenceOutOfRange),
        _ => Ok(()),
    }
}

fn is_model_name(name: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+');
    match name.split_once('@') {
        Some((model, version)) => {
            name.len() <= MAX_MODEL_NAME
                && !model.is_empty()
                && !version.is_empty()
                && model.chars().all(plain)
                && version.chars().all(plain)
        }
        None => false,
    }
}

pub(crate) fn check_analysis(req: &Request, a: &Analysis) -> Result<(), ReplyProblem> {
    if !MediaType::ALL.iter().any(|m| m.mime() == a.mime) {
        return Err(ReplyProblem::UnknownMediaType);
    }
    if a.pages > req.max_pages {
        return Err(ReplyProblem::TooManyPages);
    }
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    if a.sha256.len() != 64 || !a.sha256.chars().all(hex) {
        return Err(ReplyProblem::BadDigest);
    }
    if a.warnings.len() > MAX_WARNINGS
        || a.warnings
            .iter()
            .any(|w| w.chars().count() > MAX_WARNING_CHARS)
    {
        return Err(ReplyProblem::TooManyWarnings);
    }
    unit_interval(a.ocr_confidence)?;
    let c = &a.classification;
    unit_interval(c.confidence)?;
    if c.threshold != req.threshold {
        return Err(ReplyProblem::ThresholdChanged);
    }
    if let Some(label) = &c.label {
        if !KNOWN_LABELS.contains(&label.as_str()) {
            return Err(ReplyProblem::UnknownLabel);
        }
    }
    if let Some(model) = &c.model {
        if !is_model_name(model) {
            return Err(ReplyProblem::BadModelName);
        }
    }
    let complete =
        c.label.is_some() == c.confidence.is_some() && c.label.is_some() == c.model.is_some();
    if !complete || (req.stage == Stage::Validate && c.label.is_some()) {
        return Err(ReplyProblem::IncompleteClassification);
    }
    let (expected, _) = signal::suggest(c.confidence, req.threshold, &c.concerns);
    if c.suggestion != expected {
        return Err(ReplyProblem::SuggestionInconsistent);
    }
    Ok(())
}

pub(crate) fn check_preview(req: &PreviewRequest, p: &Preview) -> Result<(), ReplyProblem> {
    let pixels = u64::from(p.width) * u64::from(p.height);
    let in_bounds = p.width <= req.width.min(MAX_PREVIEW_WIDTH)
        && p.width > 0
        && p.height > 0
        && pixels <= MAX_PREVIEW_PIXELS
        && p.pages <= req.max_pages
        && p.page == req.page
        && (1..=p.pages).contains(&p.page);
    if in_bounds {
        Ok(())
    } else {
        Err(ReplyProblem::PreviewOutOfBounds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Classification, Timings};
    use varde_domain::signal::Concern;
    use varde_domain::Suggestion;

    fn request() -> Request {
        Request::new(None, Stage::Full, 1 << 20, 0.7)
    }

    fn analysis() -> Analysis {
        Analysis {
            file: String::new(),
            sha256: "ab".repeat(32),
            mime: "application/pdf".into(),
            pages: 1,
            text_source: None,
            ocr_confidence: Some(0.9),
            text: "text".into(),
            classification: Classification {
                label: Some("lab_report".into()),
                confidence: Some(0.9),
                model: Some("varde-doc-classifier@1.0.0".into()),
                threshold: 0.7,
                suggestion: Suggestion::Approve,
                ..Classification::default()
            },
            fields: Default::default(),
            observations: Vec::new(),
            summary: None,
            warnings: Vec::new(),
            timings_ms: Timings::default(),
            page_reads: Vec::new(),
        }
    }

    #[test]
    fn an_honest_analysis_passes() {
        assert_eq!(check_analysis(&request(), &analysis()), Ok(()));
    }

    type Tamper = Box<dyn Fn(&mut Analysis)>;

    #[test]
    fn each_untrusted_value_is_checked() {
        let cases: Vec<(Tamper, ReplyProblem)> = vec![
            (
                Box::new(|a| a.classification.label = Some("Kari Nordmann".into())),
                ReplyProblem::UnknownLabel,
            ),
            (
                Box::new(|a| a.mime = "text/html".into()),
                ReplyProblem::UnknownMediaType,
            ),
            (
                Box::new(|a| a.classification.model = Some("x@1 <script>".into())),
                ReplyProblem::BadModelName,
            ),
            (
                Box::new(|a| a.classification.confidence = Some(1.5)),
                ReplyProblem::ConfidenceOutOfRange,
            ),
            (
                Box::new(|a| a.classification.confidence = Some(f32::NAN)),
                ReplyProblem::ConfidenceOutOfRange,
            ),
            (
                Box::new(|a| a.classification.threshold = 0.1),
                ReplyProblem::ThresholdChanged,
            ),
            (
                // Approve despite a concern a reviewer must see.
                Box::new(|a| a.classification.concerns = vec![Concern::Expired]),
                ReplyProblem::SuggestionInconsistent,
            ),
            (
                Box::new(|a| a.classification.confidence = Some(0.2)),
                ReplyProblem::SuggestionInconsistent,
            ),
            (
                Box::new(|a| a.classification.model = None),
                ReplyProblem::IncompleteClassification,
            ),
            (Box::new(|a| a.pages = 10_000), ReplyProblem::TooManyPages),
            (
                Box::new(|a| a.sha256 = "zz".into()),
                ReplyProblem::BadDigest,
            ),
            (
                Box::new(|a| a.warnings = vec!["x".repeat(5000)]),
                ReplyProblem::TooManyWarnings,
            ),
        ];
        for (tamper, problem) in cases {
            let mut a = analysis();
            tamper(&mut a);
            assert_eq!(check_analysis(&request(), &a), Err(problem));
        }
    }

    #[test]
    fn only_known_refusal_codes_pass() {
        let refusal = |code: &str| Refusal {
            code: code.into(),
            message: String::new(),
        };
        assert_eq!(check_refusal(&refusal("encrypted_pdf")), Ok(()));
        assert_eq!(
            check_refusal(&refusal("Kari Nordmann 01019012345")),
            Err(ReplyProblem::UnknownRefusalCode)
        );
    }

    #[test]
    fn every_code_intake_and_the_previewer_give_is_known() {
        use crate::intake::IntakeError;
        use crate::preview::PreviewError;
        for e in [
            IntakeError::Empty,
            IntakeError::EncryptedPdf,
            IntakeError::NoPages,
        ] {
            assert!(REFUSAL_CODES.contains(&e.code()), "{}", e.code());
        }
        let not_open = PreviewError::NotOpen;
        assert!(REFUSAL_CODES.contains(&not_open.code()));
        let intake = include_str!("../intake/mod.rs");
        let preview = include_str!("../preview.rs");
        for source in [intake, preview] {
            let body = source.split("pub fn code(&self)").nth(1).expect("a code()");
            let body = &body[..body.find("\n    }\n").expect("end of code()")];
            for code in body.split("=> \"").skip(1) {
                let code = &code[..code.find('"').unwrap()];
                assert!(
                    REFUSAL_CODES.contains(&code),
                    "{code} is not in REFUSAL_CODES"
                );
            }
        }
    }

    #[test]
    fn the_known_labels_are_the_model_cards() {
        let card: serde_json::Value =
            serde_json::from_str(include_str!("../../../../models/doc-classifier.json")).unwrap();
        let labels: Vec<&str> = card["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(labels, KNOWN_LABELS);
    }
}

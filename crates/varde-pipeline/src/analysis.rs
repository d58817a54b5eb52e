//! What analysing one document produces — the `varde analyze --json` contract — and the steps
//! that produce it, run inside the isolated worker: intake validation, text (PDF text layer or
//! OCR), classification, field extraction, the AI signal.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod observation;

pub use observation::*;

use super::classify::{Classifier, ClassifyError};
use super::fields;
use super::intake::{self, Limits};
use super::text::ocr::{OcrError, OcrSlot};
use super::text::{self, PageRead, Recognisers, TextError, TextSource};
use varde_domain::document::{FieldKey, FieldWarning, Fields};
use varde_domain::signal::{self, Concern, MIN_OCR_CONFIDENCE};
use varde_domain::Suggestion;

/// Fewer letters and digits than this and a document is not classified.
const MIN_CLASSIFIABLE_CHARS: usize = 15;
/// The model was trained on one- and two-page documents; the first ~5 pages say what it is.
const MAX_CLASSIFIED_CHARS: usize = 20_000;

/// The start of `text` the classifier reads, cut at a character boundary.
fn classifiable(text: &str) -> &str {
    match text.char_indices().nth(MAX_CLASSIFIED_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Tesseract languages: Norwegian bokmål and English.
pub const OCR_LANGUAGES: &str = "nor+eng";

/// How far to go with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Intake validation only (decoding included): accept or reject.
    Validate,
    /// Everything: validation, text, classification.
    Full,
}

/// One document to analyse.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Request {
    pub file_name: Option<String>,
    pub declared_mime: Option<String>,
    pub stage: Stage,
    pub max_bytes: u64,
    pub max_pixels: u64,
    pub max_pages: usize,
    pub threshold: f64,
}

impl Request {
    pub fn new(file_name: Option<String>, stage: Stage, max_bytes: u64, threshold: f64) -> Request {
        let d = Limits::default();
        Request {
            file_name,
            declared_mime: None,
            stage,
            max_bytes,
            max_pixels: d.max_pixels,
            max_pages: d.max_pages,
            threshold,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, TS, Deserialize)]
pub struct Classification {
    pub label: Option<String>,
    pub confidence: Option<f32>,
    pub model: Option<String>,
    pub threshold: f64,
    pub suggestion: Suggestion,
    /// Below the threshold: the label is a guess and is shown as uncertain.
    pub uncertain: bool,
    /// Why a signal is weaker than the label alone suggests.
    pub concerns: Vec<Concern>,
    /// Why there is no label, when there is none.
    pub unavailable: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, TS, Deserialize)]
pub struct Timings {
    #[ts(type = "number")]
    pub validate: u64,
    #[ts(type = "number")]
    pub extract: u64,
    #[ts(type = "number")]
    pub ocr: u64,
    #[ts(type = "number")]
    pub classify: u64,
    /// Field extraction (MRZ, national ID, observations); absent in analyses stored before it.
    #[serde(default)]
    #[ts(type = "number")]
    pub extract_fields: u64,
    /// Finding and reading MRZs on page images (part of `extract`, not of `ocr`).
    #[serde(default)]
    #[ts(type = "number")]
    pub mrz: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// Where a document's text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextOrigin {
    /// Every page's own text layer.
    PdfText,
    /// OCR of every page.
    Ocr,
    /// Some pages of each.
    Mixed,
}

impl TextOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TextOrigin::PdfText => "pdf-text",
            TextOrigin::Ocr => "ocr",
            TextOrigin::Mixed => "mixed",
        }
    }
}

/// The result of analysing one document.
#[derive(Clone, Debug, PartialEq, Serialize, TS, Deserialize)]
pub struct Analysis {
    pub file: String,
    pub sha256: String,
    pub mime: String,
    pub pages: usize,
    /// Null when only validated.
    pub text_source: Option<TextOrigin>,
    pub ocr_confidence: Option<f32>,
    /// All text, pages separated by form feeds.
    pub text: String,
    pub classification: Classification,
    /// Filled by field reading (MRZ, fødselsnummer, …).
    pub fields: Fields,
    /// Lab values and vitals, filled by field reading.
    pub observations: Vec<Observation>,
    /// The observations in a short paragraph for the clinician, in the document's language;
    /// `None` without observations, and in analyses stored before summaries.
    #[serde(default)]
    pub summary: Option<LabSummary>,
    pub warnings: Vec<String>,
    pub timings_ms: Timings,
    /// How each page was read (text layer, OCR, or both) and why; absent in analyses stored
    /// before it was recorded.
    #[serde(default)]
    pub page_reads: Vec<PageRead>,
}

/// A document refused or failed, with a stable code and a message that holds no document content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub code: String,
    pub message: String,
}

/// The engines a worker keeps warm between documents, created on first use.
pub struct Engines {
    readers: Recognisers,
    classifier: Option<Result<Classifier, String>>,
}

impl Default for Engines {
    fn default() -> Self {
        Engines {
            readers: Recognisers::new(OcrSlot::new(
                OCR_LANGUAGES,
                super::text::ocr::installed_tessdata().as_deref(),
            )),
            classifier: None,
        }
    }
}

impl Engines {
    fn classifier(&mut self) -> Result<&mut Classifier, String> {
        let slot = self
            .classifier
            .get_or_insert_with(|| Classifier::load().map_err(|e: ClassifyError| e.to_string()));
        slot.as_mut().map_err(|e| e.clone())
    }
}

fn ms(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

/// Runs the pipeline on `bytes`. Called in the worker process.
pub fn run(req: &Request, bytes: &[u8], engines: &mut Engines) -> Result<Analysis, Refusal> {
    let start = Instant::now();
    let limits = Limits {
        max_bytes: req.max_bytes,
        max_pixels: req.max_pixels,
        max_pages: req.max_pages,
    };
    let accepted = intake::validate(
        bytes,
        req.file_name.as_deref(),
        req.declared_mime.as_deref(),
        &limits,
    )
    .map_err(|e| Refusal {
        code: e.code().to_string(),
        message: e.to_string(),
    })?;
    let mut timings = Timings {
        validate: ms(start),
        ..Timings::default()
    };
    let mut analysis = Analysis {
        file: req.file_name.clone().unwrap_or_default(),
        sha256: accepted.sha256.clone(),
        mime: accepted.media_type.mime().to_string(),
        pages: accepted.pages,
        text_source: None,
        ocr_confidence: None,
        text: String::new(),
        classification: Classification {
            threshold: req.threshold,
            suggestion: Suggestion::ManualReview,
            uncertain: true,
            ..Classification::default()
        },
        fields: Fields::new(),
        observations: Vec::new(),
        summary: None,
        warnings: accepted.warnings.clone(),
        timings_ms: Timings::default(),
        page_reads: Vec::new(),
    };
    if req.stage == Stage::Validate {
        timings.total = ms(start);
        analysis.timings_ms = timings;
        analysis.classification.unavailable = Some("validation only".into());
        return Ok(analysis);
    }

    let extract_start = Instant::now();
    read_text(
        bytes,
        &accepted,
        limits.max_pixels,
        engines,
        &mut analysis,
        &mut timings,
    )?;
    timings.extract = ms(extract_start);

    let mut concerns = text_concerns(&analysis);
    let classify_start = Instant::now();
    classify(engines, &mut analysis, &mut concerns);
    timings.classify = ms(classify_start);

    // After classification: the label decides which fields are worth reading.
    let fields_start = Instant::now();
    let extracted = fields::read(
        &analysis.text,
        analysis.classification.label.as_deref(),
        // The worker's own clock: "expired" is judged against today on this machine.
        time::OffsetDateTime::now_utc().date(),
    );
    analysis.fields = extracted.fields;
    analysis.observations = extracted.observations;
    analysis.summary = extracted.summary;
    timings.extract_fields = ms(fields_start);
    for concern in signal::field_concerns(&analysis.fields) {
        if !concerns.contains(&concern) {
            concerns.push(concern);
        }
    }
    let label_differs = label_differs_from_mrz(&analysis);
    if label_differs {
        concerns.push(Concern::LabelDiffersFromMrz);
    }
    let (suggestion, uncertain) =
        signal::suggest(analysis.classification.confidence, req.threshold, &concerns);
    // A label the document's own zone contradicts is never shown as a plain answer.
    let uncertain = uncertain || label_differs;
    analysis.classification.suggestion = suggestion;
    analysis.classification.uncertain = uncertain;
    analysis.classification.concerns = concerns;
    timings.total = ms(start);
    analysis.timings_ms = timings;
    Ok(analysis)
}

/// Whether a zone whose check digits all hold states another kind of document than the label.
fn label_differs_from_mrz(analysis: &Analysis) -> bool {
    let (Some(label), Some(zone), Some(code)) = (
        analysis.classification.label.as_deref(),
        analysis.fields.get(&FieldKey::Mrz),
        analysis.fields.get(&FieldKey::DocumentType),
    ) else {
        return false;
    };
    !zone.warnings.contains(&FieldWarning::MrzCheckFailed)
        && !signal::label_fits_mrz(label, &code.value)
}

/// The document's text into `analysis`, with how each page was read. Only an OCR engine that
/// cannot start is an error (the installation's fault: the job is retried); a document whose
/// text cannot be read goes on with the reason as a warning.
fn read_text(
    bytes: &[u8],
    admitted: &intake::Admitted,
    max_pixels: u64,
    engines: &mut Engines,
    analysis: &mut Analysis,
    timings: &mut Timings,
) -> Result<(), Refusal> {
    match text::extract(bytes, admitted, &mut engines.readers, max_pixels) {
        Ok(extracted) => {
            analysis.page_reads = extracted.reads();
            timings.ocr = extracted.ocr_ms;
            timings.mrz = extracted.mrz_ms;
            analysis.pages = analysis.pages.max(extracted.pages.len());
            analysis.text = extracted.text();
            let pages = &extracted.pages;
            analysis.text_source = Some(match extracted.source() {
                Some(TextSource::PdfText) => TextOrigin::PdfText,
                Some(TextSource::Ocr) => TextOrigin::Ocr,
                None if pages.iter().any(|p| p.read.shown.is_some()) => TextOrigin::Mixed,
                // No page has text: where it would have come from.
                None if pages.iter().any(|p| p.read.ocr) => TextOrigin::Ocr,
                None => TextOrigin::PdfText,
            });
            analysis.ocr_confidence = extracted.mean_ocr_confidence();
            analysis.warnings.extend(extracted.warnings.iter().cloned());
        }
        Err(TextError::Ocr(e @ OcrError::Init { .. })) => {
            return Err(Refusal {
                code: "ocr_unavailable".into(),
                message: e.to_string(),
            })
        }
        // Say, no page could be rendered: it goes to a human with the reason.
        Err(e) => analysis
            .warnings
            .push(format!("no text could be read: {e}")),
    }
    Ok(())
}

/// What the text itself makes doubtful: none at all, OCR too unsure to act on, or a text layer
/// that says something the page does not show.
fn text_concerns(analysis: &Analysis) -> Vec<Concern> {
    let mut concerns = Vec::new();
    if analysis.page_reads.iter().any(PageRead::layer_differs) {
        concerns.push(Concern::TextLayerDiffers);
    }
    if analysis.text.trim().is_empty() {
        concerns.push(Concern::NoText);
    }
    if analysis
        .ocr_confidence
        .is_some_and(|c| c < MIN_OCR_CONFIDENCE)
    {
        concerns.push(Concern::LowOcrConfidence);
    }
    concerns
}

/// The classifier's label and confidence into `analysis`, or why there is none.
fn classify(engines: &mut Engines, analysis: &mut Analysis, concerns: &mut Vec<Concern>) {
    // Too little text is not evidence: the model would still name a label (`other` at ~0.48).
    let readable = analysis
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count();
    let classifier = if readable < MIN_CLASSIFIABLE_CHARS {
        Err("there is too little text to classify".to_string())
    } else {
        engines.classifier()
    };
    match classifier {
        Ok(classifier) => match classifier.classify(classifiable(&analysis.text)) {
            Ok(p) => {
                if p.label == "other" {
                    concerns.push(Concern::UnrecognisedDocument);
                }
                analysis.classification.label = Some(p.label);
                analysis.classification.confidence = Some(p.confidence);
                analysis.classification.model = Some(p.model);
            }
            Err(e) => {
                concerns.push(Concern::NoClassifier);
                analysis.classification.unavailable = Some(e.to_string());
            }
        },
        Err(reason) => {
            concerns.push(Concern::NoClassifier);
            analysis.classification.unavailable = Some(reason.clone());
            analysis.warnings.push(format!("no AI signal: {reason}"));
        }
    }
}

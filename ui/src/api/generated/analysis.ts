// Generated from the Rust types by ts-rs (crates/varde-pipeline/src/bindings.rs); do not edit.
// Rewrite with: VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings

export type Role = "clinician" | "reviewer" | "admin" | "auditor";

export type Screen = "cases" | "new-case" | "audit" | "settings";

export type CaseAction = "start_review" | "approve" | "reject" | "resubmit" | "add_document" | "erase" | "export_subject";

export type CaseKind = "identity" | "clinical";

export type CaseStatus = "PENDING" | "IN_REVIEW" | "APPROVED" | "REJECTED";

export type Suggestion = "approve" | "manual_review";

export type Decision = "approved" | "rejected";

export type Concern = "no_classifier" | "no_text" | "low_ocr_confidence" | "unrecognised_document" | "duplicate_file" | "text_layer_differs" | "mrz_check_failed" | "visual_zone_mismatch" | "expired" | "name_mismatch" | "birth_date_mismatch" | "national_id_mismatch" | "multiple_national_ids" | "national_id_invalid" | "national_id_birth_date_mismatch" | "label_differs_from_mrz";

export type FieldKey = "mrz" | "document_type" | "issuing_state" | "surname" | "given_names" | "document_number" | "nationality" | "birth_date" | "sex" | "expiry_date" | "personal_number" | "national_id" | "issue_date" | "issuing_authority";

export type FieldWarning = "mrz_check_failed" | "invalid_date" | "unreadable_characters" | "expired" | "visual_zone_mismatch" | "multiple_national_ids" | "name_mismatch" | "birth_date_mismatch" | "national_id_mismatch" | "mrz_repaired" | "national_id_birth_date_mismatch" | "national_id_invalid";

export type Field = { value: string, start: number | null, end: number | null, warnings: Array<FieldWarning>, 
/**
 * Characters read as one thing and corrected to another (OCR confusions such as `O`/`0`);
 * absent when nothing was corrected, and in analyses stored before repairs were recorded.
 */
repairs?: Array<{ 
/**
 * Character index of the correction in the field as printed (for a value's own characters,
 * its index in the value; a correction in trailing fillers lies past the value's end).
 */
at: number, 
/**
 * What the text had.
 */
read: string, 
/**
 * What the reader took it to be.
 */
corrected: string, }>, 
/**
 * How far the value can be trusted, 0–1, from how it was read (a confirming check digit,
 * a repair, the visual zone agreeing); the scale is the field reader's. 0 in analyses
 * stored before confidence was recorded.
 */
confidence: number, };

export type RangeSource = "document" | "default";

export type Flag = "low" | "normal" | "high";

export type Comparator = "<" | ">";

export type SourceSpan = { page: number, start: number, end: number, };

export type ObservationComponent = { 
/**
 * Canonical English name.
 */
name: string, 
/**
 * LOINC.
 */
code: string, value: number, 
/**
 * UCUM.
 */
unit: string | null, low: number | null, high: number | null, range_source: RangeSource | null, flag: Flag | null, };

export type Observation = { 
/**
 * Canonical English name from the vocabulary; `None` for an analyte it does not know (read
 * because its line is a lab-table row: value, known unit and reference range).
 */
name: string | null, 
/**
 * LOINC code, with `name`.
 */
code: string | null, 
/**
 * The name as printed.
 */
label: string, 
/**
 * `None` only when the value is in `components` (blood pressure).
 */
value: number | null, comparator: Comparator | null, 
/**
 * UCUM (`umol/L`, `10*9/L`, `mm[Hg]`, `Cel`); a unit the vocabulary does not know is kept
 * as printed.
 */
unit: string | null, low: number | null, high: number | null, range_source: RangeSource | null, 
/**
 * `None` when there is no range and no printed marker.
 */
flag: Flag | null, 
/**
 * The line it was read from.
 */
source: SourceSpan, 
/**
 * How far the reading can be trusted, 0–1 (see `fields::observations::confidence`).
 */
confidence: number, 
/**
 * Blood pressure's systolic and diastolic parts; absent otherwise.
 */
components?: Array<{ 
/**
 * Canonical English name.
 */
name: string, 
/**
 * LOINC.
 */
code: string, value: number, 
/**
 * UCUM.
 */
unit: string | null, low: number | null, high: number | null, range_source: RangeSource | null, flag: Flag | null, }>, };

export type Language = "nb" | "en";

export type LabSummary = { language: Language, text: string, };

export type TextOrigin = "pdf-text" | "ocr" | "mixed";

export type TextSource = "pdf-text" | "ocr";

export type PageReason = "text_layer" | "no_text_layer" | "mostly_image" | "invisible_text_layer" | "text_over_image" | "image" | "blank" | "unreadable";

export type PageRead = { 
/**
 * 1-based.
 */
number: number, reason: PageReason, 
/**
 * Where the text shown for the page comes from; `None` when it has none.
 */
shown: TextSource | null, 
/**
 * Whether the page was OCRed (its text may still come from the text layer, which OCR
 * confirmed).
 */
ocr: boolean, 
/**
 * The resolution the page was OCRed at.
 */
dpi: number | null, 
/**
 * With both a text layer and OCR: the share of the layer's words OCR also found, 0..1.
 */
layer_agreement: number | null, 
/**
 * Whether the page's MRZ was read by the MRZ reader (its lines replace Tesseract's).
 */
mrz: boolean, };

export type Classification = { label: string | null, confidence: number | null, model: string | null, threshold: number, suggestion: Suggestion, 
/**
 * Below the threshold: the label is a guess and is shown as uncertain.
 */
uncertain: boolean, 
/**
 * Why a signal is weaker than the label alone suggests.
 */
concerns: Array<Concern>, 
/**
 * Why there is no label, when there is none.
 */
unavailable: string | null, };

export type Timings = { validate: number, extract: number, ocr: number, classify: number, 
/**
 * Field extraction (MRZ, national ID, observations); absent in analyses stored before it.
 */
extract_fields: number, 
/**
 * Finding and reading MRZs on page images (part of `extract`, not of `ocr`).
 */
mrz: number, total: number, };

export type Analysis = { file: string, sha256: string, mime: string, pages: number, 
/**
 * Null when only validated.
 */
text_source: TextOrigin | null, ocr_confidence: number | null, 
/**
 * All text, pages separated by form feeds.
 */
text: string, classification: Classification, 
/**
 * Filled by field reading (MRZ, fødselsnummer, …).
 */
fields: { [key in FieldKey]?: Field }, 
/**
 * Lab values and vitals, filled by field reading.
 */
observations: Array<Observation>, 
/**
 * The observations in a short paragraph for the clinician, in the document's language;
 * `None` without observations, and in analyses stored before summaries.
 */
summary: LabSummary | null, warnings: Array<string>, timings_ms: Timings, 
/**
 * How each page was read (text layer, OCR, or both) and why; absent in analyses stored
 * before it was recorded.
 */
page_reads: Array<PageRead>, };

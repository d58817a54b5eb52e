//! The observation records of an analysis: coded lab values and vital signs (LOINC codes, UCUM
//! units), where each was read, and the clinician's summary of them. Analyses stored before
//! observations were coded (a printed `name`, `ref_low`/`ref_high`/`ref_source`, top-level
//! `start`/`end`) still load: they become records with a `label` and no code.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where an observation's reference range came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeSource {
    /// Printed in the document.
    Document,
    /// Varde's default adult range from the vocabulary (sex-specific when the document's sex is
    /// known), used when the document prints none.
    #[serde(alias = "standard_adult")]
    Default,
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

/// Where in the analysed text something was read: its page (1-based; pages are separated by
/// form feeds) and UTF-16 offsets into the whole `text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
pub struct SourceSpan {
    pub page: usize,
    pub start: usize,
    pub end: usize,
}

/// One part of an observation that FHIR models as components: blood pressure's systolic and
/// diastolic values.
#[derive(Clone, Debug, PartialEq, Serialize, TS, Deserialize)]
pub struct ObservationComponent {
    /// Canonical English name.
    pub name: String,
    /// LOINC.
    pub code: String,
    pub value: f64,
    /// UCUM.
    pub unit: Option<String>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub range_source: Option<RangeSource>,
    pub flag: Option<Flag>,
}

/// A lab value or vital sign read from one line of the text.
#[derive(Clone, Debug, PartialEq, Serialize, TS, Deserialize)]
#[serde(from = "StoredObservation")]
pub struct Observation {
    /// Canonical English name from the vocabulary; `None` for an analyte it does not know (read
    /// because its line is a lab-table row: value, known unit and reference range).
    pub name: Option<String>,
    /// LOINC code, with `name`.
    pub code: Option<String>,
    /// The name as printed.
    pub label: String,
    /// `None` only when the value is in `components` (blood pressure).
    pub value: Option<f64>,
    pub comparator: Option<Comparator>,
    /// UCUM (`umol/L`, `10*9/L`, `mm[Hg]`, `Cel`); a unit the vocabulary does not know is kept
    /// as printed.
    pub unit: Option<String>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub range_source: Option<RangeSource>,
    /// `None` when there is no range and no printed marker.
    pub flag: Option<Flag>,
    /// The line it was read from.
    pub source: SourceSpan,
    /// How far the reading can be trusted, 0–1 (see `fields::observations::confidence`).
    pub confidence: f32,
    /// Blood pressure's systolic and diastolic parts; absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<ObservationComponent>>", inline)]
    pub components: Vec<ObservationComponent>,
}

/// The language a document is written in, as far as the summary needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Norwegian bokmål.
    Nb,
    En,
}

/// A short clinician-facing paragraph about a document's observations, abnormal values first,
/// in the document's language; every number in it is an observation's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, Deserialize)]
pub struct LabSummary {
    pub language: Language,
    pub text: String,
}

/// An observation as stored, in today's shape or the one before coding.
#[derive(Deserialize)]
struct StoredObservation {
    name: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    label: Option<String>,
    value: Option<f64>,
    #[serde(default)]
    comparator: Option<Comparator>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default, alias = "ref_low")]
    low: Option<f64>,
    #[serde(default, alias = "ref_high")]
    high: Option<f64>,
    #[serde(default, alias = "ref_source")]
    range_source: Option<RangeSource>,
    #[serde(default)]
    flag: Option<Flag>,
    #[serde(default)]
    source: Option<SourceSpan>,
    #[serde(default)]
    confidence: f32,
    #[serde(default)]
    components: Vec<ObservationComponent>,
    /// Before coding: the line's offsets, at the top level.
    #[serde(default)]
    start: usize,
    #[serde(default)]
    end: usize,
}

impl From<StoredObservation> for Observation {
    fn from(s: StoredObservation) -> Observation {
        // Before coding, `name` was the printed name and there was no label.
        let (name, label) = match s.label {
            Some(label) => (s.name, label),
            None => (None, s.name.unwrap_or_default()),
        };
        Observation {
            name,
            code: s.code,
            label,
            value: s.value,
            comparator: s.comparator,
            unit: s.unit,
            low: s.low,
            high: s.high,
            range_source: s.range_source,
            flag: s.flag,
            // Stored before pages were recorded: the offsets are right, the page is unknown.
            source: s.source.unwrap_or(SourceSpan {
                page: 1,
                start: s.start,
                end: s.end,
            }),
            confidence: s.confidence,
            components: s.components,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_observation_round_trips_with_the_names_the_window_and_the_store_use() {
        let o = Observation {
            name: Some("Creatinine".into()),
            code: Some("14682-9".into()),
            label: "Kreatinin".into(),
            value: Some(4.0),
            comparator: Some(Comparator::Below),
            unit: Some("umol/L".into()),
            low: Some(60.0),
            high: Some(105.0),
            range_source: Some(RangeSource::Document),
            flag: Some(Flag::Low),
            source: SourceSpan {
                page: 2,
                start: 0,
                end: 20,
            },
            confidence: 0.95,
            components: vec![],
        };
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["comparator"], "<");
        assert_eq!(json["range_source"], "document");
        assert_eq!(json["flag"], "low");
        assert_eq!(json["source"]["page"], 2);
        assert!(json.get("components").is_none());
        assert_eq!(serde_json::from_value::<Observation>(json).unwrap(), o);
    }

    #[test]
    fn an_observation_stored_before_coding_loads_with_its_printed_name_as_label() {
        let old = serde_json::json!({"name": "Kreatinin", "value": 95.0, "comparator": null,
            "unit": "µmol/L", "ref_low": 60.0, "ref_high": 105.0, "ref_source": "standard_adult",
            "flag": "normal", "start": 10, "end": 30});
        let o: Observation = serde_json::from_value(old).unwrap();
        assert_eq!((o.name, o.label.as_str()), (None, "Kreatinin"));
        assert_eq!((o.low, o.high), (Some(60.0), Some(105.0)));
        assert_eq!(o.range_source, Some(RangeSource::Default));
        assert_eq!((o.source.start, o.source.end), (10, 30));
    }
}

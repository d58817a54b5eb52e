//! A case as a FHIR R4 `Bundle` (type `collection`): the subject as `Patient`, each document as
//! a `DocumentReference`, each lab report's coded observations as a `DiagnosticReport` with its
//! `Observation`s, and a `Provenance` naming the software that read them. Pure mapping: no
//! store, no clock (the caller passes the time).
//!
//! R4: <https://hl7.org/fhir/R4/> — Observation, DiagnosticReport, DocumentReference, Patient,
//! Provenance. Blood pressure is one Observation (LOINC 85354-9) with systolic (8480-6) and
//! diastolic (8462-4) components, as the vital-signs profile models it. Observations are
//! `preliminary` until a reviewer approved the case: they were read by a machine.

use serde_json::{json, Value};

use crate::domain::CaseStatus;
use crate::pipeline::analysis::{Analysis, Comparator, Flag, Observation, ObservationComponent};
use crate::records::{Case, Document};

const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";
const INTERPRETATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const DIAGNOSTIC_SERVICE: &str = "http://terminology.hl7.org/CodeSystem/v2-0074";
/// Norwegian national identity numbers (Folkeregisteret): fødselsnummer, D-nummer, H-nummer.
const FNR_SYSTEM: &str = "urn:oid:2.16.578.1.12.4.1.4.1";
const DNR_SYSTEM: &str = "urn:oid:2.16.578.1.12.4.1.4.2";
const HNR_SYSTEM: &str = "urn:oid:2.16.578.1.12.4.1.4.3";
const SHA256_SYSTEM: &str = "urn:varde:sha256";
const DOCUMENT_TYPE: &str = "urn:varde:document-type";
/// LOINC "Laboratory report".
const LAB_REPORT_CODE: &str = "11502-2";
const LAB_REPORT_LABEL: &str = "lab_report";
/// LOINC codes of vital signs (category `vital-signs` rather than `laboratory`).
const VITAL_SIGNS: [&str; 9] = [
    "85354-9", "8867-4", "8310-5", "59408-5", "2708-6", "9279-1", "29463-7", "8302-2", "39156-5",
];

/// One document of the case and what the pipeline read from it.
pub struct ExportedDocument<'a> {
    pub document: &'a Document,
    pub analysis: Option<&'a Analysis>,
    /// The file itself, when the user asked for content to be embedded.
    pub content_base64: Option<String>,
}

/// Who made the bundle's readings, for `Provenance`.
pub struct Software<'a> {
    pub varde_version: &'a str,
    pub pipeline_version: &'a str,
}

/// The case as a Bundle; `recorded` is the export's time (RFC 3339).
pub fn case_bundle(
    case: &Case,
    documents: &[ExportedDocument<'_>],
    software: &Software<'_>,
    recorded: &str,
) -> Value {
    let status = if case.status == CaseStatus::Approved {
        "final"
    } else {
        "preliminary"
    };
    let patient_ref = format!("urn:uuid:{}", case.id);
    let mut entries = vec![entry(&patient_ref, patient(case))];
    let mut targets = Vec::new();
    let mut models = Vec::new();
    for doc in documents {
        let doc_ref = format!("urn:uuid:{}", doc.document.id);
        entries.push(entry(&doc_ref, document_reference(doc, &patient_ref)));
        targets.push(doc_ref.clone());
        let Some(analysis) = doc.analysis else {
            continue;
        };
        if let Some(model) = &analysis.classification.model {
            if !models.contains(model) {
                models.push(model.clone());
            }
        }
        let observations: Vec<&Observation> = analysis
            .observations
            .iter()
            .filter(|o| o.value.is_some() || !o.components.is_empty())
            .collect();
        let is_lab = analysis.classification.label.as_deref() == Some(LAB_REPORT_LABEL);
        if observations.is_empty() && !is_lab {
            continue;
        }
        let mut results = Vec::new();
        for (i, o) in observations.iter().enumerate() {
            let obs_ref = format!("urn:uuid:{}", derived_uuid(&doc.document.id, i as u64 + 1));
            entries.push(entry(&obs_ref, observation(o, status, &patient_ref)));
            targets.push(obs_ref.clone());
            results.push(json!({"reference": obs_ref}));
        }
        let report_ref = format!("urn:uuid:{}", derived_uuid(&doc.document.id, 0));
        let mut report = json!({
            "resourceType": "DiagnosticReport",
            "status": status,
            "category": [{"coding": [{"system": DIAGNOSTIC_SERVICE, "code": "LAB", "display": "Laboratory"}]}],
            "code": {"coding": [{"system": LOINC, "code": LAB_REPORT_CODE, "display": "Laboratory report"}]},
            "subject": {"reference": patient_ref},
            "issued": recorded,
        });
        if !results.is_empty() {
            report["result"] = json!(results);
        }
        if let Some(summary) = &analysis.summary {
            report["conclusion"] = json!(summary.text);
        }
        entries.push(entry(&report_ref, report));
        targets.push(report_ref);
    }
    let mut software_name = format!(
        "Varde {} (pipeline {})",
        software.varde_version, software.pipeline_version
    );
    if !models.is_empty() {
        software_name.push_str(&format!(", classifier {}", models.join(", ")));
    }
    entries.push(entry(
        &format!("urn:uuid:{}", derived_uuid(&case.id, u64::MAX)),
        json!({
            "resourceType": "Provenance",
            "target": targets.iter().map(|t| json!({"reference": t})).collect::<Vec<_>>(),
            "recorded": recorded,
            "agent": [{
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "code": "assembler", "display": "Assembler"}]},
                "who": {"display": software_name},
            }],
        }),
    ));
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": recorded,
        "entry": entries,
    })
}

fn entry(full_url: &str, resource: Value) -> Value {
    json!({"fullUrl": full_url, "resource": resource})
}

/// A stable UUID for the `n`th resource made from one of ours (so a re-export names the same
/// resources the same way): SHA-256 of the parent id and `n`, laid out as a version-8 UUID.
fn derived_uuid(parent: &str, n: u64) -> String {
    let mut input = parent.as_bytes().to_vec();
    input.extend_from_slice(&n.to_be_bytes());
    let d = ring::digest::digest(&ring::digest::SHA256, &input);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d.as_ref()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(b).to_string()
}

fn patient(case: &Case) -> Value {
    let s = &case.subject;
    let mut name = json!({"text": s.name});
    let parts: Vec<&str> = s.name.split_whitespace().collect();
    if let Some((family, given)) = parts.split_last() {
        name["family"] = json!(family);
        if !given.is_empty() {
            name["given"] = json!(given);
        }
    }
    let mut patient = json!({"resourceType": "Patient", "name": [name]});
    if let Some(dob) = &s.date_of_birth {
        patient["birthDate"] = json!(dob);
    }
    if let Some(id) = &s.national_id {
        patient["identifier"] = json!([{"system": national_id_system(id), "value": id}]);
    }
    patient
}

/// D-numbers add 4 to the first digit, H-numbers 4 to the third.
fn national_id_system(id: &str) -> &'static str {
    let digit = |i: usize| id.as_bytes().get(i).map_or(0, |b| b.wrapping_sub(b'0'));
    if (4..=7).contains(&digit(0)) {
        DNR_SYSTEM
    } else if (4..=5).contains(&digit(2)) {
        HNR_SYSTEM
    } else {
        FNR_SYSTEM
    }
}

fn document_reference(doc: &ExportedDocument<'_>, patient_ref: &str) -> Value {
    let d = doc.document;
    let mut attachment = json!({
        "contentType": d.media_type,
        "size": d.size_bytes,
        "title": d.file_name,
        "creation": d.added_at,
    });
    if let Some(data) = &doc.content_base64 {
        attachment["data"] = json!(data);
    }
    let mut reference = json!({
        "resourceType": "DocumentReference",
        "identifier": [{"system": SHA256_SYSTEM, "value": d.sha256}],
        "status": "current",
        "subject": {"reference": patient_ref},
        "date": d.added_at,
        "content": [{"attachment": attachment}],
    });
    if let Some(label) = doc.analysis.and_then(|a| a.classification.label.as_deref()) {
        reference["type"] =
            json!({"coding": [{"system": DOCUMENT_TYPE, "code": label}], "text": label});
    }
    reference
}

fn quantity(value: f64, unit: Option<&str>) -> Value {
    let mut q = json!({"value": value});
    if let Some(u) = unit {
        q["unit"] = json!(u);
        q["system"] = json!(UCUM);
        q["code"] = json!(u);
    }
    q
}

fn reference_range(
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<&str>,
    source: Option<&str>,
) -> Option<Value> {
    if low.is_none() && high.is_none() {
        return None;
    }
    let mut range = json!({});
    if let Some(l) = low {
        range["low"] = quantity(l, unit);
    }
    if let Some(h) = high {
        range["high"] = quantity(h, unit);
    }
    if let Some(s) = source {
        range["text"] = json!(match s {
            "document" => "as printed in the document",
            _ => "Varde's default reference range (not printed in the document)",
        });
    }
    Some(range)
}

fn interpretation(flag: Option<Flag>) -> Option<Value> {
    let (code, display) = match flag? {
        Flag::Low => ("L", "Low"),
        Flag::Normal => ("N", "Normal"),
        Flag::High => ("H", "High"),
    };
    Some(json!([{"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}]))
}

fn concept(code: Option<&str>, name: Option<&str>, label: &str) -> Value {
    let mut c = json!({"text": label});
    if let Some(code) = code {
        let mut coding = json!({"system": LOINC, "code": code});
        if let Some(n) = name {
            coding["display"] = json!(n);
        }
        c["coding"] = json!([coding]);
    }
    c
}

fn source_text(s: Option<crate::pipeline::analysis::RangeSource>) -> Option<&'static str> {
    s.map(|s| match s {
        crate::pipeline::analysis::RangeSource::Document => "document",
        crate::pipeline::analysis::RangeSource::Default => "default",
    })
}

fn observation(o: &Observation, status: &str, patient_ref: &str) -> Value {
    let category = if o.code.as_deref().is_some_and(|c| VITAL_SIGNS.contains(&c)) {
        ("vital-signs", "Vital Signs")
    } else {
        ("laboratory", "Laboratory")
    };
    let mut r = json!({
        "resourceType": "Observation",
        "status": status,
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category.0, "display": category.1}]}],
        "code": concept(o.code.as_deref(), o.name.as_deref(), &o.label),
        "subject": {"reference": patient_ref},
    });
    if let Some(v) = o.value {
        let mut q = quantity(v, o.unit.as_deref());
        if let Some(c) = o.comparator {
            q["comparator"] = json!(match c {
                Comparator::Below => "<",
                Comparator::Above => ">",
            });
        }
        r["valueQuantity"] = q;
    }
    if let Some(i) = interpretation(o.flag) {
        r["interpretation"] = i;
    }
    if let Some(range) = reference_range(
        o.low,
        o.high,
        o.unit.as_deref(),
        source_text(o.range_source),
    ) {
        r["referenceRange"] = json!([range]);
    }
    if !o.components.is_empty() {
        r["component"] = o.components.iter().map(component).collect();
    }
    r
}

fn component(c: &ObservationComponent) -> Value {
    let mut r = json!({
        "code": concept(Some(&c.code), Some(&c.name), &c.name),
        "valueQuantity": quantity(c.value, c.unit.as_deref()),
    });
    if let Some(i) = interpretation(c.flag) {
        r["interpretation"] = i;
    }
    if let Some(range) = reference_range(
        c.low,
        c.high,
        c.unit.as_deref(),
        source_text(c.range_source),
    ) {
        r["referenceRange"] = json!([range]);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_id_numbers_are_named_by_their_register() {
        assert_eq!(national_id_system("01019012345"), FNR_SYSTEM);
        assert_eq!(national_id_system("41019012345"), DNR_SYSTEM);
        assert_eq!(national_id_system("01419012345"), HNR_SYSTEM);
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        assert_eq!(derived_uuid("a", 1), derived_uuid("a", 1));
        assert_ne!(derived_uuid("a", 1), derived_uuid("a", 2));
        assert!(uuid::Uuid::try_parse(&derived_uuid("a", 0)).is_ok());
    }
}

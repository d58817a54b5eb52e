//! Audit entries as FHIR R4 `AuditEvent` resources, following the coding conventions of IHE
//! Basic Audit Log Patterns (BALP, <https://profiles.ihe.net/ITI/BALP/>): DICOM and HL7 event
//! types, FHIR restful-interaction subtypes, C/R/U/D/E actions, the user as the requesting agent,
//! the workstation as the observer. Varde's operations are not FHIR REST interactions, so no BALP
//! profile is claimed in `meta`. Entries hold ids and codes only (no PHI); so do these resources.
//! Shared by the workstation's `varde audit export --format fhir` and the audit server's export.
//! R4 AuditEvent: <https://hl7.org/fhir/R4/auditevent.html>.

use crate::{Entry, Outcome};
use serde_json::{json, Value};

const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const EVENT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-event-type";
const RESTFUL: &str = "http://hl7.org/fhir/restful-interaction";
const SOURCE_TYPE: &str = "http://terminology.hl7.org/CodeSystem/security-source-type";
const ENTITY_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
/// Varde's own action codes (`case.view`, `review.approve`, …), kept beside the standard ones.
pub const VARDE_ACTION: &str = "urn:varde:audit-action";
const VARDE_USER: &str = "urn:varde:user";
const VARDE_DEVICE: &str = "urn:varde:device";

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({"system": system, "code": code, "display": display})
}

/// What kind of interaction an action is, by its last word: `(restful code, CRUDE action)`.
fn interaction(action: &str) -> (&'static str, &'static str) {
    let verb = action.rsplit('.').next().unwrap_or(action);
    match verb {
        "create" | "add" => ("create", "C"),
        "view" | "show" | "timeline" | "download" => ("read", "R"),
        "list" => ("search-type", "R"),
        "erase" | "purge" | "remove" => ("delete", "D"),
        _ => ("update", "U"),
    }
}

/// `(type, subtypes, action)` of an entry's action.
fn classify(action: &str) -> (Value, Vec<Value>, &'static str) {
    let own = coding(VARDE_ACTION, action, action);
    if action.starts_with("auth.") || action.starts_with("session.") {
        let sub = if action.ends_with("logout") {
            coding(DCM, "110123", "Logout")
        } else {
            coding(DCM, "110122", "Login")
        };
        return (
            coding(DCM, "110114", "User Authentication"),
            vec![sub, own],
            "E",
        );
    }
    if action.ends_with(".export") {
        return (coding(DCM, "110106", "Export"), vec![own], "R");
    }
    let system_work = [
        "audit.verify",
        "jobs.run",
        "sync.enroll",
        "sync.receipt_import",
    ];
    if system_work.contains(&action) {
        return (
            coding(DCM, "110100", "Application Activity"),
            vec![own],
            "E",
        );
    }
    let (restful, crude) = interaction(action);
    (
        coding(EVENT_TYPE, "rest", "RESTful Operation"),
        vec![coding(RESTFUL, restful, restful), own],
        crude,
    )
}

/// A FHIR id: `[A-Za-z0-9\-\.]{1,64}`.
fn fhir_id(text: &str) -> String {
    let id: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() {
        "entry".into()
    } else {
        id
    }
}

fn detail(kind: &str, value: &str) -> Value {
    json!({"type": kind, "valueString": value})
}

/// The opening of a streamed `Bundle` (type collection): write it, then the entries joined by
/// commas (each from [`bundle_entry`]), then [`BUNDLE_END`].
pub fn bundle_start(timestamp: &str) -> String {
    let head = json!({"resourceType": "Bundle", "type": "collection", "timestamp": timestamp});
    let head = head.to_string();
    format!("{},\"entry\":[", &head[..head.len() - 1])
}

/// What closes a Bundle begun with [`bundle_start`].
pub const BUNDLE_END: &str = "]}";

/// One Bundle entry holding `resource`.
pub fn bundle_entry(resource: Value) -> Value {
    json!({"resource": resource})
}

/// One entry as an `AuditEvent`; `site` is its device's site and `tree_index` its leaf in the
/// audit server's tree, where known.
pub fn audit_event(entry: &Entry, site: Option<&str>, tree_index: Option<u64>) -> Value {
    let b = &entry.body;
    let (event_type, subtypes, action) = classify(&b.action);
    let outcome = match b.outcome {
        Outcome::Success => "0",
        Outcome::Failure => "4",
        Outcome::Denied => "8",
    };
    let device = json!({"identifier": {"system": VARDE_DEVICE, "value": b.device_id}});
    let mut agents = Vec::new();
    if let Some(actor) = &b.actor {
        agents.push(json!({
            "type": {"coding": [coding(PARTICIPATION, "IRCP", "information recipient")]},
            "who": {"identifier": {"system": VARDE_USER, "value": actor.user_id}},
            "role": [{"coding": [{"system": "urn:varde:role", "code": actor.role}]}],
            "requestor": true,
        }));
    }
    agents.push(json!({
        "type": {"coding": [coding(DCM, "110153", "Source Role ID")]},
        "who": device,
        "requestor": b.actor.is_none(),
    }));
    let mut entities = Vec::new();
    if let Some(r) = &b.resource {
        entities.push(json!({
            "what": {"identifier": {"system": format!("urn:varde:{}", r.kind), "value": r.id}},
            "type": coding(ENTITY_TYPE, "2", "System Object"),
        }));
    }
    let mut chain = vec![
        detail("seq", &b.seq.to_string()),
        detail("hash", &entry.hash),
        detail("prev_hash", &b.prev_hash),
        detail("signature", &entry.signature),
    ];
    if let Some(i) = tree_index {
        chain.push(detail("tree_index", &i.to_string()));
    }
    chain.extend(
        b.context
            .iter()
            .map(|(k, v)| detail(&format!("context.{k}"), v)),
    );
    entities.push(json!({
        "what": {"identifier": {"system": "urn:varde:audit-entry", "value": format!("{}/{}", b.device_id, b.seq)}},
        "type": coding(ENTITY_TYPE, "4", "Other"),
        "description": "The signed, hash-chained Varde audit entry this event was made from",
        "detail": chain,
    }));
    let mut source = json!({
        "observer": device,
        "type": [coding(SOURCE_TYPE, "1", "End-user display device, diagnostic display")],
    });
    if let Some(site) = site.filter(|s| !s.is_empty()) {
        source["site"] = json!(site);
    }
    json!({
        "resourceType": "AuditEvent",
        "id": fhir_id(&b.id),
        "type": event_type,
        "subtype": subtypes,
        "action": action,
        "recorded": b.timestamp,
        "outcome": outcome,
        "agent": agents,
        "source": source,
        "entity": entities,
    })
}

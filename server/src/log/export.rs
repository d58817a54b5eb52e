//! The auditors' export: every entry matching the admin query's filters, in tree order, as JSON
//! lines or as one FHIR R4 `collection` Bundle of `AuditEvent`s, written page by page so a
//! million entries never sit in memory at once.

use std::collections::HashMap;

use serde_json::json;
use varde_audit_chain::Entry;

use super::{now_string, views, Log, LogError};
use crate::db::{DbError, EntryFilter, StoredEntry};
use varde_audit_chain::fhir;

/// Entries read per database transaction.
const PAGE: u64 = 1000;

/// The two export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One `{tree_index, device_id, received_at, entry}` object per line.
    Jsonl,
    /// A FHIR R4 Bundle (type `collection`) of AuditEvent resources.
    Fhir,
}

impl Format {
    /// The response's media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/x-ndjson",
            Format::Fhir => "application/fhir+json",
        }
    }

    /// The suggested file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Fhir => "fhir.json",
        }
    }
}

/// An export request: the format (`format=jsonl|fhir`, default jsonl), the filters, and the
/// tree index to start after (`cursor`).
pub fn parse(query: &str) -> Result<(Format, EntryFilter, Option<u64>), LogError> {
    let (filter, cursor, _) = views::parse_filter(query)?;
    let format = match query
        .split('&')
        .find_map(|kv| kv.strip_prefix("format="))
        .unwrap_or("jsonl")
    {
        "jsonl" | "" => Format::Jsonl,
        "fhir" => Format::Fhir,
        other => {
            return Err(LogError::Malformed(format!(
                "format {other:?} is not one of jsonl, fhir"
            )))
        }
    };
    Ok((format, filter, cursor))
}

fn parsed(row: &StoredEntry) -> Result<Entry, LogError> {
    serde_json::from_str(&row.entry_json).map_err(|_| {
        LogError::Db(DbError::Corrupt(format!(
            "the stored entry at tree index {} is not an entry",
            row.tree_index
        )))
    })
}

/// Writes the export to `send` chunk by chunk; stops early (returning the count so far) when
/// `send` answers false (the client went away). Returns the number of entries written.
pub fn write(
    log: &Log,
    format: Format,
    filter: &EntryFilter,
    mut cursor: Option<u64>,
    mut send: impl FnMut(Vec<u8>) -> bool,
) -> Result<u64, LogError> {
    let sites: HashMap<String, String> = log
        .db
        .read(|tx| tx.devices())?
        .into_iter()
        .map(|d| (d.id, d.site))
        .collect();
    if format == Format::Fhir {
        // The Bundle is streamed: its opening, the entries, its end.
        if !send(fhir::bundle_start(&now_string()).into_bytes()) {
            return Ok(0);
        }
    }
    let mut written = 0u64;
    loop {
        let rows = log.db.read(|tx| tx.query_entries(filter, cursor, PAGE))?;
        let Some(last) = rows.last() else { break };
        cursor = Some(last.tree_index);
        let mut chunk = Vec::with_capacity(rows.len() * 700);
        for row in &rows {
            let entry = parsed(row)?;
            match format {
                Format::Jsonl => {
                    let line = json!({
                        "tree_index": row.tree_index, "device_id": row.device_id,
                        "received_at": row.received_at, "entry": entry,
                    });
                    chunk.extend(line.to_string().into_bytes());
                    chunk.push(b'\n');
                }
                Format::Fhir => {
                    if written > 0 {
                        chunk.push(b',');
                    }
                    let site = sites.get(&row.device_id).map(String::as_str);
                    let resource = fhir::audit_event(&entry, site, Some(row.tree_index));
                    chunk.extend(fhir::bundle_entry(resource).to_string().into_bytes());
                }
            }
            written += 1;
        }
        if !send(chunk) {
            return Ok(written);
        }
        if (rows.len() as u64) < PAGE {
            break;
        }
    }
    if format == Format::Fhir && !send(fhir::BUNDLE_END.as_bytes().to_vec()) {
        return Ok(written);
    }
    Ok(written)
}

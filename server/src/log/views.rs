//! What admins see of the log: devices with their lag, fork alerts, and pages of entries,
//! the same through the CLI and the admin API.

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use varde_sync_wire::DeviceState;

use super::{format_time, Log, LogError};
use crate::db::{DeviceRow, EntryFilter};

/// The largest page of entries.
pub const MAX_PAGE: u64 = 1000;

/// How far a device is behind: entries it reported holding that the server lacks, and, while
/// it lags, seconds since it was last heard from (None if never).
pub fn lag(d: &DeviceRow) -> (u64, Option<i64>) {
    let entries = d
        .local_head
        .unwrap_or(d.head_seq)
        .saturating_sub(d.head_seq);
    let seconds = d.last_contact.as_deref().and_then(|c| {
        let at = time::OffsetDateTime::parse(c, &Rfc3339).ok()?;
        Some(if entries > 0 {
            (time::OffsetDateTime::now_utc() - at)
                .whole_seconds()
                .max(0)
        } else {
            0
        })
    });
    (entries, seconds)
}

/// A device as the admin API and `devices --json` show it.
pub fn device_json(d: &DeviceRow) -> Value {
    let (lag, lag_seconds) = lag(d);
    json!({
        "id": d.id, "name": d.name, "site": d.site, "public_key": d.public_key,
        "head": d.head_seq, "state": d.state.as_str(), "last_contact": d.last_contact,
        "enrolled_at": d.enrolled_at, "local_head": d.local_head, "lag_entries": lag,
        "lag_seconds": lag_seconds, "fork_seq": d.fork_seq,
    })
}

/// Every device.
pub fn devices(log: &Log) -> Result<Vec<DeviceRow>, LogError> {
    Ok(log.db.read(|tx| tx.devices())?)
}

/// Devices marked forked.
pub fn alerts(log: &Log) -> Result<Value, LogError> {
    let list: Vec<Value> = devices(log)?
        .iter()
        .filter(|d| d.state == DeviceState::ForkDetected)
        .map(|d| {
            json!({"device_id": d.id, "kind": "fork_detected", "seq": d.fork_seq,
                   "detected_at": d.fork_detected_at})
        })
        .collect();
    Ok(Value::Array(list))
}

/// An RFC 3339 timestamp or a date (its midnight UTC; `end_of_day` for the next midnight),
/// as entries' timestamps are written, so they compare as text.
pub fn bound(text: &str, end_of_day: bool) -> Result<String, LogError> {
    if let Ok(t) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(format_time(t));
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &fmt).map_err(|_| {
        LogError::Malformed(format!(
            "{text:?} is neither a date (YYYY-MM-DD) nor an RFC 3339 time"
        ))
    })?;
    let date = if end_of_day {
        date.next_day().unwrap_or(date)
    } else {
        date
    };
    Ok(format_time(date.midnight().assume_utc()))
}

/// The admin query's parameters, from a URL query string.
pub fn parse_filter(query: &str) -> Result<(EntryFilter, Option<u64>, u64), LogError> {
    let mut filter = EntryFilter::default();
    let (mut cursor, mut limit) = (None, 100);
    for (k, v) in query.split('&').filter_map(|kv| kv.split_once('=')) {
        let v = percent_decode(v)?;
        if v.is_empty() {
            continue;
        }
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| LogError::Malformed(format!("{k} is not a number")))
        };
        match k {
            "device" => filter.device = Some(v),
            "actor" => filter.actor = Some(v),
            "action" => filter.action_prefix = Some(v),
            "outcome" => filter.outcome = Some(v),
            "since" => filter.since = Some(bound(&v, false)?),
            "until" => filter.until = Some(bound(&v, !v.contains('T'))?),
            "cursor" => cursor = Some(number(&v)?),
            "limit" => limit = number(&v)?.clamp(1, MAX_PAGE),
            "format" => {}
            _ => return Err(LogError::Malformed(format!("unknown filter {k:?}"))),
        }
    }
    Ok((filter, cursor, limit))
}

fn percent_decode(v: &str) -> Result<String, LogError> {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let byte = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| LogError::Malformed("a bad %-escape in the query".into()))?;
                out.push(byte);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| LogError::Malformed("the query is not UTF-8".into()))
}

/// A page of entries: `{entries: [{tree_index, device_id, received_at, entry}], next_cursor}`.
pub fn entries_page(log: &Log, query: &str) -> Result<Value, LogError> {
    let (filter, cursor, limit) = parse_filter(query)?;
    let rows = log.db.read(|tx| tx.query_entries(&filter, cursor, limit))?;
    let next = (rows.len() as u64 == limit)
        .then(|| rows.last().map(|r| r.tree_index.to_string()))
        .flatten();
    let entries: Vec<Value> = rows
        .iter()
        .map(|r| {
            let entry: Value = serde_json::from_str(&r.entry_json).unwrap_or(Value::Null);
            json!({"tree_index": r.tree_index, "device_id": r.device_id, "received_at": r.received_at, "entry": entry})
        })
        .collect();
    Ok(json!({"entries": entries, "next_cursor": next}))
}

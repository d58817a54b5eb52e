//! The audit log table: sealed entries of the device's hash chain, appended and read in order.
//! Triggers refuse UPDATE and DELETE; verification (in `audit`) catches whatever gets past them.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use varde_audit_chain::{Actor, Entry, EntryBody, Resource};

use super::{Result, StoreError};

const COLUMNS: &str = "seq, id, ts, device_id, actor_user_id, actor_role, action, resource_kind, \
    resource_id, outcome, context, prev_hash, hash, signature";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let conversion = |i: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    let actor = match (
        r.get::<_, Option<String>>(4)?,
        r.get::<_, Option<String>>(5)?,
    ) {
        (Some(user_id), Some(role)) => Some(Actor { user_id, role }),
        _ => None,
    };
    let resource = match (
        r.get::<_, Option<String>>(7)?,
        r.get::<_, Option<String>>(8)?,
    ) {
        (Some(kind), Some(id)) => Some(Resource { kind, id }),
        _ => None,
    };
    let outcome: String = r.get(9)?;
    let context: String = r.get(10)?;
    Ok(Entry {
        body: EntryBody {
            seq: r.get::<_, i64>(0)? as u64,
            id: r.get(1)?,
            timestamp: r.get(2)?,
            device_id: r.get(3)?,
            actor,
            action: r.get(6)?,
            resource,
            outcome: outcome
                .parse()
                .map_err(|_| conversion(9, "unknown outcome".into()))?,
            context: serde_json::from_str::<BTreeMap<String, String>>(&context)
                .map_err(|e| conversion(10, e.to_string()))?,
            prev_hash: r.get(11)?,
        },
        hash: r.get(12)?,
        signature: r.get(13)?,
    })
}

pub fn insert(conn: &Connection, e: &Entry) -> Result<()> {
    let b = &e.body;
    let context =
        serde_json::to_string(&b.context).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?;
    stmt.execute(params![
        b.seq as i64,
        b.id,
        b.timestamp,
        b.device_id,
        b.actor.as_ref().map(|a| a.user_id.as_str()),
        b.actor.as_ref().map(|a| a.role.as_str()),
        b.action,
        b.resource.as_ref().map(|r| r.kind.as_str()),
        b.resource.as_ref().map(|r| r.id.as_str()),
        b.outcome.as_str(),
        context,
        b.prev_hash,
        e.hash,
        e.signature,
    ])?;
    Ok(())
}

/// The last entry's sequence number and hash, if any.
pub fn head(conn: &Connection) -> Result<Option<(u64, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?;
    Ok(stmt
        .query_row([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .optional()?)
}

/// Calls `f` with every entry in sequence order, without loading the whole log.
pub fn for_each(conn: &Connection, mut f: impl FnMut(Entry) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(from_row(row)?)?;
    }
    Ok(())
}

/// Entries about one resource (a case's timeline), in order.
pub fn for_resource(conn: &Connection, resource_id: &str) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE resource_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([resource_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the audit screen filters on; every part is optional. Dates are `YYYY-MM-DD`, inclusive.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor_user_ids: Option<Vec<String>>,
    pub action_prefix: Option<String>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

fn audit_where(f: &AuditFilter) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    if let Some(ids) = &f.actor_user_ids {
        if ids.is_empty() {
            clauses.push("0".into());
        } else {
            clauses.push(format!(
                "actor_user_id IN ({})",
                vec!["?"; ids.len()].join(", ")
            ));
            args.extend(
                ids.iter()
                    .map(|i| Box::new(i.clone()) as Box<dyn rusqlite::ToSql>),
            );
        }
    }
    if let Some(prefix) = f.action_prefix.as_deref().filter(|p| !p.is_empty()) {
        clauses.push("action LIKE ? ESCAPE '\\'".into());
        args.push(Box::new(format!("{}%", super::escape_like(prefix))));
    }
    // Timestamps are RFC 3339 UTC, so text comparison orders them.
    if let Some(from) = &f.from_date {
        clauses.push("ts >= ?".into());
        args.push(Box::new(from.clone()));
    }
    if let Some(to) = &f.to_date {
        clauses.push("ts < ?".into());
        args.push(Box::new(format!("{to}\u{10FFFF}")));
    }
    if clauses.is_empty() {
        (String::new(), args)
    } else {
        (format!("WHERE {}", clauses.join(" AND ")), args)
    }
}

/// A page of entries matching `f`, newest first, and how many match in all.
pub fn page(conn: &Connection, f: &AuditFilter) -> Result<(Vec<Entry>, u64)> {
    let (clause, mut args) = audit_where(f);
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM audit_log {clause}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    args.push(Box::new(f.limit as i64));
    args.push(Box::new(f.offset as i64));
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log {clause} ORDER BY seq DESC LIMIT ? OFFSET ?"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), from_row)?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total as u64))
}

/// Up to `limit` consecutive entries from `from_seq` on, in order (a sync batch).
pub fn range(conn: &Connection, from_seq: u64, limit: usize) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![from_seq as i64, limit as i64], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The hash of entry `seq`, if the log holds it.
pub fn hash_at(conn: &Connection, seq: u64) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached("SELECT hash FROM audit_log WHERE seq = ?1")?;
    Ok(stmt.query_row([seq as i64], |r| r.get(0)).optional()?)
}

//! Copies a whole server database to another, empty one, e.g. from the embedded SQLite file to
//! PostgreSQL when a clinic outgrows one machine. Everything moves: the signing key, devices,
//! entries, the tree and its checkpoints, tokens. The source is read from one snapshot, the
//! destination written in one transaction, so a failed copy leaves it empty.

use super::{Database, DbError, Value};

/// Every table in the order their references allow, its columns, and its integer key when the
/// table is large enough to page through by key.
const TABLES: &[(&str, &str, Option<&str>)] = &[
    ("server_meta", "key, value", None),
    ("devices", "id, name, site, public_key, state, head_seq, head_hash, fork_seq, fork_detected_at, enrolled_at, last_contact, local_head", None),
    ("entries", "tree_index, device_id, seq, hash, timestamp, actor, action, outcome, received_at, entry_json", Some("tree_index")),
    ("tree_hashes", "idx, hash", Some("idx")),
    ("tree_state", "id, size, root, note", None),
    ("checkpoints", "size, root, note, created_at", Some("size")),
    ("enroll_tokens", "hash, site, created_at, expires_at, used_at, used_by", None),
    ("admin_tokens", "hash, name, created_at", None),
    ("nonces", "device_id, nonce, ts", None),
];

/// Rows read and written at a time.
const PAGE: i64 = 400;

/// Copies `from` into `to`, which must hold nothing yet. Returns the rows copied per table.
pub fn copy_database(from: &Database, to: &Database) -> Result<Vec<(String, u64)>, DbError> {
    to.write(|dest| {
        let dest = dest.conn();
        for (table, _, _) in TABLES {
            let rows = dest.query(&format!("SELECT COUNT(*) FROM {table}"), &[])?;
            if rows.first().map(|r| r.uint(0)).transpose()?.unwrap_or(0) > 0 {
                return Err(DbError::Corrupt(format!(
                    "the destination is not empty (its table {table} has rows): copy only into a new database"
                )));
            }
        }
        from.read(|src| {
            let src = src.conn();
            let mut counts = Vec::new();
            for (table, columns, key) in TABLES {
                let width = columns.split(',').count();
                let mut copied = 0u64;
                let mut after: Option<i64> = None;
                let mut offset = 0i64;
                loop {
                    let rows = match key {
                        Some(k) => src.query(
                            &format!("SELECT {columns} FROM {table} WHERE {k} > ? ORDER BY {k} LIMIT ?"),
                            &[Value::Int(after.unwrap_or(-1)), Value::Int(PAGE)],
                        )?,
                        None => src.query(
                            &format!("SELECT {columns} FROM {table} ORDER BY 1 LIMIT ? OFFSET ?"),
                            &[Value::Int(PAGE), Value::Int(offset)],
                        )?,
                    };
                    if rows.is_empty() {
                        break;
                    }
                    let mut params = Vec::with_capacity(rows.len() * width);
                    for row in &rows {
                        for i in 0..width {
                            params.push(row.0[i].clone());
                        }
                    }
                    let groups = vec![format!("({})", vec!["?"; width].join(", ")); rows.len()].join(", ");
                    dest.execute(&format!("INSERT INTO {table} ({columns}) VALUES {groups}"), &params)?;
                    copied += rows.len() as u64;
                    offset += rows.len() as i64;
                    if key.is_some() {
                        after = Some(rows.last().expect("a page").int(0)?);
                    }
                    if (rows.len() as i64) < PAGE {
                        break;
                    }
                }
                counts.push((table.to_string(), copied));
            }
            Ok(counts)
        })
    })
}

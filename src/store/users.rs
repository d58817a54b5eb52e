//! Users: name, role, and which key slot is theirs.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Result, StoreError};
use crate::records::User;

const COLUMNS: &str = "id, name, role, slot_id, created_at, removed_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: role.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into())
        })?,
        slot_id: r.get(3)?,
        created_at: r.get(4)?,
        removed_at: r.get(5)?,
    })
}

pub fn insert(conn: &Connection, u: &User) -> Result<()> {
    conn.execute(
        "INSERT INTO users (id, name, role, slot_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![u.id, u.name, u.role.as_str(), u.slot_id, u.created_at],
    )?;
    Ok(())
}

/// The active (not removed) user with this name.
pub fn find_active_by_name(conn: &Connection, name: &str) -> Result<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE name = ?1 AND removed_at IS NULL"),
            [name],
            from_row,
        )
        .optional()?)
}

pub fn find_by_slot(conn: &Connection, slot_id: &str) -> Result<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE slot_id = ?1"),
            [slot_id],
            from_row,
        )
        .optional()?)
}

pub fn list_active(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users WHERE removed_at IS NULL ORDER BY name"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_active_with_role(conn: &Connection, role: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE role = ?1 AND removed_at IS NULL",
        [role],
        |r| r.get(0),
    )?)
}

pub fn mark_removed(conn: &Connection, id: &str, at: &str) -> Result<()> {
    let n = conn.execute(
        "UPDATE users SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
        params![id, at],
    )?;
    if n != 1 {
        return Err(StoreError::Corrupt("user to remove is not active".into()));
    }
    Ok(())
}

/// Every user's id and name, removed users included (old cases and audit entries name them).
pub fn names(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM users")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

//! What a key rotation reads and rewrites in the database: each key slot's secret (wrapped under
//! the master key, in `meta` by slot id, so no migration is needed), the commitment to the master
//! key the contents are wrapped under, and the cases' wrapped data keys.

use rusqlite::{params, Connection, OptionalExtension};

use super::Result;

const SLOT_SECRET_PREFIX: &str = "slot_secret/";
/// `vault::keyslots::master_check` of the master key everything in the database is wrapped under.
pub const MASTER_CHECK: &str = "master_check";

fn slot_key(slot_id: &str) -> String {
    format!("{SLOT_SECRET_PREFIX}{slot_id}")
}

pub fn set_slot_secret(conn: &Connection, slot_id: &str, sealed_hex: &str) -> Result<()> {
    super::meta::set(conn, &slot_key(slot_id), sealed_hex)
}

pub fn delete_slot_secret(conn: &Connection, slot_id: &str) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [slot_key(slot_id)])?;
    Ok(())
}

/// Every stored slot secret: (slot id, sealed hex).
pub fn slot_secrets(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT key, value FROM meta WHERE substr(key, 1, ?1) = ?2")?;
    let rows = stmt.query_map(
        params![SLOT_SECRET_PREFIX.len() as i64, SLOT_SECRET_PREFIX],
        |r| {
            let key: String = r.get(0)?;
            Ok((key[SLOT_SECRET_PREFIX.len()..].to_string(), r.get(1)?))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every case's wrapped data key: (case id, wrapped).
pub fn case_keys(conn: &Connection) -> Result<Vec<(String, Vec<u8>)>> {
    let mut stmt = conn.prepare("SELECT case_id, wrapped_key FROM case_keys")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_case_key(conn: &Connection, case_id: &str, wrapped: &[u8]) -> Result<()> {
    conn.execute(
        "UPDATE case_keys SET wrapped_key = ?2 WHERE case_id = ?1",
        params![case_id, wrapped],
    )?;
    Ok(())
}

pub fn master_check(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [MASTER_CHECK],
            |r| r.get(0),
        )
        .optional()?)
}

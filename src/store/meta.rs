//! Key–value facts about the installation: device id, device keys, creation time.

use rusqlite::{params, Connection, OptionalExtension};

use super::Result;

pub const DEVICE_ID: &str = "device_id";
pub const DEVICE_PUBLIC_KEY: &str = "device_public_key";
/// The device's Ed25519 PKCS#8 document, sealed under a key derived from the master key.
pub const DEVICE_PRIVATE_KEY_SEALED: &str = "device_private_key_sealed";
pub const CREATED_AT: &str = "created_at";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

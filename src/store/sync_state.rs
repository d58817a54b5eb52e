//! Audit sync state in the encrypted store: the enrolled server, progress, receipts and
//! checkpoints (tables of migration V4).

use rusqlite::{params, Connection, OptionalExtension};
use varde_sync_wire::Receipt;

use super::Result;

/// The enrolled server and what was pinned at enrollment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncConfig {
    pub server_url: String,
    pub pin_sha256: Option<String>,
    pub origin: String,
    pub server_public_key: String,
    pub site: String,
    pub device_name: String,
    pub enabled: bool,
    pub enrolled_at: String,
}

/// How far delivery got and how the last attempt went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncProgress {
    pub acked_seq: u64,
    pub acked_hash: String,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub offline_since: Option<String>,
    pub server_head: Option<u64>,
    pub server_state: Option<String>,
}

/// A verified checkpoint: the server's tree of `size` leaves had root `root` (hex).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub root: String,
    pub note: String,
}

pub fn config(conn: &Connection) -> Result<Option<SyncConfig>> {
    Ok(conn
        .query_row(
            "SELECT server_url, pin_sha256, origin, server_public_key, site, device_name, enabled, enrolled_at
             FROM sync_config WHERE id = 1",
            [],
            |r| {
                Ok(SyncConfig {
                    server_url: r.get(0)?,
                    pin_sha256: r.get(1)?,
                    origin: r.get(2)?,
                    server_public_key: r.get(3)?,
                    site: r.get(4)?,
                    device_name: r.get(5)?,
                    enabled: r.get(6)?,
                    enrolled_at: r.get(7)?,
                })
            },
        )
        .optional()?)
}

pub fn save_config(conn: &Connection, c: &SyncConfig) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_config (id, server_url, pin_sha256, origin, server_public_key, site, device_name, enabled, enrolled_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, pin_sha256 = excluded.pin_sha256,
           origin = excluded.origin, server_public_key = excluded.server_public_key, site = excluded.site,
           device_name = excluded.device_name, enabled = excluded.enabled, enrolled_at = excluded.enrolled_at",
        params![
            c.server_url,
            c.pin_sha256,
            c.origin,
            c.server_public_key,
            c.site,
            c.device_name,
            c.enabled,
            c.enrolled_at
        ],
    )?;
    Ok(())
}

pub fn set_enabled(conn: &Connection, enabled: bool) -> Result<()> {
    conn.execute(
        "UPDATE sync_config SET enabled = ?1 WHERE id = 1",
        [enabled],
    )?;
    Ok(())
}

pub fn progress(conn: &Connection) -> Result<SyncProgress> {
    Ok(conn
        .query_row(
            "SELECT acked_seq, acked_hash, last_success, last_error, offline_since, server_head, server_state
             FROM sync_progress WHERE id = 1",
            [],
            |r| {
                Ok(SyncProgress {
                    acked_seq: r.get::<_, i64>(0)? as u64,
                    acked_hash: r.get(1)?,
                    last_success: r.get(2)?,
                    last_error: r.get(3)?,
                    offline_since: r.get(4)?,
                    server_head: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
                    server_state: r.get(6)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

pub fn save_progress(conn: &Connection, p: &SyncProgress) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_progress (id, acked_seq, acked_hash, last_success, last_error, offline_since, server_head, server_state)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET acked_seq = excluded.acked_seq, acked_hash = excluded.acked_hash,
           last_success = excluded.last_success, last_error = excluded.last_error,
           offline_since = excluded.offline_since, server_head = excluded.server_head,
           server_state = excluded.server_state",
        params![
            p.acked_seq as i64,
            p.acked_hash,
            p.last_success,
            p.last_error,
            p.offline_since,
            p.server_head.map(|v| v as i64),
            p.server_state
        ],
    )?;
    Ok(())
}

/// Stores a receipt (a second one for the same seq, after a retry, is the same statement).
pub fn insert_receipt(
    conn: &Connection,
    r: &Receipt,
    received_at: &str,
    source: &str,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO sync_receipts (seq, entry_hash, tree_index, checkpoint, signature, received_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            r.seq as i64,
            r.entry_hash,
            r.tree_index as i64,
            r.checkpoint,
            r.signature,
            received_at,
            source
        ],
    )?;
    Ok(())
}

/// The receipt covering the highest seq, as the server signed it.
pub fn last_receipt(conn: &Connection, device_id: &str) -> Result<Option<Receipt>> {
    Ok(conn
        .query_row(
            "SELECT seq, entry_hash, tree_index, checkpoint, signature FROM sync_receipts
             ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(Receipt {
                    device_id: device_id.to_string(),
                    seq: r.get::<_, i64>(0)? as u64,
                    entry_hash: r.get(1)?,
                    tree_index: r.get::<_, i64>(2)? as u64,
                    checkpoint: r.get(3)?,
                    signature: r.get(4)?,
                })
            },
        )
        .optional()?)
}

pub fn insert_checkpoint(conn: &Connection, c: &StoredCheckpoint, received_at: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO sync_checkpoints (size, root, note, received_at) VALUES (?1, ?2, ?3, ?4)",
        params![c.size as i64, c.root, c.note, received_at],
    )?;
    Ok(())
}

/// The largest verified checkpoint.
pub fn latest_checkpoint(conn: &Connection) -> Result<Option<StoredCheckpoint>> {
    Ok(conn
        .query_row(
            "SELECT size, root, note FROM sync_checkpoints ORDER BY size DESC LIMIT 1",
            [],
            |r| {
                Ok(StoredCheckpoint {
                    size: r.get::<_, i64>(0)? as u64,
                    root: r.get(1)?,
                    note: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Forgets the checkpoints (enrolling with another server: its tree is another tree).
pub fn clear_checkpoints(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM sync_checkpoints", [])?;
    Ok(())
}

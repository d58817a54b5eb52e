//! Document metadata; the bytes are encrypted blobs in the vault.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::Result;
use crate::records::Document;

const COLUMNS: &str =
    "id, case_id, file_name, media_type, size_bytes, sha256, blob_id, duplicate, added_by, added_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        case_id: r.get(1)?,
        file_name: r.get(2)?,
        media_type: r.get(3)?,
        size_bytes: r.get::<_, i64>(4)? as u64,
        sha256: r.get(5)?,
        blob_id: r.get(6)?,
        duplicate: r.get(7)?,
        added_by: r.get(8)?,
        added_at: r.get(9)?,
    })
}

pub fn insert(conn: &Connection, d: &Document) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO documents ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ),
        params![
            d.id,
            d.case_id,
            d.file_name,
            d.media_type,
            d.size_bytes as i64,
            d.sha256,
            d.blob_id,
            d.duplicate,
            d.added_by,
            d.added_at
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, case_id: &str, id: &str) -> Result<Option<Document>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM documents WHERE case_id = ?1 AND id = ?2"),
            params![case_id, id],
            from_row,
        )
        .optional()?)
}

pub fn list_for_case(conn: &Connection, case_id: &str) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM documents WHERE case_id = ?1 ORDER BY added_at, id"
    ))?;
    let rows = stmt.query_map([case_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a file with this SHA-256 is already in another case.
pub fn exists_in_other_case(conn: &Connection, sha256: &str, case_id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM documents WHERE sha256 = ?1 AND case_id <> ?2 LIMIT 1",
            params![sha256, case_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Every blob id the store still refers to.
pub fn all_blob_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT blob_id FROM documents")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

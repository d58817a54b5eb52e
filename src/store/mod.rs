//! The local store: one SQLCipher database (WAL, foreign keys on, secure delete), its schema
//! applied by refinery migrations at open, and small repositories, one per table group.
//!
//! A store written by a newer Varde (a schema version this build does not know) is refused before
//! anything is migrated: workstations run mixed versions, and a half-migrated store helps nobody.

pub mod audit_log;
pub mod cases;
pub mod documents;
pub mod jobs;
pub mod keys;
pub mod meta;
pub mod sync_state;
pub mod users;

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OptionalExtension};
use zeroize::Zeroizing;

use crate::vault::SecretKey;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// What can go wrong opening or using the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database key is wrong, or the file is not a Varde database")]
    WrongKey,
    #[error("this store was written by a newer version of Varde (schema {found}; this version knows up to {supported}): update Varde on this machine; the store was not changed")]
    NewerSchema { found: i64, supported: i64 },
    #[error("could not bring the store's schema up to date: {0}")]
    Migration(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The newest schema version this build knows.
pub fn latest_schema_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// Opens (creating if needed) the encrypted database at `path` with the raw 256-bit `key`, checks
/// the key, refuses a newer schema, and applies pending migrations.
pub fn open(path: &Path, key: &SecretKey) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    apply_key(&conn, key)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Opens a plain (unencrypted) SQLite database with the same schema: only for benchmarks that
/// compare SQLCipher against plain SQLite on the same queries.
pub fn open_unencrypted_for_benchmark(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn apply_key(conn: &Connection, key: &SecretKey) -> Result<()> {
    // SQLCipher prints "hmac check failed" to stderr on a wrong key; the error we return is enough.
    let _ = conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
    // A raw key: the master key is already the output of a slow KDF, so SQLCipher's own PBKDF2
    // would only slow every open.
    conn.execute_batch(&key_pragma("key", key))?;
    // A wrong key shows at the first read, not at PRAGMA key.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(StoreError::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}

/// `PRAGMA key` or `rekey` with a raw key. The statement holds the key in hex, so it is wiped
/// when dropped (SQLite's own copy is SQLCipher's to wipe).
fn key_pragma(pragma: &str, key: &SecretKey) -> Zeroizing<String> {
    let hex = Zeroizing::new(crate::vault::crypto::hex(key.expose()));
    let mut sql = Zeroizing::new(String::with_capacity(hex.len() + 32));
    sql.push_str("PRAGMA ");
    sql.push_str(pragma);
    sql.push_str(" = \"x'");
    sql.push_str(&hex);
    sql.push_str("'\";");
    sql
}

/// Re-encrypts the whole database under `new_key` (SQLCipher `PRAGMA rekey`, raw key), then
/// proves it by opening the file afresh with the new key. `conn` goes on working with the new key.
/// Run outside any transaction: a rekey is its own.
pub fn rekey(conn: &Connection, path: &Path, new_key: &SecretKey) -> Result<()> {
    // Fold the WAL in first, so every page is rewritten by the rekey under the new key.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.execute_batch(&key_pragma("rekey", new_key))?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    drop(open(path, new_key)?);
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let supported = latest_schema_version();
    let has_history: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if has_history {
        let found: Option<i64> = conn.query_row(
            "SELECT MAX(version) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )?;
        if let Some(found) = found.filter(|v| *v > supported) {
            return Err(StoreError::NewerSchema { found, supported });
        }
    }
    embedded::migrations::runner()
        .run(conn)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(())
}

/// `text` with `%`, `_` and `\` escaped, for LIKE patterns with `ESCAPE '\'`.
pub(crate) fn escape_like(text: &str) -> String {
    let mut p = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p
}

/// A LIKE pattern matching `text` anywhere.
pub(crate) fn like_pattern(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_key_is_refused_and_a_string_written_is_not_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let key = SecretKey::random().unwrap();
        let conn = open(&path, &key).unwrap();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('k', 'Ola Nordmann')",
            [],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        drop(conn);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(12).any(|w| w == b"Ola Nordmann"));
        assert!(matches!(
            open(&path, &SecretKey::random().unwrap()),
            Err(StoreError::WrongKey)
        ));
        assert!(open(&path, &key).is_ok());
    }

    #[test]
    fn a_store_from_a_newer_version_is_refused_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let key = SecretKey::random().unwrap();
        let conn = open(&path, &key).unwrap();
        let next = latest_schema_version() + 1;
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, 'future', '2030-01-01T00:00:00Z', '0')",
            [next],
        )
        .unwrap();
        drop(conn);
        match open(&path, &key) {
            Err(StoreError::NewerSchema { found, supported }) => {
                assert_eq!(found, next);
                assert_eq!(supported, latest_schema_version());
            }
            other => panic!("expected NewerSchema, got {other:?}"),
        }
    }

    #[test]
    fn a_rekeyed_database_opens_only_with_the_new_key_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let (old, new) = (SecretKey::random().unwrap(), SecretKey::random().unwrap());
        let conn = open(&path, &old).unwrap();
        conn.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])
            .unwrap();
        rekey(&conn, &path, &new).unwrap();
        let v: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'k'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v");
        drop(conn);
        assert!(matches!(open(&path, &old), Err(StoreError::WrongKey)));
        let again = open(&path, &new).unwrap();
        let v: String = again
            .query_row("SELECT value FROM meta WHERE key = 'k'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v");
        let pragma = key_pragma("key", &SecretKey::from_bytes(&[0xab; 32]).unwrap());
        assert!(pragma.starts_with("PRAGMA key = \"x'abab"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}

//! The server's database: one schema and one set of queries over two backends, an embedded
//! SQLite file (the default) or PostgreSQL (several instances on one database). Writes run in
//! one transaction each; the ingest transaction locks the tree's single state row first, so the
//! database, not process memory, orders entries and the Merkle tree.

mod copy;
mod pool;
mod postgres;
mod queries;
mod sqlite;
mod value;

use std::path::Path;

pub use copy::copy_database;
pub use pool::Database;
pub use queries::{DeviceRow, EntryFilter, NewEntry, StoredEntry, TokenUse, TreeState, Tx};
pub use value::{Row, Value};

/// The server's own words for a PostgreSQL error ("db error" alone says nothing); its detail,
/// which may quote row values, is left out.
fn postgres_reason(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// What the database failed at. Messages name tables and operations, never entry contents.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The SQLite file could not be opened or used.
    #[error("the SQLite database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL could not be reached or refused a statement.
    #[error("PostgreSQL failed: {}", postgres_reason(.0))]
    Postgres(#[from] ::postgres::Error),
    /// The schema could not be brought up to date.
    #[error("the database schema could not be migrated: {0}")]
    Migration(String),
    /// The data directory could not be prepared.
    #[error("the data directory {dir} could not be prepared: {source}")]
    DataDir {
        /// The directory.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// A stored value is not what the schema promises (a damaged or edited database).
    #[error("the database holds an unexpected value: {0}")]
    Corrupt(String),
    /// The `--database` URL is not one this server can use.
    #[error("unsupported database URL: use postgres://user@host/db, or none for the embedded SQLite file")]
    UnsupportedUrl,
}

/// The SQL dialect in use, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// One open connection of either backend.
pub trait Conn: Send {
    /// Runs a statement with `?` placeholders; returns the rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs a query with `?` placeholders.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;
    /// Runs statements without parameters (BEGIN, COMMIT, ...).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
    /// Which backend this is.
    fn dialect(&self) -> Dialect;
}

/// Where the server's data lives: the data directory and, optionally, a PostgreSQL URL.
pub fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Database, DbError> {
    match database_url {
        None => Database::sqlite(data_dir),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Database::postgres(url)
        }
        Some(_) => Err(DbError::UnsupportedUrl),
    }
}

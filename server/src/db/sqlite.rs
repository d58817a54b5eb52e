//! The embedded SQLite backend: one file in the data directory (mode 0600, directory 0700),
//! WAL so readers never wait for the writer, and full fsync at commit: a receipt is only sent
//! for what is on disk.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Connection;

use super::{Conn, DbError, Dialect, Row, Value};

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// The database file's name in the data directory.
pub const FILE_NAME: &str = "varde-server.db";

/// A SQLite connection.
pub struct SqliteConn(Connection);

impl SqliteConn {
    /// Opens (creating) the file at `path` with the server's settings.
    pub fn open(path: &Path) -> Result<SqliteConn, DbError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteConn(conn))
    }

    /// Applies the schema migrations.
    pub fn migrate(&mut self) -> Result<(), DbError> {
        embedded::migrations::runner()
            .run(&mut self.0)
            .map(|_| ())
            .map_err(|e| DbError::Migration(e.to_string()))
    }
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Int(i) => SqlValue::Integer(*i),
        Value::Text(s) => SqlValue::Text(s.clone()),
        Value::Blob(b) => SqlValue::Blob(b.clone()),
    }
}

fn from_sql(v: ValueRef<'_>) -> Result<Value, DbError> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Text(t) => Value::Text(
            String::from_utf8(t.to_vec())
                .map_err(|_| DbError::Corrupt("a text column is not UTF-8".into()))?,
        ),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        ValueRef::Real(_) => return Err(DbError::Corrupt("unexpected real number".into())),
    })
}

impl Conn for SqliteConn {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(from_sql(row.get_ref(i)?)?);
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

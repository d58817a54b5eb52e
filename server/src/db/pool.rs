//! A small pool of connections to either backend, and the transactions run on them.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};

use super::postgres::PgConn;
use super::queries::Tx;
use super::sqlite::{SqliteConn, FILE_NAME};
use super::{Conn, DbError, Dialect};
use crate::private_files;

/// How many connections one server process keeps at most (PostgreSQL's default limit is 100,
/// shared by every instance).
const MAX_CONNECTIONS: usize = 12;

type Opener = Box<dyn Fn() -> Result<Box<dyn Conn>, DbError> + Send + Sync>;

struct PoolState {
    idle: Vec<Box<dyn Conn>>,
    open: usize,
}

struct Pool {
    state: Mutex<PoolState>,
    freed: Condvar,
    opener: Opener,
}

/// The server's database, shared by all requests.
#[derive(Clone)]
pub struct Database {
    dialect: Dialect,
    pool: Arc<Pool>,
    location: String,
}

impl Database {
    fn with_opener(dialect: Dialect, location: String, opener: Opener) -> Database {
        Database {
            dialect,
            location,
            pool: Arc::new(Pool {
                state: Mutex::new(PoolState {
                    idle: Vec::new(),
                    open: 0,
                }),
                freed: Condvar::new(),
                opener,
            }),
        }
    }

    /// The embedded SQLite file in `data_dir`, created and migrated if needed.
    pub fn sqlite(data_dir: &Path) -> Result<Database, DbError> {
        let dir_error = |source| DbError::DataDir {
            dir: data_dir.display().to_string(),
            source,
        };
        private_files::create_private_dir(data_dir).map_err(dir_error)?;
        let path = data_dir.join(FILE_NAME);
        private_files::ensure_private_file(&path).map_err(dir_error)?;
        let mut first = SqliteConn::open(&path)?;
        first.migrate()?;
        let db = Database::with_opener(
            Dialect::Sqlite,
            path.display().to_string(),
            Box::new(move || Ok(Box::new(SqliteConn::open(&path)?) as Box<dyn Conn>)),
        );
        db.give_back(Box::new(first), true);
        Ok(db)
    }

    /// PostgreSQL at `url`, migrated if needed.
    pub fn postgres(url: &str) -> Result<Database, DbError> {
        let mut first = PgConn::connect(url)?;
        first.migrate()?;
        let owned = url.to_string();
        let db = Database::with_opener(
            Dialect::Postgres,
            redact(url),
            Box::new(move || Ok(Box::new(PgConn::connect(&owned)?) as Box<dyn Conn>)),
        );
        db.give_back(Box::new(first), true);
        Ok(db)
    }

    /// Where the data is, for messages (a PostgreSQL URL without its password).
    pub fn location(&self) -> &str {
        &self.location
    }

    fn take(&self) -> Result<Box<dyn Conn>, DbError> {
        let mut state = self.pool.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(conn);
            }
            if state.open < MAX_CONNECTIONS {
                state.open += 1;
                drop(state);
                return (self.pool.opener)().inspect_err(|_| {
                    let mut state = self.pool.state.lock().unwrap_or_else(|p| p.into_inner());
                    state.open -= 1;
                    self.pool.freed.notify_one();
                });
            }
            state = self
                .pool
                .freed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    fn give_back(&self, conn: Box<dyn Conn>, healthy: bool) {
        let mut state = self.pool.state.lock().unwrap_or_else(|p| p.into_inner());
        if healthy {
            state.idle.push(conn);
        } else {
            state.open = state.open.saturating_sub(1);
        }
        self.pool.freed.notify_one();
    }

    fn run<T, E: From<DbError>>(
        &self,
        begin: &str,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.take()?;
        if let Err(e) = conn.batch(begin) {
            self.give_back(conn, false);
            return Err(e.into());
        }
        let result = f(&mut Tx::new(conn.as_mut()));
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        match conn.batch(end) {
            Ok(()) => {
                self.give_back(conn, true);
                result
            }
            Err(e) => {
                self.give_back(conn, false);
                // A refused batch stays refused; a failed commit is the error to report.
                match result {
                    Ok(_) => Err(e.into()),
                    Err(refusal) => Err(refusal),
                }
            }
        }
    }

    /// A write transaction: committed when `f` succeeds, rolled back when it fails. On SQLite it
    /// holds the write lock from the start; on PostgreSQL, ingest locks the tree row itself.
    pub fn write<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        self.run(begin, f)
    }

    /// A read-only transaction: one consistent snapshot.
    pub fn read<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        self.run(begin, f)
    }
}

/// A PostgreSQL URL without its password, for logs and messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_url_is_shown_without_its_password() {
        assert_eq!(
            super::redact("postgres://varde:s3cret@db.local:5432/audit"),
            "postgres://varde@db.local:5432/audit"
        );
        assert_eq!(
            super::redact("postgres://localhost/a"),
            "postgres://localhost/a"
        );
    }
}

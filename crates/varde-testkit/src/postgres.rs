//! A throw-away PostgreSQL cluster: `initdb` in a temporary directory, `pg_ctl start` on a free
//! loopback port (as the `postgres` system user when the tests run as root, since PostgreSQL
//! refuses to run as root), stopped and removed when dropped — nothing is left running.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::net::free_port;

/// A running cluster that accepts `varde` without a password on 127.0.0.1.
pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

static DATABASES: AtomicU32 = AtomicU32::new(0);

impl PgCluster {
    /// Starts a cluster; panics with the server's log if it does not come up.
    pub fn start() -> PgCluster {
        let bin = find_bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("varde-pg-")
            .tempdir()
            .expect("temporary directory for PostgreSQL");
        let as_postgres = unsafe { libc::geteuid() } == 0;
        if as_postgres {
            let ok = Command::new("chown")
                .arg("postgres")
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown postgres {} failed", dir.path().display());
        }
        let mut cluster = PgCluster {
            dir,
            bin,
            port: 0,
            as_postgres,
        };
        let data = cluster.data_dir();
        cluster.run_checked(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "varde",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        // A port can be taken between choosing and binding it; try a few.
        for _ in 0..5 {
            cluster.port = free_port();
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                cluster.port,
                cluster.dir.path().display()
            );
            let log = cluster.dir.path().join("postgres.log");
            let out = cluster.run(
                "pg_ctl",
                &[
                    "-D",
                    &data,
                    "-o",
                    &options,
                    "-l",
                    &log.to_string_lossy(),
                    "-w",
                    "start",
                ],
            );
            if out.status.success() {
                return cluster;
            }
        }
        panic!("PostgreSQL did not start:\n{}", cluster.log());
    }

    /// The URL of the cluster's `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://varde@127.0.0.1:{}/postgres", self.port)
    }

    /// Creates a fresh, empty database and returns its URL.
    pub fn create_database(&self, prefix: &str) -> String {
        let name = format!(
            "{}_{}_{}",
            prefix
                .to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::Relaxed)
        );
        let port = self.port.to_string();
        self.run_checked(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "varde", &name],
        );
        format!("postgres://varde@127.0.0.1:{}/{name}", self.port)
    }

    /// The cluster's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", program.display()))
    }

    fn run_checked(&self, program: &str, args: &[&str]) {
        let out = self.run(program, args);
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.port != 0 {
            let data = self.data_dir();
            let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        }
    }
}

/// Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<version>/bin.
fn find_bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("VARDE_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server binaries were not found under /usr/lib/postgresql: run \
             scripts/setup.sh (it installs Debian's postgresql) or set VARDE_PG_BIN"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts_connections(port: u16) -> bool {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    }

    #[test]
    fn a_cluster_serves_fresh_databases_and_is_gone_once_dropped() {
        let cluster = PgCluster::start();
        let port = cluster.port();
        let first = cluster.create_database("t");
        let second = cluster.create_database("t");
        assert_ne!(first, second);
        assert!(first.starts_with(&format!("postgres://varde@127.0.0.1:{port}/t_")));
        assert!(accepts_connections(port));
        let dir = cluster.dir.path().to_path_buf();
        drop(cluster);
        assert!(
            !accepts_connections(port),
            "PostgreSQL still listens on {port}"
        );
        assert!(!dir.exists(), "{} was left behind", dir.display());
    }
}

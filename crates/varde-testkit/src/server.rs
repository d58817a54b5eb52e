//! A real `varde-server serve` process on a loopback port, with its data directory and optional
//! PostgreSQL URL, that a test can kill (SIGKILL, as a crash would) and restart on the same port.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use crate::net::{free_port, wait_for_http_ok, wait_for_port};

/// The `varde-server` binary of this build: `target/<profile>/varde-server`, beside the directory
/// holding the running test executable (`target/<profile>/deps/…`).
pub fn server_binary() -> PathBuf {
    if let Ok(path) = std::env::var("VARDE_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test executable's path");
    let mut dir = exe
        .parent()
        .expect("the test executable's directory")
        .to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let binary = dir.join(format!("varde-server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} is not built: run `cargo build -p varde-server` (cargo test --workspace builds it)",
        binary.display()
    );
    binary
}

/// A running server. Killed when dropped.
pub struct ServerProcess {
    binary: PathBuf,
    data_dir: PathBuf,
    database: Option<String>,
    port: u16,
    extra_args: Vec<String>,
    child: Option<Child>,
    starts: u32,
}

impl ServerProcess {
    /// Starts `binary serve` on a free port with `data_dir` (created if missing) and, when given,
    /// a PostgreSQL `database` URL; waits until `/healthz` answers.
    pub fn start(binary: &Path, data_dir: &Path, database: Option<&str>) -> ServerProcess {
        Self::start_with(binary, data_dir, database, &[])
    }

    /// As [`start`](Self::start), with more `serve` arguments (e.g. `--origin`).
    pub fn start_with(
        binary: &Path,
        data_dir: &Path,
        database: Option<&str>,
        extra_args: &[&str],
    ) -> ServerProcess {
        std::fs::create_dir_all(data_dir).expect("the server's data directory");
        let mut server = ServerProcess {
            binary: binary.to_path_buf(),
            data_dir: data_dir.to_path_buf(),
            database: database.map(str::to_string),
            port: free_port(),
            extra_args: extra_args.iter().map(|a| a.to_string()).collect(),
            child: None,
            starts: 0,
        };
        server.spawn();
        server
    }

    /// `http://127.0.0.1:PORT`, or `https://…` when started with `--tls-cert`.
    pub fn url(&self) -> String {
        let scheme = if self.tls() { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    fn tls(&self) -> bool {
        self.extra_args.iter().any(|a| a == "--tls-cert")
    }

    /// The loopback port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The PostgreSQL URL, when the server runs on PostgreSQL.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// Kills the process the way a crash or power cut would (SIGKILL), and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the process if it runs and starts it again on the same port and data.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// Runs `varde-server <args> --data-dir DIR [--database URL]` (an admin subcommand) to the end.
    pub fn cli(&self, args: &[&str]) -> Output {
        let mut command = Command::new(&self.binary);
        command.args(args).arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = &self.database {
            command.arg("--database").arg(url);
        }
        command
            .env_remove("VARDE_SERVER_DATA_DIR")
            .env_remove("VARDE_SERVER_DATABASE")
            .output()
            .expect("varde-server runs")
    }

    /// Everything the process wrote to stdout and stderr, over all its starts.
    pub fn log(&self) -> String {
        (1..=self.starts)
            .map(|n| std::fs::read_to_string(self.log_path(n)).unwrap_or_default())
            .collect()
    }

    fn log_path(&self, start: u32) -> PathBuf {
        // Beside, not inside, the data directory: tests scan the data directory's files on their own.
        let name = self
            .data_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        self.data_dir
            .with_file_name(format!("{name}.server-{start}.log"))
    }

    fn spawn(&mut self) {
        self.starts += 1;
        let log = File::create(self.log_path(self.starts)).expect("the server's log file");
        let mut command = Command::new(&self.binary);
        command
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(&self.extra_args)
            .env_remove("VARDE_SERVER_DATA_DIR")
            .env_remove("VARDE_SERVER_DATABASE")
            .env_remove("VARDE_SERVER_TLS_CERT")
            .env_remove("VARDE_SERVER_TLS_KEY")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log);
        if let Some(url) = &self.database {
            command.arg("--database").arg(url);
        }
        let child = command.spawn().expect("varde-server starts");
        self.child = Some(child);
        // Over TLS the std-only probe cannot speak HTTP: an accepted connection means it serves
        // (the port is bound only after the database is open).
        let up = if self.tls() {
            wait_for_port(self.port, Duration::from_secs(30))
        } else {
            wait_for_http_ok(self.port, "/healthz", Duration::from_secs(30))
        };
        if !up {
            let alive = self.is_running();
            self.kill();
            panic!(
                "varde-server did not answer /healthz on port {} (running: {alive}):\n{}",
                self.port,
                self.log()
            );
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

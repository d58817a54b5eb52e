//! The command line: global data location, `serve`, and the admin subcommands (each with
//! `--json`, errors then as `{"error": {"code", "message"}}`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "varde-server", version, about = "Varde's central audit server")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct Global {
    /// Where the server keeps its data (the SQLite file when no --database is given).
    #[arg(
        long,
        global = true,
        env = "VARDE_SERVER_DATA_DIR",
        default_value = "varde-server-data"
    )]
    pub data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://user@host/db); without it, an embedded SQLite file.
    #[arg(long, global = true, env = "VARDE_SERVER_DATABASE")]
    pub database: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serves the sync API.
    Serve {
        /// Address to listen on. Without --tls-cert (plain HTTP) only a loopback address.
        #[arg(long, default_value = "127.0.0.1:8730", env = "VARDE_SERVER_LISTEN")]
        listen: SocketAddr,
        /// The log's name for a new database (default varde-audit/<host name>).
        #[arg(long)]
        origin: Option<String>,
        /// Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key.
        #[arg(long, requires = "tls_key", env = "VARDE_SERVER_TLS_CERT")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert", env = "VARDE_SERVER_TLS_KEY")]
        tls_key: Option<PathBuf>,
    },
    /// Enrollment tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Lists enrolled devices.
    Devices {
        #[arg(long)]
        json: bool,
    },
    /// One device.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Re-verifies everything held: the checkpoint's signature, every device's chain from its
    /// first entry, each device's head, and the Merkle tree from its leaves. Exits 1 on a problem.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Ingests a segment file from an air-gapped workstation (`varde audit export
    /// --since-last-receipt`) with the checks of a sync, and writes the receipt file that
    /// `varde sync import-receipt` takes back.
    Import {
        /// The segment file.
        file: PathBuf,
        /// Where to write the receipt (default: FILE.receipt.json beside it).
        #[arg(long)]
        receipt_out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Copies everything (key, devices, entries, tree, tokens) into a new, empty database: a
    /// PostgreSQL URL, or a directory for a new SQLite file. Stop the server first.
    CopyTo {
        /// postgres://… or a data directory.
        destination: String,
        #[arg(long)]
        json: bool,
    },
    /// Admin API tokens.
    AdminToken {
        #[command(subcommand)]
        command: AdminTokenCommand,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Prints a one-time enrollment token for a site.
    Create {
        #[arg(long)]
        site: String,
        /// How long it stays valid: 30m, 24h, 7d.
        #[arg(long, default_value = "24h")]
        expires: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Refuses a device from now on.
    Revoke {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum AdminTokenCommand {
    /// Prints a new admin token (stored hashed; shown once).
    Create {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

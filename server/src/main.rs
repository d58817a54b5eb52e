//! `varde-server`: the clinic's central audit server. Workstations enroll and push their
//! signed, hash-chained audit logs; the server verifies every entry, appends it to one Merkle
//! tree with signed checkpoints, and answers with receipts and proofs.

mod admin_cli;
mod cli;
mod db;
mod http;
mod log;
mod private_files;
mod tls;

use std::sync::Arc;

use anyhow::{bail, Context};
use clap::Parser;

use crate::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VARDE_SERVER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let json = matches!(
        &cli.command,
        Command::Devices { json: true }
            | Command::Verify { json: true }
            | Command::Import { json: true, .. }
            | Command::CopyTo { json: true, .. }
            | Command::Token {
                command: cli::TokenCommand::Create { json: true, .. }
            }
            | Command::Device {
                command: cli::DeviceCommand::Revoke { json: true, .. }
            }
            | Command::AdminToken {
                command: cli::AdminTokenCommand::Create { json: true, .. }
            }
    );
    let origin = match &cli.command {
        Command::Serve { origin, .. } => origin.clone(),
        _ => None,
    };
    let log = match db::open(&cli.global.data_dir, cli.global.database.as_deref())
        .map_err(log::LogError::from)
        .and_then(|db| log::Log::open(db, origin.as_deref()))
    {
        Ok(log) => log,
        Err(e) => {
            admin_cli::print_error(json, e.code(), &e.to_string());
            std::process::exit(2);
        }
    };
    let code = match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            ..
        } => match serve(log, listen, tls_cert.zip(tls_key)) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("varde-server: {e:#}");
                1
            }
        },
        other => admin_cli::run(&log, other),
    };
    // Exit without unwinding the runtime and the database pool (PostgreSQL clients own runtimes).
    std::process::exit(code);
}

fn serve(
    log: log::Log,
    listen: std::net::SocketAddr,
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> anyhow::Result<()> {
    let tls = tls
        .map(|(cert, key)| tls::Tls::load(&cert, &key))
        .transpose()?;
    if tls.is_none() && !listen.ip().is_loopback() {
        bail!(
            "plain HTTP is only allowed on a loopback address (127.0.0.1, ::1); {listen} is not one: \
             give --tls-cert and --tls-key to serve HTTPS"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("the async runtime could not start")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        tracing::info!(
            %listen,
            scheme,
            tls_certificate_sha256 = tls.as_ref().map(|t| t.fingerprint.as_str()),
            origin = %log.origin,
            database = %log.db.location(),
            "serving"
        );
        let state = Arc::new(http::AppState {
            log,
            metrics: http::Metrics::default(),
        });
        let app = http::router(state);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match tls {
            Some(tls) => {
                tls.serve(listener, app, shutdown).await;
                Ok(())
            }
            None => axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
                .context("the server stopped"),
        }
    })
}

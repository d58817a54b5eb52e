//! `varde`: the command-line door to Varde's core. Each command signs in, calls one core API
//! operation and prints its result (human text, or JSON with `--json`). No rule lives here.

mod cli;
mod commands;
mod demo;
mod output;
mod secrets;
mod subject;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use varde::pipeline::analysis::{Request, Stage};
use varde::pipeline::worker::{self, WorkerLimits};
use varde::{ErrorKind, Session, Varde};

use cli::{Cli, Command, LogFormat, SubjectCmd};
use output::Out;

fn main() -> ExitCode {
    // The isolated document worker: no CLI, no logging, a framed protocol on stdin/stdout.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == varde::pipeline::worker::WORKER_ARG)
    {
        varde::pipeline::worker::serve();
    }
    // Before anything holds a key: no core dumps, no same-user reads of this process's memory.
    varde::api::harden_process();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    init_logging(cli.log_format, &cli.log_level);
    let out = Out::new(cli.json);
    match run(&cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<Exit>().is_some() => {
            ExitCode::from(e.downcast_ref::<Exit>().map_or(1, |x| x.0))
        }
        Err(e) => {
            let (code, kind) = match e.downcast_ref::<varde::Error>() {
                Some(v) => (exit_code(v.kind()), varde::api::error_code(v)),
                None => (1, "error"),
            };
            out.error(kind, &format!("{e:#}"));
            ExitCode::from(code)
        }
    }
}

fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Other => 1,
        ErrorKind::Authentication => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::Conflict => 5,
        ErrorKind::PermissionDenied => 6,
        ErrorKind::InvalidInput => 7,
    }
}

fn init_logging(format: LogFormat, level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Human => builder.with_ansi(false).init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn data_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    varde::config::default_data_dir()
        .context("no home directory to keep Varde's data in: pass --data-dir")
}

fn sign_in(cli: &Cli) -> anyhow::Result<Session> {
    let varde = Varde::at(&data_dir(cli)?);
    let user = cli
        .user
        .clone()
        .context("who is signing in? pass --user NAME or set VARDE_USER")?;
    let password = secrets::password("Password: ")?;
    Ok(varde.sign_in(&user, &password)?)
}

fn run(cli: &Cli, out: &Out) -> anyhow::Result<()> {
    match &cli.command {
        Command::Init { admin } => commands::init(&data_dir(cli)?, admin, out),
        Command::Recover => commands::recover(&data_dir(cli)?, cli.user.as_deref(), out),
        Command::Demo => demo::run(out),
        Command::User(cmd) => commands::user(&mut sign_in(cli)?, cmd, out),
        Command::Keys(cmd) => commands::keys(&mut sign_in(cli)?, cmd, cli.json, out),
        Command::RecoveryCode(cmd) => commands::recovery_code(&mut sign_in(cli)?, cmd, cli.json),
        Command::Case(cmd) => commands::case(&mut sign_in(cli)?, cmd, out),
        Command::Erase(args) => commands::erase(&mut sign_in(cli)?, args, out),
        Command::Doc(cmd) => commands::doc(&mut sign_in(cli)?, cmd, out),
        Command::Review(cmd) => commands::review(&mut sign_in(cli)?, cmd, out),
        Command::Audit(cmd) => commands::audit(&mut sign_in(cli)?, cmd, out),
        Command::Purge => {
            out.purge(&sign_in(cli)?.purge()?);
            Ok(())
        }
        Command::Subject(SubjectCmd::Export { case_id, out: path }) => {
            commands::subject_export(&mut sign_in(cli)?, case_id, path.as_deref())
        }
        Command::Analyze {
            file,
            validate_only,
            timeout,
        } => analyze(file, *validate_only, *timeout, out),
        Command::Worker {
            follow,
            workers,
            timeout,
        } => commands::worker(&mut sign_in(cli)?, *follow, *workers, *timeout, out),
        Command::Sync { cmd } => commands::sync(&mut sign_in(cli)?, cmd.as_ref(), out),
        Command::Jobs(cmd) => commands::jobs(&mut sign_in(cli)?, cmd, out),
        Command::Config(cmd) => commands::config(&mut sign_in(cli)?, cmd, out),
        Command::Backup { out: path } => {
            out.backup(&sign_in(cli)?.backup(path)?);
            Ok(())
        }
        Command::Restore { file } => {
            let user = cli
                .user
                .clone()
                .context("who restores? pass --user NAME (an admin of the backed-up store)")?;
            let password = secrets::password("Password: ")?;
            out.restore(&Varde::at(&data_dir(cli)?).restore(file, &user, &password)?);
            Ok(())
        }
    }
}

/// Exit code of `varde analyze` for a refused file.
const EXIT_INVALID: u8 = 7;

/// Error raised when the exit code is already decided and the JSON already printed.
#[derive(Debug)]
struct Exit(u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for Exit {}

/// `varde analyze FILE`: the whole pipeline on one file, in an isolated worker; no store.
fn analyze(
    file: &std::path::Path,
    validate_only: bool,
    timeout: u64,
    out: &Out,
) -> anyhow::Result<()> {
    let config = varde::config::Config::default();
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            out.error("unreadable", &format!("cannot read the file: {}", e.kind()));
            return Err(Exit(EXIT_INVALID).into());
        }
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let stage = if validate_only {
        Stage::Validate
    } else {
        Stage::Full
    };
    let req = Request::new(
        name,
        stage,
        config.upload_limit_bytes(),
        config.ai_confidence_threshold,
    );
    let limits = WorkerLimits {
        timeout: std::time::Duration::from_secs(timeout.max(1)),
        ..WorkerLimits::default()
    };
    match worker::analyze_isolated(&req, &bytes, limits) {
        Ok(mut a) => {
            a.file = file.display().to_string();
            out.analysis(&a);
            Ok(())
        }
        Err(e) => {
            out.error(e.code(), &e.to_string());
            Err(Exit(if matches!(e, worker::PipelineError::Spawn(_)) {
                1
            } else {
                EXIT_INVALID
            })
            .into())
        }
    }
}

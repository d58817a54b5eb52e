//! `varde`: the command-line door to Varde's core. Each command signs in, calls one core API
//! operation and prints its result (human text, or JSON with `--json`). No rule lives here.

mod demo;
mod output;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use varde::api::{CaseQuery, DocumentPurpose, NewCase, RunOptions};
use varde::domain::{CaseKind, CaseStatus, Role};
use varde::pipeline::analysis::{Request, Stage};
use varde::pipeline::worker::{self, WorkerLimits};
use varde::{ErrorKind, Session, Varde};

use output::Out;

#[derive(Parser)]
#[command(name = "varde", version, about = "Offline review of identity and clinical documents", long_about = None)]
struct Cli {
    /// Data directory (default: the per-user data directory)
    #[arg(long, global = true, env = "VARDE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Machine-readable output on stdout
    #[arg(long, global = true)]
    json: bool,
    /// Who signs in (the password comes from VARDE_PASSWORD or a prompt, never from arguments)
    #[arg(long, global = true, env = "VARDE_USER")]
    user: Option<String>,
    /// Log format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    log_format: LogFormat,
    /// Log level or filter (error, warn, info, debug, trace)
    #[arg(long, global = true, env = "VARDE_LOG", default_value = "warn")]
    log_level: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Create the store and its first admin; prints the one-time recovery code
    Init {
        #[arg(long)]
        admin: String,
    },
    /// Sign in with the recovery code and set a new password for --user
    Recover,
    /// Manage users (admins)
    #[command(subcommand)]
    User(UserCmd),
    /// Cases
    #[command(subcommand)]
    Case(CaseCmd),
    /// Documents of a case
    #[command(subcommand)]
    Doc(DocCmd),
    /// Review decisions (reviewers)
    #[command(subcommand)]
    Review(ReviewCmd),
    /// The audit log (auditors and admins)
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Erase every closed case past its retention period (admins)
    Purge,
    /// A subject's data (admins)
    #[command(subcommand)]
    Subject(SubjectCmd),
    /// Settings (admins change them)
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Walk a case through the whole workflow in a throw-away store
    Demo,
    /// Analyse one file on its own (no store): validation, text, classification, as JSON
    Analyze {
        file: PathBuf,
        /// Only validate the file (accept or reject), without text extraction or classification
        #[arg(long)]
        validate_only: bool,
        /// Per-document time limit in seconds
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Run queued document analyses until the queue is empty
    Worker {
        /// Keep running and take new jobs as they come
        #[arg(long)]
        follow: bool,
        /// Worker processes (default: one per core)
        #[arg(long)]
        workers: Option<usize>,
        /// Per-document time limit in seconds
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// The document pipeline's job queue
    #[command(subcommand)]
    Jobs(JobsCmd),
    /// Audit sync with the clinic's central audit server (no subcommand: push now)
    Sync {
        #[command(subcommand)]
        cmd: Option<SyncCmd>,
    },
}

#[derive(Subcommand)]
enum SyncCmd {
    /// Enroll this device with an audit server (admins)
    Enroll {
        /// https://… (or http:// to this machine)
        url: String,
        /// The one-time token from `varde-server token create`
        #[arg(long, env = "VARDE_SYNC_TOKEN")]
        token: String,
        /// SHA-256 of the server's certificate (DER), for a self-signed server
        #[arg(long, value_name = "HEX")]
        pin_sha256: Option<String>,
        /// This device's name on the server (default: the host name)
        #[arg(long)]
        name: Option<String>,
    },
    /// Where sync stands
    Status,
    /// Switch sync on (admins)
    Enable,
    /// Switch sync off (admins)
    Disable,
    /// Bring back a receipt file written by `varde-server import` (air-gapped sites)
    ImportReceipt { file: PathBuf },
}

#[derive(Subcommand)]
enum JobsCmd {
    /// List jobs
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        case: Option<String>,
    },
    /// Put a dead job back in the queue
    Retry { job_id: String },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add a user (new password from VARDE_NEW_PASSWORD or a prompt)
    Add {
        name: String,
        #[arg(long)]
        role: Role,
    },
    /// Change your password, or (admins) another user's
    Passwd { name: Option<String> },
    /// Remove a user: their password no longer opens the store
    Remove { name: String },
    /// List users
    List,
}

#[derive(Subcommand)]
enum CaseCmd {
    /// Open a new case (clinicians)
    Create {
        #[arg(long)]
        kind: CaseKind,
        #[arg(long)]
        subject_name: String,
        /// YYYY-MM-DD
        #[arg(long)]
        subject_dob: Option<String>,
        /// Norwegian national ID number (fødselsnummer, D- or H-nummer)
        #[arg(long)]
        subject_id: Option<String>,
        /// The subject has given consent
        #[arg(long)]
        consent: bool,
        #[arg(long)]
        policy_version: String,
    },
    /// List the cases you may see
    List {
        #[arg(long)]
        status: Option<CaseStatus>,
        #[arg(long)]
        kind: Option<CaseKind>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Show a case and its documents
    Show {
        id: String,
        #[command(flatten)]
        bg: BreakGlass,
    },
    /// Send a rejected case back for review (its creator)
    Resubmit {
        id: String,
        #[arg(long)]
        expected_version: i64,
    },
    /// Erase a case and its documents (admins)
    Erase {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// The audit timeline of a case
    Timeline { id: String },
}

#[derive(Args)]
struct BreakGlass {
    /// Open a case that is not yours, saying why (audited and flagged for review)
    #[arg(long = "break-glass", value_name = "REASON")]
    reason: Option<String>,
}

#[derive(Subcommand)]
enum DocCmd {
    /// Add a file to a case (validated first; its analysis is queued)
    Add {
        case_id: String,
        file: PathBuf,
        /// Wait for the analysis to finish
        #[arg(long)]
        wait: bool,
    },
    /// A document's metadata, analysis and jobs
    Show {
        case_id: String,
        doc_id: String,
        #[command(flatten)]
        bg: BreakGlass,
    },
    /// Write a document's decrypted bytes to a file
    Get {
        case_id: String,
        doc_id: String,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        bg: BreakGlass,
    },
}

#[derive(Args)]
struct Decision {
    case_id: String,
    #[arg(long)]
    expected_version: i64,
    #[arg(long)]
    reason: Option<String>,
}

#[derive(Subcommand)]
enum ReviewCmd {
    /// PENDING → IN_REVIEW
    Start(Decision),
    /// IN_REVIEW → APPROVED
    Approve(Decision),
    /// IN_REVIEW → REJECTED (reason required)
    Reject(Decision),
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the whole chain: hashes, links, signatures, no gaps
    Verify,
    /// Export every entry
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write to a file instead of stdout
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the device-signed segment of the entries the audit server has not received,
        /// for `varde-server import` (needs --out)
        #[arg(long, requires = "out")]
        since_last_receipt: bool,
    },
    /// Break-glass accesses waiting for review
    BreakGlass {
        /// Include reviewed ones
        #[arg(long)]
        all: bool,
        /// Mark one as reviewed
        #[arg(long, value_name = "ID")]
        ack: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
}

#[derive(Subcommand)]
enum SubjectCmd {
    /// Everything stored about a case's subject, as JSON
    Export {
        case_id: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ConfigCmd {
    Show,
    Set { key: String, value: String },
}

fn main() -> ExitCode {
    // The isolated document worker: no CLI, no logging, a framed protocol on stdin/stdout.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == varde::pipeline::worker::WORKER_ARG)
    {
        varde::pipeline::worker::serve();
    }
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
        Command::Init { admin } => {
            let varde = Varde::at(&data_dir(cli)?);
            let password = secrets::password("New admin password: ")?;
            let (session, code) = varde.init(admin, &password)?;
            out.init(&session, code.as_str());
            Ok(())
        }
        Command::Recover => {
            let varde = Varde::at(&data_dir(cli)?);
            let user = cli
                .user
                .clone()
                .context("whose password is reset? pass --user NAME")?;
            let code = secrets::recovery_code()?;
            let password = secrets::new_password()?;
            let session = varde.recover(&code, &user, &password)?;
            out.message(&format!(
                "Password for {} reset with the recovery code.",
                session.user().name
            ));
            Ok(())
        }
        Command::Demo => demo::run(out),
        Command::User(cmd) => {
            let mut s = sign_in(cli)?;
            match cmd {
                UserCmd::Add { name, role } => {
                    let password = secrets::new_password()?;
                    let user = s.add_user(name, *role, &password)?;
                    out.user(&user);
                }
                UserCmd::Passwd { name } => {
                    let password = secrets::new_password()?;
                    s.change_password(name.as_deref(), &password)?;
                    out.message("Password changed.");
                }
                UserCmd::Remove { name } => {
                    s.remove_user(name)?;
                    out.message("User removed; their password no longer opens the store.");
                }
                UserCmd::List => out.users(&s.list_users()?),
            }
            Ok(())
        }
        Command::Case(cmd) => {
            let mut s = sign_in(cli)?;
            match cmd {
                CaseCmd::Create {
                    kind,
                    subject_name,
                    subject_dob,
                    subject_id,
                    consent,
                    policy_version,
                } => {
                    let case = s.create_case(NewCase {
                        kind: Some(*kind),
                        subject_name: subject_name.clone(),
                        subject_dob: subject_dob.clone(),
                        subject_national_id: subject_id.clone(),
                        consent_given: *consent,
                        policy_version: policy_version.clone(),
                    })?;
                    out.case(&case);
                }
                CaseCmd::List {
                    status,
                    kind,
                    search,
                    limit,
                    offset,
                } => {
                    let page = s.list_cases(&CaseQuery {
                        status: *status,
                        kind: *kind,
                        search: search.clone(),
                        limit: Some(*limit),
                        offset: *offset,
                        ..CaseQuery::default()
                    })?;
                    out.case_page(&page);
                }
                CaseCmd::Show { id, bg } => out.case_view(&s.open_case(id, bg.reason.as_deref())?),
                CaseCmd::Resubmit {
                    id,
                    expected_version,
                } => out.case(&s.resubmit(id, *expected_version)?),
                CaseCmd::Erase { id, reason } => {
                    s.erase_case(id, reason)?;
                    out.message(&format!("Case {id} erased; its data key is destroyed."));
                }
                CaseCmd::Timeline { id } => out.timeline(&s.case_timeline(id)?),
            }
            Ok(())
        }
        Command::Doc(cmd) => {
            let mut s = sign_in(cli)?;
            match cmd {
                DocCmd::Add {
                    case_id,
                    file,
                    wait,
                } => {
                    let added = s.add_document_from_path(case_id, file)?;
                    if *wait {
                        s.run_jobs(&RunOptions {
                            until_job: Some(added.job_id.clone()),
                            ..RunOptions::default()
                        })?;
                        let detail = s.document_detail(case_id, &added.document.id, None)?;
                        out.document_detail(&detail);
                    } else {
                        out.added(&added);
                    }
                }
                DocCmd::Show {
                    case_id,
                    doc_id,
                    bg,
                } => out.document_detail(&s.document_detail(
                    case_id,
                    doc_id,
                    bg.reason.as_deref(),
                )?),
                DocCmd::Get {
                    case_id,
                    doc_id,
                    out: path,
                    bg,
                } => {
                    let (doc, bytes) = s.read_document(
                        case_id,
                        doc_id,
                        bg.reason.as_deref(),
                        DocumentPurpose::Download,
                    )?;
                    write_new_file(path, &bytes)?;
                    out.document_written(&doc, path);
                }
            }
            Ok(())
        }
        Command::Review(cmd) => {
            let mut s = sign_in(cli)?;
            let case = match cmd {
                ReviewCmd::Start(d) => s.start_review(&d.case_id, d.expected_version)?,
                ReviewCmd::Approve(d) => {
                    s.approve(&d.case_id, d.expected_version, d.reason.as_deref())?
                }
                ReviewCmd::Reject(d) => s.reject(
                    &d.case_id,
                    d.expected_version,
                    d.reason.as_deref().unwrap_or(""),
                )?,
            };
            out.case(&case);
            Ok(())
        }
        Command::Audit(cmd) => {
            let mut s = sign_in(cli)?;
            match cmd {
                AuditCmd::Verify => out.verify(&s.verify_audit()?),
                AuditCmd::Export {
                    since_last_receipt: true,
                    out: Some(p),
                    ..
                } => {
                    let segment = s.export_segment_since_last_receipt()?;
                    write_new_file(p, &serde_json::to_vec(&segment)?)?;
                    out.segment_written(&segment, p);
                }
                AuditCmd::Export {
                    format: ExportFormat::Jsonl,
                    out: path,
                    ..
                } => match path {
                    Some(p) => {
                        let mut f = std::io::BufWriter::new(create_new_file(p)?);
                        let n = s.export_audit(&mut f)?;
                        std::io::Write::flush(&mut f)?;
                        eprintln!("{n} audit entries written to {}", p.display());
                    }
                    None => {
                        let stdout = std::io::stdout();
                        let mut lock = stdout.lock();
                        s.export_audit(&mut lock)?;
                    }
                },
                AuditCmd::BreakGlass { all, ack } => match ack {
                    Some(id) => {
                        s.acknowledge_break_glass(id)?;
                        out.message("Break-glass access marked as reviewed.");
                    }
                    None => out.break_glass(&s.break_glass_events(!*all)?),
                },
            }
            Ok(())
        }
        Command::Purge => {
            let mut s = sign_in(cli)?;
            out.purge(&s.purge()?);
            Ok(())
        }
        Command::Subject(SubjectCmd::Export { case_id, out: path }) => {
            let mut s = sign_in(cli)?;
            let export = s.export_subject(case_id)?;
            let json = serde_json::to_string_pretty(&export)?;
            match path {
                Some(p) => {
                    write_new_file(p, json.as_bytes())?;
                    eprintln!("Subject export written to {}", p.display());
                }
                None => println!("{json}"),
            }
            Ok(())
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
        } => {
            let mut s = sign_in(cli)?;
            let mut opts = RunOptions {
                follow: *follow,
                limits: WorkerLimits {
                    timeout: std::time::Duration::from_secs((*timeout).max(1)),
                    ..WorkerLimits::default()
                },
                ..RunOptions::default()
            };
            if let Some(n) = workers {
                opts.workers = *n;
            }
            // With --follow the worker also delivers the audit log in the background (it waits
            // quietly while the device is not enrolled or sync is off).
            let sync = if *follow {
                Some(varde::api::SyncRunner::start(s.sync_agent()?, |_| {}))
            } else {
                None
            };
            let report = s.run_jobs(&opts);
            if let Some(runner) = sync {
                runner.stop();
            }
            out.run_report(&report?);
            Ok(())
        }
        Command::Sync { cmd } => {
            let mut s = sign_in(cli)?;
            match cmd {
                None => out.sync_report(&s.sync_now()?),
                Some(SyncCmd::Status) => out.sync_status(&s.sync_status()?),
                Some(SyncCmd::Enroll {
                    url,
                    token,
                    pin_sha256,
                    name,
                }) => {
                    let name = name.clone().unwrap_or_else(host_name);
                    out.sync_status(&s.sync_enroll(url, token, pin_sha256.as_deref(), &name)?)
                }
                Some(SyncCmd::Enable) => out.sync_status(&s.set_sync_enabled(true)?),
                Some(SyncCmd::Disable) => out.sync_status(&s.set_sync_enabled(false)?),
                Some(SyncCmd::ImportReceipt { file }) => {
                    out.sync_status(&s.sync_import_receipt(file)?)
                }
            }
            Ok(())
        }
        Command::Jobs(cmd) => {
            let mut s = sign_in(cli)?;
            match cmd {
                JobsCmd::List { status, case } => {
                    out.jobs(&s.list_jobs(status.as_deref(), case.as_deref())?)
                }
                JobsCmd::Retry { job_id } => out.jobs(&[s.retry_job(job_id)?]),
            }
            Ok(())
        }
        Command::Config(cmd) => {
            let mut s = sign_in(cli)?;
            let cfg = match cmd {
                ConfigCmd::Show => s.config().clone(),
                ConfigCmd::Set { key, value } => s.set_setting(key, value)?,
            };
            out.config(&cfg);
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

/// This machine's host name, the default device name on the audit server.
fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let name = if ok {
        let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).trim().to_string()
    } else {
        String::new()
    };
    if name.is_empty() {
        "workstation".into()
    } else {
        name
    }
}

/// Creates a file that must not exist yet (never overwrite something the user has).
fn create_new_file(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path).with_context(|| {
        format!(
            "cannot create {} (it must not exist already)",
            path.display()
        )
    })
}

fn write_new_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = create_new_file(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

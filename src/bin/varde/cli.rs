//! The command line's grammar (clap): every command, its arguments and their help. What each
//! command does is in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use varde::api::ErasureReason;
use varde::domain::{CaseKind, CaseStatus, Role};
use varde::records::JobStatus;

#[derive(Parser)]
#[command(name = "varde", version, about = "Offline review of identity and clinical documents", long_about = None)]
pub(crate) struct Cli {
    /// Data directory (default: the per-user data directory)
    #[arg(long, global = true, env = "VARDE_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Machine-readable output on stdout
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Who signs in (the password comes from VARDE_PASSWORD or a prompt, never from arguments)
    #[arg(long, global = true, env = "VARDE_USER")]
    pub(crate) user: Option<String>,
    /// Log format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    pub(crate) log_format: LogFormat,
    /// Log level or filter (error, warn, info, debug, trace)
    #[arg(long, global = true, env = "VARDE_LOG", default_value = "warn")]
    pub(crate) log_level: String,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LogFormat {
    Human,
    Json,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create the store and its first admin; prints the one-time recovery code
    Init {
        #[arg(long)]
        admin: String,
    },
    /// Sign in with the recovery code and set a new password for --user
    Recover,
    /// Key management (admins)
    #[command(subcommand)]
    Keys(KeysCmd),
    /// The recovery code (admins)
    #[command(subcommand, name = "recovery-code")]
    RecoveryCode(RecoveryCodeCmd),
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
    /// Erase a case, its documents and its data key (admins); audit entries remain
    Erase(EraseArgs),
    /// Erase every closed case past its retention period (admins)
    Purge,
    /// A subject's data (admins)
    #[command(subcommand)]
    Subject(SubjectCmd),
    /// Settings (admins change them)
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Write a consistent backup of the whole store (still encrypted) to a new file (admins)
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a backup into an empty --data-dir; --user must be an admin of the backed-up store
    Restore { file: PathBuf },
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
pub(crate) enum KeysCmd {
    /// A new master key: the database rekeyed, case and device keys and every slot rewrapped
    Rotate,
}

#[derive(Subcommand)]
pub(crate) enum RecoveryCodeCmd {
    /// Replace the recovery code; prints the new one once, and the old one stops working
    New,
}

#[derive(Subcommand)]
pub(crate) enum SyncCmd {
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
pub(crate) enum JobsCmd {
    /// List jobs
    List {
        /// Only jobs in this state: queued, processing, done, failed or dead
        #[arg(long)]
        status: Option<JobStatus>,
        #[arg(long)]
        case: Option<String>,
    },
    /// Put a dead job back in the queue
    Retry { job_id: String },
}

#[derive(Subcommand)]
pub(crate) enum UserCmd {
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
pub(crate) enum CaseCmd {
    /// Open a new case (clinicians)
    Create {
        #[arg(long)]
        kind: CaseKind,
        /// The subject as a JSON object {"name", "date_of_birth", "national_id"}; `-` reads
        /// standard input. Without it and without --subject-name, you are asked. Prefer it to
        /// the arguments below, which other users see in `ps` and the shell keeps in its history
        #[arg(long, value_name = "FILE", conflicts_with_all = ["subject_name", "subject_dob", "subject_id"])]
        subject_file: Option<PathBuf>,
        #[arg(long)]
        subject_name: Option<String>,
        /// YYYY-MM-DD
        #[arg(long)]
        subject_dob: Option<String>,
        /// Norwegian national ID number (fødselsnummer, D- or H-nummer)
        #[arg(long)]
        subject_id: Option<String>,
        /// The subject has given consent
        #[arg(long)]
        consent: bool,
        /// The version of the consent text the subject agreed to (default: the one this store
        /// shows, its consent_policy_version setting)
        #[arg(long)]
        policy_version: Option<String>,
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
    /// Erase a case and its documents (admins); the same as `varde erase`
    Erase(EraseArgs),
    /// The audit timeline of a case
    Timeline { id: String },
    /// Export a case for an EHR: a FHIR R4 Bundle (Patient, DocumentReferences, DiagnosticReports
    /// with coded Observations, Provenance). It names the subject: it is PHI
    Export {
        id: String,
        #[arg(long, value_enum, default_value_t = CaseExportFormat::Fhir)]
        format: CaseExportFormat,
        /// Write to a new file instead of stdout
        #[arg(long)]
        out: Option<PathBuf>,
        /// Embed each document's file in the bundle
        #[arg(long)]
        include_content: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CaseExportFormat {
    /// FHIR R4 JSON
    Fhir,
}

#[derive(Args)]
pub(crate) struct EraseArgs {
    pub(crate) id: String,
    /// Why: subject_request, retention, entered_in_error or other (the audit log keeps the code)
    #[arg(long, value_parser = clap::builder::ValueParser::new(parse_erasure_reason))]
    pub(crate) reason: ErasureReason,
    /// Free text about the request (kept encrypted with the case and erased with it, never in
    /// the audit log)
    #[arg(long)]
    pub(crate) detail: Option<String>,
}

fn parse_erasure_reason(s: &str) -> Result<ErasureReason, String> {
    s.parse()
}

#[derive(Args)]
pub(crate) struct BreakGlass {
    /// Open a case that is not yours, saying why (audited and flagged for review)
    #[arg(long = "break-glass", value_name = "REASON")]
    pub(crate) reason: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum DocCmd {
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
pub(crate) struct Decision {
    pub(crate) case_id: String,
    #[arg(long)]
    pub(crate) expected_version: i64,
    #[arg(long)]
    pub(crate) reason: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum ReviewCmd {
    /// PENDING → IN_REVIEW
    Start(Decision),
    /// IN_REVIEW → APPROVED
    Approve(Decision),
    /// IN_REVIEW → REJECTED (reason required)
    Reject(Decision),
}

#[derive(Subcommand)]
pub(crate) enum AuditCmd {
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
pub(crate) enum ExportFormat {
    /// One signed entry per line, re-verifiable with the device's key
    Jsonl,
    /// A FHIR R4 Bundle of AuditEvents (IHE BALP coding)
    Fhir,
}

#[derive(Subcommand)]
pub(crate) enum SubjectCmd {
    /// Everything stored about a case's subject, as JSON
    Export {
        case_id: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum ConfigCmd {
    Show,
    Set { key: String, value: String },
}

//! What each command does: one function per command group, each calling the core's api and
//! handing its result to `output`. Signing in happens before, in `main`.

use std::path::Path;

use anyhow::Context;
use varde::api::{AuditFormat, CaseQuery, DocumentPurpose, NewCase, RunOptions};
use varde::pipeline::worker::WorkerLimits;
use varde::{Session, Varde};

use crate::cli::{
    AuditCmd, CaseCmd, ConfigCmd, DocCmd, EraseArgs, ExportFormat, JobsCmd, KeysCmd,
    RecoveryCodeCmd, ReviewCmd, SyncCmd, UserCmd,
};
use crate::output::Out;
use crate::secrets;

/// `varde init`: a new store with its first admin.
pub(crate) fn init(data_dir: &Path, admin: &str, out: &Out) -> anyhow::Result<()> {
    let varde = Varde::at(data_dir);
    let password = secrets::password("New admin password: ")?;
    let (session, code) = varde.init(admin, &password)?;
    out.init(&session, code.as_str());
    Ok(())
}

/// `varde recover`: a forgotten password reset with the recovery code.
pub(crate) fn recover(data_dir: &Path, user: Option<&str>, out: &Out) -> anyhow::Result<()> {
    let varde = Varde::at(data_dir);
    let user = user.context("whose password is reset? pass --user NAME")?;
    let code = secrets::recovery_code()?;
    let password = secrets::new_password()?;
    let session = varde.recover(&code, user, &password)?;
    out.message(&format!(
        "Password for {} reset with the recovery code.",
        session.user().name
    ));
    Ok(())
}

/// `varde keys rotate`.
pub(crate) fn keys(s: &mut Session, cmd: &KeysCmd, json: bool, out: &Out) -> anyhow::Result<()> {
    match cmd {
        KeysCmd::Rotate => {
            let r = s.rotate_keys()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                out.message(&format!(
                    "Master key rotated: {} key slots and {} case keys rewrapped, the database rekeyed.",
                    r.slots, r.cases
                ));
            }
        }
    }
    Ok(())
}

/// `varde recovery-code new`: the new code is printed once.
pub(crate) fn recovery_code(
    s: &mut Session,
    cmd: &RecoveryCodeCmd,
    json: bool,
) -> anyhow::Result<()> {
    match cmd {
        RecoveryCodeCmd::New => {
            let code = s.new_recovery_code()?;
            if json {
                println!("{}", serde_json::json!({ "recovery_code": code.as_str() }));
            } else {
                println!("NEW RECOVERY CODE (shown once — write it down and keep it offline; the old code no longer works):");
                println!();
                println!("    {}", code.as_str());
            }
        }
    }
    Ok(())
}

pub(crate) fn user(s: &mut Session, cmd: &UserCmd, out: &Out) -> anyhow::Result<()> {
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

pub(crate) fn case(s: &mut Session, cmd: &CaseCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        CaseCmd::Create {
            kind,
            subject_file,
            subject_name,
            subject_dob,
            subject_id,
            consent,
            policy_version,
        } => {
            let subject = crate::subject::read(
                subject_file.as_deref(),
                subject_name.as_deref(),
                subject_dob.as_deref(),
                subject_id.as_deref(),
            )?;
            let case = s.create_case(NewCase {
                kind: Some(*kind),
                subject_name: subject.name,
                subject_dob: subject.date_of_birth,
                subject_national_id: subject.national_id,
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
        CaseCmd::Erase(args) => erase(s, args, out)?,
        CaseCmd::Timeline { id } => out.timeline(&s.case_timeline(id)?),
        CaseCmd::Export {
            id,
            format: crate::cli::CaseExportFormat::Fhir,
            out: path,
            include_content,
        } => {
            let bundle = s.export_case_fhir(
                id,
                varde::api::CaseExportOptions {
                    include_content: *include_content,
                },
            )?;
            let json = serde_json::to_vec_pretty(&bundle)?;
            match path {
                Some(p) => {
                    write_new_file(p, &json)?;
                    eprintln!(
                        "FHIR bundle written to {}. It names the subject and holds clinical data: keep it as private as the case.",
                        p.display()
                    );
                }
                None => println!("{}", String::from_utf8_lossy(&json)),
            }
        }
    }
    Ok(())
}

/// `varde erase` (and `varde case erase`).
pub(crate) fn erase(s: &mut Session, args: &EraseArgs, out: &Out) -> anyhow::Result<()> {
    s.erase_case(&args.id, args.reason, args.detail.as_deref())?;
    out.message(&format!(
        "Case {} erased; its documents and data key are destroyed.",
        args.id
    ));
    Ok(())
}

pub(crate) fn doc(s: &mut Session, cmd: &DocCmd, out: &Out) -> anyhow::Result<()> {
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
        } => out.document_detail(&s.document_detail(case_id, doc_id, bg.reason.as_deref())?),
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

pub(crate) fn review(s: &mut Session, cmd: &ReviewCmd, out: &Out) -> anyhow::Result<()> {
    let case = match cmd {
        ReviewCmd::Start(d) => s.start_review(&d.case_id, d.expected_version)?,
        ReviewCmd::Approve(d) => s.approve(&d.case_id, d.expected_version, d.reason.as_deref())?,
        ReviewCmd::Reject(d) => s.reject(
            &d.case_id,
            d.expected_version,
            d.reason.as_deref().unwrap_or(""),
        )?,
    };
    out.case(&case);
    Ok(())
}

pub(crate) fn audit(s: &mut Session, cmd: &AuditCmd, out: &Out) -> anyhow::Result<()> {
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
            format, out: path, ..
        } => {
            let format = match format {
                ExportFormat::Jsonl => AuditFormat::Jsonl,
                ExportFormat::Fhir => AuditFormat::Fhir,
            };
            match path {
                Some(p) => {
                    let mut f = std::io::BufWriter::new(create_new_file(p)?);
                    let n = s.export_audit_as(format, &mut f)?;
                    std::io::Write::flush(&mut f)?;
                    eprintln!("{n} audit entries written to {}", p.display());
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut lock = stdout.lock();
                    s.export_audit_as(format, &mut lock)?;
                }
            }
        }
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

/// `varde subject export`: everything held about a case's subject, to a file or stdout.
pub(crate) fn subject_export(
    s: &mut Session,
    case_id: &str,
    path: Option<&Path>,
) -> anyhow::Result<()> {
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

/// `varde worker`: runs the queued document analyses (and, with `--follow`, keeps at it).
pub(crate) fn worker(
    s: &mut Session,
    follow: bool,
    workers: Option<usize>,
    timeout_secs: u64,
    out: &Out,
) -> anyhow::Result<()> {
    let mut opts = RunOptions {
        follow,
        limits: WorkerLimits {
            timeout: std::time::Duration::from_secs(timeout_secs.max(1)),
            ..WorkerLimits::default()
        },
        ..RunOptions::default()
    };
    if let Some(n) = workers {
        opts.workers = n;
    }
    // With --follow the worker also delivers the audit log in the background (it waits
    // quietly while the device is not enrolled or sync is off).
    let sync = if follow {
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

pub(crate) fn sync(s: &mut Session, cmd: Option<&SyncCmd>, out: &Out) -> anyhow::Result<()> {
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
        Some(SyncCmd::ImportReceipt { file }) => out.sync_status(&s.sync_import_receipt(file)?),
    }
    Ok(())
}

pub(crate) fn jobs(s: &mut Session, cmd: &JobsCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        JobsCmd::List { status, case } => out.jobs(&s.list_jobs(*status, case.as_deref())?),
        JobsCmd::Retry { job_id } => out.jobs(&[s.retry_job(job_id)?]),
    }
    Ok(())
}

pub(crate) fn config(s: &mut Session, cmd: &ConfigCmd, out: &Out) -> anyhow::Result<()> {
    let cfg = match cmd {
        ConfigCmd::Show => s.config().clone(),
        ConfigCmd::Set { key, value } => s.set_setting(key, value)?,
    };
    out.config(&cfg);
    Ok(())
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

//! The admin subcommands, run directly on the database (the server may be running).

use serde_json::json;
use varde_sync_wire::ErrorCode;

use crate::cli::{AdminTokenCommand, Command, DeviceCommand, TokenCommand};
use crate::log::{self, audit_verify, enroll, views, Log, LogError};

/// Runs an admin subcommand; prints its result; returns the exit code.
pub fn run(log: &Log, command: Command) -> i32 {
    let (json_out, result) = match command {
        Command::Token { command: TokenCommand::Create { site, expires, json } } => (
            json,
            log::parse_duration(&expires)
                .and_then(|d| log::create_enroll_token(log, &site, d))
                .map(|(token, expires_at)| {
                    let text = format!("{token}\n(one-time enrollment token for site {site}, valid until {expires_at})");
                    (json!({"token": token, "site": site, "expires_at": expires_at}), text)
                }),
        ),
        Command::Devices { json } => (json, devices(log)),
        Command::Device { command: DeviceCommand::Revoke { id, json } } => (
            json,
            log.db
                .write(|tx| tx.revoke_device(&id))
                .map_err(LogError::from)
                .and_then(|found| {
                    if found {
                        Ok((json!({"id": id, "state": "revoked"}), format!("device {id} revoked")))
                    } else {
                        Err(LogError::NotFound(format!("no device {id:?} is enrolled")))
                    }
                }),
        ),
        Command::AdminToken { command: AdminTokenCommand::Create { name, json } } => (
            json,
            enroll::new_token("va_").and_then(|token| {
                let now = log::now_string();
                log.db.write(|tx| tx.insert_admin_token(&enroll::token_hash(&token), &name, &now))?;
                Ok((json!({"token": token, "name": name}), format!("{token}\n(admin token {name:?}; shown only now)")))
            }),
        ),
        Command::Verify { json } => match audit_verify::verify(log) {
            Ok(report) if report["ok"] == true => {
                let text = format!(
                    "ok: {} entries of {} devices verified; the tree of {} leaves matches its signed checkpoint",
                    report["entries"], report["devices"], report["tree_size"]
                );
                (json, Ok((report, text)))
            }
            Ok(report) => {
                // A problem is a finding, not a failure to run: the report goes to stdout either way.
                let text = format!("PROBLEM: {}", report["problem"]["message"].as_str().unwrap_or(""));
                println!("{}", if json { report.to_string() } else { text });
                return 1;
            }
            Err(e) => (json, Err(e)),
        },
        Command::Import { file, receipt_out, json } => (json, import(log, &file, receipt_out)),
        Command::CopyTo { destination, json } => (json, copy_to(log, &destination)),
        Command::Serve { .. } => unreachable!("serve is not an admin subcommand"),
    };
    match result {
        Ok((value, text)) => {
            println!("{}", if json_out { value.to_string() } else { text });
            0
        }
        Err(e) => {
            print_error(json_out, e.code(), &e.to_string());
            1
        }
    }
}

/// Prints an error: as `{"error": …}` on stdout with `--json`, else on stderr.
pub fn print_error(json_out: bool, code: ErrorCode, message: &str) {
    if json_out {
        println!(
            "{}",
            json!({"error": {"code": code.as_str(), "message": message}})
        );
    } else {
        eprintln!("varde-server: {message}");
    }
}

fn devices(log: &Log) -> Result<(serde_json::Value, String), LogError> {
    let rows = views::devices(log)?;
    let mut text = format!(
        "{:<38} {:<20} {:<12} {:>8} {:>8}  {:<14} LAST CONTACT\n",
        "ID", "NAME", "SITE", "HEAD", "LAG", "STATE"
    );
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|d| {
            let shown = views::device_json(d);
            text.push_str(&format!(
                "{:<38} {:<20} {:<12} {:>8} {:>8}  {:<14} {}\n",
                d.id,
                d.name,
                d.site,
                d.head_seq,
                shown["lag_entries"],
                d.state.as_str(),
                d.last_contact.as_deref().unwrap_or("never")
            ));
            shown
        })
        .collect();
    if rows.is_empty() {
        text = "no devices are enrolled".into();
    }
    Ok((serde_json::Value::Array(list), text.trim_end().to_string()))
}

fn import(
    log: &Log,
    file: &std::path::Path,
    receipt_out: Option<std::path::PathBuf>,
) -> Result<(serde_json::Value, String), LogError> {
    let bytes = std::fs::read(file)
        .map_err(|e| LogError::NotFound(format!("cannot read {}: {}", file.display(), e.kind())))?;
    let answer = log::import_segment(log, &bytes)?;
    let out = receipt_out.unwrap_or_else(|| {
        let mut name = file.as_os_str().to_owned();
        name.push(".receipt.json");
        name.into()
    });
    let text = serde_json::to_vec_pretty(&answer).expect("a receipt serialises");
    std::fs::write(&out, text).map_err(|e| {
        LogError::File(format!(
            "cannot write the receipt to {}: {}",
            out.display(),
            e.kind()
        ))
    })?;
    let summary = format!(
        "device {}: {} new entries stored, {} held already; head {}\nreceipt written to {} (bring it back with `varde sync import-receipt`)",
        answer.device_id, answer.accepted, answer.duplicates, answer.head.seq, out.display()
    );
    Ok((
        json!({
            "device_id": answer.device_id, "accepted": answer.accepted,
            "duplicates": answer.duplicates, "head": answer.head.seq,
            "receipt_file": out.display().to_string(),
        }),
        summary,
    ))
}

fn copy_to(log: &Log, destination: &str) -> Result<(serde_json::Value, String), LogError> {
    let is_url = destination.contains("://");
    let target = if is_url {
        crate::db::open(std::path::Path::new("."), Some(destination))?
    } else {
        crate::db::open(std::path::Path::new(destination), None)?
    };
    let counts = crate::db::copy_database(&log.db, &target)?;
    let mut text = format!("copied into {}:", target.location());
    for (table, n) in &counts {
        text.push_str(&format!("\n  {table:<14} {n:>10} rows"));
    }
    text.push_str("\nstart the server on the new database and run `varde-server verify` there");
    let tables: serde_json::Map<String, serde_json::Value> =
        counts.into_iter().map(|(t, n)| (t, n.into())).collect();
    Ok((
        json!({"destination": target.location(), "rows": tables}),
        text,
    ))
}

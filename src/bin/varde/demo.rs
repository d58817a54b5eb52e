//! `varde demo`: a throw-away store in a temporary directory, and one case walked from PENDING to
//! APPROVED by three users, through the same core API the desktop app uses — the document
//! validated and analysed by the real pipeline on the way.

use anyhow::Context;
use varde::api::{CaseQuery, NewCase, RunOptions};
use varde::domain::{CaseKind, Role};
use varde::Varde;

use crate::output::Out;

fn random_password() -> anyhow::Result<String> {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut b = [0u8; 12];
    SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| anyhow::anyhow!("the system's random number generator failed"))?;
    Ok(format!("demo-{}", varde::pipeline::digest::hex(&b)))
}

pub fn run(out: &Out) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("varde-demo-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let varde = Varde::at(dir.path());
    let step = |text: String| {
        if !out.is_json() {
            println!("• {text}");
        }
    };
    let (admin_pw, clin_pw, rev_pw) = (random_password()?, random_password()?, random_password()?);

    step(format!(
        "A throw-away encrypted store in {}",
        dir.path().display()
    ));
    let (mut admin, _recovery) = varde.init("admin", &admin_pw)?;
    admin.add_user("clara", Role::Clinician, &clin_pw)?;
    admin.add_user("rolf", Role::Reviewer, &rev_pw)?;
    drop(admin);
    step("Admin 'admin' added clinician 'clara' and reviewer 'rolf', each with a key slot".into());

    let mut clara = varde.sign_in("clara", &clin_pw)?;
    let case = clara.create_case(NewCase {
        kind: Some(CaseKind::Clinical),
        subject_name: "Demo Pasient".into(),
        subject_dob: None,
        subject_national_id: None,
        consent_given: true,
        policy_version: Some("demo-2026".into()),
    })?;
    step(format!(
        "Clara opened case {} with the subject's consent: {} v{}",
        case.id, case.status, case.version
    ));
    let added = clara.add_document(
        &case.id,
        "lab-report.pdf",
        &varde::pipeline::samples::lab_report_pdf(),
    )?;
    let doc = &added.document;
    step(format!(
        "Clara added {} ({} bytes, {}): validated in an isolated worker, stored as an AES-256-GCM blob",
        doc.file_name, doc.size_bytes, doc.media_type
    ));
    let report = clara.run_jobs(&RunOptions::default())?;
    let detail = clara.document_detail(&case.id, &doc.id, None)?;
    let analysis = detail
        .analysis
        .ok_or_else(|| anyhow::anyhow!("the sample document was not analysed"))?;
    let c = &analysis.classification;
    step(format!(
        "The pipeline analysed it ({} job done): text from {}; AI label {} at {} → suggests {} ({})",
        report.done,
        analysis.text_source.map_or("—", |s| s.as_str()),
        c.label.as_deref().unwrap_or("none"),
        c.confidence.map_or("—".into(), |x| format!("{:.0} %", x * 100.0)),
        c.suggestion.as_str(),
        c.model.as_deref().or(c.unavailable.as_deref()).unwrap_or("")
    ));
    drop(clara);

    let mut rolf = varde.sign_in("rolf", &rev_pw)?;
    let pending = rolf.list_cases(&CaseQuery::default())?;
    step(format!("Rolf signs in and sees {} case(s)", pending.total));
    let opened = rolf.open_case(&case.id, None)?;
    let started = rolf.start_review(&case.id, opened.case.version)?;
    step(format!(
        "Rolf started the review: {} v{}",
        started.status, started.version
    ));
    if let Err(e) = rolf.approve(&case.id, opened.case.version, None) {
        step(format!("An approval based on an old view is refused: {e}"));
    }
    let approved = rolf.approve(&case.id, started.version, Some("documents complete"))?;
    step(format!(
        "Rolf approved the case: {} v{} (AI suggested {})",
        approved.status,
        approved.version,
        approved
            .ai
            .as_ref()
            .map_or("nothing", |a| a.suggestion.as_str())
    ));
    drop(rolf);

    let mut admin = varde.sign_in("admin", &admin_pw)?;
    let verified = admin.verify_audit()?;
    step(format!(
        "Audit chain verified: {} signed entries, no gaps, no tampering",
        verified.entries
    ));
    let timeline = admin.case_timeline(&case.id)?;
    if out.is_json() {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "case": approved,
                "audit": verified,
                "timeline": timeline,
            }))?
        );
    } else {
        println!("\nThe case's audit timeline:");
        for e in &timeline {
            println!(
                "  {:>3}  {:<18} {:<8} by {}",
                e.seq,
                e.action,
                e.outcome,
                e.actor_role.as_deref().unwrap_or("system")
            );
        }
        println!(
            "\nDone. The demo store is deleted now; `varde init --admin NAME` creates a real one."
        );
    }
    Ok(())
}

//! `varde demo`: a throw-away store in a temporary directory, and one case walked from PENDING to
//! APPROVED by three users, through the same core API the desktop app uses.

use anyhow::Context;
use varde::api::{CaseQuery, NewCase};
use varde::domain::{CaseKind, Role};
use varde::Varde;

use crate::output::Out;

/// A one-page PDF that says "Demo lab report" (synthetic; no real patient).
const DEMO_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (Demo lab report) Tj ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn random_password() -> anyhow::Result<String> {
    let mut b = [0u8; 12];
    varde::vault::crypto::fill_random(&mut b)?;
    Ok(format!("demo-{}", varde::vault::crypto::hex(&b)))
}

pub fn run(out: &Out) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("varde-demo-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let varde = Varde::at(dir.path());
    let step = |n: u32, text: &str| {
        if !out.is_json() {
            println!("[{n}] {text}");
        }
    };
    let (admin_pw, clin_pw, rev_pw) = (random_password()?, random_password()?, random_password()?);

    step(
        1,
        &format!(
            "Creating a throw-away encrypted store in {}",
            dir.path().display()
        ),
    );
    let (mut admin, _recovery) = varde.init("admin", &admin_pw)?;
    admin.add_user("clara", Role::Clinician, &clin_pw)?;
    admin.add_user("rolf", Role::Reviewer, &rev_pw)?;
    drop(admin);
    step(
        2,
        "Admin 'admin' added clinician 'clara' and reviewer 'rolf' (each with a key slot)",
    );

    let mut clara = varde.sign_in("clara", &clin_pw)?;
    let case = clara.create_case(NewCase {
        kind: Some(CaseKind::Clinical),
        subject_name: "Demo Pasient".into(),
        subject_dob: None,
        subject_national_id: None,
        consent_given: true,
        policy_version: "demo-2026".into(),
    })?;
    step(
        3,
        &format!(
            "Clara created case {} with the subject's consent: {} v{}",
            case.id, case.status, case.version
        ),
    );
    let doc = clara.add_document(&case.id, "lab-report.pdf", DEMO_PDF)?;
    step(
        4,
        &format!(
            "Clara added {} ({} bytes, {}), stored as an AES-256-GCM blob",
            doc.file_name, doc.size_bytes, doc.media_type
        ),
    );
    drop(clara);

    let mut rolf = varde.sign_in("rolf", &rev_pw)?;
    let pending = rolf.list_cases(&CaseQuery::default())?;
    step(
        5,
        &format!("Rolf signs in and sees {} case(s) waiting", pending.total),
    );
    let opened = rolf.open_case(&case.id, None)?;
    let started = rolf.start_review(&case.id, opened.case.version)?;
    step(
        6,
        &format!(
            "Rolf started the review: {} v{}",
            started.status, started.version
        ),
    );
    let stale = rolf.approve(&case.id, opened.case.version, None);
    if let Err(e) = stale {
        step(
            7,
            &format!("An approval based on an old view is refused: {e}"),
        );
    }
    let approved = rolf.approve(&case.id, started.version, Some("documents complete"))?;
    step(
        8,
        &format!(
            "Rolf approved the case: {} v{}",
            approved.status, approved.version
        ),
    );
    drop(rolf);

    let mut admin = varde.sign_in("admin", &admin_pw)?;
    let report = admin.verify_audit()?;
    step(
        9,
        &format!(
            "Audit chain verified: {} signed entries, no gaps, no tampering",
            report.entries
        ),
    );
    let timeline = admin.case_timeline(&case.id)?;
    if out.is_json() {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "case": approved,
                "audit": report,
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

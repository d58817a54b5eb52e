//! `varde demo`: a throw-away store in a temporary directory, and one case walked from PENDING to
//! APPROVED by three users, through the same core API the desktop app uses — the document
//! validated and analysed by the real pipeline on the way.

use anyhow::Context;
use varde::api::{CaseQuery, NewCase, RunOptions};
use varde::domain::{CaseKind, Role};
use varde::records::Case;
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

/// The demo's store and its three users' passwords.
struct Demo<'o> {
    varde: Varde,
    out: &'o Out,
    admin_pw: String,
    clin_pw: String,
    rev_pw: String,
}

impl Demo<'_> {
    fn step(&self, text: String) {
        if !self.out.is_json() {
            println!("• {text}");
        }
    }

    fn set_up_team(&self) -> anyhow::Result<()> {
        let (mut admin, _recovery) = self.varde.init("admin", &self.admin_pw)?;
        admin.add_user("clara", Role::Clinician, &self.clin_pw)?;
        admin.add_user("rolf", Role::Reviewer, &self.rev_pw)?;
        self.step(
            "Admin 'admin' added clinician 'clara' and reviewer 'rolf', each with a key slot"
                .into(),
        );
        Ok(())
    }

    /// Clara opens a case, adds the sample lab report and has it analysed; returns the case.
    fn clinician_adds_a_document(&self) -> anyhow::Result<Case> {
        let mut clara = self.varde.sign_in("clara", &self.clin_pw)?;
        let case = clara.create_case(NewCase {
            kind: Some(CaseKind::Clinical),
            subject_name: "Demo Pasient".into(),
            subject_dob: None,
            subject_national_id: None,
            consent_given: true,
            policy_version: Some("demo-2026".into()),
        })?;
        self.step(format!(
            "Clara opened case {} with the subject's consent: {} v{}",
            case.id, case.status, case.version
        ));
        let added = clara.add_document(
            &case.id,
            "lab-report.pdf",
            &varde::pipeline::samples::lab_report_pdf(),
        )?;
        let doc = &added.document;
        self.step(format!(
            "Clara added {} ({} bytes, {}): validated in an isolated worker, stored as an AES-256-GCM blob",
            doc.file_name, doc.size_bytes, doc.media_type
        ));
        let report = clara.run_jobs(&RunOptions::default())?;
        let detail = clara.document_detail(&case.id, &doc.id, None)?;
        let analysis = detail
            .analysis
            .ok_or_else(|| anyhow::anyhow!("the sample document was not analysed"))?;
        let c = &analysis.classification;
        self.step(format!(
            "The pipeline analysed it ({} job done): text from {}; AI label {} at {} → suggests {} ({})",
            report.done,
            analysis.text_source.map_or("—", |s| s.as_str()),
            c.label.as_deref().unwrap_or("none"),
            c.confidence.map_or("—".into(), |x| format!("{:.0} %", x * 100.0)),
            c.suggestion.as_str(),
            c.model.as_deref().or(c.unavailable.as_deref()).unwrap_or("")
        ));
        Ok(case)
    }

    /// Rolf reviews and approves the case (a stale approval refused on the way).
    fn reviewer_approves(&self, case_id: &str) -> anyhow::Result<Case> {
        let mut rolf = self.varde.sign_in("rolf", &self.rev_pw)?;
        let pending = rolf.list_cases(&CaseQuery::default())?;
        self.step(format!("Rolf signs in and sees {} case(s)", pending.total));
        let opened = rolf.open_case(case_id, None)?;
        let started = rolf.start_review(case_id, opened.case.version)?;
        self.step(format!(
            "Rolf started the review: {} v{}",
            started.status, started.version
        ));
        if let Err(e) = rolf.approve(case_id, opened.case.version, None) {
            self.step(format!("An approval based on an old view is refused: {e}"));
        }
        let approved = rolf.approve(case_id, started.version, Some("documents complete"))?;
        self.step(format!(
            "Rolf approved the case: {} v{} (AI suggested {})",
            approved.status,
            approved.version,
            approved
                .ai
                .as_ref()
                .map_or("nothing", |a| a.suggestion.as_str())
        ));
        Ok(approved)
    }

    /// The admin verifies the audit chain and prints the case's timeline.
    fn admin_verifies(&self, approved: &Case) -> anyhow::Result<()> {
        let mut admin = self.varde.sign_in("admin", &self.admin_pw)?;
        let verified = admin.verify_audit()?;
        self.step(format!(
            "Audit chain verified: {} signed entries, no gaps, no tampering",
            verified.entries
        ));
        let timeline = admin.case_timeline(&approved.id)?;
        if self.out.is_json() {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "case": approved,
                    "audit": verified,
                    "timeline": timeline,
                }))?
            );
            return Ok(());
        }
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
        Ok(())
    }
}

pub fn run(out: &Out) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("varde-demo-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let demo = Demo {
        varde: Varde::at(dir.path()),
        out,
        admin_pw: random_password()?,
        clin_pw: random_password()?,
        rev_pw: random_password()?,
    };
    demo.step(format!(
        "A throw-away encrypted store in {}",
        dir.path().display()
    ));
    demo.set_up_team()?;
    let case = demo.clinician_adds_a_document()?;
    let approved = demo.reviewer_approves(&case.id)?;
    demo.admin_verifies(&approved)
}

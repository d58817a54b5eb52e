//! Makes the store the desktop benchmark runs against (`benches/desktop.sh`): an admin, a
//! reviewer and a clinician; one real case with five analysed documents; and `N` synthetic cases
//! (default 100,000) written straight into the encrypted store, enough for the case list.
//!
//! With `PDF20`, a second case holds that file (the 20-page scan of `benches/make_fixtures.py`),
//! for the time to its first page preview.
//!
//! `cargo run --release --example seed_desktop_bench -- DATA_DIR [N] [PDF20]`; prints the real
//! case's id.

use std::path::PathBuf;

use varde::api::{NewCase, RunOptions};
use varde::domain::{CaseKind, Role};
use varde::Varde;

fn main() -> anyhow::Result<()> {
    // The real case's documents are analysed by workers started from this very binary.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == varde::pipeline::worker::WORKER_ARG)
    {
        varde::pipeline::worker::serve();
    }
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: seed_desktop_bench DATA_DIR [N]"));
    let n: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    let pdf20 = args.next().map(PathBuf::from);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let varde = Varde::at(&dir);
    let (mut admin, _code) = varde.init("admin", "admin passphrase 1")?;
    admin.add_user("rita", Role::Reviewer, "reviewer passphrase 3")?;
    let carl = admin.add_user("carl", Role::Clinician, "clinician passphrase 2")?;
    drop(admin);

    let mut clinician = varde.sign_in("carl", "clinician passphrase 2")?;
    // Created first, so the five-document case stays at the top of the list.
    if let Some(pdf20) = pdf20 {
        let long = clinician.create_case(bench_case("Preview Twentypages"))?;
        clinician.add_document_from_path(&long.id, &pdf20)?;
    }
    let case = clinician.create_case(bench_case("Bench Five-Documents"))?;
    let fixtures = repo.join("tests/fixtures");
    for name in [
        "nb-lab-scan.png",
        "nb-lab-scan.jpg",
        "nb-lab-scan.webp",
        "nb-lab-scan.tif",
        "nb-lab-scan.pdf",
    ] {
        clinician.add_document_from_path(&case.id, &fixtures.join(name))?;
    }
    clinician.run_jobs(&RunOptions {
        workers: 2,
        ..RunOptions::default()
    })?;

    // Synthetic cases in one transaction: the list only needs their rows.
    let conn = clinician.raw_connection_for_tests();
    conn.execute_batch("BEGIN IMMEDIATE")?;
    for i in 0..n {
        let synthetic = varde::bench_internals::synthetic_for_benchmarks(i, &carl.id);
        varde::bench_internals::insert_case(conn, &synthetic, &[0u8; 60])?;
    }
    conn.execute_batch("COMMIT")?;
    println!("{}", case.id);
    Ok(())
}

/// A clinical case with consent, for the benchmark's subject `name` (no real person).
fn bench_case(name: &str) -> NewCase {
    NewCase {
        kind: Some(CaseKind::Clinical),
        subject_name: name.into(),
        subject_dob: Some("1990-01-01".into()),
        subject_national_id: None,
        consent_given: true,
        policy_version: Some("2026-01".into()),
    }
}

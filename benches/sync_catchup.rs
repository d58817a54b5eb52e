//! A workstation that was offline for 100,000 audit entries catches up with a real
//! `varde-server` on loopback: the time until everything is delivered, and whether the reviewer's
//! work stays responsive meanwhile — the latency of a filtered case list during the catch-up
//! against the same query on an idle machine (the reference). Figures go to docs/BENCHMARKS.md.
//! Run: `cargo bench --bench sync_catchup` (after `cargo build --release -p varde-server`;
//! `make bench-sync` does both); `-- quick` for 10,000 entries.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use varde::api::{CaseQuery, NewCase};
use varde::domain::{CaseKind, Role};
use varde_testkit::{server_binary, ServerProcess};

const ADMIN_PW: &str = "bench admin passphrase";
const CLIN_PW: &str = "bench clinician passphrase";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this without it, and then
    // a small smoke run checks that the benchmark itself still works.
    let args: Vec<String> = std::env::args().collect();
    let measuring = args.iter().any(|a| a == "--bench");
    let entries = match (measuring, args.iter().any(|a| a == "quick")) {
        (false, _) => 300,
        (true, true) => 10_000,
        (true, false) => 100_000,
    };
    let cases = if measuring { 300 } else { 30 };
    let dir = tempfile::tempdir().unwrap();
    let core = varde::Varde::at(&dir.path().join("ws"));
    let (mut admin, _) = core.init("admin", ADMIN_PW).unwrap();
    admin.add_user("clara", Role::Clinician, CLIN_PW).unwrap();
    let mut clara = core.sign_in("clara", CLIN_PW).unwrap();
    for i in 0..cases {
        clara
            .create_case(NewCase {
                kind: Some(CaseKind::Clinical),
                subject_name: format!("{} Testesen", ["Kari", "Ola", "Nora"][i % 3]),
                consent_given: true,
                policy_version: Some("1".into()),
                ..NewCase::default()
            })
            .unwrap();
    }
    let filter = CaseQuery {
        search: Some("Nora".into()),
        limit: Some(50),
        ..CaseQuery::default()
    };
    let list = |s: &mut varde::Session| {
        let t = Instant::now();
        s.list_cases(&filter).unwrap();
        t.elapsed()
    };

    let server_dir = dir.path().join("server");
    std::env::set_var("VARDE_SERVER_LOG", "warn");
    let server = ServerProcess::start(&server_binary(), &server_dir, None);
    let out = server.cli(&["token", "create", "--site", "bench", "--json"]);
    let token: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    admin
        .sync_enroll(
            &server.url(),
            token["token"].as_str().unwrap(),
            None,
            "bench",
        )
        .unwrap();
    admin.sync_now().unwrap();

    // Offline: every listing is an audit entry.
    let t = Instant::now();
    for _ in 0..entries {
        admin.list_cases(&CaseQuery::default()).unwrap();
    }
    println!(
        "{entries} entries written offline in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mut idle: Vec<Duration> = (0..300).map(|_| list(&mut clara)).collect();
    idle.sort();

    let mut agent = admin.sync_agent().unwrap();
    let done = AtomicBool::new(false);
    let (took, report, mut busy) = std::thread::scope(|scope| {
        let syncing = scope.spawn(|| {
            let t = Instant::now();
            let report = agent.sync_now().unwrap();
            done.store(true, Ordering::SeqCst);
            (t.elapsed(), report)
        });
        let mut busy = Vec::new();
        while !done.load(Ordering::SeqCst) {
            busy.push(list(&mut clara));
            std::thread::sleep(Duration::from_millis(10));
        }
        let (took, report) = syncing.join().unwrap();
        (took, report, busy)
    });
    if busy.is_empty() {
        busy.push(list(&mut clara));
    }
    busy.sort();
    assert_eq!(report.status.pending, 0);
    println!(
        "caught up: {} entries in {} batches in {:.1} s ({:.0} entries/s)",
        report.pushed,
        report.batches,
        took.as_secs_f64(),
        report.pushed as f64 / took.as_secs_f64()
    );
    println!(
        "filtered case list (50 of {cases}): idle p50 {:.2} ms p99 {:.2} ms; during catch-up ({} samples) \
         p50 {:.2} ms p99 {:.2} ms; ratio of p50s {:.2}",
        ms(percentile(&idle, 0.5)),
        ms(percentile(&idle, 0.99)),
        busy.len(),
        ms(percentile(&busy, 0.5)),
        ms(percentile(&busy, 0.99)),
        ms(percentile(&busy, 0.5)) / ms(percentile(&idle, 0.5))
    );
}

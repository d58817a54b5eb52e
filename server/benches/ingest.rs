//! The audit server's speed, against the real release binary on loopback, on SQLite and on a
//! throw-away PostgreSQL cluster: ingest with full verification, 50 devices at once, and proofs
//! at 1,000,000 entries. Figures go to docs/BENCHMARKS.md. Run: `make bench-server`
//! (`cargo bench -p varde-server --bench ingest`; `-- quick` for a smaller run).
//!
//! Each figure is the median of its runs. The reference is the same verification done in this
//! process with no network or database (`ChainVerifier`): its ratio shows what the server adds.

#[allow(dead_code)]
#[path = "../tests/support.rs"]
mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::Workstation;
use varde_audit_chain::{ChainVerifier, Entry};
use varde_sync_wire::{tree, Checkpoint, ConsistencyProof, InclusionProof};
use varde_testkit::{backends, Backend, PgCluster, ServerProcess};

/// The batch size the workstation's sync uses.
const BATCH: usize = varde_sync_wire::MAX_BATCH_ENTRIES;

struct Bench {
    server: ServerProcess,
    _dir: tempfile::TempDir,
    _pg: Option<PgCluster>,
}

fn start(backend: Backend) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgCluster::start);
    let url = pg.as_ref().map(|c| c.create_database("bench"));
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_varde-server"));
    // Warnings only: a log line per batch would be part of what is measured.
    std::env::set_var("VARDE_SERVER_LOG", "warn");
    let server = ServerProcess::start(binary, &dir.path().join("data"), url.as_deref());
    Bench {
        server,
        _dir: dir,
        _pg: pg,
    }
}

fn token(server: &ServerProcess) -> String {
    let out = server.cli(&["token", "create", "--site", "bench", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["token"].as_str().unwrap().to_string()
}

fn enrolled(server: &ServerProcess, id: &str, entries: usize) -> (Workstation, Value) {
    let mut ws = Workstation::new(&server.url(), id);
    let (status, enrollment) = ws.enroll(&token(server));
    assert_eq!(status, 200, "{enrollment}");
    ws.record(entries);
    (ws, enrollment)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Entries per second pushing `n` entries of one device in batches (median of 3 fresh devices).
fn ingest_rate(server: &ServerProcess, n: usize, run: &str) -> f64 {
    let rates = (0..3)
        .map(|k| {
            let (ws, _) = enrolled(server, &format!("ingest-{run}-{k}"), n);
            let t = Instant::now();
            for from in (0..n).step_by(BATCH) {
                let (status, r) = ws.push_entries(&ws.chain[from..(from + BATCH).min(n)]);
                assert_eq!(status, 200, "{r}");
            }
            n as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    median(rates)
}

/// The reference: verifying the same chain in this process, nothing else.
fn verify_rate(chain: &[Entry], public_key: &str) -> f64 {
    let rates = (0..3)
        .map(|_| {
            let t = Instant::now();
            let mut v = ChainVerifier::new(public_key).unwrap();
            for e in chain {
                v.push(e).unwrap();
            }
            chain.len() as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    median(rates)
}

/// 50 devices pushing at once: per-batch latencies and the refusals seen.
fn concurrent(
    server: &ServerProcess,
    devices: usize,
    batches: usize,
    size: usize,
) -> (Vec<Duration>, usize, f64) {
    let stations: Vec<Workstation> = (0..devices)
        .map(|d| enrolled(server, &format!("fleet-{d}"), batches * size).0)
        .collect();
    let t = Instant::now();
    let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = stations
            .iter()
            .map(|ws| {
                scope.spawn(move || {
                    let (mut lat, mut errors) = (Vec::new(), 0);
                    for b in 0..batches {
                        let t = Instant::now();
                        let (status, _) = ws.push_entries(&ws.chain[b * size..(b + 1) * size]);
                        lat.push(t.elapsed());
                        errors += usize::from(status != 200);
                    }
                    (lat, errors)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let total = (devices * batches * size) as f64 / t.elapsed().as_secs_f64();
    let errors = results.iter().map(|r| r.1).sum();
    let mut lat: Vec<Duration> = results.into_iter().flat_map(|r| r.0).collect();
    lat.sort();
    (lat, errors, total)
}

fn admin_get(server: &ServerProcess, bearer: &str, path: &str) -> (Duration, String) {
    let t = Instant::now();
    let mut resp = ureq::get(format!("{}{path}", server.url()))
        .header("authorization", format!("Bearer {bearer}"))
        .call()
        .unwrap();
    let body = resp.body_mut().read_to_string().unwrap();
    (t.elapsed(), body)
}

/// Grows the tree to `size` leaves with several devices, then times serving and verifying
/// inclusion and consistency proofs (medians of 200 requests each).
fn proofs(server: &ServerProcess, size: usize) {
    let devices = 10;
    let per = size / devices;
    let stations: Vec<(Workstation, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..devices)
            .map(|d| scope.spawn(move || enrolled(server, &format!("tree-{d}"), per)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (origin, key) = {
        let e = &stations[0].1;
        (
            e["origin"].as_str().unwrap().to_string(),
            e["server_public_key"].as_str().unwrap().to_string(),
        )
    };
    let mut half: Option<Checkpoint> = None;
    let t = Instant::now();
    for (k, (ws, _)) in stations.iter().enumerate() {
        for from in (0..per).step_by(BATCH) {
            let (status, r) = ws.push_entries(&ws.chain[from..(from + BATCH).min(per)]);
            assert_eq!(status, 200, "{r}");
            if k == devices / 2 && from == 0 {
                half = Some(
                    Checkpoint::verify(r["checkpoint"].as_str().unwrap(), &origin, &key).unwrap(),
                );
            }
        }
    }
    println!(
        "tree grown to {size} leaves in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let half = half.unwrap();
    let admin = server.cli(&["admin-token", "create", "bench", "--json"]);
    let bearer: Value = serde_json::from_slice(&admin.stdout).unwrap();
    let bearer = bearer["token"].as_str().unwrap().to_string();
    let (_, note) = admin_get(server, &bearer, "/v1/checkpoint");
    let full = Checkpoint::verify(&note, &origin, &key).unwrap();
    assert_eq!(full.size, size as u64);

    let (mut serve_inc, mut verify_inc, mut serve_con, mut verify_con) =
        (vec![], vec![], vec![], vec![]);
    let requests = if size < 10_000 { 10 } else { 200 };
    for i in 0..requests {
        let index = (i * 7919 * 131) % full.size;
        let (took, body) = admin_get(
            server,
            &bearer,
            &format!("/v1/proof/inclusion?index={index}&size={}", full.size),
        );
        serve_inc.push(took.as_secs_f64());
        let proof: InclusionProof = serde_json::from_str(&body).unwrap();
        // The leaf at `index`: look it up through the admin API's entry page (not timed).
        let cursor = index
            .checked_sub(1)
            .map_or(String::new(), |c| format!("&cursor={c}"));
        let (_, page) = admin_get(
            server,
            &bearer,
            &format!("/v1/admin/entries?limit=1{cursor}"),
        );
        let page: Value = serde_json::from_str(&page).unwrap();
        let row = &page["entries"][0];
        let leaf = tree::leaf_hash(
            row["device_id"].as_str().unwrap(),
            row["entry"]["seq"].as_u64().unwrap(),
            row["entry"]["hash"].as_str().unwrap(),
        )
        .unwrap();
        let t = Instant::now();
        tree::verify_inclusion(&proof, &full.root, &leaf).unwrap();
        verify_inc.push(t.elapsed().as_secs_f64());

        let (took, body) = admin_get(
            server,
            &bearer,
            &format!("/v1/proof/consistency?from={}&to={}", half.size, full.size),
        );
        serve_con.push(took.as_secs_f64());
        let proof: ConsistencyProof = serde_json::from_str(&body).unwrap();
        let t = Instant::now();
        tree::verify_consistency(&proof, &half.root, &full.root).unwrap();
        verify_con.push(t.elapsed().as_secs_f64());
    }
    let ms = |xs: Vec<f64>| median(xs) * 1000.0;
    println!(
        "inclusion proof at {size}: served {:.2} ms, verified {:.3} ms",
        ms(serve_inc),
        ms(verify_inc)
    );
    println!(
        "consistency proof {} -> {size}: served {:.2} ms, verified {:.3} ms",
        half.size,
        ms(serve_con),
        ms(verify_con)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this without it, and then
    // a small smoke run checks that the benchmark itself still works.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let measuring = args.iter().any(|a| a == "--bench");
    let quick = args.iter().any(|a| a == "quick");
    let (n, tree_size, fleet) = match (measuring, quick) {
        (false, _) => (600, 2_000, (5, 2, 50)),
        (true, true) => (20_000, 100_000, (50, 10, 200)),
        (true, false) => (100_000, 1_000_000, (50, 10, 200)),
    };
    for backend in backends() {
        let b = start(backend);
        let (ws, _) = enrolled(&b.server, "reference", n);
        let reference = verify_rate(&ws.chain, &ws.key.public_key_hex());
        let rate = ingest_rate(&b.server, n, "a");
        println!(
            "{backend:?}: ingest of {n} entries in batches of {BATCH}: {rate:.0} entries/s \
             (in-process verification alone: {reference:.0} entries/s; ratio {:.2})",
            rate / reference
        );
        let (devices, batches, size) = fleet;
        let (lat, errors, total) = concurrent(&b.server, devices, batches, size);
        assert_eq!(errors, 0, "no batch is refused");
        println!(
            "{backend:?}: {devices} devices x {batches} batches of {size} at once: {errors} errors, \
             batch p50 {:.1} ms, p99 {:.1} ms, {total:.0} entries/s overall",
            percentile(&lat, 0.5).as_secs_f64() * 1000.0,
            percentile(&lat, 0.99).as_secs_f64() * 1000.0
        );
        drop(b);
        if backend == Backend::Sqlite || args.iter().any(|a| a == "pg-proofs") {
            // A fresh server, so the tree holds exactly the entries of this step.
            proofs(&start(backend).server, tree_size);
        }
    }
}

//! Speed targets of the core (issue 2), measured with criterion; results in docs/BENCHMARKS.md.
//!
//! - audit append with signing (one transaction per entry, as the app does, and 100 per transaction)
//! - audit verify over 20,000 entries
//! - listing 50 cases by status out of 100,000: SQLCipher vs plain SQLite, same schema and query
//! - unlock: one key slot (Argon2id, the parameters new slots get), and a whole sign-in

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rusqlite::{Connection, TransactionBehavior};
use varde::bench_internals::{
    count_cases, insert_case, list_cases, open_store, open_unencrypted_for_benchmark,
    synthetic_for_benchmarks, verify_audit, AuditLog, CaseFilter, Event, KeySlots, SecretKey,
};
use varde::domain::CaseStatus;
use varde_audit_chain::DeviceKey;

fn keyed_store(dir: &std::path::Path) -> Connection {
    open_store(&dir.join("bench.db"), &SecretKey::random().unwrap()).unwrap()
}

fn audit_log() -> AuditLog {
    AuditLog::new("bench-device".into(), DeviceKey::generate().unwrap().0)
}

fn event(i: u64) -> Event {
    Event::new("case.view")
        .by("3f1c2a9e-0000-4000-8000-000000000001", "reviewer")
        .on("case", "9a0c4b1e-0000-4000-8000-000000000002")
        .with("version", i)
        .with("break_glass", false)
}

fn bench_audit(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = keyed_store(dir.path());
    let log = audit_log();
    let mut g = c.benchmark_group("audit");
    g.throughput(Throughput::Elements(1));
    let mut i = 0;
    // Varde runs with synchronous=FULL so a committed decision survives a power cut; the NORMAL
    // run, for comparison only, shows how much of the per-entry cost is that fsync.
    for (name, sync) in [
        ("append_signed_own_transaction", "FULL"),
        ("append_signed_own_transaction_sync_normal", "NORMAL"),
    ] {
        conn.execute_batch(&format!("PRAGMA synchronous = {sync}"))
            .unwrap();
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .unwrap();
                log.append(&tx, event(i)).unwrap();
                tx.commit().unwrap();
            })
        });
    }
    conn.execute_batch("PRAGMA synchronous = FULL").unwrap();
    g.throughput(Throughput::Elements(100));
    g.bench_function("append_signed_100_per_transaction", |b| {
        b.iter(|| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .unwrap();
            for _ in 0..100 {
                i += 1;
                log.append(&tx, event(i)).unwrap();
            }
            tx.commit().unwrap();
        })
    });
    g.finish();

    let dir = tempfile::tempdir().unwrap();
    let mut conn = keyed_store(dir.path());
    let log = audit_log();
    let tx = conn.transaction().unwrap();
    for i in 0..20_000 {
        log.append(&tx, event(i)).unwrap();
    }
    tx.commit().unwrap();
    let mut g = c.benchmark_group("audit");
    g.throughput(Throughput::Elements(20_000));
    g.sample_size(20);
    g.bench_function("verify_20000_entries", |b| {
        b.iter(|| {
            assert_eq!(
                verify_audit(&conn, &log.public_key_hex()).unwrap().entries,
                20_000
            )
        })
    });
    g.finish();
}

fn fill_cases(conn: &mut Connection, n: usize) {
    conn.execute(
        "INSERT INTO users (id, name, role, slot_id, created_at) VALUES ('u1', 'clara', 'clinician', 's1', '2026-01-01T00:00:00.000Z')",
        [],
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    for i in 0..n {
        let case = synthetic_for_benchmarks(i, "u1");
        insert_case(&tx, &case, &[0u8; 60]).unwrap();
    }
    tx.commit().unwrap();
}

fn bench_case_list(c: &mut Criterion) {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let mut encrypted = keyed_store(dir.path());
    let mut plain = open_unencrypted_for_benchmark(&dir.path().join("plain.db")).unwrap();
    fill_cases(&mut encrypted, N);
    fill_cases(&mut plain, N);
    let filter = CaseFilter {
        status: Some(CaseStatus::InReview),
        limit: 50,
        ..CaseFilter::default()
    };
    let mut g = c.benchmark_group("case_list_50_by_status_of_100k");
    for (name, conn) in [("sqlcipher", &encrypted), ("plain_sqlite", &plain)] {
        g.bench_function(name, |b| {
            b.iter(|| assert_eq!(list_cases(conn, &filter).unwrap().len(), 50))
        });
        // What `case list` does: the page and the total the filter matches.
        g.bench_function(format!("{name}_with_total"), |b| {
            b.iter(|| {
                assert_eq!(list_cases(conn, &filter).unwrap().len(), 50);
                assert_eq!(count_cases(conn, &filter).unwrap(), (N / 4) as u64);
            })
        });
    }
    g.finish();
}

fn bench_unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let master = SecretKey::random().unwrap();
    let (slots, _, _, _) =
        KeySlots::create(dir.path(), &master, "admin", "bench passphrase!").unwrap();
    let mut g = c.benchmark_group("unlock");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("key_slot_argon2id", |b| {
        b.iter(|| slots.unlock("admin", "bench passphrase!").unwrap())
    });
    let store_dir = tempfile::tempdir().unwrap();
    let core = varde::Varde::at(store_dir.path());
    drop(core.init("admin", "bench passphrase!").unwrap());
    g.bench_function("sign_in_whole", |b| {
        b.iter_batched(
            || (),
            |_| core.sign_in("admin", "bench passphrase!").unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_audit, bench_case_list, bench_unlock);
criterion_main!(benches);

//! `/metrics` in the Prometheus text format: ingest counters and latency kept in this process,
//! devices by state and their lag read from the database (so every instance reports the same).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use varde_sync_wire::DeviceState;

use super::{blocking, ApiError, AppState};
use crate::log::views;

const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// This process's counters.
#[derive(Default)]
pub struct Metrics {
    accepted: AtomicU64,
    refused: Mutex<BTreeMap<String, u64>>,
    /// Counts per bucket, then sum in microseconds, then count.
    latency: Mutex<([u64; BUCKETS.len()], u64, u64)>,
}

impl Metrics {
    /// An accepted batch.
    pub fn accepted(&self, entries: u64, took: Duration) {
        self.accepted.fetch_add(entries, Ordering::Relaxed);
        let mut l = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        let secs = took.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                l.0[i] += 1;
            }
        }
        l.1 += took.as_micros() as u64;
        l.2 += 1;
    }

    /// A refused batch.
    pub fn refused(&self, code: &str) {
        *self
            .refused
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(code.to_string())
            .or_default() += 1;
    }
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> Result<impl IntoResponse, ApiError> {
    let log = state.log.clone();
    let devices = blocking(move || Ok(log.db.read(|tx| tx.devices())?)).await?;
    let m = &state.metrics;
    let mut out = String::new();
    let _ = writeln!(out, "# TYPE varde_entries_accepted_total counter");
    let _ = writeln!(
        out,
        "varde_entries_accepted_total {}",
        m.accepted.load(Ordering::Relaxed)
    );
    let _ = writeln!(out, "# TYPE varde_batches_refused_total counter");
    for (code, n) in m.refused.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let _ = writeln!(out, "varde_batches_refused_total{{reason=\"{code}\"}} {n}");
    }
    let _ = writeln!(out, "# TYPE varde_devices gauge");
    for s in [
        DeviceState::Ok,
        DeviceState::ForkDetected,
        DeviceState::Revoked,
    ] {
        let n = devices.iter().filter(|d| d.state == s).count();
        let _ = writeln!(out, "varde_devices{{state=\"{}\"}} {n}", s.as_str());
    }
    let lags: Vec<_> = devices.iter().map(|d| (&d.id, views::lag(d))).collect();
    let _ = writeln!(out, "# TYPE varde_device_lag_entries gauge");
    for (id, (entries, _)) in &lags {
        let _ = writeln!(out, "varde_device_lag_entries{{device=\"{id}\"}} {entries}");
    }
    let _ = writeln!(out, "# TYPE varde_device_lag_seconds gauge");
    for (id, (_, seconds)) in &lags {
        if let Some(seconds) = seconds {
            let _ = writeln!(out, "varde_device_lag_seconds{{device=\"{id}\"}} {seconds}");
        }
    }
    let l = *m.latency.lock().unwrap_or_else(|p| p.into_inner());
    let _ = writeln!(out, "# TYPE varde_ingest_duration_seconds histogram");
    for (i, b) in BUCKETS.iter().enumerate() {
        let _ = writeln!(
            out,
            "varde_ingest_duration_seconds_bucket{{le=\"{b}\"}} {}",
            l.0[i]
        );
    }
    let _ = writeln!(
        out,
        "varde_ingest_duration_seconds_bucket{{le=\"+Inf\"}} {}",
        l.2
    );
    let _ = writeln!(
        out,
        "varde_ingest_duration_seconds_sum {}",
        l.1 as f64 / 1e6
    );
    let _ = writeln!(out, "varde_ingest_duration_seconds_count {}", l.2);
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out))
}

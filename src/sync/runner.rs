//! [`SyncRunner`]: background audit sync on its own thread. Whenever the device is enrolled and
//! sync is on, it pushes; after a failure it waits with exponential backoff and jitter (2 s
//! doubling to 5 min, ±25 %), never spinning; after a success it looks again every 30 s, or at
//! once when [`woken`](SyncRunner::wake). Stopping cuts any request in flight, so it is prompt
//! even while the server does not answer.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::agent::{Interrupter, SyncAgent};
use super::SyncStatus;

/// How often and how patiently the runner tries.
#[derive(Clone, Copy, Debug)]
pub struct RunnerTiming {
    /// Between passes while all is well.
    pub idle: Duration,
    /// The first wait after a failure; it doubles with each further one.
    pub first_backoff: Duration,
    /// The longest wait after failures.
    pub max_backoff: Duration,
}

impl Default for RunnerTiming {
    fn default() -> Self {
        RunnerTiming {
            idle: Duration::from_secs(30),
            first_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(300),
        }
    }
}

impl RunnerTiming {
    /// The wait after `failures` failures in a row (≥ 1), with ±25 % jitter so that many
    /// workstations coming back after an outage do not all knock at once.
    pub fn backoff(&self, failures: u32) -> Duration {
        let base = self
            .first_backoff
            .saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(20)))
            .min(self.max_backoff);
        let r = crate::vault::crypto::random_bytes::<2>().map_or(0x8000, u16::from_le_bytes);
        // factor in [0.75, 1.25]
        let factor = 0.75 + 0.5 * f64::from(r) / f64::from(u16::MAX);
        base.mul_f64(factor)
    }
}

#[derive(Default)]
struct State {
    woken: bool,
    stopping: bool,
    status: Option<SyncStatus>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A background thread around a [`SyncAgent`].
pub struct SyncRunner {
    shared: Arc<Shared>,
    interrupter: Interrupter,
    thread: Option<JoinHandle<()>>,
}

impl SyncRunner {
    /// Starts the thread with the default timing; `on_status` is called after every pass.
    pub fn start(agent: SyncAgent, on_status: impl Fn(&SyncStatus) + Send + 'static) -> SyncRunner {
        Self::start_with(agent, RunnerTiming::default(), on_status)
    }

    /// As [`start`](Self::start), with other timing (tests, benchmarks).
    pub fn start_with(
        mut agent: SyncAgent,
        timing: RunnerTiming,
        on_status: impl Fn(&SyncStatus) + Send + 'static,
    ) -> SyncRunner {
        let shared = Arc::new(Shared::default());
        let interrupter = agent.interrupter();
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("varde-sync".into())
                .spawn(move || run(&mut agent, timing, &shared, &on_status))
                .expect("the sync thread starts")
        };
        SyncRunner {
            shared,
            interrupter,
            thread: Some(thread),
        }
    }

    /// Syncs now (new entries, a "sync now" click), even in the middle of a backoff.
    pub fn wake(&self) {
        self.shared.lock().woken = true;
        self.shared.changed.notify_all();
    }

    /// The status after the last pass, once there was one.
    pub fn status(&self) -> Option<SyncStatus> {
        self.shared.lock().status.clone()
    }

    /// Stops the thread: a request in flight is cut off, and this returns promptly.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.lock().stopping = true;
        self.interrupter.interrupt();
        self.shared.changed.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SyncRunner {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn run(
    agent: &mut SyncAgent,
    timing: RunnerTiming,
    shared: &Shared,
    on_status: &dyn Fn(&SyncStatus),
) {
    let mut failures = 0u32;
    loop {
        if shared.lock().stopping {
            return;
        }
        let wait = match agent.is_active() {
            Ok(true) => match agent.sync_now() {
                Ok(report) => {
                    failures = 0;
                    tracing::debug!(pushed = report.pushed, "audit sync pass done");
                    timing.idle
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = e.code(), failures, "audit sync failed; backing off");
                    timing.backoff(failures)
                }
            },
            Ok(false) => timing.idle,
            Err(e) => {
                failures += 1;
                tracing::warn!(error = e.code(), "audit sync could not read its state");
                timing.backoff(failures)
            }
        };
        if let Ok(status) = agent.status() {
            on_status(&status);
            shared.lock().status = Some(status);
        }
        let deadline = Instant::now() + wait;
        let mut state = shared.lock();
        loop {
            if state.stopping {
                return;
            }
            if state.woken {
                state.woken = false;
                break;
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = shared
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_cap_with_a_quarter_of_jitter() {
        let t = RunnerTiming::default();
        for (failures, base) in [(1u32, 2.0f64), (2, 4.0), (3, 8.0), (9, 300.0), (40, 300.0)] {
            for _ in 0..20 {
                let d = t.backoff(failures).as_secs_f64();
                assert!(
                    d >= base * 0.75 - 1e-9 && d <= base * 1.25 + 1e-9,
                    "{failures}: {d}"
                );
            }
        }
    }
}

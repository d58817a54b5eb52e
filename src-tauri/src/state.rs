//! What the shell holds between commands: the data directory, the signed-in session (whose
//! keys are wiped when it is dropped), the background job runner and audit sync runner, and the
//! idle clock that locks the app.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter};
use varde::api::{JobRunner, RunOptions, SyncRunner, SyncStatus};
use varde::{Session, Varde};

use crate::error::{CommandError, CommandResult};

/// The event the window listens to: the session is gone and the keys with it.
pub const LOCKED_EVENT: &str = "varde://locked";
/// The event the status bar listens to: audit sync's state after a pass, an enrollment or a switch.
pub const SYNC_STATUS_EVENT: &str = "varde://sync-status";

pub struct AppState {
    pub varde: Varde,
    /// When `main` started, for the cold-start figure.
    pub started: Instant,
    session: Mutex<Option<Session>>,
    runner: Mutex<Option<BackgroundRunner>>,
    sync_runner: Mutex<Option<SyncRunner>>,
    /// For events from background threads; set once the window's app exists.
    app: OnceLock<AppHandle>,
    last_activity: Mutex<Instant>,
}

/// The job queue worked through in the background while someone is signed in, so documents are
/// analysed as they arrive and the window stays responsive.
struct BackgroundRunner {
    runner: Arc<JobRunner>,
    thread: JoinHandle<()>,
}

impl AppState {
    pub fn new(varde: Varde, started: Instant) -> AppState {
        AppState {
            varde,
            started,
            session: Mutex::new(None),
            runner: Mutex::new(None),
            sync_runner: Mutex::new(None),
            app: OnceLock::new(),
            last_activity: Mutex::new(Instant::now()),
        }
    }

    /// Gives the state the app handle its background threads emit events through.
    pub fn attach(&self, app: AppHandle) {
        let _ = self.app.set(app);
    }

    fn sync_slot(&self) -> MutexGuard<'_, Option<SyncRunner>> {
        self.sync_runner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tells the window the audit sync state (the status bar updates without polling).
    pub fn emit_sync_status(&self, status: &SyncStatus) {
        if let Some(app) = self.app.get() {
            let _ = app.emit(SYNC_STATUS_EVENT, status);
        }
    }

    /// Makes the background sync pass now (after an enrollment or switching it on).
    pub fn wake_sync(&self) {
        if let Some(runner) = self.sync_slot().as_ref() {
            runner.wake();
        }
    }

    fn session_slot(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the signed-in session, or fails with `locked`.
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> varde::api::Result<T>,
    ) -> CommandResult<T> {
        let mut slot = self.session_slot();
        let session = slot.as_mut().ok_or_else(CommandError::locked)?;
        Ok(f(session)?)
    }

    pub fn signed_in_user(&self) -> Option<varde::records::User> {
        self.session_slot().as_ref().map(|s| s.user().clone())
    }

    /// Makes `session` the signed-in one and starts working the job queue for it.
    pub fn begin(&self, mut session: Session) -> CommandResult<varde::records::User> {
        self.end();
        let user = session.user().clone();
        // Auditors never run analyses (the core refuses them); everyone else keeps the queue moving.
        let runner = match user.role {
            varde::domain::Role::Auditor => None,
            _ => match session.job_runner() {
                Ok((runner, _requeued)) => Some(runner),
                Err(e) => {
                    tracing::warn!(error = %e, "the background job runner could not start");
                    None
                }
            },
        };
        // Audit sync runs for every role: each one's actions are audited and must be delivered.
        let sync = match session.sync_agent() {
            Ok(agent) => {
                let app = self.app.get().cloned();
                Some(SyncRunner::start(agent, move |status| {
                    if let Some(app) = &app {
                        let _ = app.emit(SYNC_STATUS_EVENT, status);
                    }
                }))
            }
            Err(e) => {
                tracing::warn!(error = %e, "the audit sync runner could not start");
                None
            }
        };
        *self.session_slot() = Some(session);
        *self.sync_slot() = sync;
        self.touch();
        if let Some(runner) = runner {
            *self.runner.lock().unwrap_or_else(|p| p.into_inner()) = Some(spawn_runner(runner));
        }
        Ok(user)
    }

    /// Restarts the background job and sync runners on the session's current keys. A user's
    /// removal rotates the master key and rekeys the database; runners opened before it hold
    /// the old key and would fail every read.
    pub fn restart_background(&self) -> CommandResult<()> {
        let Some(session) = self.session_slot().take() else {
            return Ok(());
        };
        self.begin(session).map(drop)
    }

    /// Signs out: the session (and its keys) is dropped at once; the background runner stops
    /// after the document it is on, the sync runner cuts off its request in flight.
    pub fn end(&self) -> bool {
        let had_session = self.session_slot().take().is_some();
        if let Some(sync) = self.sync_slot().take() {
            std::thread::spawn(move || sync.stop());
        }
        if let Some(bg) = self.runner.lock().unwrap_or_else(|p| p.into_inner()).take() {
            bg.runner.stop();
            // Joined off the caller's thread: a document mid-OCR may take a few seconds more.
            std::thread::spawn(move || {
                let _ = bg.thread.join();
            });
        }
        had_session
    }

    pub fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    fn idle_for(&self) -> Duration {
        self.last_activity
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .elapsed()
    }

    /// The idle time after which the app locks: the store's setting, or (debug builds only, for
    /// the end-to-end tests) `VARDE_AUTO_LOCK_SECONDS`.
    fn auto_lock_after(&self) -> Option<Duration> {
        #[cfg(debug_assertions)]
        if let Some(secs) = std::env::var("VARDE_AUTO_LOCK_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
        {
            return Some(Duration::from_secs(secs));
        }
        let slot = self.session_slot();
        let minutes = slot.as_ref()?.config().auto_lock_minutes;
        Some(Duration::from_secs(u64::from(minutes) * 60))
    }
}

fn spawn_runner(runner: JobRunner) -> BackgroundRunner {
    let runner = Arc::new(runner);
    let r = runner.clone();
    let thread = std::thread::Builder::new()
        .name("varde-jobs".into())
        .spawn(move || {
            // One worker process leaves a core for the window on small machines.
            let workers = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
            let opts = RunOptions {
                workers,
                follow: true,
                ..RunOptions::default()
            };
            // With `follow`, a run returns only when stopped or when it failed (say, the disk
            // filled up): then it starts again a little later.
            while !r.is_stopped() {
                if let Err(e) = r.run(&opts) {
                    tracing::warn!(error = %e, "the job runner failed; restarting it in 5 s");
                    std::thread::sleep(Duration::from_secs(5));
                }
            }
        })
        .expect("a thread can be started");
    BackgroundRunner { runner, thread }
}

/// Locks the app after the idle time: the session is dropped (keys wiped) and the window told.
pub fn watch_idle(app: AppHandle, state: Arc<AppState>) {
    std::thread::Builder::new()
        .name("varde-idle".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            let Some(limit) = state.auto_lock_after() else {
                continue;
            };
            if state.idle_for() >= limit && state.end() {
                tracing::info!("locked after idle time");
                let _ = app.emit(LOCKED_EVENT, serde_json::json!({ "reason": "idle" }));
            }
        })
        .expect("a thread can be started");
}

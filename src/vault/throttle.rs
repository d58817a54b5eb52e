//! The failed sign-in record: a growing delay after repeated failures, and the failures waiting to
//! be written to the audit log (which is inside the encrypted store, so it can only be written
//! once somebody signs in successfully).
//!
//! The record holds no user names and no PHI: times and, where the name matched a slot, its id.
//! Deleting the file resets the delay; the real defence against guessing offline is the KDF cost.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::VaultError;
use crate::fsio::write_atomically;

/// Failures allowed before a delay applies.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest delay, in seconds.
pub const MAX_DELAY_SECS: u64 = 300;

/// One failed attempt not yet in the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFailure {
    pub at: String,
    pub slot_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    consecutive: u32,
    /// Milliseconds since the epoch: whole seconds would let a 1 s delay end at once.
    last_failure_unix_ms: i64,
    pending: Vec<PendingFailure>,
}

fn unix_ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The failed sign-in record of one store.
pub struct Throttle {
    path: PathBuf,
}

/// Seconds to wait after `consecutive` failures: none for the first few, then 1, 2, 4 … up to 5 min.
pub fn delay_after(consecutive: u32) -> u64 {
    if consecutive < FREE_ATTEMPTS {
        return 0;
    }
    let exp = (consecutive - FREE_ATTEMPTS).min(16);
    (1u64 << exp).min(MAX_DELAY_SECS)
}

impl Throttle {
    pub fn new(path: &Path) -> Throttle {
        Throttle {
            path: path.to_path_buf(),
        }
    }

    fn read(&self) -> Record {
        fs::read_to_string(&self.path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    fn write(&self, record: &Record) -> Result<(), VaultError> {
        let text =
            serde_json::to_vec(record).map_err(|e| VaultError::DamagedSlots(e.to_string()))?;
        write_atomically(&self.path, &text)?;
        Ok(())
    }

    /// Refuses an attempt made before the delay earned by earlier failures has passed.
    pub fn check(&self, now: OffsetDateTime) -> Result<(), VaultError> {
        let record = self.read();
        let wait_until =
            record.last_failure_unix_ms + delay_after(record.consecutive) as i64 * 1000;
        let now = unix_ms(now);
        if now < wait_until {
            // Rounded up: "try again in 0 s" would be wrong.
            let secs = (wait_until - now + 999) / 1000;
            return Err(VaultError::Throttled {
                retry_after_secs: secs as u64,
            });
        }
        Ok(())
    }

    /// Seconds until the next attempt is allowed (0 when it is allowed now).
    pub fn retry_after(&self, now: OffsetDateTime) -> u64 {
        match self.check(now) {
            Err(VaultError::Throttled { retry_after_secs }) => retry_after_secs,
            _ => 0,
        }
    }

    pub fn record_failure(
        &self,
        now: OffsetDateTime,
        slot_id: Option<String>,
    ) -> Result<(), VaultError> {
        let mut record = self.read();
        record.consecutive = record.consecutive.saturating_add(1);
        record.last_failure_unix_ms = unix_ms(now);
        record.pending.push(PendingFailure {
            at: crate::clock::format(now),
            slot_id,
        });
        self.write(&record)
    }

    /// After a successful sign-in: the failures to audit; the delay starts over.
    pub fn take_pending(&self) -> Result<Vec<PendingFailure>, VaultError> {
        let record = self.read();
        if record.consecutive == 0 && record.pending.is_empty() {
            return Ok(Vec::new());
        }
        self.write(&Record::default())?;
        Ok(record.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn the_delay_grows_after_the_free_attempts_and_is_capped() {
        assert_eq!((0..3).map(delay_after).collect::<Vec<_>>(), vec![0, 0, 0]);
        assert_eq!(delay_after(3), 1);
        assert_eq!(delay_after(4), 2);
        assert_eq!(delay_after(6), 8);
        assert_eq!(delay_after(40), MAX_DELAY_SECS);
    }

    #[test]
    fn attempts_inside_the_delay_are_refused_and_success_resets_it() {
        let dir = tempfile::tempdir().unwrap();
        let t = Throttle::new(&dir.path().join("auth-failures.json"));
        let now = crate::clock::now();
        for _ in 0..4 {
            t.record_failure(now, None).unwrap();
        }
        assert!(matches!(
            t.check(now),
            Err(VaultError::Throttled {
                retry_after_secs: 2
            })
        ));
        assert!(matches!(
            t.check(now + Duration::milliseconds(1500)),
            Err(VaultError::Throttled {
                retry_after_secs: 1
            })
        ));
        assert!(t.check(now + Duration::seconds(2)).is_ok());
        assert_eq!(t.take_pending().unwrap().len(), 4);
        assert!(t.check(now).is_ok());
        assert!(t.take_pending().unwrap().is_empty());
    }
}

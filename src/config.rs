//! Settings in `config.toml` in the data directory: retention, upload limit, AI threshold, cloud
//! processing. Missing keys take their defaults; unknown keys and out-of-range values are refused.

use std::path::Path;
use ts_rs::TS;

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "config.toml";

/// Every setting's key, in the order `config show` lists them.
pub const KEYS: [&str; 7] = [
    "retention_days",
    "upload_limit_mib",
    "ai_confidence_threshold",
    "allow_cloud_processing",
    "auto_lock_minutes",
    "language",
    "consent_policy_version",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Days a closed case is kept before automatic purge.
    pub retention_days: u32,
    /// Largest document accepted, in MiB.
    #[ts(type = "number")]
    pub upload_limit_mib: u64,
    /// The AI suggests `approve` only at or above this confidence.
    pub ai_confidence_threshold: f64,
    /// Off: no document data ever leaves this machine.
    pub allow_cloud_processing: bool,
    /// The desktop app locks (keys leave memory) after this many idle minutes.
    pub auto_lock_minutes: u32,
    /// The desktop app's language: `system` (bokmål when the system locale is Norwegian), `nb`
    /// or `en`.
    pub language: String,
    /// The version of the consent text a subject agrees to, recorded with each case.
    pub consent_policy_version: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            retention_days: 365,
            upload_limit_mib: 20,
            ai_confidence_threshold: 0.70,
            allow_cloud_processing: false,
            auto_lock_minutes: 10,
            language: "system".into(),
            consent_policy_version: "2026-01".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read {FILE_NAME}: {0}")]
    Io(#[from] std::io::Error),
    #[error("{FILE_NAME} is not valid: {0}")]
    Parse(String),
    #[error("unknown setting '{0}' (known: {known})", known = KEYS.join(", "))]
    UnknownKey(String),
    #[error("invalid value for {key}: {reason}")]
    InvalidValue { key: String, reason: String },
}

/// The per-user data directory (`~/.local/share/varde` on Linux) the CLI and the desktop app
/// share unless told otherwise (`VARDE_DATA_DIR`, `--data-dir`).
pub fn default_data_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("no", "Varde", "varde").map(|p| p.data_dir().to_path_buf())
}

impl Config {
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let path = dir.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e.into()),
        };
        let cfg: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn save(&self, dir: &Path) -> Result<(), ConfigError> {
        let text = toml::to_string_pretty(self).map_err(|e| ConfigError::Parse(e.to_string()))?;
        let body = format!("# Varde settings. Change them with `varde config set KEY VALUE` (admins; audited).\n{text}");
        crate::fsio::write_atomically(&dir.join(FILE_NAME), body.as_bytes())?;
        Ok(())
    }

    pub fn upload_limit_bytes(&self) -> u64 {
        self.upload_limit_mib * 1024 * 1024
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, reason: &str| {
            Err(ConfigError::InvalidValue {
                key: key.into(),
                reason: reason.into(),
            })
        };
        if self.retention_days > 36_500 {
            return bad("retention_days", "at most 36500 days (100 years)");
        }
        if !(1..=1024).contains(&self.upload_limit_mib) {
            return bad("upload_limit_mib", "between 1 and 1024");
        }
        if !(0.0..=1.0).contains(&self.ai_confidence_threshold) {
            return bad("ai_confidence_threshold", "between 0 and 1");
        }
        if !(1..=240).contains(&self.auto_lock_minutes) {
            return bad("auto_lock_minutes", "between 1 and 240 minutes");
        }
        if !["system", "nb", "en"].contains(&self.language.as_str()) {
            return bad("language", "one of system, nb, en");
        }
        let policy = self.consent_policy_version.trim();
        if policy.is_empty() || policy.len() > 40 || policy.chars().any(char::is_control) {
            return bad("consent_policy_version", "1 to 40 printable characters");
        }
        Ok(())
    }

    /// Current value of a setting, as text.
    pub fn get(&self, key: &str) -> Result<String, ConfigError> {
        Ok(match key {
            "retention_days" => self.retention_days.to_string(),
            "upload_limit_mib" => self.upload_limit_mib.to_string(),
            "ai_confidence_threshold" => self.ai_confidence_threshold.to_string(),
            "allow_cloud_processing" => self.allow_cloud_processing.to_string(),
            "auto_lock_minutes" => self.auto_lock_minutes.to_string(),
            "language" => self.language.clone(),
            "consent_policy_version" => self.consent_policy_version.clone(),
            other => return Err(ConfigError::UnknownKey(other.into())),
        })
    }

    /// Changes one setting from text, validating it; returns the old value.
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, ConfigError> {
        let old = self.get(key)?;
        let invalid = |reason: &str| ConfigError::InvalidValue {
            key: key.into(),
            reason: reason.into(),
        };
        let mut next = self.clone();
        match key {
            "retention_days" => {
                next.retention_days = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid("a whole number of days"))?
            }
            "upload_limit_mib" => {
                next.upload_limit_mib = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid("a whole number of MiB"))?
            }
            "ai_confidence_threshold" => {
                next.ai_confidence_threshold = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid("a number between 0 and 1"))?
            }
            "allow_cloud_processing" => {
                next.allow_cloud_processing =
                    value.trim().parse().map_err(|_| invalid("true or false"))?
            }
            "auto_lock_minutes" => {
                next.auto_lock_minutes = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid("a whole number of minutes"))?
            }
            "language" => next.language = value.trim().to_string(),
            "consent_policy_version" => next.consent_policy_version = value.trim().to_string(),
            _ => unreachable!("get() accepted the key"),
        }
        next.validate()?;
        *self = next;
        Ok(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_when_there_is_no_file_and_cloud_processing_is_off() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = Config::load(dir.path()).unwrap();
        assert_eq!(cfg, Config::default());
        assert!(!cfg.allow_cloud_processing);
        assert_eq!(cfg.upload_limit_bytes(), 20 * 1024 * 1024);
        assert_eq!(cfg.ai_confidence_threshold, 0.70);
        assert_eq!(cfg.retention_days, 365);
    }

    #[test]
    fn settings_round_trip_and_bad_values_are_refused_with_the_key_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = Config::default();
        assert_eq!(cfg.set("retention_days", "30").unwrap(), "365");
        cfg.save(dir.path()).unwrap();
        assert_eq!(Config::load(dir.path()).unwrap().retention_days, 30);
        let err = cfg
            .set("ai_confidence_threshold", "1.5")
            .unwrap_err()
            .to_string();
        assert!(err.contains("ai_confidence_threshold"), "{err}");
        assert!(cfg.set("colour", "blue").is_err());
        assert_eq!(cfg.ai_confidence_threshold, 0.70);
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "retention_dayz = 3\n").unwrap();
        assert!(matches!(
            Config::load(dir.path()),
            Err(ConfigError::Parse(_))
        ));
    }
}

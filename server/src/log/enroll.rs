//! Enrollment: one-time tokens made by an admin, and a workstation registering its device id
//! and existing Ed25519 device key with one.

use std::time::Duration;

use ring::digest::{digest, SHA256};
use varde_audit_chain::{hex, GENESIS_PREV_HASH};
use varde_sync_wire::{DeviceState, EnrollRequest, EnrollResponse, Head};

use super::{format_time, now_string, Log, LogError};
use crate::db::{DeviceRow, TokenUse};

/// The SHA-256 (lowercase hex) under which a token is stored: the token itself never is.
pub fn token_hash(token: &str) -> String {
    hex::encode(digest(&SHA256, token.trim().as_bytes()).as_ref())
}

/// A new random token: `vt_` and 32 random bytes in hex.
pub fn new_token(prefix: &str) -> Result<String, LogError> {
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| LogError::Key("the system random number generator failed".into()))?;
    Ok(format!("{prefix}{}", hex::encode(&bytes)))
}

/// `30m`, `24h`, `7d`, `3600s`.
pub fn parse_duration(text: &str) -> Result<Duration, LogError> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let n: u64 = number.parse().map_err(|_| {
        LogError::Malformed(format!("{text:?} is not a duration like 30m, 24h or 7d"))
    })?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => {
            return Err(LogError::Malformed(format!(
                "{text:?} is not a duration like 30m, 24h or 7d"
            )))
        }
    };
    if secs == 0 {
        return Err(LogError::Malformed(
            "a token must be valid for some time".into(),
        ));
    }
    Ok(Duration::from_secs(secs))
}

/// Makes a one-time enrollment token for `site`, valid for `valid_for`; returns it and its expiry.
pub fn create_enroll_token(
    log: &Log,
    site: &str,
    valid_for: Duration,
) -> Result<(String, String), LogError> {
    let site = site.trim();
    if site.is_empty() || site.len() > 100 || site.chars().any(char::is_control) {
        return Err(LogError::Malformed(
            "a site is a short name (1 to 100 characters)".into(),
        ));
    }
    let token = new_token("vt_")?;
    let now = time::OffsetDateTime::now_utc();
    let expires = format_time(now + valid_for);
    log.db.write(|tx| {
        tx.insert_enroll_token(&token_hash(&token), site, &format_time(now), &expires)
    })?;
    Ok((token, expires))
}

fn check_request(req: &EnrollRequest) -> Result<(), LogError> {
    let id_ok = !req.device_id.is_empty()
        && req.device_id.len() <= 128
        && req
            .device_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if !id_ok {
        return Err(LogError::Malformed(
            "a device id is 1 to 128 letters, digits, '-', '_', '.' or ':'".into(),
        ));
    }
    if hex::decode_array::<32>(&req.public_key).is_err() {
        return Err(LogError::Malformed(
            "the public key is not 64 lowercase hex characters (an Ed25519 key)".into(),
        ));
    }
    let name = req.name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(LogError::Malformed(
            "a device name is 1 to 100 characters".into(),
        ));
    }
    Ok(())
}

/// Registers the device with a one-time token. The same device and key may enroll again with
/// a fresh token (after a reinstall, or to be let back in after a revocation); another key may not.
pub fn enroll(log: &Log, req: &EnrollRequest) -> Result<EnrollResponse, LogError> {
    check_request(req)?;
    let now = now_string();
    let (site, head, note) = log.db.write(|tx| {
        let existing = tx.device(&req.device_id)?;
        if let Some(d) = &existing {
            if d.public_key != req.public_key {
                return Err(LogError::AlreadyEnrolled(format!(
                    "device {} is enrolled with another key",
                    req.device_id
                )));
            }
        }
        let site = match tx.use_enroll_token(&token_hash(&req.token), &now, &req.device_id)? {
            TokenUse::Accepted { site } => site,
            TokenUse::Unknown => {
                return Err(LogError::BadToken(
                    "the enrollment token is not known".into(),
                ))
            }
            TokenUse::Used => {
                return Err(LogError::BadToken(
                    "the enrollment token was used already".into(),
                ))
            }
            TokenUse::Expired => {
                return Err(LogError::BadToken(
                    "the enrollment token has expired".into(),
                ))
            }
        };
        let head = match existing {
            Some(d) => {
                tx.reenroll_device(&d.id, req.name.trim(), &site)?;
                Head {
                    seq: d.head_seq,
                    hash: d.head_hash,
                }
            }
            None => {
                tx.insert_device(&DeviceRow {
                    id: req.device_id.clone(),
                    name: req.name.trim().to_string(),
                    site: site.clone(),
                    public_key: req.public_key.clone(),
                    state: DeviceState::Ok,
                    head_seq: 0,
                    head_hash: GENESIS_PREV_HASH.to_string(),
                    fork_seq: None,
                    fork_detected_at: None,
                    enrolled_at: now.clone(),
                    last_contact: Some(now.clone()),
                    local_head: None,
                })?;
                Head {
                    seq: 0,
                    hash: GENESIS_PREV_HASH.to_string(),
                }
            }
        };
        let note = tx.lock_tree()?.note;
        Ok((site, head, note))
    })?;
    tracing::info!(device = %req.device_id, site = %site, "device enrolled");
    Ok(EnrollResponse {
        device_id: req.device_id.clone(),
        site,
        origin: log.origin.clone(),
        server_public_key: log.key.public_key_hex(),
        checkpoint: note,
        head,
    })
}

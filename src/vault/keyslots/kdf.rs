//! Password-based key derivation for the key slots: Argon2id for every new or changed slot, and
//! PBKDF2-HMAC-SHA256 only to open slots written before Argon2id (upgraded at their next use).
//! The algorithm and its parameters are stored per slot, so the cost can be raised later.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::vault::crypto::{self, hex, unhex, SecretKey};
use crate::vault::VaultError;

/// Argon2id memory for new slots, in KiB: 128 MiB. Memory is what makes guessing costly on GPUs;
/// with 64 MiB and 5 passes one unlock took 242 ms on the project's 2-core VM, so doubling the
/// memory brings it to about the 0.5 s aimed at (docs/BENCHMARKS.md, "Key slots").
pub const ARGON2_M_KIB: u32 = 128 * 1024;
/// Argon2id passes for new slots.
pub const ARGON2_T: u32 = 5;
/// One lane: the figure was measured with one, and a second lane would only let an attacker with
/// more cores go faster relative to us on a 2-core workstation that is also running SQLCipher.
pub const ARGON2_P: u32 = 1;

/// How a slot's wrapping key comes from its secret (password or recovery code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "algorithm")]
pub(crate) enum Kdf {
    #[serde(rename = "argon2id")]
    Argon2id {
        m_kib: u32,
        t: u32,
        p: u32,
        salt: String,
    },
    #[serde(rename = "pbkdf2-hmac-sha256")]
    Pbkdf2 { iterations: u32, salt: String },
}

impl Kdf {
    /// Current parameters with a fresh random salt.
    pub(crate) fn fresh() -> Result<Kdf, VaultError> {
        Ok(Kdf::Argon2id {
            m_kib: ARGON2_M_KIB,
            t: ARGON2_T,
            p: ARGON2_P,
            salt: hex(&crypto::random_bytes::<16>()?),
        })
    }

    pub(crate) fn salt(&self) -> Option<Vec<u8>> {
        match self {
            Kdf::Argon2id { salt, .. } | Kdf::Pbkdf2 { salt, .. } => unhex(salt),
        }
    }

    /// Whether this slot should be rewritten with the current algorithm and cost.
    pub(crate) fn is_outdated(&self) -> bool {
        match self {
            Kdf::Argon2id { m_kib, t, p, .. } => {
                *m_kib < ARGON2_M_KIB || *t < ARGON2_T || *p != ARGON2_P
            }
            Kdf::Pbkdf2 { .. } => true,
        }
    }

    /// The wrapping key for `secret`; `None` when the stored parameters are unusable.
    pub(crate) fn derive(&self, secret: &[u8]) -> Option<SecretKey> {
        let salt = self.salt()?;
        match self {
            Kdf::Argon2id { m_kib, t, p, .. } => argon2id(secret, &salt, *m_kib, *t, *p),
            Kdf::Pbkdf2 { iterations, .. } => Some(crypto::pbkdf2_sha256(
                secret,
                &salt,
                NonZeroU32::new(*iterations)?,
            )),
        }
    }
}

/// Argon2id (v1.3) into a 32-byte key; the output buffer is wiped once copied into the key.
pub(crate) fn argon2id(
    secret: &[u8],
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
) -> Option<SecretKey> {
    let params = argon2::Params::new(m_kib, t, p, Some(32)).ok()?;
    let hasher = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    let done = hasher.hash_password_into(secret, salt, &mut out).is_ok();
    let key = SecretKey::from_bytes(&out).ok();
    out.zeroize();
    if done {
        key
    } else {
        None
    }
}

/// The same work as opening a real slot, for a name that has none: timing must not tell which
/// users exist.
pub(crate) fn decoy(secret: &[u8]) {
    if let Ok(kdf) = Kdf::fresh() {
        let _ = kdf.derive(secret);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_is_deterministic_and_its_parameters_change_the_key() {
        let a = argon2id(b"password", b"somesalt16bytes!", 64, 1, 1).unwrap();
        let b = argon2id(b"password", b"somesalt16bytes!", 64, 2, 1).unwrap();
        let c = argon2id(b"password", b"somesalt16bytes!", 64, 1, 1).unwrap();
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.expose(), c.expose());
        assert!(argon2id(b"password", b"short", 64, 1, 1).is_none());
    }

    #[test]
    fn kdf_parameters_round_trip_in_the_slot_format() {
        let kdf = Kdf::fresh().unwrap();
        let json = serde_json::to_value(&kdf).unwrap();
        assert_eq!(json["algorithm"], "argon2id");
        assert_eq!(json["m_kib"], ARGON2_M_KIB);
        const { assert!(ARGON2_M_KIB >= 64 * 1024 && ARGON2_T >= 3) };
        assert_eq!(json["t"], ARGON2_T);
        assert_eq!(json["p"], 1);
        assert_eq!(serde_json::from_value::<Kdf>(json).unwrap(), kdf);
        assert!(!kdf.is_outdated());
        let legacy: Kdf = serde_json::from_str(
            r#"{"algorithm":"pbkdf2-hmac-sha256","iterations":600000,"salt":"00ff"}"#,
        )
        .unwrap();
        assert!(legacy.is_outdated());
    }
}

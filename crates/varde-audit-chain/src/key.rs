//! The device signing key, which seals entries.

use std::fmt;

use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};

use crate::entry::{Entry, EntryBody};
use crate::{canonical, hex};

/// Why a device key could not be created or loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The operating system's random number generator failed while generating a key.
    #[error("could not generate a device key: the system random number generator failed")]
    Random,
    /// The stored key is not an Ed25519 PKCS#8 v2 document.
    #[error(
        "the stored device key is not a valid Ed25519 PKCS#8 document ({reason}); \
         it may be corrupt or may have been decrypted with the wrong key"
    )]
    InvalidPkcs8 {
        /// What the key parser rejected.
        reason: String,
    },
}

/// The device's Ed25519 signing key.
///
/// Its `Debug` output deliberately shows no key material, public or private.
pub struct DeviceKey {
    pair: Ed25519KeyPair,
}

impl DeviceKey {
    /// Generates a new key from the system random number generator.
    ///
    /// Returns the key and its PKCS#8 v2 document, which the caller must store (encrypted)
    /// and later pass to [`from_pkcs8`](Self::from_pkcs8). The document contains the
    /// private key.
    pub fn generate() -> Result<(DeviceKey, Vec<u8>), KeyError> {
        let document =
            Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| KeyError::Random)?;
        let key = DeviceKey::from_pkcs8(document.as_ref())?;
        Ok((key, document.as_ref().to_vec()))
    }

    /// Loads a key from the PKCS#8 v2 document returned by [`generate`](Self::generate).
    ///
    /// The embedded public key is checked against the private key.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<DeviceKey, KeyError> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|e| KeyError::InvalidPkcs8 {
            reason: e.to_string(),
        })?;
        Ok(DeviceKey { pair })
    }

    /// The 32-byte Ed25519 public key as 64 lowercase hex characters: what a verifier needs.
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.pair.public_key().as_ref())
    }

    /// Signs a message that is not an entry (a sync request, an exported segment), as 128
    /// lowercase hex characters.
    ///
    /// The signed bytes are `domain`, one `0x00` byte, then `message`, so a detached signature
    /// can never be mistaken for an entry's signature (those cover exactly 32 bytes, and no
    /// domain is empty) or for another domain's. Check it with [`verify_detached`].
    ///
    /// # Panics
    ///
    /// If `domain` is empty or contains a `0x00` byte.
    pub fn sign_detached(&self, domain: &str, message: &[u8]) -> String {
        let signed = detached_bytes(domain, message);
        hex::encode(self.pair.sign(&signed).as_ref())
    }

    /// Seals `body`: computes its hash and signs the 32 raw hash bytes.
    ///
    /// Sealing does not check the body's place in the chain; `seq` and `prev_hash` must
    /// come from the caller's current head.
    pub fn seal(&self, body: EntryBody) -> Entry {
        let hash = canonical::hash(&body);
        let signature = self.pair.sign(&hash);
        Entry {
            body,
            hash: hex::encode(&hash),
            signature: hex::encode(signature.as_ref()),
        }
    }
}

/// Checks a signature made by [`DeviceKey::sign_detached`] with the same `domain`.
pub fn verify_detached(
    public_key_hex: &str,
    domain: &str,
    message: &[u8],
    signature_hex: &str,
) -> bool {
    let (Ok(key), Ok(signature)) = (
        hex::decode_array::<32>(public_key_hex),
        hex::decode_array::<64>(signature_hex),
    ) else {
        return false;
    };
    if domain.is_empty() || domain.contains('\0') {
        return false;
    }
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &key)
        .verify(&detached_bytes(domain, message), &signature)
        .is_ok()
}

fn detached_bytes(domain: &str, message: &[u8]) -> Vec<u8> {
    assert!(
        !domain.is_empty() && !domain.contains('\0'),
        "a signing domain is non-empty text without NUL"
    );
    let mut signed = Vec::with_capacity(domain.len() + 1 + message.len());
    signed.extend_from_slice(domain.as_bytes());
    signed.push(0);
    signed.extend_from_slice(message);
    signed
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceKey").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In ring's PKCS#8 v2 document the 32-byte seed (the private key) follows a 16-byte header
    /// and the public key is the last 32 bytes.
    const SEED: std::ops::Range<usize> = 16..48;

    #[test]
    fn debug_output_contains_no_key_material() {
        let (key, pkcs8) = DeviceKey::generate().unwrap();
        let public = key.public_key_hex();
        // Guards the layout assumption, so the checks below look for the real seed.
        assert_eq!(hex::encode(&pkcs8[pkcs8.len() - 32..]), public);

        let seed = &pkcs8[SEED];
        let seed_hex = hex::encode(seed);
        // How `Debug` of a byte array would start: "[12, 200, 7, 31".
        let seed_list = format!("{:?}", &seed[..4]);
        let seed_list = seed_list.trim_end_matches(']');
        let debug = format!("{key:?}");
        let pretty = format!("{key:#?}");
        assert_eq!(debug, "DeviceKey { .. }");
        for text in [&debug, &pretty] {
            assert!(!text.contains(&seed_hex));
            assert!(!text.contains(seed_list));
            assert!(!text.contains(&public));
        }
    }

    #[test]
    fn reloaded_key_has_the_same_public_key() {
        let (key, pkcs8) = DeviceKey::generate().unwrap();
        let reloaded = DeviceKey::from_pkcs8(&pkcs8).unwrap();
        assert_eq!(reloaded.public_key_hex(), key.public_key_hex());
        assert_eq!(key.public_key_hex().len(), 64);
    }

    #[test]
    fn a_detached_signature_verifies_only_in_its_own_domain() {
        let (key, _) = DeviceKey::generate().unwrap();
        let sig = key.sign_detached("varde-test", b"hello");
        let public = key.public_key_hex();
        assert!(verify_detached(&public, "varde-test", b"hello", &sig));
        assert!(!verify_detached(&public, "varde-other", b"hello", &sig));
        assert!(!verify_detached(&public, "varde-test", b"hellp", &sig));
        let (other, _) = DeviceKey::generate().unwrap();
        assert!(!verify_detached(
            &other.public_key_hex(),
            "varde-test",
            b"hello",
            &sig
        ));
        assert!(!verify_detached(&public, "varde-test", b"hello", "zz"));
    }

    #[test]
    fn two_generated_keys_differ() {
        let (a, _) = DeviceKey::generate().unwrap();
        let (b, _) = DeviceKey::generate().unwrap();
        assert_ne!(a.public_key_hex(), b.public_key_hex());
    }

    #[test]
    fn corrupt_pkcs8_is_rejected() {
        let (_, mut pkcs8) = DeviceKey::generate().unwrap();
        // Flip a bit of the embedded public key: it no longer matches the seed.
        let last = pkcs8.len() - 1;
        pkcs8[last] ^= 1;
        assert!(matches!(
            DeviceKey::from_pkcs8(&pkcs8),
            Err(KeyError::InvalidPkcs8 { .. })
        ));
        assert!(matches!(
            DeviceKey::from_pkcs8(b"not a key"),
            Err(KeyError::InvalidPkcs8 { .. })
        ));
    }
}

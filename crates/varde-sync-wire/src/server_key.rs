//! The server's Ed25519 key: it signs checkpoints and receipts.

use std::fmt;

use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use varde_audit_chain::hex;

/// The server's signing key. Its `Debug` shows no key material.
pub struct ServerKey {
    pair: Ed25519KeyPair,
}

/// The stored server key is not a valid Ed25519 PKCS#8 document, or none could be made.
#[derive(Debug, thiserror::Error)]
#[error("the server signing key is not usable: {0}")]
pub struct ServerKeyError(String);

impl ServerKey {
    /// A new key and its PKCS#8 document, which the server stores.
    pub fn generate() -> Result<(ServerKey, Vec<u8>), ServerKeyError> {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| ServerKeyError("the system random number generator failed".into()))?;
        Ok((ServerKey::from_pkcs8(doc.as_ref())?, doc.as_ref().to_vec()))
    }

    /// Loads a key stored by [`generate`](Self::generate).
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<ServerKey, ServerKeyError> {
        Ed25519KeyPair::from_pkcs8(pkcs8)
            .map(|pair| ServerKey { pair })
            .map_err(|e| ServerKeyError(e.to_string()))
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.pair
            .public_key()
            .as_ref()
            .try_into()
            .expect("Ed25519 public keys are 32 bytes")
    }

    /// The public key as 64 lowercase hex characters, as workstations store it.
    pub fn public_key_hex(&self) -> String {
        hex::encode(&self.public_key())
    }

    /// The raw 64-byte signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.pair
            .sign(message)
            .as_ref()
            .try_into()
            .expect("Ed25519 signatures are 64 bytes")
    }
}

/// Checks a raw Ed25519 signature by the server key `public_key`.
pub(crate) fn verify(public_key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(message, signature)
        .is_ok()
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerKey").finish_non_exhaustive()
    }
}

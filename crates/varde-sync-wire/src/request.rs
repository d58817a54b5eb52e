//! Signed requests: every device request carries an Ed25519 signature by the device key over
//! method, path, body hash, timestamp, nonce and device id, so a captured request cannot be
//! altered or replayed (the server refuses stale timestamps and nonces it has seen).
//!
//! The signed message ([`message`]) is these six lines, each ended by `\n`:
//! method (uppercase), path with query, lowercase hex SHA-256 of the body (of the empty body
//! for a GET), the timestamp (Unix seconds, decimal), the nonce (32 lowercase hex characters),
//! the device id. It is signed with [`DeviceKey::sign_detached`] in the [`DOMAIN`].

use ring::digest::{digest, SHA256};
use varde_audit_chain::{hex, verify_detached, DeviceKey};

/// The signing domain of requests.
pub const DOMAIN: &str = "varde-sync-request-v1";
/// Header: the device id.
pub const HEADER_DEVICE: &str = "x-varde-device";
/// Header: Unix seconds when the request was signed.
pub const HEADER_TIMESTAMP: &str = "x-varde-timestamp";
/// Header: 16 random bytes in lowercase hex, never reused by a device.
pub const HEADER_NONCE: &str = "x-varde-nonce";
/// Header: the device's signature (128 lowercase hex characters).
pub const HEADER_SIGNATURE: &str = "x-varde-signature";
/// How far a request's timestamp may be from the server's clock, in seconds.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// The four signature headers of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHeaders {
    /// [`HEADER_DEVICE`].
    pub device_id: String,
    /// [`HEADER_TIMESTAMP`].
    pub timestamp: i64,
    /// [`HEADER_NONCE`].
    pub nonce: String,
    /// [`HEADER_SIGNATURE`].
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as (name, value) pairs, to add to a request.
    pub fn pairs(&self) -> [(&'static str, String); 4] {
        [
            (HEADER_DEVICE, self.device_id.clone()),
            (HEADER_TIMESTAMP, self.timestamp.to_string()),
            (HEADER_NONCE, self.nonce.clone()),
            (HEADER_SIGNATURE, self.signature.clone()),
        ]
    }
}

/// The lowercase hex SHA-256 of `body`.
pub fn body_sha256(body: &[u8]) -> String {
    hex::encode(digest(&SHA256, body).as_ref())
}

/// The bytes a device signs for a request.
pub fn message(
    method: &str,
    path_and_query: &str,
    body: &[u8],
    timestamp: i64,
    nonce: &str,
    device_id: &str,
) -> Vec<u8> {
    format!(
        "{}\n{path_and_query}\n{}\n{timestamp}\n{nonce}\n{device_id}\n",
        method.to_ascii_uppercase(),
        body_sha256(body)
    )
    .into_bytes()
}

/// Signs a request with the device key. `nonce` must be fresh random hex (32 characters).
pub fn sign(
    key: &DeviceKey,
    device_id: &str,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    timestamp: i64,
    nonce: &str,
) -> SignedHeaders {
    let msg = message(method, path_and_query, body, timestamp, nonce, device_id);
    SignedHeaders {
        device_id: device_id.to_string(),
        timestamp,
        nonce: nonce.to_string(),
        signature: key.sign_detached(DOMAIN, &msg),
    }
}

/// Checks a request's signature with the device's enrolled public key. Freshness (timestamp
/// window, unused nonce) is the server's to check against its own clock and records.
pub fn verify(
    public_key_hex: &str,
    headers: &SignedHeaders,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> bool {
    if headers.nonce.len() != 32 || hex::decode_array::<16>(&headers.nonce).is_err() {
        return false;
    }
    let msg = message(
        method,
        path_and_query,
        body,
        headers.timestamp,
        &headers.nonce,
        &headers.device_id,
    );
    verify_detached(public_key_hex, DOMAIN, &msg, &headers.signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_request_verifies_and_any_change_breaks_it() {
        let (key, _) = DeviceKey::generate().unwrap();
        let pk = key.public_key_hex();
        let nonce = "0123456789abcdef0123456789abcdef";
        let h = sign(
            &key,
            "dev-1",
            "POST",
            "/v1/entries",
            b"{}",
            1_800_000_000,
            nonce,
        );
        assert!(verify(&pk, &h, "POST", "/v1/entries", b"{}"));
        assert!(!verify(&pk, &h, "POST", "/v1/entries", b"{ }"));
        assert!(!verify(&pk, &h, "GET", "/v1/entries", b"{}"));
        assert!(!verify(&pk, &h, "POST", "/v1/head", b"{}"));
        let mut later = h.clone();
        later.timestamp += 1;
        assert!(!verify(&pk, &later, "POST", "/v1/entries", b"{}"));
        let mut other_device = h.clone();
        other_device.device_id = "dev-2".into();
        assert!(!verify(&pk, &other_device, "POST", "/v1/entries", b"{}"));
        let mut short_nonce = h;
        short_nonce.nonce = "00".into();
        assert!(!verify(&pk, &short_nonce, "POST", "/v1/entries", b"{}"));
    }
}

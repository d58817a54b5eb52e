//! Small, misuse-resistant wrappers over `ring`: 256-bit keys that wipe themselves, AES-256-GCM
//! sealing with a fresh random nonce and associated data, key derivation, random bytes.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hmac, pbkdf2};
use std::num::NonZeroU32;
use zeroize::Zeroize;

use super::VaultError;

/// A 256-bit secret key, wiped from memory when dropped. Debug never prints it. It lives on the
/// heap, in a page locked into RAM, so moving the key around copies no key bytes and the key is
/// never swapped out.
pub struct SecretKey(Box<[u8; 32]>);

impl SecretKey {
    fn boxed() -> SecretKey {
        let k = Box::new([0u8; 32]);
        super::memory::lock_in_ram(&k[..]);
        SecretKey(k)
    }

    pub fn random() -> Result<SecretKey, VaultError> {
        let mut k = SecretKey::boxed();
        fill_random(&mut k.0[..])?;
        Ok(k)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<SecretKey, VaultError> {
        if bytes.len() != 32 {
            return Err(VaultError::Integrity { what: "key length" });
        }
        let mut k = SecretKey::boxed();
        k.0.copy_from_slice(bytes);
        Ok(k)
    }

    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// A key for one purpose, derived from this one (HMAC-SHA256 with a label), so that the
    /// database key and the wrapping keys are independent of each other.
    pub fn derive(&self, label: &str) -> SecretKey {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.0[..]);
        let tag = hmac::sign(&key, label.as_bytes());
        let mut out = SecretKey::boxed();
        out.0.copy_from_slice(tag.as_ref());
        out
    }
}

impl Clone for SecretKey {
    fn clone(&self) -> SecretKey {
        let mut k = SecretKey::boxed();
        k.0.copy_from_slice(&self.0[..]);
        k
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0[..].zeroize();
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(**redacted**)")
    }
}

pub fn fill_random(buf: &mut [u8]) -> Result<(), VaultError> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| VaultError::Random)
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut b = [0u8; N];
    fill_random(&mut b)?;
    Ok(b)
}

/// AES-256-GCM: returns nonce ‖ ciphertext ‖ tag. `aad` binds the ciphertext to its place (a blob
/// id, a case id), so a blob moved or swapped elsewhere fails to open.
pub fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
    let nonce_bytes = random_bytes::<NONCE_LEN>()?;
    let sealing = aead_key(key);
    let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + AES_256_GCM.tag_len());
    out.extend_from_slice(&nonce_bytes);
    let mut body = plaintext.to_vec();
    sealing
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(aad),
            &mut body,
        )
        .map_err(|_| VaultError::Integrity { what: "encryption" })?;
    out.extend_from_slice(&body);
    body.zeroize();
    Ok(out)
}

/// Opens what [`seal`] produced with the same key and `aad`.
pub fn open(
    key: &SecretKey,
    aad: &[u8],
    sealed: &[u8],
    what: &'static str,
) -> Result<Vec<u8>, VaultError> {
    if sealed.len() < NONCE_LEN + AES_256_GCM.tag_len() {
        return Err(VaultError::Integrity { what });
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce =
        Nonce::try_assume_unique_for_key(nonce).map_err(|_| VaultError::Integrity { what })?;
    let mut buf = body.to_vec();
    let len = aead_key(key)
        .open_in_place(nonce, Aad::from(aad), &mut buf)
        .map_err(|_| VaultError::Integrity { what })?
        .len();
    buf.truncate(len);
    Ok(buf)
}

fn aead_key(key: &SecretKey) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.expose()).expect("32-byte AES-256 key"))
}

/// PBKDF2-HMAC-SHA256: the key that wraps a slot's copy of the master key.
pub fn pbkdf2_sha256(secret: &[u8], salt: &[u8], iterations: NonZeroU32) -> SecretKey {
    let mut out = SecretKey::boxed();
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        salt,
        secret,
        &mut out.0[..],
    );
    out
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Constant-time comparison, for tags that select a key slot.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_the_same_key_and_associated_data() {
        let k = SecretKey::random().unwrap();
        let sealed = seal(&k, b"blob-1", b"fortrolig").unwrap();
        assert_eq!(open(&k, b"blob-1", &sealed, "t").unwrap(), b"fortrolig");
        assert!(open(&k, b"blob-2", &sealed, "t").is_err());
        assert!(open(&SecretKey::random().unwrap(), b"blob-1", &sealed, "t").is_err());
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(open(&k, b"blob-1", &flipped, "t").is_err());
        assert!(open(&k, b"blob-1", &sealed[..10], "t").is_err());
    }

    #[test]
    fn each_seal_uses_a_fresh_nonce() {
        let k = SecretKey::random().unwrap();
        assert_ne!(seal(&k, b"", b"x").unwrap(), seal(&k, b"", b"x").unwrap());
    }

    #[test]
    fn derived_keys_differ_by_label_and_debug_hides_keys() {
        let k = SecretKey::from_bytes(&[7u8; 32]).unwrap();
        assert_ne!(k.derive("a").expose(), k.derive("b").expose());
        assert_eq!(k.derive("a").expose(), k.derive("a").expose());
        assert!(!format!("{k:?}").contains('7'));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 255, 16]), "00ff10");
        assert_eq!(unhex("00ff10").unwrap(), vec![0, 255, 16]);
        assert!(unhex("0g").is_none());
        assert!(unhex("abc").is_none());
    }
}

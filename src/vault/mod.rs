//! The vault: key material and everything encrypted outside SQLCipher.
//!
//! A random 256-bit master key protects everything. It is stored only wrapped, in key slots (like
//! LUKS): one per user, under a key derived from that user's password with Argon2id (through a
//! per-slot secret, so an admin can rotate the master key; see [`keyslots`]), and one under the
//! recovery code. From the master key come the SQLCipher key, the wrapping of each case's data key and of
//! the device's signing key. Document files are AES-256-GCM blobs under their case's data key, so
//! destroying that key makes every copy of the blobs unreadable (crypto-shredding).

pub mod blobs;
pub mod crypto;
pub mod keyslots;
pub mod memory;
pub mod throttle;

pub use blobs::BlobStore;
pub use crypto::SecretKey;
pub use keyslots::{KeySlots, NewSlot, RecoveryCode, Unlocked};

/// What can go wrong with keys and encrypted files.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Never says which of the two was wrong.
    #[error("wrong user name or password")]
    WrongCredentials,
    #[error("the recovery code is not valid for this store")]
    WrongRecoveryCode,
    #[error("too many failed sign-in attempts; try again in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error("the password is too short: use at least {min} characters (a passphrase of several words is best)")]
    WeakPassword { min: usize },
    #[error("encrypted data failed its integrity check ({what}): it was altered or belongs to another key")]
    Integrity { what: &'static str },
    #[error("the key slot file is damaged: {0}")]
    DamagedSlots(String),
    #[error("the store's keys were rotated by another session since you signed in: sign in again")]
    StaleKeys,
    #[error("{count} key slot(s) still have the format from before Argon2id, so the master key cannot be rewrapped for them: each user who has not signed in since the upgrade signs in once, and `varde recovery-code new` replaces an old recovery slot; then rotate again")]
    LegacySlots { count: usize },
    #[error("a user named like this already has a key slot")]
    SlotExists,
    #[error("no key slot for this user")]
    NoSlot,
    #[error("the encrypted file {0} is missing")]
    MissingBlob(String),
    #[error("could not generate random bytes")]
    Random,
    #[error("file system error: {0}")]
    Io(#[from] std::io::Error),
}

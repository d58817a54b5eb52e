//! The audit record itself: what is recorded ([`EntryBody`]) and the sealed form ([`Entry`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{canonical, hex};

/// Who performed an action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Stable identifier of the user (never a name or other personal data).
    pub user_id: String,
    /// The role the user acted in, e.g. `"reviewer"`.
    pub role: String,
}

/// What an action was performed on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// The kind of resource, e.g. `"case"`.
    pub kind: String,
    /// Identifier of the resource within its kind.
    pub id: String,
}

/// How an action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The action was carried out.
    Success,
    /// The action was attempted and failed.
    Failure,
    /// The action was refused (not permitted).
    Denied,
}

impl Outcome {
    /// The lowercase name used in the canonical encoding and in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string is not one of the outcome names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown audit outcome {0:?}: expected \"success\", \"failure\" or \"denied\"")]
pub struct ParseOutcomeError(pub String);

impl FromStr for Outcome {
    type Err = ParseOutcomeError;

    /// Parses the exact lowercase names produced by [`Outcome::as_str`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "success" => Ok(Outcome::Success),
            "failure" => Ok(Outcome::Failure),
            "denied" => Ok(Outcome::Denied),
            other => Err(ParseOutcomeError(other.to_owned())),
        }
    }
}

/// Everything that is hashed and signed.
///
/// The caller fills every field, including `seq` and `prev_hash` from its current chain head;
/// this crate does not interpret the values, it only encodes, seals and verifies them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryBody {
    /// Position in the device's chain: 1 for the first entry, then no gaps.
    pub seq: u64,
    /// Unique identifier of the entry (a UUID).
    pub id: String,
    /// When the action happened, RFC 3339 in UTC, e.g. `2026-11-22T07:01:02.123Z`.
    pub timestamp: String,
    /// Identifier of the device whose chain this is.
    pub device_id: String,
    /// Who acted; `None` for system actions such as a retention purge.
    pub actor: Option<Actor>,
    /// What was done, e.g. `"case.create"`.
    pub action: String,
    /// What it was done to, if anything.
    pub resource: Option<Resource>,
    /// How it ended.
    pub outcome: Outcome,
    /// Further non-personal details, encoded in byte-wise key order.
    pub context: BTreeMap<String, String>,
    /// [`Entry::hash`] of the previous entry, or [`GENESIS_PREV_HASH`](crate::GENESIS_PREV_HASH)
    /// for `seq` 1.
    pub prev_hash: String,
}

impl EntryBody {
    /// The canonical encoding described in the crate documentation.
    ///
    /// # Panics
    ///
    /// If a single field is longer than 4 GiB.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical::encode(self)
    }

    /// Lowercase hex SHA-256 of [`canonical_bytes`](Self::canonical_bytes).
    pub fn compute_hash(&self) -> String {
        hex::encode(&canonical::hash(self))
    }
}

/// A sealed record: the body, its hash and the device's signature over the hash.
///
/// Produced by [`DeviceKey::seal`](crate::DeviceKey::seal) and checked by
/// [`ChainVerifier`](crate::ChainVerifier). In JSON the body's fields sit at the top level
/// next to `hash` and `signature`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What was recorded.
    #[serde(flatten)]
    pub body: EntryBody,
    /// [`EntryBody::compute_hash`] of `body`: 64 lowercase hex characters.
    pub hash: String,
    /// Ed25519 signature over the 32 raw bytes of `hash`: 128 lowercase hex characters.
    pub signature: String,
}

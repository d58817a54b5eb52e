//! Signed checkpoints: a C2SP `tlog-checkpoint` body (origin, tree size, root hash) in a C2SP
//! `signed-note`, signed with the server's Ed25519 key.
//!
//! Specs: <https://c2sp.org/tlog-checkpoint>, <https://c2sp.org/signed-note>. A note is its
//! text (ending in a newline), an empty line, then one line per signature:
//! `— <key name> <base64(key id ‖ signature)>`, where the key id is the first 4 bytes of
//! SHA-256(key name ‖ `\n` ‖ `0x01` ‖ public key) and `0x01` marks Ed25519. The key name is the
//! checkpoint's origin.

use base64::prelude::*;
use ring::digest::{digest, SHA256};
use tlog_tiles::Hash;

use crate::server_key::{self, ServerKey};

/// The Ed25519 signature type byte of signed notes.
const ED25519_ALG: u8 = 0x01;

/// Why a checkpoint is not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The text is not a signed note holding a checkpoint.
    #[error("the checkpoint is malformed: {0}")]
    Malformed(String),
    /// The checkpoint is for another log.
    #[error("the checkpoint is for log {found:?}, not {expected:?}")]
    WrongOrigin {
        /// The origin the workstation enrolled with.
        expected: String,
        /// The origin in the checkpoint.
        found: String,
    },
    /// No signature line verifies under the server key.
    #[error("the checkpoint is not signed by the enrolled server's key")]
    BadSignature,
}

/// A verified (or freshly made) checkpoint: the tree of `size` leaves has root `root`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's name, e.g. `varde-audit/clinic-a`.
    pub origin: String,
    /// Number of leaves in the tree.
    pub size: u64,
    /// RFC 6962 root hash.
    pub root: [u8; 32],
}

impl Checkpoint {
    /// The checkpoint body: `origin\nsize\nbase64(root)\n`.
    pub fn body(&self) -> Result<String, NoteError> {
        let cp = tlog_tiles::Checkpoint::new(&self.origin, self.size, Hash(self.root), "")
            .map_err(|e| NoteError::Malformed(e.to_string()))?;
        String::from_utf8(cp.to_bytes()).map_err(|e| NoteError::Malformed(e.to_string()))
    }

    /// The signed note, signed by `key` under the origin as key name.
    pub fn sign(&self, key: &ServerKey) -> Result<String, NoteError> {
        if self.origin.contains(char::is_whitespace) || self.origin.contains('+') {
            return Err(NoteError::Malformed(
                "an origin has no spaces, newlines or '+'".into(),
            ));
        }
        let body = self.body()?;
        let mut blob = key_id(&self.origin, &key.public_key()).to_vec();
        blob.extend_from_slice(&key.sign(body.as_bytes()));
        Ok(format!(
            "{body}\n\u{2014} {} {}\n",
            self.origin,
            BASE64_STANDARD.encode(blob)
        ))
    }

    /// Parses a signed note and checks it is a checkpoint of `origin` signed by the server key
    /// `public_key_hex`.
    pub fn verify(note: &str, origin: &str, public_key_hex: &str) -> Result<Checkpoint, NoteError> {
        let public_key = varde_audit_chain::hex::decode_array::<32>(public_key_hex)
            .map_err(|e| NoteError::Malformed(format!("the server public key {e}")))?;
        let (body, signatures) = note
            .split_once("\n\n")
            .map(|(text, sigs)| (format!("{text}\n"), sigs))
            .ok_or_else(|| NoteError::Malformed("no signature block".into()))?;
        let parsed = tlog_tiles::Checkpoint::from_bytes(body.as_bytes())
            .map_err(|e| NoteError::Malformed(e.to_string()))?;
        if parsed.origin() != origin {
            return Err(NoteError::WrongOrigin {
                expected: origin.to_string(),
                found: parsed.origin().to_string(),
            });
        }
        let id = key_id(origin, &public_key);
        let verified = signatures.lines().any(|line| {
            let Some(rest) = line.strip_prefix("\u{2014} ") else {
                return false;
            };
            let Some((name, sig)) = rest.split_once(' ') else {
                return false;
            };
            let Ok(blob) = BASE64_STANDARD.decode(sig) else {
                return false;
            };
            name == origin
                && blob.len() == 68
                && blob[..4] == id
                && server_key::verify(&public_key, body.as_bytes(), &blob[4..])
        });
        if !verified {
            return Err(NoteError::BadSignature);
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            size: parsed.size(),
            root: parsed.hash().0,
        })
    }
}

/// The signed-note key id of an Ed25519 key.
fn key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    let mut input = name.as_bytes().to_vec();
    input.push(b'\n');
    input.push(ED25519_ALG);
    input.extend_from_slice(public_key);
    let d = digest(&SHA256, &input);
    d.as_ref()[..4].try_into().expect("4 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            origin: "varde-audit/test".into(),
            size: 7,
            root: [9; 32],
        }
    }

    #[test]
    fn a_signed_checkpoint_verifies_and_keeps_its_values() {
        let (key, _) = ServerKey::generate().unwrap();
        let note = checkpoint().sign(&key).unwrap();
        assert!(note.starts_with("varde-audit/test\n7\n"));
        let back = Checkpoint::verify(&note, "varde-audit/test", &key.public_key_hex()).unwrap();
        assert_eq!(back, checkpoint());
    }

    #[test]
    fn a_changed_size_another_key_or_another_origin_is_refused() {
        let (key, _) = ServerKey::generate().unwrap();
        let (other, _) = ServerKey::generate().unwrap();
        let note = checkpoint().sign(&key).unwrap();
        let forged = note.replacen("\n7\n", "\n8\n", 1);
        let pk = key.public_key_hex();
        assert_eq!(
            Checkpoint::verify(&forged, "varde-audit/test", &pk),
            Err(NoteError::BadSignature)
        );
        assert_eq!(
            Checkpoint::verify(&note, "varde-audit/test", &other.public_key_hex()),
            Err(NoteError::BadSignature)
        );
        assert!(matches!(
            Checkpoint::verify(&note, "varde-audit/else", &pk),
            Err(NoteError::WrongOrigin { .. })
        ));
        assert!(matches!(
            Checkpoint::verify("garbage", "varde-audit/test", &pk),
            Err(NoteError::Malformed(_))
        ));
    }
}

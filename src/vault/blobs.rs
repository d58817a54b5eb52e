//! Encrypted document files: one AES-256-GCM blob per document under its case's data key, with
//! the blob id as associated data (a blob renamed or swapped fails to open).

use std::fs;
use std::path::{Path, PathBuf};

use super::crypto::{self, SecretKey};
use super::VaultError;
use crate::fsio::write_atomically;

/// The directory of encrypted blobs.
#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn new(root: &Path) -> BlobStore {
        BlobStore {
            root: root.to_path_buf(),
        }
    }

    fn path_of(&self, blob_id: &str) -> Result<PathBuf, VaultError> {
        // Ids are UUIDs we made; anything else could walk out of the directory.
        let valid =
            blob_id.len() >= 8 && blob_id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
        if !valid {
            return Err(VaultError::MissingBlob(blob_id.to_string()));
        }
        Ok(self.root.join(&blob_id[..2]).join(blob_id))
    }

    /// Encrypts and writes a blob; returns the bytes written.
    pub fn put(&self, key: &SecretKey, blob_id: &str, plaintext: &[u8]) -> Result<u64, VaultError> {
        let path = self.path_of(blob_id)?;
        fs::create_dir_all(path.parent().expect("blob path has a parent"))?;
        let sealed = crypto::seal(key, blob_id.as_bytes(), plaintext)?;
        write_atomically(&path, &sealed)?;
        Ok(sealed.len() as u64)
    }

    /// Reads and decrypts a blob, in memory only.
    pub fn get(&self, key: &SecretKey, blob_id: &str) -> Result<Vec<u8>, VaultError> {
        let path = self.path_of(blob_id)?;
        let sealed = fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => VaultError::MissingBlob(blob_id.to_string()),
            _ => VaultError::Io(e),
        })?;
        crypto::open(key, blob_id.as_bytes(), &sealed, "document file")
    }

    /// Deletes a blob; a blob already gone is not an error.
    pub fn delete(&self, blob_id: &str) -> Result<(), VaultError> {
        match fs::remove_file(self.path_of(blob_id)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every blob id on disk (to find blobs whose case is gone).
    pub fn ids(&self) -> Result<Vec<String>, VaultError> {
        let mut ids = Vec::new();
        let Ok(shards) = fs::read_dir(&self.root) else {
            return Ok(ids);
        };
        for shard in shards.flatten() {
            if !shard.path().is_dir() {
                continue;
            }
            for f in fs::read_dir(shard.path())?.flatten() {
                if let Some(name) = f.file_name().to_str() {
                    if self.path_of(name).is_ok() {
                        ids.push(name.to_string());
                    }
                }
            }
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_round_trips_and_its_file_holds_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let key = SecretKey::random().unwrap();
        let id = uuid::Uuid::new_v4().to_string();
        store.put(&key, &id, b"Kari Nordmann, lab report").unwrap();
        assert_eq!(store.get(&key, &id).unwrap(), b"Kari Nordmann, lab report");
        let raw = fs::read(dir.path().join(&id[..2]).join(&id)).unwrap();
        assert!(!raw.windows(4).any(|w| w == b"Kari"));
        assert_eq!(store.ids().unwrap(), vec![id.clone()]);
        store.delete(&id).unwrap();
        assert!(matches!(
            store.get(&key, &id),
            Err(VaultError::MissingBlob(_))
        ));
        store.delete(&id).unwrap();
    }

    #[test]
    fn a_blob_swapped_under_another_id_or_key_fails_to_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let key = SecretKey::random().unwrap();
        let (a, b) = (
            uuid::Uuid::new_v4().to_string(),
            uuid::Uuid::new_v4().to_string(),
        );
        store.put(&key, &a, b"one").unwrap();
        store.put(&key, &b, b"two").unwrap();
        fs::copy(
            dir.path().join(&a[..2]).join(&a),
            dir.path().join(&b[..2]).join(&b),
        )
        .unwrap();
        assert!(matches!(
            store.get(&key, &b),
            Err(VaultError::Integrity { .. })
        ));
        assert!(store.get(&SecretKey::random().unwrap(), &a).is_err());
    }

    #[test]
    fn ids_that_could_escape_the_directory_are_refused() {
        let store = BlobStore::new(Path::new("/tmp/x"));
        assert!(store.path_of("../../etc/passwd").is_err());
    }
}

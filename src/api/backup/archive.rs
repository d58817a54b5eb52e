//! The backup file: a flat archive of a store's files, a manifest at the end, and a SHA-256 of
//! everything before it as the last 32 bytes.
//!
//! ```text
//! "VARDEBAK" u16-le format
//! (0x01 u16-le name-length name u64-le length bytes)*      one record per file
//! 0x00 u32-le manifest-length manifest-json
//! sha256(all of the above)
//! ```
//!
//! Every file in it is already encrypted (the SQLCipher snapshot, the AES-GCM blobs) or holds
//! only wrapped keys (the slot files), so the archive adds no encryption of its own; the
//! manifest holds ids, counts and checksums, never PHI. The manifest comes last so the writer can
//! stream each file once; the reader checks the trailing checksum before it writes anything.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};
use serde::{Deserialize, Serialize};

use super::BackupError;
use crate::vault::crypto::hex;

const MAGIC: &[u8; 8] = b"VARDEBAK";
pub(super) const FORMAT: u16 = 1;
const FILE_RECORD: u8 = 1;
const END_RECORD: u8 = 0;
const CHECKSUM_LEN: u64 = 32;
/// Longer names are not ours: the longest is a blob path.
const MAX_NAME_LEN: usize = 256;
const MAX_MANIFEST_LEN: u32 = 64 << 20;

/// What the backup holds, stored at its end.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u16,
    pub varde_version: String,
    pub created_at: String,
    pub device_id: String,
    pub schema_version: i64,
    pub documents: u64,
    pub audit_entries: u64,
    pub audit_head_hash: Option<String>,
    pub files: Vec<FileEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A writer that hashes what passes through it.
struct Hashing<W: Write> {
    inner: W,
    hash: Context,
    written: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes an archive record by record.
pub(super) struct ArchiveWriter {
    out: Hashing<BufWriter<File>>,
    files: Vec<FileEntry>,
}

impl ArchiveWriter {
    pub fn new(file: File) -> io::Result<ArchiveWriter> {
        let mut out = Hashing {
            inner: BufWriter::new(file),
            hash: Context::new(&SHA256),
            written: 0,
        };
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        Ok(ArchiveWriter {
            out,
            files: Vec::new(),
        })
    }

    /// Appends the file at `path` under `name`. The length is taken from the open file, and
    /// exactly that many bytes are copied, so a file that changes meanwhile cannot corrupt the
    /// archive's framing.
    pub fn add_file(&mut self, name: &str, path: &Path) -> io::Result<()> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        self.add(name, len, &mut file.take(len))
    }

    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        self.add(name, bytes.len() as u64, &mut &bytes[..])
    }

    fn add(&mut self, name: &str, len: u64, data: &mut dyn Read) -> io::Result<()> {
        let name_len = u16::try_from(name.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "file name too long"))?;
        self.out.write_all(&[FILE_RECORD])?;
        self.out.write_all(&name_len.to_le_bytes())?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(&len.to_le_bytes())?;
        let mut entry = Hashing {
            inner: &mut self.out,
            hash: Context::new(&SHA256),
            written: 0,
        };
        io::copy(data, &mut entry)?;
        if entry.written != len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a file became shorter while it was copied",
            ));
        }
        let sha256 = hex(entry.hash.finish().as_ref());
        self.files.push(FileEntry {
            name: name.to_string(),
            bytes: len,
            sha256,
        });
        Ok(())
    }

    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// Writes the manifest and the checksum; returns the archive's size and checksum.
    pub fn finish(mut self, manifest: &Manifest) -> io::Result<(u64, String)> {
        let json = serde_json::to_vec(manifest)?;
        self.out.write_all(&[END_RECORD])?;
        self.out.write_all(&(json.len() as u32).to_le_bytes())?;
        self.out.write_all(&json)?;
        let digest = self.out.hash.clone().finish();
        self.out.inner.write_all(digest.as_ref())?;
        let size = self.out.written + CHECKSUM_LEN;
        let file = self.out.inner.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok((size, hex(digest.as_ref())))
    }
}

/// Checks the archive's trailing checksum; returns it.
pub(super) fn verify_checksum(path: &Path) -> Result<String, BackupError> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len < MAGIC.len() as u64 + 2 + CHECKSUM_LEN {
        return Err(BackupError::NotABackup);
    }
    let mut head = [0u8; 8];
    file.read_exact(&mut head)?;
    if &head != MAGIC {
        return Err(BackupError::NotABackup);
    }
    file.seek(SeekFrom::Start(0))?;
    let mut hash = Context::new(&SHA256);
    let mut body = BufReader::new(&mut file).take(len - CHECKSUM_LEN);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = body.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    let mut stored = [0u8; CHECKSUM_LEN as usize];
    file.seek(SeekFrom::Start(len - CHECKSUM_LEN))?;
    file.read_exact(&mut stored)?;
    let digest = hash.finish();
    if digest.as_ref() != stored {
        return Err(BackupError::Damaged(
            "its checksum does not match: the file is incomplete or was altered".into(),
        ));
    }
    Ok(hex(&stored))
}

/// Unpacks a verified archive into `dir` (which must exist and be empty); each file's name is
/// checked by `allowed` before anything is written, and each file's checksum against the
/// manifest.
pub(super) fn unpack(
    path: &Path,
    dir: &Path,
    allowed: impl Fn(&str) -> bool,
) -> Result<Manifest, BackupError> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut r = BufReader::new(file).take(len - CHECKSUM_LEN);
    let mut magic = [0u8; 10];
    r.read_exact(&mut magic)?;
    let format = u16::from_le_bytes([magic[8], magic[9]]);
    if format != FORMAT {
        return Err(BackupError::UnknownFormat(format));
    }
    let mut written: Vec<FileEntry> = Vec::new();
    loop {
        let mut tag = [0u8; 1];
        r.read_exact(&mut tag).map_err(truncated)?;
        match tag[0] {
            FILE_RECORD => written.push(unpack_file(&mut r, dir, &allowed)?),
            END_RECORD => break,
            _ => return Err(BackupError::Damaged("an unknown record".into())),
        }
    }
    let mut n = [0u8; 4];
    r.read_exact(&mut n).map_err(truncated)?;
    let n = u32::from_le_bytes(n);
    if n > MAX_MANIFEST_LEN {
        return Err(BackupError::Damaged("the manifest is too large".into()));
    }
    let mut json = vec![0u8; n as usize];
    r.read_exact(&mut json).map_err(truncated)?;
    let manifest: Manifest = serde_json::from_slice(&json)
        .map_err(|e| BackupError::Damaged(format!("the manifest is unreadable ({e})")))?;
    let listed: Vec<(&str, u64, &str)> = manifest
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes, f.sha256.as_str()))
        .collect();
    let found: Vec<(&str, u64, &str)> = written
        .iter()
        .map(|f| (f.name.as_str(), f.bytes, f.sha256.as_str()))
        .collect();
    if listed != found {
        return Err(BackupError::Damaged(
            "its files do not match its manifest".into(),
        ));
    }
    Ok(manifest)
}

fn unpack_file(
    r: &mut impl Read,
    dir: &Path,
    allowed: &impl Fn(&str) -> bool,
) -> Result<FileEntry, BackupError> {
    let mut n = [0u8; 2];
    r.read_exact(&mut n).map_err(truncated)?;
    let name_len = usize::from(u16::from_le_bytes(n));
    if name_len > MAX_NAME_LEN {
        return Err(BackupError::UnexpectedFile("(a very long name)".into()));
    }
    let mut name = vec![0u8; name_len];
    r.read_exact(&mut name).map_err(truncated)?;
    let name = String::from_utf8(name)
        .map_err(|_| BackupError::UnexpectedFile("(a name that is not UTF-8)".into()))?;
    if !allowed(&name) {
        return Err(BackupError::UnexpectedFile(name));
    }
    let mut n = [0u8; 8];
    r.read_exact(&mut n).map_err(truncated)?;
    let len = u64::from_le_bytes(n);
    let target: PathBuf = dir.join(&name);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let out = super::create_private_file(&target)?;
    let mut out = Hashing {
        inner: BufWriter::new(out),
        hash: Context::new(&SHA256),
        written: 0,
    };
    let copied = io::copy(&mut r.take(len), &mut out)?;
    if copied != len {
        return Err(truncated(io::ErrorKind::UnexpectedEof.into()));
    }
    out.flush()?;
    out.inner
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    Ok(FileEntry {
        name,
        bytes: len,
        sha256: hex(out.hash.finish().as_ref()),
    })
}

fn truncated(e: io::Error) -> BackupError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        BackupError::Damaged("it ends in the middle of a record".into())
    } else {
        BackupError::Io(e)
    }
}

//! Documents: add a file to a case (size limit, SHA-256, encrypted blob, duplicate flag) and read
//! it back. The document pipeline (validation by content, text, classification) builds on this.

use crate::audit::actions;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use super::{begin, Error, Result, Session, CASE_KEY_LABEL};
use crate::domain::{Grant, Operation};
use crate::pipeline::intake::size_text;
use crate::pipeline::worker::PipelineError;
use crate::records::{Case, Document};
use crate::store;
use crate::vault::{crypto, SecretKey};

impl Session {
    pub(super) fn case_data_key(&self, case_id: &str) -> Result<SecretKey> {
        let wrapped = store::cases::wrapped_key(&self.conn, case_id)?;
        let raw = crypto::open(
            &self.master.derive(CASE_KEY_LABEL),
            case_id.as_bytes(),
            &wrapped,
            "case data key",
        )?;
        Ok(SecretKey::from_bytes(&raw)?)
    }

    /// Adds the file at `path` to a case. An oversized file is refused before it is read.
    pub fn add_document_from_path(&mut self, case_id: &str, path: &Path) -> Result<AddedDocument> {
        let limit = self.config.upload_limit_bytes();
        let meta = std::fs::metadata(path)
            .map_err(|e| Error::Invalid(format!("cannot read the file: {}", e.kind())))?;
        if !meta.is_file() {
            return Err(Error::Invalid("not a regular file".into()));
        }
        if meta.len() > limit {
            return self.refuse_oversize(case_id, meta.len());
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(path)?
            .take(limit + 1)
            .read_to_end(&mut bytes)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        self.add_document(case_id, &name, &bytes)
    }

    fn refuse_oversize<T>(&mut self, case_id: &str, size: u64) -> Result<T> {
        let limit = self.config.upload_limit_bytes();
        self.refuse(
            self.event(actions::DOCUMENT_ADD)
                .on("case", case_id)
                .with("size_bytes", size)
                .with("limit_bytes", limit),
            Error::Invalid(format!(
                "the file is too large: {} (the limit is {}; an admin can change upload_limit_mib)",
                size_text(size),
                size_text(limit)
            )),
        )
    }

    /// Adds a document to a case the user owns while it is PENDING or REJECTED. The bytes are
    /// encrypted under the case's data key; a file already in another case is flagged.
    pub fn add_document(
        &mut self,
        case_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<AddedDocument> {
        let case = self.load_case(case_id, actions::DOCUMENT_ADD)?;
        self.authorize_case(&case, Operation::AddDocument, actions::DOCUMENT_ADD, None)?;
        let file_name = self.check_new_document(&case, file_name, bytes)?;
        // Validate by content in an isolated worker before anything is stored.
        let validated = match self.validate_isolated(file_name, bytes) {
            Ok(a) => a,
            Err(PipelineError::Spawn(e)) => return Err(Error::Worker(e)),
            Err(e) => {
                let code = e.code().to_string();
                return self.refuse(
                    self.event(actions::DOCUMENT_ADD)
                        .on("case", case_id)
                        .with("size_bytes", bytes.len())
                        .with("reason", &code),
                    Error::Rejected {
                        code,
                        message: e.to_string(),
                    },
                );
            }
        };
        // Hashed here, not taken from the worker's answer: the worker is the untrusted side.
        let sha256 = crypto::hex(&crypto::sha256(bytes));
        let duplicate = store::documents::exists_in_other_case(&self.conn, &sha256, case_id)?;
        let doc = Document {
            id: uuid::Uuid::new_v4().to_string(),
            case_id: case_id.to_string(),
            file_name: file_name.to_string(),
            media_type: validated.mime.clone(),
            size_bytes: bytes.len() as u64,
            sha256,
            blob_id: uuid::Uuid::new_v4().to_string(),
            duplicate,
            added_by: self.user.id.clone(),
            added_at: crate::clock::format(crate::clock::now()),
        };
        let job_id = self.store_document(&case, &doc, bytes, validated.pages)?;
        if duplicate {
            tracing::info!(document_id = %doc.id, "document is a duplicate of a file in another case");
        }
        Ok(AddedDocument {
            document: doc,
            job_id,
            warnings: validated.warnings,
        })
    }

    /// Refuses (and audits) a document the case cannot take now: a decided case, an empty or
    /// oversized file, an unusable name. Returns the trimmed file name.
    fn check_new_document<'n>(
        &mut self,
        case: &Case,
        file_name: &'n str,
        bytes: &[u8],
    ) -> Result<&'n str> {
        if !case.status.accepts_documents() {
            return self.refuse(
                self.event(actions::DOCUMENT_ADD).on("case", &case.id).with("status", case.status.as_str()),
                Error::Invalid(format!(
                    "documents can only be added while a case is PENDING or REJECTED; this one is {}",
                    case.status
                )),
            );
        }
        if bytes.is_empty() {
            return self.refuse(
                self.event(actions::DOCUMENT_ADD)
                    .on("case", &case.id)
                    .with("size_bytes", 0),
                Error::Invalid("the file is empty (0 bytes)".into()),
            );
        }
        if bytes.len() as u64 > self.config.upload_limit_bytes() {
            return self.refuse_oversize(&case.id, bytes.len() as u64);
        }
        let file_name = file_name.trim();
        if file_name.is_empty()
            || file_name.chars().count() > 255
            || file_name.chars().any(char::is_control)
        {
            return Err(Error::Invalid(
                "the file name must be 1–255 characters without control characters".into(),
            ));
        }
        Ok(file_name)
    }

    /// Encrypts the bytes as a blob, then records the document, the case's new version, the
    /// queued analysis and the audit entry in one transaction; returns the job's id. When the
    /// transaction fails, the blob is removed again.
    fn store_document(
        &mut self,
        case: &Case,
        doc: &Document,
        bytes: &[u8],
        pages: usize,
    ) -> Result<String> {
        let key = self.case_data_key(&case.id)?;
        self.blobs.put(&key, &doc.blob_id, bytes)?;
        let mut bumped = case.clone();
        bumped.version += 1;
        bumped.updated_at = doc.added_at.clone();
        let event = self
            .event(actions::DOCUMENT_ADD)
            .on("case", &case.id)
            .with("document_id", &doc.id)
            .with("size_bytes", doc.size_bytes)
            .with("media_type", &doc.media_type)
            .with("pages", pages)
            .with("duplicate", doc.duplicate)
            .with("version", bumped.version);
        let result = (|| -> Result<String> {
            let tx = begin(&mut self.conn)?;
            store::documents::insert(&tx, doc)?;
            if !store::cases::update_if_version(&tx, &bumped, case.version)? {
                return Err(Error::StaleVersion {
                    expected: case.version,
                    current: case.version + 1,
                });
            }
            let job = super::jobs::queue_analysis(&tx, doc)?;
            self.audit.append(&tx, event.with("job_id", &job.id))?;
            tx.commit()?;
            Ok(job.id)
        })();
        if result.is_err() {
            // Nothing refers to the blob: remove it rather than leave an orphan.
            let _ = self.blobs.delete(&doc.blob_id);
        }
        result
    }

    /// A document's metadata and decrypted bytes, in memory. `purpose` is "view" or "download"
    /// (audited as such).
    pub fn read_document(
        &mut self,
        case_id: &str,
        document_id: &str,
        break_glass: Option<&str>,
        purpose: DocumentPurpose,
    ) -> Result<(Document, Vec<u8>)> {
        let action = purpose.audit_action();
        let (doc, grant) = self.readable_document(case_id, document_id, break_glass, action)?;
        let bytes = self.decrypt_document(&doc)?;
        self.record_read(&doc, grant, break_glass, action)?;
        Ok((doc, bytes))
    }

    /// The document, if this user may read it for `action`; a refusal is audited.
    pub(super) fn readable_document(
        &mut self,
        case_id: &str,
        document_id: &str,
        break_glass: Option<&str>,
        action: &str,
    ) -> Result<(Document, Grant)> {
        let case = self.load_case(case_id, action)?;
        let grant = self.authorize_case(&case, Operation::ViewDocument, action, break_glass)?;
        let Some(doc) = store::documents::get(&self.conn, case_id, document_id)? else {
            return self.refuse(
                self.event(action)
                    .on("case", case_id)
                    .with("document_id", crate::audit::loggable_id(document_id)),
                Error::NotFound {
                    what: "document",
                    id: document_id.to_string(),
                },
            );
        };
        Ok((doc, grant))
    }

    /// The document's bytes, decrypted and checked against its recorded checksum.
    pub(super) fn decrypt_document(&self, doc: &Document) -> Result<Vec<u8>> {
        let key = self.case_data_key(&doc.case_id)?;
        let bytes = self.blobs.get(&key, &doc.blob_id)?;
        if crypto::hex(&crypto::sha256(&bytes)) != doc.sha256 {
            return Err(Error::Vault(crate::vault::VaultError::Integrity {
                what: "document checksum",
            }));
        }
        Ok(bytes)
    }

    /// Audits that `doc` was read for `action` (and the break-glass access, if that was how).
    pub(super) fn record_read(
        &mut self,
        doc: &Document,
        grant: Grant,
        break_glass: Option<&str>,
        action: &str,
    ) -> Result<()> {
        if grant == Grant::BreakGlass {
            self.record_break_glass(&doc.case_id, break_glass.unwrap_or_default(), action)?;
        }
        self.record(
            self.event(action)
                .on("case", &doc.case_id)
                .with("document_id", &doc.id)
                .with("break_glass", grant == Grant::BreakGlass),
        )
    }
}

/// A document just added, and the job queued to analyse it.
#[derive(Clone, Debug, Serialize)]
pub struct AddedDocument {
    #[serde(flatten)]
    pub document: Document,
    pub job_id: String,
    /// Accepted, but noteworthy (from validation).
    pub warnings: Vec<String>,
}

/// Why a document is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentPurpose {
    View,
    Download,
}

impl DocumentPurpose {
    fn audit_action(self) -> &'static str {
        match self {
            DocumentPurpose::View => actions::DOCUMENT_VIEW,
            DocumentPurpose::Download => actions::DOCUMENT_DOWNLOAD,
        }
    }
}

-- Varde local store, schema 1. Applied by refinery after the SQLCipher key is set.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('clinician', 'reviewer', 'admin', 'auditor')),
    slot_id    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE UNIQUE INDEX users_active_name ON users (name) WHERE removed_at IS NULL;

CREATE TABLE cases (
    id                     TEXT PRIMARY KEY,
    kind                   TEXT NOT NULL CHECK (kind IN ('identity', 'clinical')),
    subject_name           TEXT NOT NULL,
    subject_dob            TEXT,
    subject_national_id    TEXT,
    consent_given          INTEGER NOT NULL CHECK (consent_given = 1),
    consent_at             TEXT NOT NULL,
    consent_policy_version TEXT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('PENDING', 'IN_REVIEW', 'APPROVED', 'REJECTED')),
    version                INTEGER NOT NULL,
    created_by             TEXT NOT NULL REFERENCES users (id),
    reviewer_id            TEXT REFERENCES users (id),
    ai_label               TEXT,
    ai_confidence          REAL,
    ai_suggestion          TEXT CHECK (ai_suggestion IN ('approve', 'manual_review')),
    ai_model               TEXT,
    decision               TEXT CHECK (decision IN ('approved', 'rejected')),
    decision_reason        TEXT,
    decided_at             TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    closed_at              TEXT,
    purge_after            TEXT
);
CREATE INDEX cases_status_updated ON cases (status, updated_at DESC);
CREATE INDEX cases_owner_updated ON cases (created_by, updated_at DESC);
CREATE INDEX cases_kind_updated ON cases (kind, updated_at DESC);
CREATE INDEX cases_updated ON cases (updated_at DESC);
CREATE INDEX cases_purge_after ON cases (purge_after) WHERE purge_after IS NOT NULL;

-- Each case's data key, wrapped by the master key. Deleting the row crypto-shreds the case's blobs.
CREATE TABLE case_keys (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    wrapped_key BLOB NOT NULL
);

CREATE TABLE documents (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    blob_id    TEXT NOT NULL UNIQUE,
    duplicate  INTEGER NOT NULL DEFAULT 0,
    added_by   TEXT NOT NULL REFERENCES users (id),
    added_at   TEXT NOT NULL
);
CREATE INDEX documents_case ON documents (case_id);
CREATE INDEX documents_sha256 ON documents (sha256);

CREATE TABLE break_glass (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at TEXT
);
CREATE INDEX break_glass_open ON break_glass (reviewed_at, at);

-- One hash chain per device; see crates/varde-audit-chain for the record format.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    ts            TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    actor_user_id TEXT,
    actor_role    TEXT,
    action        TEXT NOT NULL,
    resource_kind TEXT,
    resource_id   TEXT,
    outcome       TEXT NOT NULL,
    context       TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    signature     TEXT NOT NULL
);
CREATE INDEX audit_log_resource ON audit_log (resource_id);
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

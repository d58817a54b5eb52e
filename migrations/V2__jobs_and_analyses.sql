-- Document pipeline: durable jobs and their results.

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('analyze')),
    case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'done', 'failed', 'dead')),
    progress     INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    -- Which runner holds a processing job ("pid:uuid"), and until when its claim is valid.
    worker_id    TEXT,
    lease_until  TEXT,
    -- A failed job waits for its backoff to pass before it is taken again.
    not_before   TEXT NOT NULL,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    started_at   TEXT,
    finished_at  TEXT
);
CREATE INDEX jobs_runnable ON jobs (status, not_before);
CREATE INDEX jobs_document ON jobs (document_id);

-- One analysis per document: a job finishing twice cannot produce two results.
CREATE TABLE document_analyses (
    document_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    job_id      TEXT NOT NULL,
    label       TEXT,
    confidence  REAL,
    suggestion  TEXT NOT NULL CHECK (suggestion IN ('approve', 'manual_review')),
    model       TEXT,
    analysis    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

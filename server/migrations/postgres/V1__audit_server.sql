-- The central audit server's schema (PostgreSQL). Kept column for column the same as
-- ../sqlite/V1__audit_server.sql, so one set of queries serves both backends.

CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

CREATE TABLE devices (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    site             TEXT NOT NULL,
    public_key       TEXT NOT NULL,
    state            TEXT NOT NULL,
    head_seq         BIGINT NOT NULL,
    head_hash        TEXT NOT NULL,
    fork_seq         BIGINT,
    fork_detected_at TEXT,
    enrolled_at      TEXT NOT NULL,
    last_contact     TEXT,
    local_head       BIGINT
);

CREATE TABLE entries (
    tree_index  BIGINT PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    timestamp   TEXT NOT NULL,
    actor       TEXT,
    action      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    entry_json  TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX entries_by_timestamp ON entries (timestamp);
CREATE INDEX entries_by_actor ON entries (actor);

CREATE TABLE tree_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

CREATE TABLE tree_state (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL,
    root BYTEA NOT NULL,
    note TEXT NOT NULL
);

CREATE TABLE checkpoints (
    size       BIGINT PRIMARY KEY,
    root       BYTEA NOT NULL,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE enroll_tokens (
    hash       TEXT PRIMARY KEY,
    site       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    used_by    TEXT
);

CREATE TABLE admin_tokens (
    hash       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE nonces (
    device_id TEXT NOT NULL,
    nonce     TEXT NOT NULL,
    ts        BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX nonces_by_ts ON nonces (ts);

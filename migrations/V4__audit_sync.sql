-- Audit sync (issue 8): the central audit server this device delivers its chain to, how far it
-- got, and the server's signed receipts and checkpoints. Nothing here is PHI.

-- One row once enrolled: the server and what was pinned at enrollment.
CREATE TABLE sync_config (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    server_url        TEXT NOT NULL,
    pin_sha256        TEXT,
    origin            TEXT NOT NULL,
    server_public_key TEXT NOT NULL,
    site              TEXT NOT NULL,
    device_name       TEXT NOT NULL,
    enabled           INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    enrolled_at       TEXT NOT NULL
);

-- One row: the last entry the server acknowledged, and how the last attempts went.
CREATE TABLE sync_progress (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    acked_seq     INTEGER NOT NULL,
    acked_hash    TEXT NOT NULL,
    last_success  TEXT,
    last_error    TEXT,
    offline_since TEXT,
    server_head   INTEGER,
    server_state  TEXT
);

-- The server's signed receipts, one per delivered batch (for its last entry).
CREATE TABLE sync_receipts (
    seq         INTEGER PRIMARY KEY,
    entry_hash  TEXT NOT NULL,
    tree_index  INTEGER NOT NULL,
    checkpoint  TEXT NOT NULL,
    signature   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('sync', 'import'))
);

-- Verified checkpoints of the server's tree; each sync proves the newest extends the last.
CREATE TABLE sync_checkpoints (
    size        INTEGER PRIMARY KEY,
    root        TEXT NOT NULL,
    note        TEXT NOT NULL,
    received_at TEXT NOT NULL
);

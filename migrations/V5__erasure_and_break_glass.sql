-- Issue 13: an erasure's free-text detail lives with the case (in this encrypted store, never in
-- the audit chain) and goes with it; an unreviewed break-glass record outlives the case it
-- opened, so an auditor still reviews it after the case is erased (it holds ids and the reason
-- the clinician gave, no subject data).

ALTER TABLE cases ADD COLUMN erasure_detail TEXT;

CREATE TABLE break_glass_v5 (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at TEXT
);
INSERT INTO break_glass_v5 (id, case_id, user_id, reason, at, reviewed_by, reviewed_at)
    SELECT id, case_id, user_id, reason, at, reviewed_by, reviewed_at FROM break_glass;
DROP TABLE break_glass;
ALTER TABLE break_glass_v5 RENAME TO break_glass;
CREATE INDEX break_glass_open ON break_glass (reviewed_at, at);
CREATE INDEX break_glass_case ON break_glass (case_id);

-- Orders the desktop case list can sort by, and the audit screen's filters, stay index-backed
-- at 100,000 cases and millions of audit entries.
CREATE INDEX cases_created ON cases (created_at DESC);
CREATE INDEX cases_subject ON cases (subject_name COLLATE NOCASE);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

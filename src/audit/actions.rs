//! The names of audit actions, one constant each: what an auditor filters by and the central
//! server reports on, so a name is written once and never drifts between writer and reader.
//! The review actions' names are the domain's (`ReviewAction::audit_action`).

pub const ACCESS_BREAK_GLASS: &str = "access.break_glass";
pub const AUDIT_EXPORT: &str = "audit.export";
pub const AUDIT_LIST: &str = "audit.list";
pub const AUDIT_VERIFY: &str = "audit.verify";
pub const AUTH_LOGIN: &str = "auth.login";
pub const BREAK_GLASS_LIST: &str = "break_glass.list";
pub const BREAK_GLASS_REVIEW: &str = "break_glass.review";
pub const CASE_CREATE: &str = "case.create";
pub const CASE_ERASE: &str = "case.erase";
pub const CASE_FIND: &str = "case.find";
pub const CASE_LIST: &str = "case.list";
pub const CASE_PURGE: &str = "case.purge";
pub const CASE_TIMELINE: &str = "case.timeline";
pub const CASE_VIEW: &str = "case.view";
pub const DOCUMENT_ADD: &str = "document.add";
pub const DOCUMENT_DOWNLOAD: &str = "document.download";
pub const DOCUMENT_VIEW: &str = "document.view";
pub const INIT_INCOMPLETE: &str = "init.incomplete";
pub const JOB_DEAD: &str = "job.dead";
pub const JOB_DONE: &str = "job.done";
pub const JOB_FAILED: &str = "job.failed";
pub const JOB_REQUEUE: &str = "job.requeue";
pub const JOB_RETRY: &str = "job.retry";
pub const JOBS_LIST: &str = "jobs.list";
pub const JOBS_RUN: &str = "jobs.run";
pub const PIPELINE_CLASSIFY: &str = "pipeline.classify";
pub const PIPELINE_EXTRACT: &str = "pipeline.extract";
pub const PIPELINE_VALIDATE: &str = "pipeline.validate";
pub const SETTINGS_CHANGE: &str = "settings.change";
pub const STORE_BACKUP: &str = "store.backup";
pub const STORE_INIT: &str = "store.init";
pub const STORE_RESTORE: &str = "store.restore";
pub const SUBJECT_EXPORT: &str = "subject.export";
pub const SYNC_DISABLE: &str = "sync.disable";
pub const SYNC_ENABLE: &str = "sync.enable";
pub const SYNC_ENROLL: &str = "sync.enroll";
pub const SYNC_FORK_DETECTED: &str = "sync.fork_detected";
pub const SYNC_LOCAL_ROLLBACK: &str = "sync.local_rollback";
pub const SYNC_RECEIPT_IMPORT: &str = "sync.receipt_import";
pub const SYNC_SERVER_INCONSISTENT: &str = "sync.server_inconsistent";
pub const USER_CREATE: &str = "user.create";
pub const USER_LIST: &str = "user.list";
pub const USER_PASSWD: &str = "user.passwd";
pub const USER_REMOVE: &str = "user.remove";

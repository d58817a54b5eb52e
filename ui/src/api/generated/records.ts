// Generated from the Rust types by ts-rs (src-tauri/src/bindings.rs); do not edit.
// Rewrite with: VARDE_WRITE_TS=1 cargo test -p varde-desktop bindings

import type { Analysis, CaseAction, CaseKind, CaseStatus, Decision, Role, Screen, Suggestion } from "./analysis";

export type SignedIn = { id: string, name: string, role: Role, screens: Array<Screen>, };

export type AppStatus = { initialized: boolean, user: SignedIn | null, sign_in_delay_secs: number, language: "nb" | "en", auto_lock_minutes: number, consent_policy_version: string, app_version: string, };

export type CreatedStore = { user: SignedIn, recovery_code: string, };

export type CaseCounts = { pending: number, in_review: number, approved: number, rejected: number, };

export type CaseSort = "updated" | "created" | "subject" | "status" | "kind";

export type CaseQueryArg = { status?: CaseStatus | null, kind?: CaseKind | null, search?: string | null, sort: CaseSort, descending: boolean, limit: number, offset: number, };

export type Page<T> = { total: number, offset: number, limit: number, items: Array<T>, };

export type AiSignal = { 
/**
 * The labels of the case's analysed documents, each once, in the order they were added.
 */
labels: Array<string>, confidence: number | null, suggestion: Suggestion, model: string | null, };

export type CaseSummary = { id: string, kind: CaseKind, subject_name: string, status: CaseStatus, version: number, ai: AiSignal | null, reviewer_name: string | null, created_by_name: string | null, created_at: string, updated_at: string, };

export type Subject = { name: string, date_of_birth: string | null, national_id: string | null, };

export type Consent = { given: boolean, at: string, policy_version: string, };

export type Case = { id: string, kind: CaseKind, subject: Subject, consent: Consent, status: CaseStatus, version: number, created_by: string, reviewer_id: string | null, ai: AiSignal | null, decision: Decision | null, decision_reason: string | null, decided_at: string | null, created_at: string, updated_at: string, closed_at: string | null, purge_after: string | null, };

export type NewCaseArg = { kind: CaseKind, subject_name: string, subject_dob: string | null, subject_national_id: string | null, consent_given: boolean, };

export type NationalIdCheck = { valid: boolean, reason: string | null, 
/**
 * `fnr`, `dnr` or `hnr` when valid.
 */
id_type: string | null, 
/**
 * `YYYY-MM-DD` when the number gives the birth date exactly.
 */
birth_date: string | null, };

export type Document = { id: string, case_id: string, file_name: string, media_type: string, size_bytes: number, sha256: string, 
/**
 * The same file (same SHA-256) is also in another case.
 */
duplicate: boolean, added_by: string, added_at: string, };

export type Added = { job_id: string, warnings: Array<string>, };

export type DocumentWith<T> = { document: Document, } & T;

export type JobStatus = "queued" | "processing" | "done" | "failed" | "dead";

export type Job = { id: string, kind: string, case_id: string, document_id: string, status: JobStatus, progress: number, attempts: number, max_attempts: number, worker_id: string | null, lease_until: string | null, not_before: string, last_error: string | null, created_at: string, updated_at: string, started_at: string | null, finished_at: string | null, };

export type ShownDocument = { document: Document, analysis: Analysis | null, jobs: Array<Job>, };

export type AuditTimelineEntry = { seq: number, timestamp: string, action: string, actor_user_id: string | null, 
/**
 * The actor's user name (user names are not PHI; they say who did what).
 */
actor_name: string | null, actor_role: string | null, outcome: string, context: { [key in string]?: string }, };

export type CaseDetail = { case: Case, reviewer_name: string | null, created_by_name: string | null, 
/**
 * What the signed-in user may do now (each operation checks again).
 */
allowed: Array<CaseAction>, documents: Array<ShownDocument>, 
/**
 * Empty under break-glass: that access shows the documents it was asked for, not the
 * case's history.
 */
timeline: Array<AuditTimelineEntry>, break_glass: boolean, };

export type VerifyReport = { entries: number, head_seq: number, head_hash: string, device_public_key: string, 
/**
 * The last receipt of the audit server the chain was proven to extend.
 */
receipt_seq: number | null, 
/**
 * The audit server's head of this device, when it was asked and answered.
 */
server_head: number | null, };

export type AuditQuery = { actor?: string | null, action?: string | null, from?: string | null, to?: string | null, limit: number, offset: number, };

export type AuditExport = { path: string, entries: number, };

export type UserSummary = { id: string, name: string, role: Role, created_at: string, };

export type Config = { 
/**
 * Days a closed case is kept before automatic purge.
 */
retention_days: number, 
/**
 * Largest document accepted, in MiB.
 */
upload_limit_mib: number, 
/**
 * The AI suggests `approve` only at or above this confidence.
 */
ai_confidence_threshold: number, 
/**
 * Off: no document data ever leaves this machine.
 */
allow_cloud_processing: boolean, 
/**
 * The desktop app locks (keys leave memory) after this many idle minutes.
 */
auto_lock_minutes: number, 
/**
 * The desktop app's language: `system` (bokmål when the system locale is Norwegian), `nb`
 * or `en`.
 */
language: string, 
/**
 * The version of the consent text a subject agrees to, recorded with each case.
 */
consent_policy_version: string, };

export type SyncStatus = { enrolled: boolean, enabled: boolean, device_id: string, server: string | null, 
/**
 * Local entries the server has not acknowledged yet.
 */
pending: number, 
/**
 * The local chain's last seq.
 */
local_head: number, 
/**
 * RFC 3339 UTC.
 */
last_success: string | null, last_error: string | null, 
/**
 * Since when the server has been unreachable (RFC 3339 UTC), while it is.
 */
offline_since: string | null, 
/**
 * The server's last known head of this device.
 */
server_head: number | null, 
/**
 * The size of the last verified checkpoint of the server's tree.
 */
checkpoint_size: number | null, 
/**
 * `ok`, `fork_detected`, `revoked` (the server's word), or what this workstation found:
 * `local_rollback`, `server_inconsistent`.
 */
server_state: string | null, };

export type SyncReport = { 
/**
 * Entries the server newly stored.
 */
pushed: number, 
/**
 * Entries the server already held (a retry after a crash): stored once.
 */
duplicates: number, 
/**
 * Batches sent.
 */
batches: number, status: SyncStatus, };

export type Enrollment = { server_url: string, token: string, pin_sha256?: string | null, device_name?: string | null, };

export type FoundCase = { id: string, kind: CaseKind, status: CaseStatus, created_at: string, 
/**
 * The signed-in user created it (no break-glass is needed to open it).
 */
own: boolean, };

export type BreakGlassEvent = { id: string, case_id: string, user_id: string, 
/**
 * The clinician's user name (None once the user row is gone).
 */
user_name: string | null, reason: string, at: string, reviewed_by: string | null, reviewed_at: string | null, 
/**
 * The case has been erased or purged since.
 */
case_erased: boolean, };

export type ErasureReason = "subject_request" | "retention" | "entered_in_error" | "other";

export type SavedFile = { path: string, bytes: number, };

export type BackupReport = { path: string, bytes: number, documents: number, audit_entries: number, 
/**
 * The archive's checksum (its last 32 bytes), to compare copies by.
 */
sha256: string, };

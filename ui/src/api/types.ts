// The data the desktop shell (src-tauri) sends and receives. Field names are snake_case, exactly as
// the Rust core serialises them. The domain's and the pipeline's records are generated from their
// Rust types (./generated/analysis.ts, checked by a test of varde-pipeline); the core's and the
// shell's records below are still written by hand.

import type {
  Analysis,
  CaseAction,
  CaseKind,
  CaseStatus,
  Decision,
  Field,
  Role,
  Screen,
  Suggestion,
} from "./generated/analysis";

export type {
  Analysis,
  CaseAction,
  CaseKind,
  CaseStatus,
  Classification,
  Concern,
  Decision,
  Field,
  FieldKey,
  FieldWarning,
  Flag,
  Observation,
  PageRead,
  PageReason,
  Role,
  Screen,
  Suggestion,
  TextOrigin,
  TextSource,
  Timings,
} from "./generated/analysis";

/** One extracted field (MRZ, fødselsnummer, dates …), as the pipeline records it. */
export type ExtractedField = Field;

export type Language = "nb" | "en";

/** An error from any command. `kind` says how the UI treats it; `message` is the core's text. */
export interface CommandError {
  kind:
    | "authentication"
    | "not_found"
    | "conflict"
    | "permission_denied"
    | "invalid_input"
    | "locked"
    | "other";
  /** Stable machine code, e.g. "wrong_credentials", "throttled", "stale_version", "pdf_encrypted". */
  code: string;
  message: string;
  /** With code "throttled": seconds until the next sign-in attempt is allowed. */
  retry_after_secs?: number;
  /** With code "stale_version". */
  expected_version?: number;
  current_version?: number;
}

/** The signed-in user (records::SignedIn). */
export interface UserInfo {
  id: string;
  name: string;
  role: Role;
  /** The screens this user is shown, in menu order; the first is where they land. */
  screens: Screen[];
}

export interface AppStatus {
  initialized: boolean;
  /** The signed-in user, or null when locked / signed out. */
  user: UserInfo | null;
  /** Seconds before a sign-in attempt is allowed (0 = now). */
  sign_in_delay_secs: number;
  /** The language to start in: the admin setting, else the system locale (nb when Norwegian). */
  language: Language;
  auto_lock_minutes: number;
  consent_policy_version: string;
  app_version: string;
}

export interface CreatedStore {
  user: UserInfo;
  /** Shown once; never retrievable again. */
  recovery_code: string;
}

export interface CaseCounts {
  pending: number;
  in_review: number;
  approved: number;
  rejected: number;
}

export type CaseSort = "updated" | "created" | "subject" | "status" | "kind";

export interface CaseQuery {
  status?: CaseStatus | null;
  kind?: CaseKind | null;
  search?: string | null;
  sort: CaseSort;
  descending: boolean;
  limit: number;
  offset: number;
}

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

export interface AiSignal {
  /** The labels of the case's analysed documents, each once. */
  labels: string[];
  confidence: number | null;
  suggestion: Suggestion;
  model: string | null;
}

/** A row of the case list. */
export interface CaseSummary {
  id: string;
  kind: CaseKind;
  subject_name: string;
  status: CaseStatus;
  version: number;
  ai: AiSignal | null;
  reviewer_name: string | null;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface Subject {
  name: string;
  date_of_birth: string | null;
  national_id: string | null;
}

export interface Case {
  id: string;
  kind: CaseKind;
  subject: Subject;
  consent: { given: boolean; at: string; policy_version: string };
  status: CaseStatus;
  version: number;
  created_by: string;
  reviewer_id: string | null;
  ai: AiSignal | null;
  decision: Decision | null;
  decision_reason: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  purge_after: string | null;
}

export interface NewCase {
  kind: CaseKind;
  subject_name: string;
  /** YYYY-MM-DD */
  subject_dob: string | null;
  subject_national_id: string | null;
  consent_given: boolean;
}

export interface NationalIdCheck {
  valid: boolean;
  /** Why it is invalid (the core's message), when it is. */
  reason: string | null;
  /** "fnr" | "dnr" | "hnr" when valid. */
  id_type: string | null;
  /** YYYY-MM-DD when it can be read from the number. */
  birth_date: string | null;
}

export interface DocumentInfo {
  id: string;
  case_id: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  /** The same file is in another case. */
  duplicate: boolean;
  added_by: string;
  added_at: string;
}

export interface AddedDocument {
  document: DocumentInfo;
  job_id: string;
  warnings: string[];
}

export type JobStatus = "queued" | "running" | "done" | "failed" | "dead";

export interface Job {
  id: string;
  kind: string;
  case_id: string;
  document_id: string;
  status: JobStatus;
  /** 0–100 */
  progress: number;
  attempts: number;
  max_attempts: number;
  worker_id: string | null;
  lease_until: string | null;
  not_before: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface DocumentDetail {
  document: DocumentInfo;
  analysis: Analysis | null;
  jobs: Job[];
}

export interface TimelineEntry {
  seq: number;
  timestamp: string;
  action: string;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  outcome: string;
  context: Record<string, string>;
}

export interface CaseDetail {
  case: Case;
  reviewer_name: string | null;
  created_by_name: string | null;
  /** Actions the signed-in user may take on this case now (decided by the core). */
  allowed: CaseAction[];
  documents: DocumentDetail[];
  timeline: TimelineEntry[];
  break_glass: boolean;
}

export interface VerifyReport {
  entries: number;
  head_seq: number;
  head_hash: string;
  device_public_key: string;
}

export interface AuditQuery {
  actor?: string | null;
  action?: string | null;
  /** YYYY-MM-DD, inclusive */
  from?: string | null;
  to?: string | null;
  limit: number;
  offset: number;
}

export interface AuditExport {
  path: string;
  entries: number;
}

export interface UserSummary {
  id: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface Settings {
  retention_days: number;
  upload_limit_mib: number;
  ai_confidence_threshold: number;
  allow_cloud_processing: boolean;
  auto_lock_minutes: number;
  /** "system" | "nb" | "en" */
  language: string;
  consent_policy_version: string;
}

export type SettingKey = keyof Settings;

/** Audit sync as the core reports it (varde::api::SyncStatus). Times are RFC 3339 UTC. */
export interface SyncStatus {
  enrolled: boolean;
  enabled: boolean;
  device_id: string;
  server: string | null;
  /** Local audit entries the server has not acknowledged yet. */
  pending: number;
  local_head: number;
  last_success: string | null;
  last_error: string | null;
  /** Since when the server has been unreachable, while it is. */
  offline_since: string | null;
  server_head: number | null;
  /** The size of the last verified checkpoint of the server's tree. */
  checkpoint_size: number | null;
  /** "ok", "fork_detected", "revoked", or what this workstation found: "local_rollback", "server_inconsistent". */
  server_state: string | null;
}

/** What one "sync now" did (varde::api::SyncReport). */
export interface SyncReport {
  pushed: number;
  duplicates: number;
  batches: number;
  status: SyncStatus;
}

export interface SyncEnrollment {
  server_url: string;
  token: string;
  /** The server certificate's SHA-256 fingerprint, for a self-signed on-premise server. */
  pin_sha256?: string | null;
  /** Defaults to this computer's host name. */
  device_name?: string | null;
}

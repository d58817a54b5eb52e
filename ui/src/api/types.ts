// The data the desktop shell (src-tauri) sends and receives. Field names are snake_case, exactly as
// the Rust core serialises them. The domain's and the pipeline's records are generated from their
// Rust types (./generated/analysis.ts, checked by a test of varde-pipeline), the core's and the
// shell's too (./generated/records.ts, checked by a test of varde-desktop). Only the error shape
// and the UI's own names are written here.

import type { Field } from "./generated/analysis";

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
  LabSummary,
  Observation,
  ObservationComponent,
  RangeSource,
  SourceSpan,
  PageRead,
  PageReason,
  Role,
  Screen,
  Suggestion,
  TextOrigin,
  TextSource,
  Timings,
} from "./generated/analysis";

import type {
  Added,
  AuditTimelineEntry,
  CaseQueryArg,
  Config,
  Document,
  DocumentWith,
  Enrollment,
  NewCaseArg,
  ShownDocument,
  SignedIn,
} from "./generated/records";

export type {
  AiSignal,
  AppStatus,
  AuditExport,
  AuditQuery,
  BackupReport,
  BreakGlassEvent,
  Case,
  CaseCounts,
  CaseDetail,
  CaseSort,
  CaseSummary,
  Consent,
  CreatedStore,
  ErasureReason,
  FoundCase,
  Job,
  JobStatus,
  NationalIdCheck,
  Page,
  SavedFile,
  Subject,
  SyncReport,
  SyncStatus,
  UserSummary,
  VerifyReport,
} from "./generated/records";

/** The signed-in user (records::SignedIn). */
export type UserInfo = SignedIn;
export type DocumentInfo = Document;
/** A document just added: its record, its queued job and validation's warnings. */
export type AddedDocument = DocumentWith<Added>;
export type DocumentDetail = ShownDocument;
export type TimelineEntry = AuditTimelineEntry;
export type CaseQuery = CaseQueryArg;
export type NewCase = NewCaseArg;
/** The settings an admin can change (config::Config). */
export type Settings = Config;
export type SettingKey = keyof Settings;
export type SyncEnrollment = Enrollment;

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

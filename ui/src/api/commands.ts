// Typed wrappers over the desktop shell's commands: the only way the UI talks to the core.
// Every function rejects with a `CommandError` (see types.ts).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AddedDocument,
  AppStatus,
  AuditExport,
  AuditQuery,
  BackupReport,
  BreakGlassEvent,
  Case,
  CaseCounts,
  CaseDetail,
  CaseQuery,
  CaseSummary,
  CommandError,
  CreatedStore,
  DocumentDetail,
  ErasureReason,
  FoundCase,
  Job,
  NationalIdCheck,
  NewCase,
  Page,
  Role,
  SavedFile,
  SettingKey,
  Settings,
  SyncEnrollment,
  SyncReport,
  SyncStatus,
  TimelineEntry,
  UserInfo,
  UserSummary,
  VerifyReport,
} from "./types";

/** Whether a rejection value is a `CommandError` from the shell. */
export function isCommandError(e: unknown): e is CommandError {
  return typeof e === "object" && e !== null && "kind" in e && "code" in e && "message" in e;
}

/** Turns anything thrown into a `CommandError` (IPC failures become kind "other"). */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) return e;
  return { kind: "other", code: "ipc", message: e instanceof Error ? e.message : String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCommandError(e);
  }
}

// --- start, sign-in, lock ---------------------------------------------------------------------
export const appStatus = () => call<AppStatus>("app_status");
/** Tells the shell the first screen is interactive (for the cold-start benchmark). */
export const uiReady = () => call<void>("ui_ready");
export const createStore = (admin_name: string, password: string) =>
  call<CreatedStore>("create_store", { admin_name, password });
export const signIn = (user_name: string, password: string) =>
  call<UserInfo>("sign_in", { user_name, password });
export const recover = (recovery_code: string, user_name: string, new_password: string) =>
  call<UserInfo>("recover", { recovery_code, user_name, new_password });
export const signOut = () => call<void>("sign_out");
/** Reports user activity (keys, pointer) so auto-lock counts idle time from now. */
export const touch = () => call<void>("touch");
/** Fires when the shell locked the session (idle timeout): keys are gone, show sign-in. */
export const onLocked = (handler: (reason: string) => void): Promise<UnlistenFn> =>
  listen<{ reason: string }>("varde://locked", (e) => handler(e.payload.reason));

// --- cases ------------------------------------------------------------------------------------
export const caseCounts = () => call<CaseCounts>("case_counts");
export const listCases = (query: CaseQuery) => call<Page<CaseSummary>>("list_cases", { query });
export const createCase = (new_case: NewCase) => call<Case>("create_case", { new_case });
export const checkNationalId = (value: string) =>
  call<NationalIdCheck>("check_national_id", { value });
export const openCase = (case_id: string, break_glass_reason?: string) =>
  call<CaseDetail>("open_case", { case_id, break_glass_reason: break_glass_reason ?? null });
export const startReview = (case_id: string, expected_version: number) =>
  call<Case>("start_review", { case_id, expected_version });
export const approve = (case_id: string, expected_version: number, note?: string) =>
  call<Case>("approve", { case_id, expected_version, note: note ?? null });
export const reject = (case_id: string, expected_version: number, reason: string) =>
  call<Case>("reject", { case_id, expected_version, reason });
export const resubmit = (case_id: string, expected_version: number) =>
  call<Case>("resubmit", { case_id, expected_version });
export const caseTimeline = (case_id: string) =>
  call<TimelineEntry[]>("case_timeline", { case_id });

// --- access and GDPR rights -------------------------------------------------------------------
/** A case by its exact id or its subject's national ID number, without subject data (null: none). */
export const findCaseForBreakGlass = (query: string) =>
  call<FoundCase | null>("find_case_for_break_glass", { query });
/** Break-glass openings for an auditor to review (auditors and admins). */
export const breakGlassEvents = (only_unreviewed: boolean) =>
  call<BreakGlassEvent[]>("break_glass_events", { only_unreviewed });
export const acknowledgeBreakGlass = (id: string) => call<void>("acknowledge_break_glass", { id });
/** Erases a case (admins): the reason's code goes to the audit log, the detail never does. */
export const eraseCase = (case_id: string, reason: ErasureReason, detail?: string) =>
  call<void>("erase_case", { case_id, reason, detail: detail?.trim() ? detail : null });
/** Saves everything about a case's subject where the admin chooses (null: the dialog was cancelled). */
export const exportSubject = (case_id: string, dialog_title: string) =>
  call<SavedFile | null>("export_subject", { case_id, dialog_title });

/** Backs up the whole store (still encrypted) where the admin chooses (null: cancelled). */
export const backupStore = (dialog_title: string, file_name: string) =>
  call<BackupReport | null>("backup_store", { dialog_title, file_name });

// --- documents and jobs -----------------------------------------------------------------------
/** Sends the file's bytes as a raw IPC body (no JSON inflation); validated in the core. */
export async function addDocument(case_id: string, file: File): Promise<AddedDocument> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return await invoke<AddedDocument>("add_document", bytes, {
      headers: { "x-case-id": case_id, "x-file-name": encodeURIComponent(file.name) },
    });
  } catch (e) {
    throw toCommandError(e);
  }
}
export const documentDetail = (case_id: string, document_id: string) =>
  call<DocumentDetail>("document_detail", { case_id, document_id });
/** One page of a document as the sandboxed worker draws it, `width` screen pixels wide. */
export interface PagePreview {
  pages: number;
  width: number;
  height: number;
  /** In memory only: show it from a Blob URL, never save it. */
  png: Blob;
}
/** Unpacks the shell's answer: page count, width and height (u32 big-endian), then the PNG. */
export function unpackPreview(data: ArrayBuffer | Uint8Array | number[]): PagePreview {
  const bytes = data instanceof Uint8Array ? data : Array.isArray(data) ? Uint8Array.from(data) : new Uint8Array(data);
  if (bytes.length < 12) throw new Error("malformed page preview");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    pages: view.getUint32(0),
    width: view.getUint32(4),
    height: view.getUint32(8),
    png: new Blob([bytes.subarray(12) as BlobPart], { type: "image/png" }),
  };
}
export const pagePreview = async (case_id: string, document_id: string, page: number, width: number) =>
  unpackPreview(await call<ArrayBuffer>("page_preview", { case_id, document_id, page, width }));
export const listJobs = (case_id: string) => call<Job[]>("list_jobs", { case_id });
export const retryJob = (job_id: string) => call<Job>("retry_job", { job_id });

// --- audit ------------------------------------------------------------------------------------
export const verifyAudit = () => call<VerifyReport>("verify_audit");
export const auditEntries = (query: AuditQuery) =>
  call<Page<TimelineEntry>>("audit_entries", { query });
/** Writes the whole log (JSON lines, no PHI) to the Downloads folder; returns where. */
export const exportAudit = () => call<AuditExport>("export_audit");

// --- settings and users -----------------------------------------------------------------------
export const settings = () => call<Settings>("settings");
export const setSetting = (key: SettingKey, value: string) =>
  call<Settings>("set_setting", { key, value });
export const listUsers = () => call<UserSummary[]>("list_users");
export const addUser = (name: string, role: Role, password: string) =>
  call<UserSummary>("add_user", { name, role, password });
export const removeUser = (name: string) => call<void>("remove_user", { name });

// --- audit sync -------------------------------------------------------------------------------
export const syncStatus = () => call<SyncStatus>("sync_status");
/** Admin only: enrolls this device with the central audit server. */
export const syncEnroll = (enrollment: SyncEnrollment) => call<SyncStatus>("sync_enroll", { enrollment });
/** Pushes what is waiting now; rejects with the reason when the server cannot be reached. */
export const syncNow = () => call<SyncReport>("sync_now");
/** Admin only: the background sync switch. */
export const setSyncEnabled = (enabled: boolean) => call<SyncStatus>("set_sync_enabled", { enabled });
/** Fires after every background sync pass (and after enroll, switch and sync now). */
export const onSyncStatus = (handler: (status: SyncStatus) => void): Promise<UnlistenFn> =>
  listen<SyncStatus>("varde://sync-status", (e) => handler(e.payload));

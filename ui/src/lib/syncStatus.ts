// Audit sync state for the window: the status-bar sentence, and a hook that keeps the state
// current from the shell's "varde://sync-status" events (plus a slow poll for new local entries).
import { useEffect, useState } from "react";
import { onSyncStatus, syncStatus } from "../api/commands";
import type { SyncStatus } from "../api/types";
import type { T } from "../i18n";

/** States in which the server or this workstation found something wrong (not just offline). */
const PROBLEM_STATES = ["fork_detected", "revoked", "local_rollback", "server_inconsistent"];

/** The status bar's sentence, e.g. "Audit sync: 0 waiting, last 10:42". Offline is a state,
 *  not an error: it says since when, and how much is waiting. */
export function syncStatusText(t: T, s: SyncStatus | null, now: Date = new Date()): string {
  if (!s || !s.enrolled) return t("statusbar.sync.notSetUp");
  const pending = t.num(s.pending);
  if (s.server_state && PROBLEM_STATES.includes(s.server_state)) {
    return t("statusbar.sync.problem", { problem: t.code("sync.state", s.server_state), pending });
  }
  if (!s.enabled) return t("statusbar.sync.off", { pending });
  if (s.offline_since) return t("statusbar.sync.offline", { time: t.time(s.offline_since, now), pending });
  if (s.last_error) return t("statusbar.sync.failing", { pending });
  if (!s.last_success) return t("statusbar.sync.never", { pending });
  return t("statusbar.sync.ok", { pending, time: t.time(s.last_success, now) });
}

/** How the status bar colours the sync item. */
export function syncTone(s: SyncStatus | null): "none" | "ok" | "offline" | "problem" {
  if (!s || !s.enrolled) return "none";
  if ((s.server_state && PROBLEM_STATES.includes(s.server_state)) || (s.last_error && !s.offline_since)) return "problem";
  if (s.offline_since || !s.enabled) return "offline";
  return "ok";
}

/** Polling only picks up entries made since the last pass; every pass also sends an event. */
const POLL_MS = 15_000;

/** The current sync state while `active` (someone is signed in), else null. Failures to read it
 *  are not shown: the status bar simply keeps the last state it had. */
export function useSyncStatus(active: boolean): [SyncStatus | null, (s: SyncStatus) => void] {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    if (!active) {
      setStatus(null);
      return;
    }
    let gone = false;
    const refresh = () =>
      syncStatus().then(
        (s) => !gone && setStatus(s),
        () => {},
      );
    refresh();
    const id = setInterval(refresh, POLL_MS);
    let unlisten: (() => void) | undefined;
    onSyncStatus((s) => !gone && setStatus(s)).then(
      (u) => (gone ? u() : (unlisten = u)),
      () => {},
    );
    return () => {
      gone = true;
      clearInterval(id);
      unlisten?.();
    };
  }, [active]);
  return [status, setStatus];
}

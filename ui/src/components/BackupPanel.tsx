// Settings → Backup (admins): the whole store, still encrypted, saved where the admin chooses,
// then what was written. The core does the backup and audits it.
import { useState } from "react";
import { backupStore } from "../api/commands";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { ErrorMessage } from "./ErrorMessage";

/** A file name for today's backup, e.g. varde-backup-20261207-1622.vbak. */
export function backupFileName(now: Date): string {
  const iso = now.toISOString();
  return `varde-backup-${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 16).replace(":", "")}.vbak`;
}

export function BackupPanel() {
  const t = useT();
  const { handleError } = useApp();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await backupStore(t("backup.dialogTitle"), backupFileName(new Date()));
      if (r) {
        setDone(
          t("backup.done", {
            path: r.path,
            size: t.num(r.bytes),
            documents: t.num(r.documents),
            entries: t.num(r.audit_entries),
            sha256: r.sha256,
          }),
        );
      }
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="backup-title" data-testid="backup-panel">
      <h2 id="backup-title">{t("backup.title")}</h2>
      <p className="muted">{t("backup.intro")}</p>
      <ErrorMessage message={error} />
      <div className="button-row">
        <button type="button" className="btn" disabled={busy} data-testid="backup-run" onClick={() => void run()}>
          {busy ? t("backup.running") : t("backup.run")}
        </button>
      </div>
      {done && (
        <p className="notice notice-ok" role="status" data-testid="backup-done">
          {done}
        </p>
      )}
    </section>
  );
}

// Settings (admins): enroll this device with the central audit server, then see where it syncs,
// switch background sync on or off, and sync now. The core refuses non-admins on its own.
import { useState, type FormEvent } from "react";
import { setSyncEnabled, syncEnroll, syncNow } from "../api/commands";
import type { SyncStatus } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { useSyncStatus } from "../lib/syncStatus";
import { ErrorMessage } from "./ErrorMessage";

/** A labelled text input whose id is also its test id, with an optional hint under it. */
function Field(props: { id: string; label: string; value: string; onChange: (v: string) => void; type?: string; placeholder?: string; hint?: string }) {
  const { id, label, value, onChange, type = "text", placeholder, hint } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-help` : undefined}
        data-testid={id}
      />
      {hint && (
        <span id={`${id}-help`} className="field-hint">
          {hint}
        </span>
      )}
    </div>
  );
}

function EnrollForm({ onEnrolled, onCancel }: { onEnrolled: (s: SyncStatus) => void; onCancel: (() => void) | null }) {
  const t = useT();
  const { handleError } = useApp();
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const [pin, setPin] = useState("");
  const [deviceName, setDeviceName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!url.trim() || !token.trim()) {
      setError(t("sync.required"));
      return;
    }
    setBusy(true);
    try {
      const status = await syncEnroll({
        server_url: url.trim(),
        token: token.trim(),
        pin_sha256: pin.trim() || null,
        device_name: deviceName.trim() || null,
      });
      setToken("");
      onEnrolled(status);
    } catch (err) {
      const ce = handleError(err);
      if (ce) setError(ce.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} data-testid="sync-enroll-form" noValidate>
      <Field id="sync-url" label={t("sync.serverUrl")} value={url} onChange={setUrl} type="url" placeholder="https://audit.example.org:8730" />
      <Field id="sync-token" label={t("sync.token")} value={token} onChange={setToken} type="password" />
      <Field id="sync-pin" label={t("sync.pin")} value={pin} onChange={setPin} hint={t("sync.pinHelp")} />
      <Field id="sync-device-name" label={t("sync.deviceName")} value={deviceName} onChange={setDeviceName} hint={t("sync.deviceNameHelp")} />
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sync-enroll">
        {busy ? t("sync.enrolling") : t("sync.enroll")}
      </button>{" "}
      {onCancel && (
        <button type="button" className="btn" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      )}
      <ErrorMessage message={error} testId="sync-enroll-error" />
    </form>
  );
}

function EnrolledView({ status, onStatus, onReenroll }: { status: SyncStatus; onStatus: (s: SyncStatus) => void; onReenroll: () => void }) {
  const t = useT();
  const { handleError } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);

  const run = async (action: () => Promise<SyncStatus | null>) => {
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const s = await action();
      if (s) onStatus(s);
    } catch (err) {
      const ce = handleError(err);
      if (ce) setError(ce.message);
    } finally {
      setBusy(false);
    }
  };
  const toggle = () => run(() => setSyncEnabled(!status.enabled));
  const now = () =>
    run(async () => {
      const report = await syncNow();
      setInfo(t("sync.synced", { pushed: t.num(report.pushed), duplicates: t.num(report.duplicates) }));
      return report.status;
    });
  const num = (n: number | null) => (n === null ? t("common.none") : t.num(n));

  return (
    <div data-testid="sync-enrolled">
      <dl className="kv">
        <dt>{t("sync.server")}</dt>
        <dd data-testid="sync-server">{status.server ?? t("common.none")}</dd>
        <dt>{t("sync.deviceId")}</dt>
        <dd className="mono" data-testid="sync-device-id">
          {status.device_id}
        </dd>
        <dt>{t("sync.checkpointSize")}</dt>
        <dd data-testid="sync-checkpoint-size">{num(status.checkpoint_size)}</dd>
        <dt>{t("sync.pending")}</dt>
        <dd data-testid="sync-pending">{t.num(status.pending)}</dd>
        <dt>{t("sync.lastSuccess")}</dt>
        <dd data-testid="sync-last-success">{t.dateTime(status.last_success)}</dd>
        <dt>{t("sync.serverState")}</dt>
        <dd data-testid="sync-server-state">{status.server_state ? t.code("sync.state", status.server_state) : t("common.none")}</dd>
        {status.last_error && (
          <>
            <dt>{t("sync.lastError")}</dt>
            <dd data-testid="sync-last-error">{status.last_error}</dd>
          </>
        )}
      </dl>
      <div className="setting-row">
        <span id="sync-enabled-label">{t("sync.enabled")}</span>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={status.enabled}
            disabled={busy}
            onChange={toggle}
            aria-labelledby="sync-enabled-label"
            data-testid="sync-enabled"
          />
          <span className="switch-track" aria-hidden="true" />
        </label>
      </div>
      <button type="button" className="btn btn-primary" disabled={busy} onClick={now} data-testid="sync-now">
        {busy ? t("sync.syncing") : t("sync.syncNow")}
      </button>{" "}
      <button type="button" className="btn" disabled={busy} onClick={onReenroll} data-testid="sync-reenroll">
        {t("sync.reenroll")}
      </button>
      <ErrorMessage message={error} testId="sync-error" />
      {info && (
        <p className="notice notice-ok" role="status" data-testid="sync-info">
          {info}
        </p>
      )}
    </div>
  );
}

export function AuditSyncSettings() {
  const t = useT();
  const [status, setStatus] = useSyncStatus(true);
  const [reenrolling, setReenrolling] = useState(false);
  const [enrolledWith, setEnrolledWith] = useState<string | null>(null);

  const enrolled = (s: SyncStatus) => {
    setStatus(s);
    setReenrolling(false);
    setEnrolledWith(s.server);
  };

  return (
    <section className="panel" aria-labelledby="sync-title" data-testid="sync-settings">
      <h2 id="sync-title">{t("sync.title")}</h2>
      <p className="muted">{t("sync.intro")}</p>
      {enrolledWith && (
        <p className="notice notice-ok" role="status" data-testid="sync-enrolled-notice">
          {t("sync.enrolled", { server: enrolledWith })}
        </p>
      )}
      {!status ? (
        <p>{t("common.loading")}</p>
      ) : status.enrolled && !reenrolling ? (
        <EnrolledView status={status} onStatus={setStatus} onReenroll={() => setReenrolling(true)} />
      ) : (
        <EnrollForm onEnrolled={enrolled} onCancel={status.enrolled ? () => setReenrolling(false) : null} />
      )}
    </section>
  );
}

// Admin settings: users (add, remove) and each configuration value saved on its own via the core.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { addUser, listUsers, removeUser, setSetting, settings as loadSettings } from "../api/commands";
import type { Role, SettingKey, Settings as SettingsT, UserSummary } from "../api/types";
import { useApp } from "../app-context";
import { AuditSyncSettings } from "../components/AuditSyncSettings";
import { BackupPanel } from "../components/BackupPanel";
import { ErrorMessage } from "../components/ErrorMessage";
import { useT } from "../i18n";

const ROLES: Role[] = ["clinician", "reviewer", "admin", "auditor"];
type EditableKey = Exclude<SettingKey, "allow_cloud_processing">;
const NUMBER_KEYS: EditableKey[] = ["retention_days", "upload_limit_mib", "ai_confidence_threshold", "auto_lock_minutes"];

function Users() {
  const t = useT();
  const { handleError } = useApp();
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("clinician");
  const [password, setPassword] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);

  const fail = (e: unknown) => {
    const err = handleError(e);
    if (err) setError(err.message);
  };
  const refresh = useCallback(() => {
    listUsers().then(setUsers, (e) => {
      const err = handleError(e);
      if (err) setError(err.message);
    });
  }, [handleError]);
  useEffect(() => refresh(), [refresh]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setInfo(null);
    try {
      const u = await addUser(name.trim(), role, password);
      setInfo(t("users.added", { name: u.name }));
      setName("");
      setPassword("");
      refresh();
    } catch (err) {
      fail(err);
    }
  };

  const remove = async (userName: string) => {
    setError(null);
    setInfo(null);
    try {
      await removeUser(userName);
      setConfirming(null);
      setInfo(t("users.removed", { name: userName }));
      refresh();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">{t("users.title")}</h2>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">{t("users.name")}</th>
            <th scope="col">{t("users.role")}</th>
            <th scope="col">{t("users.created")}</th>
            <th scope="col">{t("users.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid="user-row" data-user-name={u.name}>
              <td>{u.name}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td>{t.dateTime(u.created_at)}</td>
              <td>
                {confirming === u.name ? (
                  <span className="confirm-inline" role="group" aria-label={t("users.confirmRemove", { name: u.name })}>
                    <span>{t("users.confirmRemove", { name: u.name })}</span>
                    <button type="button" className="btn btn-small btn-danger" data-testid="user-remove-confirm" onClick={() => remove(u.name)}>
                      {t("users.confirm")}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setConfirming(null)}>
                      {t("common.cancel")}
                    </button>
                  </span>
                ) : (
                  <button type="button" className="btn btn-small" data-testid="user-remove" onClick={() => setConfirming(u.name)}>
                    {t("users.remove")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("users.add")}</h3>
      <form className="inline-form" onSubmit={add}>
        <div className="field">
          <label htmlFor="user-add-name">{t("users.name")}</label>
          <input id="user-add-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} data-testid="user-add-name" />
        </div>
        <div className="field">
          <label htmlFor="user-add-role">{t("users.role")}</label>
          <select id="user-add-role" value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="user-add-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-add-password">{t("users.password")}</label>
          <input
            id="user-add-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="user-add-password"
          />
        </div>
        <button type="submit" className="btn btn-primary" data-testid="user-add-submit">
          {t("users.add")}
        </button>
      </form>
      <ErrorMessage message={error} />
      {info && (
        <p className="notice notice-ok" role="status">
          {info}
        </p>
      )}
    </section>
  );
}

function SettingRow({
  k,
  value,
  onSaved,
}: {
  k: EditableKey;
  value: string;
  onSaved: (s: SettingsT) => void;
}) {
  const t = useT();
  const { handleError } = useApp();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(value), [value]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      onSaved(await setSetting(k, draft.trim()));
      setSaved(true);
    } catch (err) {
      const ce = handleError(err);
      if (ce) setError(ce.message);
    }
  };
  const id = `setting-${k}`;
  return (
    <form className="setting-row" onSubmit={save}>
      <label htmlFor={id}>{t(`setting.${k}`)}</label>
      {k === "language" ? (
        <select id={id} value={draft} onChange={(e) => setDraft(e.target.value)} data-testid={id}>
          <option value="system">{t("lang.system")}</option>
          <option value="nb">{t("lang.nb")}</option>
          <option value="en">{t("lang.en")}</option>
        </select>
      ) : (
        <input
          id={id}
          type={NUMBER_KEYS.includes(k) ? "number" : "text"}
          step={k === "ai_confidence_threshold" ? "0.01" : "1"}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          data-testid={id}
        />
      )}
      <button type="submit" className="btn btn-small" data-testid={`setting-save-${k}`}>
        {t("common.save")}
      </button>
      <span className="setting-feedback" aria-live="polite">
        {saved && <span className="ok">✓ {t("settings.saved")}</span>}
      </span>
      {error && (
        <div id={`${id}-error`} className="error" role="alert" data-testid="setting-error" data-key={k}>
          {error}
        </div>
      )}
    </form>
  );
}

export function Settings() {
  const t = useT();
  const { handleError, user } = useApp();
  const [values, setValues] = useState<SettingsT | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadSettings().then(setValues, (e) => {
      const err = handleError(e);
      if (err) setError(err.message);
    });
  }, [handleError]);

  const keys: EditableKey[] = [
    "retention_days",
    "upload_limit_mib",
    "ai_confidence_threshold",
    "auto_lock_minutes",
    "language",
    "consent_policy_version",
  ];

  return (
    <main className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">{t("settings.title")}</h1>
      <Users />
      <section className="panel" aria-labelledby="config-title">
        <h2 id="config-title">{t("settings.config")}</h2>
        <ErrorMessage message={error} />
        {values && (
          <>
            {keys.map((k) => (
              <SettingRow key={k} k={k} value={String(values[k])} onSaved={setValues} />
            ))}
            <div className="setting-row">
              <span id="cloud-label">{t("setting.allow_cloud_processing")}</span>
              <label className="switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={values.allow_cloud_processing}
                  disabled
                  aria-labelledby="cloud-label"
                  aria-describedby="cloud-explain"
                  data-testid="cloud-processing"
                  readOnly
                />
                <span className="switch-track" aria-hidden="true" />
              </label>
              <p id="cloud-explain" className="muted">
                {t("settings.cloudOff")}
              </p>
            </div>
          </>
        )}
      </section>
      {user?.screens.includes("settings") && <AuditSyncSettings />}
      {user?.screens.includes("settings") && <BackupPanel />}
    </main>
  );
}

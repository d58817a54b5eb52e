// First start: create the encrypted store and first admin, then show the recovery code once.
import { useState, type FormEvent } from "react";
import { createStore } from "../api/commands";
import type { CreatedStore, UserInfo } from "../api/types";
import { useApp } from "../app-context";
import { ErrorMessage } from "../components/ErrorMessage";
import { useT } from "../i18n";

export function Setup({ onDone }: { onDone: (user: UserInfo) => void }) {
  const t = useT();
  const { handleError } = useApp();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedStore | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password !== confirm) {
      setError(t("setup.mismatch"));
      return;
    }
    setBusy(true);
    try {
      setCreated(await createStore(name.trim(), password));
      setPassword("");
      setConfirm("");
    } catch (err) {
      const ce = handleError(err);
      if (ce) setError(ce.message);
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <main className="auth-page">
        <section className="auth-card" aria-labelledby="recovery-title">
          <h1 id="recovery-title">{t("setup.recoveryTitle")}</h1>
          <p>{t("setup.recoveryInstruction")}</p>
          <p className="recovery-code mono" data-testid="recovery-code">
            {created.recovery_code}
          </p>
          <div className="check">
            <input
              id="recovery-saved"
              type="checkbox"
              checked={saved}
              onChange={(e) => setSaved(e.target.checked)}
              data-testid="recovery-saved"
            />
            <label htmlFor="recovery-saved">{t("setup.recoverySaved")}</label>
          </div>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!saved}
            data-testid="recovery-continue"
            onClick={() => {
              // Forget the code as soon as it has been acknowledged.
              const user = created.user;
              setCreated(null);
              onDone(user);
            }}
          >
            {t("setup.continue")}
          </button>
        </section>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t("setup.title")}</h1>
        <p className="muted">{t("setup.intro")}</p>
        <div className="field">
          <label htmlFor="setup-admin-name">{t("setup.adminName")}</label>
          <input
            id="setup-admin-name"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="setup-admin-name"
          />
        </div>
        <div className="field">
          <label htmlFor="setup-password">{t("setup.password")}</label>
          <input
            id="setup-password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="setup-password"
          />
        </div>
        <div className="field">
          <label htmlFor="setup-password-confirm">{t("setup.passwordConfirm")}</label>
          <input
            id="setup-password-confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            data-testid="setup-password-confirm"
          />
        </div>
        <ErrorMessage message={error} />
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="setup-submit">
          {t("setup.submit")}
        </button>
      </form>
    </main>
  );
}

// Sign-in with throttling countdown, the locked notice, and password reset by recovery code.
import { useEffect, useState, type FormEvent } from "react";
import { recover, signIn } from "../api/commands";
import type { UserInfo } from "../api/types";
import { useApp } from "../app-context";
import { ErrorMessage } from "../components/ErrorMessage";
import { useT } from "../i18n";

function useCountdown(initialSecs: number) {
  const [until, setUntil] = useState(() => Date.now() + initialSecs * 1000);
  const [left, setLeft] = useState(Math.max(0, Math.ceil(initialSecs)));
  useEffect(() => {
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    if (until <= Date.now()) return;
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [until]);
  return { left, start: (secs: number) => setUntil(Date.now() + secs * 1000) };
}

export function SignIn({
  initialDelaySecs,
  lockedMinutes,
  onSignedIn,
}: {
  initialDelaySecs: number;
  /** Set when the session was locked for inactivity: shows why sign-in is back. */
  lockedMinutes: number | null;
  onSignedIn: (user: UserInfo) => void;
}) {
  const t = useT();
  const { handleError } = useApp();
  const [mode, setMode] = useState<"signin" | "recover">("signin");
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const countdown = useCountdown(initialDelaySecs);
  const waiting = countdown.left > 0;

  const fail = (e: unknown) => {
    const err = handleError(e);
    if (!err) return;
    if (err.code === "throttled" && err.retry_after_secs) countdown.start(err.retry_after_secs);
    setError(err.message);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (waiting) return;
    setBusy(true);
    setError(null);
    try {
      const u = await signIn(user.trim(), password);
      setPassword("");
      onSignedIn(u);
    } catch (err) {
      setPassword("");
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const submitRecover = async (e: FormEvent) => {
    e.preventDefault();
    if (waiting) return;
    setBusy(true);
    setError(null);
    try {
      const u = await recover(code.trim(), user.trim(), newPassword);
      setCode("");
      setNewPassword("");
      onSignedIn(u);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const notices = (
    <>
      {lockedMinutes !== null && (
        <p className="notice notice-info" role="status" data-testid="locked-notice">
          {t("signin.locked", { minutes: lockedMinutes })}
        </p>
      )}
      {waiting && (
        <p className="notice notice-warn" aria-live="polite" data-testid="signin-countdown" data-seconds={countdown.left}>
          {t("signin.countdown", { seconds: countdown.left })}
        </p>
      )}
      <ErrorMessage message={error} testId="signin-error" />
    </>
  );

  if (mode === "recover") {
    return (
      <main className="auth-page">
        <form className="auth-card" onSubmit={submitRecover} aria-labelledby="recover-title">
          <h1 id="recover-title">{t("recover.title")}</h1>
          <div className="field">
            <label htmlFor="recover-code">{t("recover.code")}</label>
            <input
              id="recover-code"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              data-testid="recover-code"
            />
          </div>
          <div className="field">
            <label htmlFor="recover-user">{t("recover.user")}</label>
            <input
              id="recover-user"
              autoComplete="username"
              value={user}
              onChange={(e) => setUser(e.target.value)}
              data-testid="recover-user"
            />
          </div>
          <div className="field">
            <label htmlFor="recover-password">{t("recover.newPassword")}</label>
            <input
              id="recover-password"
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              data-testid="recover-password"
            />
          </div>
          {notices}
          <button type="submit" className="btn btn-primary" disabled={busy || waiting} data-testid="recover-submit">
            {t("recover.submit")}
          </button>
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              setMode("signin");
              setError(null);
            }}
          >
            {t("signin.back")}
          </button>
        </form>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t("signin.title")}</h1>
        <div className="field">
          <label htmlFor="signin-user">{t("signin.user")}</label>
          <input
            id="signin-user"
            autoComplete="username"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            data-testid="signin-user"
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t("signin.password")}</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="signin-password"
          />
        </div>
        {notices}
        <button type="submit" className="btn btn-primary" disabled={busy || waiting} data-testid="signin-submit">
          {t("signin.submit")}
        </button>
        <button
          type="button"
          className="btn btn-link"
          data-testid="signin-forgot"
          onClick={() => {
            setMode("recover");
            setError(null);
          }}
        >
          {t("signin.forgot")}
        </button>
      </form>
    </main>
  );
}

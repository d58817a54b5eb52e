// The app shell: start-up status, setup / sign-in, auto-lock, language, navigation between screens.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { appStatus, onLocked, signOut, toCommandError, touch, uiReady } from "./api/commands";
import type { AppStatus, Language, UserInfo } from "./api/types";
import { AppContext, type AppContextValue, type View } from "./app-context";
import { ErrorMessage } from "./components/ErrorMessage";
import { Header } from "./components/Header";
import { StatusBar } from "./components/StatusBar";
import { I18nProvider, makeT } from "./i18n";
import { Audit } from "./screens/Audit";
import { CaseDetailScreen } from "./screens/CaseDetail";
import { CaseList } from "./screens/CaseList";
import { NewCase } from "./screens/NewCase";
import { Settings } from "./screens/Settings";
import { SignIn } from "./screens/SignIn";
import { Setup } from "./screens/Setup";

const LANG_KEY = "varde.language";
const TOUCH_EVERY_MS = 15_000;

function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v === "nb" || v === "en" ? v : null;
  } catch {
    return null;
  }
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [user, setUser] = useState<UserInfo | null>(null);
  const [lang, setLang] = useState<Language>(() => storedLanguage() ?? "nb");
  const [view, setView] = useState<View>({ name: "cases" });
  const [locked, setLocked] = useState(false);
  // Bumped on lock / sign-out so every screen remounts and drops what it held.
  const [session, setSession] = useState(0);
  const readySent = useRef(false);
  const userRef = useRef<UserInfo | null>(null);
  userRef.current = user;

  const loadStatus = useCallback(async () => {
    try {
      const s = await appStatus();
      setStatus(s);
      setUser(s.user);
      // A session still open (the window was reloaded) resumes on the user's first screen.
      if (s.user) setView({ name: s.user.screens[0] ?? "cases" });
      if (!storedLanguage()) setLang(s.language);
      return s;
    } catch (e) {
      setStartError(toCommandError(e).message);
      return null;
    }
  }, []);

  useEffect(() => {
    void loadStatus();
  }, [loadStatus]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // Tell the shell once that the first screen can be used (cold-start benchmark).
  useEffect(() => {
    if (status && !readySent.current) {
      readySent.current = true;
      uiReady().catch(() => {});
    }
  }, [status]);

  const lock = useCallback(() => {
    // Already on sign-in (or setup): nothing to drop, and no notice to show.
    if (!userRef.current) return;
    userRef.current = null;
    setUser(null);
    setView({ name: "cases" });
    setLocked(true);
    setSession((n) => n + 1);
  }, []);

  const handleError = useCallback(
    (e: unknown) => {
      const err = toCommandError(e);
      if (err.kind === "locked") {
        lock();
        return null;
      }
      return err;
    },
    [lock],
  );

  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let gone = false;
    onLocked(() => lock())
      .then((u) => (gone ? u() : (unlisten = u)))
      .catch(() => {});
    return () => {
      gone = true;
      unlisten?.();
    };
  }, [lock]);

  // Activity keeps the session alive; at most one touch() per 15 s.
  useEffect(() => {
    if (!user) return;
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < TOUCH_EVERY_MS) return;
      last = now;
      touch().catch((e) => handleError(e));
    };
    const events = ["keydown", "pointerdown", "wheel"] as const;
    events.forEach((ev) => window.addEventListener(ev, onActivity, { passive: true, capture: true }));
    return () => events.forEach((ev) => window.removeEventListener(ev, onActivity, { capture: true }));
  }, [user, handleError]);

  const changeLanguage = (l: Language) => {
    setLang(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      // Private mode or disabled storage: the choice simply isn't remembered.
    }
  };

  const doSignOut = async () => {
    try {
      await signOut();
    } catch {
      // Signing out locally still drops every key the UI holds.
    }
    setUser(null);
    setLocked(false);
    setView({ name: "cases" });
    setSession((n) => n + 1);
    void loadStatus();
  };

  const navigate = useCallback((v: View) => {
    setView(v);
    window.scrollTo?.(0, 0);
  }, []);

  const ctx: AppContextValue = useMemo(
    () => ({ status, user, navigate, handleError }),
    [status, user, navigate, handleError],
  );

  let body;
  if (startError) {
    body = (
      <main className="auth-page">
        <ErrorMessage message={makeT(lang)("common.startFailed", { message: startError })} />
      </main>
    );
  } else if (!status) {
    body = <main className="auth-page" aria-busy="true" />;
  } else if (!status.initialized) {
    body = (
      <Setup
        onDone={async () => {
          const s = await loadStatus();
          if (s) setView({ name: "cases" });
        }}
      />
    );
  } else if (!user) {
    body = (
      <SignIn
        key={session}
        initialDelaySecs={status.sign_in_delay_secs}
        lockedMinutes={locked ? status.auto_lock_minutes : null}
        onSignedIn={(u) => {
          setUser(u);
          setLocked(false);
          setView({ name: u.screens[0] ?? "cases" });
        }}
      />
    );
  } else {
    body = (
      <div key={session} className="screen">
        {view.name === "cases" && <CaseList />}
        {view.name === "new-case" && <NewCase />}
        {view.name === "case" && <CaseDetailScreen id={view.id} breakGlassReason={view.breakGlassReason} />}
        {view.name === "audit" && <Audit />}
        {view.name === "settings" && <Settings />}
      </div>
    );
  }

  return (
    <I18nProvider lang={lang}>
      <AppContext.Provider value={ctx}>
        <div className="app">
          <Header
            screens={user?.screens ?? null}
            view={user ? view : null}
            navigate={navigate}
            lang={lang}
            onLanguage={changeLanguage}
            onSignOut={user ? doSignOut : null}
          />
          {body}
          <StatusBar user={user} version={status?.app_version ?? null} />
        </div>
      </AppContext.Provider>
    </I18nProvider>
  );
}

// Bottom status line: network state, who is signed in, app version, audit sync state.
import { useEffect, useState } from "react";
import type { UserInfo } from "../api/types";
import { useT } from "../i18n";
import { syncStatusText, syncTone, useSyncStatus } from "../lib/syncStatus";

export function StatusBar({ user, version }: { user: UserInfo | null; version: string | null }) {
  const t = useT();
  const [online, setOnline] = useState(() => navigator.onLine);
  const [sync] = useSyncStatus(user !== null);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return (
    <footer className="status-bar" role="contentinfo">
      <span data-testid="status-online" data-online={online ? "true" : "false"} aria-live="polite" className={online ? "net-on" : "net-off"}>
        <span className="dot" aria-hidden="true" /> {online ? t("statusbar.online") : t("statusbar.offline")}
      </span>
      {user && <span>{t("statusbar.user", { name: user.name, role: t(`role.${user.role}`) })}</span>}
      {version && <span>{t("statusbar.version", { version })}</span>}
      {user && (
        <span
          data-testid="status-sync"
          data-tone={syncTone(sync)}
          className={`sync-${syncTone(sync)}`}
          title={sync?.last_error ?? undefined}
          aria-live="polite"
        >
          {syncStatusText(t, sync)}
        </span>
      )}
    </footer>
  );
}

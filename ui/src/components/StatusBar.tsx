// Bottom status line: network state, who is signed in, app version, audit sync state.
import { useEffect, useState } from "react";
import type { UserInfo } from "../api/types";
import { useT } from "../i18n";

export function StatusBar({ user, version }: { user: UserInfo | null; version: string | null }) {
  const t = useT();
  const [online, setOnline] = useState(() => navigator.onLine);
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
      <span>{t("statusbar.auditSync")}</span>
    </footer>
  );
}

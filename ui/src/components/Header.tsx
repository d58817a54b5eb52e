// Top bar: app name, navigation for the user's role, language switch and sign-out.
import type { Language, Screen } from "../api/types";
import type { View } from "../app-context";
import { useT } from "../i18n";

// How each screen appears in the menu. Which screens a user sees is the core's decision
// (UserInfo.screens, from its access rules), not the window's.
const NAV: Record<Screen, { key: "nav.cases" | "nav.newCase" | "nav.audit" | "nav.settings"; testId: string }> = {
  cases: { key: "nav.cases", testId: "nav-cases" },
  "new-case": { key: "nav.newCase", testId: "nav-new-case" },
  audit: { key: "nav.audit", testId: "nav-audit" },
  settings: { key: "nav.settings", testId: "nav-settings" },
};

export function LanguageSwitch({ lang, onChange }: { lang: Language; onChange: (l: Language) => void }) {
  const t = useT();
  return (
    <div className="lang-switch">
      <label htmlFor="language-switch">{t("nav.language")}</label>
      <select
        id="language-switch"
        value={lang}
        onChange={(e) => onChange(e.target.value as Language)}
        data-testid="language-switch"
      >
        <option value="nb">{t("lang.nb")}</option>
        <option value="en">{t("lang.en")}</option>
      </select>
    </div>
  );
}

export function Header({
  screens,
  view,
  navigate,
  lang,
  onLanguage,
  onSignOut,
}: {
  screens: Screen[] | null;
  view: View | null;
  navigate: (v: View) => void;
  lang: Language;
  onLanguage: (l: Language) => void;
  onSignOut: (() => void) | null;
}) {
  const t = useT();
  const current = view?.name === "case" ? "cases" : view?.name;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ▲
        </span>
        <span className="brand-name">{t("app.name")}</span>
        <span className="brand-tag">{t("app.tagline")}</span>
      </div>
      {screens && (
        <nav aria-label={t("nav.main")}>
          <ul>
            {screens.map((name) => ({ name, ...NAV[name] })).map((n) => (
              <li key={n.name}>
                <button
                  type="button"
                  className="nav-link"
                  aria-current={current === n.name ? "page" : undefined}
                  data-testid={n.testId}
                  onClick={() => navigate({ name: n.name })}
                >
                  {t(n.key)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="header-tools">
        <LanguageSwitch lang={lang} onChange={onLanguage} />
        {onSignOut && (
          <button type="button" className="btn btn-small" data-testid="sign-out" onClick={onSignOut}>
            {t("nav.signOut")}
          </button>
        )}
      </div>
    </header>
  );
}

// Top bar: app name, navigation for the user's role, language switch and sign-out.
import type { Language, Role } from "../api/types";
import type { View } from "../app-context";
import { useT } from "../i18n";

type NavName = "cases" | "new-case" | "audit" | "settings";

// Which screens a role sees in the menu; the core still checks every command.
const NAV: { name: NavName; key: "nav.cases" | "nav.newCase" | "nav.audit" | "nav.settings"; testId: string; roles: Role[] }[] = [
  { name: "cases", key: "nav.cases", testId: "nav-cases", roles: ["clinician", "reviewer", "admin", "auditor"] },
  { name: "new-case", key: "nav.newCase", testId: "nav-new-case", roles: ["clinician", "admin"] },
  { name: "audit", key: "nav.audit", testId: "nav-audit", roles: ["auditor", "admin"] },
  { name: "settings", key: "nav.settings", testId: "nav-settings", roles: ["admin"] },
];

export function canSee(role: Role, name: NavName): boolean {
  return NAV.some((n) => n.name === name && n.roles.includes(role));
}

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
  role,
  view,
  navigate,
  lang,
  onLanguage,
  onSignOut,
}: {
  role: Role | null;
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
      {role && (
        <nav aria-label={t("nav.main")}>
          <ul>
            {NAV.filter((n) => n.roles.includes(role)).map((n) => (
              <li key={n.name}>
                <button
                  type="button"
                  className="nav-link"
                  aria-current={current === n.name ? "page" : undefined}
                  data-testid={n.testId}
                  onClick={() => navigate({ name: n.name } as View)}
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

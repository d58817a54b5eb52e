// Test helpers: render inside the English i18n context and a stub app context.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { toCommandError } from "../api/commands";
import { AppContext, type AppContextValue } from "../app-context";
import { I18nProvider } from "../i18n";

export function renderApp(ui: ReactElement, ctx: Partial<AppContextValue> = {}) {
  const value: AppContextValue = {
    status: null,
    user: { id: "u1", name: "kari", role: "reviewer", screens: ["cases"] },
    navigate: () => {},
    handleError: (e) => toCommandError(e),
    ...ctx,
  };
  return render(
    <I18nProvider lang="en">
      <AppContext.Provider value={value}>{ui}</AppContext.Provider>
    </I18nProvider>,
  );
}

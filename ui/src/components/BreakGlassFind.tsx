// Break-glass for clinicians: find a case that is not theirs by its exact case id or its subject's
// national ID number, and open it only by saying why. The core decides, records and audits.
import { useState } from "react";
import { findCaseForBreakGlass } from "../api/commands";
import type { FoundCase } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { ErrorMessage } from "./ErrorMessage";

/** The shortest reason the core accepts (domain::access::MIN_BREAK_GLASS_REASON). */
const MIN_REASON = 10;

type Result = { kind: "none" } | { kind: "found"; found: FoundCase } | { kind: "idle" };

export function BreakGlassFind() {
  const t = useT();
  const { handleError, navigate } = useApp();
  const [query, setQuery] = useState("");
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<Result>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const find = async () => {
    setBusy(true);
    setError(null);
    try {
      const found = await findCaseForBreakGlass(query.trim());
      setResult(found ? { kind: "found", found } : { kind: "none" });
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
      setResult({ kind: "idle" });
    } finally {
      setBusy(false);
    }
  };

  const found = result.kind === "found" ? result.found : null;
  return (
    <section className="panel" aria-labelledby="bg-find-title" data-testid="break-glass-find">
      <h2 id="bg-find-title">{t("bg.findTitle")}</h2>
      <p className="muted">{t("bg.findIntro")}</p>
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) void find();
        }}
      >
        <input
          aria-label={t("bg.query")}
          value={query}
          placeholder={t("bg.query")}
          autoComplete="off"
          spellCheck={false}
          data-testid="break-glass-query"
          onChange={(e) => {
            setQuery(e.target.value);
            setResult({ kind: "idle" });
          }}
        />
        <button type="submit" className="btn" disabled={busy || !query.trim()} data-testid="break-glass-search">
          {t("bg.find")}
        </button>
      </form>
      <ErrorMessage message={error} />
      {result.kind === "none" && (
        <p className="muted" data-testid="break-glass-none">
          {t("bg.none")}
        </p>
      )}
      {found && (
        <div data-testid="break-glass-result" data-case-id={found.id}>
          <p>
            {t("bg.found", { id: found.id, kind: t(`kind.${found.kind}`), status: t(`status.${found.status}`) })}
          </p>
          {found.own ? (
            <button type="button" className="btn" onClick={() => navigate({ name: "case", id: found.id })}>
              {t("bg.openOwn")}
            </button>
          ) : (
            <>
              <div className="field">
                <label htmlFor="bg-reason">{t("bg.reason")}</label>
                <textarea
                  id="bg-reason"
                  rows={2}
                  value={reason}
                  data-testid="break-glass-reason"
                  onChange={(e) => setReason(e.target.value)}
                />
                <span className="field-hint">{t("bg.reasonHint", { min: MIN_REASON })}</span>
              </div>
              <button
                type="button"
                className="btn btn-danger"
                disabled={reason.trim().length < MIN_REASON}
                data-testid="break-glass-open"
                onClick={() => navigate({ name: "case", id: found.id, breakGlassReason: reason.trim() })}
              >
                {t("bg.open")}
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}

// The AI's assessment of one document: label, confidence against the threshold, suggestion, model,
// its concerns, and how each page's text was read.
import type { Classification, PageRead } from "../api/types";
import { useT } from "../i18n";
import { ConfidenceBar } from "./ConfidenceBar";

export function AiPanel({ classification: c, pageReads = [] }: { classification: Classification; pageReads?: PageRead[] }) {
  const t = useT();
  return (
    <section className="panel ai-panel" aria-labelledby="ai-title">
      <h3 id="ai-title">{t("ai.title")}</h3>
      <dl className="kv">
        <dt>{t("ai.label")}</dt>
        <dd data-testid="ai-label">{c.label ? t.code("doc", c.label) : t("ai.unknown")}</dd>
        <dt>{t("ai.confidence")}</dt>
        <dd>
          <ConfidenceBar value={c.confidence} threshold={c.threshold} />
        </dd>
        <dt>{t("ai.suggestion")}</dt>
        <dd data-testid="ai-suggestion" className={`suggestion suggestion-${c.suggestion}`}>
          {t(`suggestion.${c.suggestion}`)}
        </dd>
        <dt>{t("ai.model")}</dt>
        <dd data-testid="ai-model">{c.model ?? t("common.none")}</dd>
      </dl>
      {c.unavailable && (
        <p className="notice notice-warn">{t("ai.unavailable", { reason: c.unavailable })}</p>
      )}
      {c.concerns.length > 0 && (
        <>
          <h4>{t("ai.concerns")}</h4>
          <ul className="concerns">
            {c.concerns.map((x) => (
              <li key={x}>{t.code("warn", x)}</li>
            ))}
          </ul>
        </>
      )}
      {pageReads.length > 0 && (
        <>
          <h4>{t("ai.pages")}</h4>
          <ul className="page-reads" data-testid="page-reads">
            {pageReads.map((r) => (
              <li key={r.number}>
                {t("ai.pageRead", { page: r.number, how: t.code("page", r.reason) })}
                {r.mrz && <span data-testid="page-mrz">{t("ai.pageMrz")}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">{t("ai.disclaimer")}</p>
    </section>
  );
}

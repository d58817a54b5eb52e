// The pipeline's summary of a document's lab values, in the document's language, shown above the table.
import type { LabSummary as Summary } from "../api/types";
import { useT } from "../i18n";

export function LabSummary({ summary }: { summary: Summary | null | undefined }) {
  const t = useT();
  if (!summary) return null;
  return (
    <section className="panel" aria-labelledby="lab-summary-title" data-testid="lab-summary">
      <h3 id="lab-summary-title">{t("obs.summaryTitle")}</h3>
      <p lang={summary.language === "nb" ? "nb" : "en"} data-testid="lab-summary-text">
        {summary.text}
      </p>
      <p className="muted small">{t("obs.summaryNote")}</p>
    </section>
  );
}

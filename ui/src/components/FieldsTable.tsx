// Fields the core extracted from a document, each with its confidence, the characters the reader
// corrected, and its warnings translated beside it.
import type { ExtractedField } from "../api/types";
import { useT } from "../i18n";

export function FieldsTable({
  fields,
  duplicate,
  onSelectSpan,
}: {
  fields: Record<string, ExtractedField>;
  duplicate: boolean;
  onSelectSpan: (span: { start: number; end: number }) => void;
}) {
  const t = useT();
  const entries = Object.entries(fields);
  return (
    <section className="panel" aria-labelledby="fields-title">
      <h3 id="fields-title">{t("fields.title")}</h3>
      {duplicate && (
        <p className="notice notice-warn" data-testid="duplicate-warning">
          ⚠ {t("detail.duplicate")}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="muted">{t("fields.none")}</p>
      ) : (
        <table className="table compact" data-testid="fields-table">
          <thead>
            <tr>
              <th scope="col">{t("fields.field")}</th>
              <th scope="col">{t("fields.value")}</th>
              <th scope="col">{t("fields.confidence")}</th>
              <th scope="col">{t("fields.warnings")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([key, f]) => {
              const span =
                f.start != null && f.end != null ? { start: f.start, end: f.end } : null;
              return (
                <tr key={key} data-field={key}>
                  <th scope="row">{key.replace(/_/g, " ")}</th>
                  <td className="mono">
                    {span ? (
                      <button type="button" className="linklike" onClick={() => onSelectSpan(span)}>
                        {f.value}
                      </button>
                    ) : (
                      f.value
                    )}
                    {(f.repairs ?? []).map((r) => (
                      <span key={`${r.at}-${r.read}`} className="repair muted small" data-repair={r.at}>
                        {t("fields.repair", { read: r.read, corrected: r.corrected })}
                      </span>
                    ))}
                  </td>
                  <td data-testid="field-confidence">{Math.round((f.confidence ?? 0) * 100)} %</td>
                  <td>
                    {(f.warnings ?? []).map((w) => (
                      <span key={w} className="warn-chip" data-warning={w}>
                        ⚠ {t.code("warn", w)}
                      </span>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

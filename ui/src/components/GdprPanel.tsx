// An admin's GDPR actions on one case: the subject's data export (access and portability
// requests), saved where the admin chooses, and erasure with a reason code after a confirmation
// that names what will be destroyed. Shown only when the core lists the action as allowed.
import { useState } from "react";
import { eraseCase, exportSubject } from "../api/commands";
import type { CaseDetail, ErasureReason } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { ErrorMessage } from "./ErrorMessage";

export const ERASURE_REASONS: ErasureReason[] = ["subject_request", "retention", "entered_in_error", "other"];

export function GdprPanel({ detail }: { detail: CaseDetail }) {
  const t = useT();
  const { handleError, navigate } = useApp();
  const allowed = new Set(detail.allowed);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState<ErasureReason | "">("");
  const [detailText, setDetailText] = useState("");
  const c = detail.case;

  if (!allowed.has("export_subject") && !allowed.has("erase")) return null;

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  const doExport = () =>
    run(async () => {
      setSaved(null);
      const file = await exportSubject(c.id, t("gdpr.exportDialogTitle"));
      if (file) setSaved(t("gdpr.exported", { path: file.path, size: t.num(file.bytes) }));
    });

  const doErase = () =>
    run(async () => {
      if (!reason) return;
      await eraseCase(c.id, reason, detailText);
      navigate({ name: "cases" });
    });

  return (
    <section className="panel" aria-labelledby="gdpr-title" data-testid="gdpr-panel">
      <h2 id="gdpr-title">{t("gdpr.title")}</h2>
      <ErrorMessage message={error} />
      {allowed.has("export_subject") && (
        <div>
          <p className="notice notice-warn">{t("gdpr.exportPhi")}</p>
          <button type="button" className="btn" disabled={busy} data-testid="subject-export" onClick={() => void doExport()}>
            {t("gdpr.export")}
          </button>
          {saved && (
            <p className="notice notice-ok" role="status" data-testid="subject-export-saved">
              {saved}
            </p>
          )}
        </div>
      )}
      {allowed.has("erase") && !confirming && (
        <div className="button-row">
          <button type="button" className="btn btn-danger" data-testid="erase-open" onClick={() => setConfirming(true)}>
            {t("gdpr.erase")}
          </button>
        </div>
      )}
      {allowed.has("erase") && confirming && (
        <div role="dialog" aria-modal="true" aria-labelledby="erase-title" className="reject-form" data-testid="erase-dialog">
          <h3 id="erase-title">{t("gdpr.eraseTitle")}</h3>
          <p data-testid="erase-what">
            {t("gdpr.eraseWhat", { id: c.id, documents: detail.documents.length })}
          </p>
          <p className="muted">{t("gdpr.eraseAuditRemains")}</p>
          <div className="field">
            <label htmlFor="erase-reason">{t("gdpr.reason")}</label>
            <select
              id="erase-reason"
              value={reason}
              data-testid="erase-reason"
              onChange={(e) => setReason(e.target.value as ErasureReason | "")}
            >
              <option value="">{t("gdpr.reasonChoose")}</option>
              {ERASURE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`erasure.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="erase-detail">{t("gdpr.detail")}</label>
            <textarea
              id="erase-detail"
              rows={2}
              value={detailText}
              data-testid="erase-detail"
              onChange={(e) => setDetailText(e.target.value)}
            />
            <span className="field-hint">{t("gdpr.detailHint")}</span>
          </div>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy || !reason}
              data-testid="erase-confirm"
              onClick={() => void doErase()}
            >
              {t("gdpr.eraseConfirm")}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

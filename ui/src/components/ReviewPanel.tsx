// The human decision: only the actions the core allows, with optimistic-lock conflicts explained.
import { useState } from "react";
import { approve, reject, resubmit, startReview } from "../api/commands";
import type { Case, CaseDetail } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { describeChanges } from "../lib/describeChanges";
import { ErrorMessage } from "./ErrorMessage";
import { toPercent } from "./ConfidenceBar";

export function ReviewPanel({
  detail,
  reload,
}: {
  detail: CaseDetail;
  /** Re-reads the case; resolves to the new snapshot (null if that failed). */
  reload: () => Promise<CaseDetail | null>;
}) {
  const t = useT();
  const { handleError } = useApp();
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const c = detail.case;
  const allowed = new Set(detail.allowed);

  const run = async (action: (id: string, version: number) => Promise<Case>) => {
    const before = detail;
    setBusy(true);
    setError(null);
    setConflict(null);
    try {
      await action(c.id, c.version);
      setRejecting(false);
      setReason("");
      await reload();
    } catch (e) {
      const err = handleError(e);
      if (!err) return;
      if (err.code === "stale_version") {
        // Never retry silently: show what changed and let the person decide again.
        const after = await reload();
        setRejecting(false);
        setConflict(after ? describeChanges(before, after, t) : err.message);
      } else {
        setError(err.message);
      }
    } finally {
      setBusy(false);
    }
  };

  const ai = c.ai;
  const aiText = ai
    ? t("review.aiSuggests", {
        suggestion:
          t(`suggestion.${ai.suggestion}`) +
          (ai.labels.length > 0 ? ` — ${ai.labels.map((l) => t.code("doc", l)).join(", ")}` : "") +
          (ai.confidence != null ? ` (${toPercent(ai.confidence)} %)` : ""),
      })
    : t("review.aiNone");
  const anyAction = ["start_review", "approve", "reject", "resubmit"].some((a) =>
    allowed.has(a as (typeof detail.allowed)[number]),
  );

  return (
    <section className="panel review" aria-labelledby="review-title">
      <h2 id="review-title">{t("review.title")}</h2>
      <p className={`review-ai suggestion-${ai?.suggestion ?? "none"}`} data-testid="review-ai-suggestion">
        {aiText}
      </p>
      {conflict && (
        <div className="notice notice-conflict" role="alert" data-testid="conflict-notice">
          {conflict}
        </div>
      )}
      <ErrorMessage message={error} />
      {!anyAction && (
        <p className="muted">
          {detail.case.status === "APPROVED" || detail.case.status === "REJECTED"
            ? t("review.decided")
            : t("review.noActions")}
        </p>
      )}
      <div className="button-row">
        {allowed.has("start_review") && (
          <button type="button" className="btn" disabled={busy} data-testid="review-start" onClick={() => run(startReview)}>
            {t("review.start")}
          </button>
        )}
        {allowed.has("approve") && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            data-testid="review-approve"
            onClick={() => run((id, v) => approve(id, v))}
          >
            {t("review.approve")}
          </button>
        )}
        {allowed.has("reject") && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            aria-expanded={rejecting}
            data-testid="review-reject"
            onClick={() => {
              setRejecting((r) => !r);
              setConflict(null);
            }}
          >
            {t("review.reject")}
          </button>
        )}
        {allowed.has("resubmit") && (
          <button type="button" className="btn" disabled={busy} data-testid="review-resubmit" onClick={() => run(resubmit)}>
            {t("review.resubmit")}
          </button>
        )}
      </div>
      {rejecting && allowed.has("reject") && (
        <div className="reject-form">
          <label htmlFor="reject-reason">{t("review.reason")}</label>
          <textarea
            id="reject-reason"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="reject-reason"
          />
          <div className="button-row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy || reason.trim() === ""}
              data-testid="reject-confirm"
              onClick={() => run((id, v) => reject(id, v, reason.trim()))}
            >
              {t("review.confirm")}
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
      {busy && (
        <p className="muted" aria-live="polite">
          {t("common.saving")}
        </p>
      )}
    </section>
  );
}

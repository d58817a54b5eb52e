// Audit: hash-chain verification, filtered and paged log entries, export to a file.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { auditEntries, exportAudit, verifyAudit } from "../api/commands";
import type { Page, TimelineEntry } from "../api/types";
import { useApp } from "../app-context";
import { BreakGlassQueue } from "../components/BreakGlassQueue";
import { ErrorMessage } from "../components/ErrorMessage";
import { useT } from "../i18n";
import { useDebounced } from "../lib/hooks";

const PAGE = 50;

type Verify = { kind: "running" } | { kind: "ok"; text: string } | { kind: "error"; text: string };

export function Audit() {
  const t = useT();
  const { handleError } = useApp();
  const [verify, setVerify] = useState<Verify>({ kind: "running" });
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  // Debounce a string so the filter object only changes when a value does.
  const filterKey = useDebounced(JSON.stringify({ actor: actor.trim(), action: action.trim(), from, to }), 200);
  const filters = useMemo(
    () => JSON.parse(filterKey) as { actor: string; action: string; from: string; to: string },
    [filterKey],
  );
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<TimelineEntry> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const seq = useRef(0);

  const runVerify = useCallback(() => {
    setVerify({ kind: "running" });
    verifyAudit().then(
      (r) =>
        setVerify({
          kind: "ok",
          text: t("audit.verified", { entries: t.num(r.entries), seq: r.head_seq, hash: r.head_hash.slice(0, 12) }),
        }),
      (e) => {
        const err = handleError(e);
        if (err) setVerify({ kind: "error", text: err.message });
      },
    );
  }, [t, handleError]);

  useEffect(() => runVerify(), [runVerify]);
  useEffect(() => setOffset(0), [filters]);

  useEffect(() => {
    const mine = ++seq.current;
    auditEntries({
      actor: filters.actor || null,
      action: filters.action || null,
      from: filters.from || null,
      to: filters.to || null,
      limit: PAGE,
      offset,
    }).then(
      (p) => {
        if (mine !== seq.current) return;
        setPage(p);
        setError(null);
      },
      (e) => {
        if (mine !== seq.current) return;
        const err = handleError(e);
        if (err) setError(err.message);
      },
    );
  }, [filters, offset, handleError]);

  const doExport = async () => {
    setExporting(true);
    setExported(null);
    setError(null);
    try {
      const r = await exportAudit();
      setExported(t("audit.exported", { entries: t.num(r.entries), path: r.path }));
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
    } finally {
      setExporting(false);
    }
  };

  const total = page?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + PAGE, total);

  return (
    <main className="page" aria-labelledby="audit-title">
      <h1 id="audit-title">{t("audit.title")}</h1>
      <BreakGlassQueue />
      <section className="panel" aria-labelledby="chain-title">
        <h2 id="chain-title">{t("audit.chain")}</h2>
        <p
          className={verify.kind === "error" ? "verify verify-error" : "verify verify-ok"}
          data-testid="audit-status"
          data-state={verify.kind}
          role={verify.kind === "error" ? "alert" : "status"}
        >
          {verify.kind === "running" ? t("audit.verifying") : (verify.kind === "ok" ? "✓ " : "✗ ") + verify.text}
        </p>
        <div className="button-row">
          <button type="button" className="btn" onClick={runVerify} disabled={verify.kind === "running"} data-testid="audit-verify">
            {t("audit.verify")}
          </button>
          <button type="button" className="btn" onClick={doExport} disabled={exporting} data-testid="audit-export">
            {t("audit.export")}
          </button>
        </div>
        {exported && (
          <p className="notice notice-ok" role="status" data-testid="audit-export-result">
            {exported}
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby="filters-title">
        <h2 id="filters-title">{t("audit.filters")}</h2>
        <div className="filters">
          <div className="field">
            <label htmlFor="audit-actor">{t("audit.actor")}</label>
            <input id="audit-actor" value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-filter-actor" />
          </div>
          <div className="field">
            <label htmlFor="audit-action">{t("audit.action")}</label>
            <input
              id="audit-action"
              list="audit-actions"
              value={action}
              onChange={(e) => setAction(e.target.value)}
              data-testid="audit-filter-action"
            />
            <datalist id="audit-actions">
              {[
                "auth.login",
                "case.create",
                "case.view",
                "review.start",
                "review.approve",
                "review.reject",
                "document.add",
                "pipeline.classify",
                "job.done",
                "audit.export",
                "user.create",
                "settings.change",
              ].map((a) => (
                <option key={a} value={a}>
                  {t.code("action", a)}
                </option>
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t("audit.from")}</label>
            <input id="audit-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="audit-from" />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t("audit.to")}</label>
            <input id="audit-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="audit-to" />
          </div>
        </div>
      </section>

      <ErrorMessage message={error} />
      <div className="table-scroll">
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">{t("audit.seq")}</th>
              <th scope="col">{t("timeline.time")}</th>
              <th scope="col">{t("timeline.actor")}</th>
              <th scope="col">{t("timeline.action")}</th>
              <th scope="col">{t("timeline.outcome")}</th>
              <th scope="col">{t("audit.context")}</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((e) => (
              <tr key={e.seq} data-testid="audit-row" data-action={e.action}>
                <td className="mono">{e.seq}</td>
                <td>{t.dateTime(e.timestamp)}</td>
                <td>
                  {e.actor_name ?? t("timeline.system")}
                  {e.actor_role && <span className="muted"> ({t.code("role", e.actor_role)})</span>}
                </td>
                <td>
                  {t.code("action", e.action)} <span className="muted mono small">{e.action}</span>
                </td>
                <td className={`outcome-${e.outcome}`}>{t.code("outcome", e.outcome)}</td>
                <td className="mono small">
                  {Object.entries(e.context)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(" ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.items.length === 0 && <p className="muted empty">{t("audit.empty")}</p>}
      </div>
      <nav className="pagination" aria-label={t("list.pagination")}>
        <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - PAGE))}>
          ‹ {t("list.prev")}
        </button>
        <span aria-live="polite" data-testid="audit-total">
          {t("list.range", { from: t.num(first), to: t.num(last), total: t.num(total) })}
        </span>
        <button type="button" className="btn btn-small" disabled={last >= total} onClick={() => setOffset((o) => o + PAGE)}>
          {t("list.next")} ›
        </button>
      </nav>
    </main>
  );
}

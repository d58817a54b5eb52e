// The case list: status cards, filters, server-side sort and paging; one page in memory at a time.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { caseCounts, listCases } from "../api/commands";
import type { CaseCounts, CaseKind, CaseSort, CaseStatus, CaseSummary, Page } from "../api/types";
import { useApp } from "../app-context";
import { BreakGlassFind } from "../components/BreakGlassFind";
import { ErrorMessage } from "../components/ErrorMessage";
import { StatusBadge } from "../components/StatusBadge";
import { useT, type Key } from "../i18n";
import { useDebounced } from "../lib/hooks";
import { toPercent } from "../components/ConfidenceBar";

export const PAGE_SIZE = 50;

const CARDS: { status: CaseStatus; count: keyof CaseCounts; testId: string }[] = [
  { status: "PENDING", count: "pending", testId: "count-pending" },
  { status: "IN_REVIEW", count: "in_review", testId: "count-in_review" },
  { status: "APPROVED", count: "approved", testId: "count-approved" },
  { status: "REJECTED", count: "rejected", testId: "count-rejected" },
];

const COLUMNS: { key: Key; sort: CaseSort | null }[] = [
  { key: "list.col.subject", sort: "subject" },
  { key: "list.col.kind", sort: "kind" },
  { key: "list.col.status", sort: "status" },
  { key: "list.col.ai", sort: null },
  { key: "list.col.reviewer", sort: null },
  { key: "list.col.updated", sort: "updated" },
];

export function CaseList() {
  const t = useT();
  const { handleError, navigate, user } = useApp();
  const [counts, setCounts] = useState<CaseCounts | null>(null);
  const [status, setStatus] = useState<CaseStatus | null>(null);
  const [kind, setKind] = useState<CaseKind | null>(null);
  const [search, setSearch] = useState("");
  const debouncedSearch = useDebounced(search.trim(), 150);
  const [sort, setSort] = useState<CaseSort>("updated");
  const [descending, setDescending] = useState(true);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<CaseSummary> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    caseCounts().then(setCounts, (e) => {
      const err = handleError(e);
      if (err) setError(err.message);
    });
  }, [handleError]);

  // Any filter change starts again at the first page.
  useEffect(() => setOffset(0), [status, kind, debouncedSearch, sort, descending]);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    listCases({
      status,
      kind,
      search: debouncedSearch || null,
      sort,
      descending,
      limit: PAGE_SIZE,
      offset,
    }).then(
      (p) => {
        // A slower, older request must not overwrite the answer to a newer one.
        if (mine !== seq.current) return;
        setPage(p);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (mine !== seq.current) return;
        setLoading(false);
        const err = handleError(e);
        if (err) setError(err.message);
      },
    );
  }, [status, kind, debouncedSearch, sort, descending, offset, handleError]);

  const sortBy = (s: CaseSort) => {
    if (s === sort) setDescending((d) => !d);
    else {
      setSort(s);
      setDescending(s === "updated" || s === "created");
    }
  };

  const open = useCallback((id: string) => navigate({ name: "case", id }), [navigate]);
  const onRowKey = (e: KeyboardEvent, id: string) => {
    if (e.key === "Enter") {
      e.preventDefault();
      open(id);
    }
  };

  const total = page?.total ?? 0;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + PAGE_SIZE, total);
  const aiText = (c: CaseSummary) => {
    if (!c.ai) return t("common.none");
    const label =
      c.ai.labels.length > 0
        ? c.ai.labels.map((l) => t.code("doc", l)).join(", ")
        : t(`suggestion.${c.ai.suggestion}`);
    return c.ai.confidence != null ? `${label} · ${toPercent(c.ai.confidence)} %` : label;
  };

  return (
    <main className="page" aria-labelledby="cases-title">
      <h1 id="cases-title">{t("list.title")}</h1>
      <ul className="count-cards" aria-label={t("list.counts")}>
        {CARDS.map((card) => (
          <li key={card.status}>
            <button
              type="button"
              className={`count-card card-${card.status.toLowerCase()}`}
              aria-pressed={status === card.status}
              data-testid={card.testId}
              onClick={() => setStatus((s) => (s === card.status ? null : card.status))}
            >
              <span className="count-value">{counts ? t.num(counts[card.count]) : "…"}</span>
              <span className="count-label">{t(`status.${card.status}`)}</span>
            </button>
          </li>
        ))}
      </ul>

      <div className="filters">
        <div className="field">
          <label htmlFor="case-search">{t("list.search")}</label>
          <input
            id="case-search"
            type="search"
            placeholder={t("list.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="case-search"
          />
        </div>
        <div className="field">
          <label htmlFor="filter-kind">{t("list.kind")}</label>
          <select
            id="filter-kind"
            value={kind ?? ""}
            onChange={(e) => setKind((e.target.value || null) as CaseKind | null)}
            data-testid="filter-kind"
          >
            <option value="">{t("list.all")}</option>
            <option value="identity">{t("kind.identity")}</option>
            <option value="clinical">{t("kind.clinical")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">{t("list.status")}</label>
          <select
            id="filter-status"
            value={status ?? ""}
            onChange={(e) => setStatus((e.target.value || null) as CaseStatus | null)}
            data-testid="filter-status"
          >
            <option value="">{t("list.all")}</option>
            {CARDS.map((c) => (
              <option key={c.status} value={c.status}>
                {t(`status.${c.status}`)}
              </option>
            ))}
          </select>
        </div>
      </div>

      <ErrorMessage message={error} />

      <div className="table-scroll">
        <table className="table case-table" aria-busy={loading}>
          <caption className="visually-hidden">{t("list.caption", { total: t.num(total) })}</caption>
          <thead>
            <tr>
              {COLUMNS.map((col) => {
                const active = col.sort !== null && col.sort === sort;
                return (
                  <th
                    key={col.key}
                    scope="col"
                    aria-sort={col.sort === null ? undefined : active ? (descending ? "descending" : "ascending") : "none"}
                  >
                    {col.sort === null ? (
                      t(col.key)
                    ) : (
                      <button type="button" className="sort-button" data-testid={`sort-${col.sort}`} onClick={() => sortBy(col.sort!)}>
                        {t(col.key)}
                        <span aria-hidden="true" className="sort-arrow">
                          {active ? (descending ? " ▼" : " ▲") : " ↕"}
                        </span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {page?.items.map((c) => (
              <tr
                key={c.id}
                tabIndex={0}
                className="clickable"
                data-testid="case-row"
                data-case-id={c.id}
                data-status={c.status}
                onClick={() => open(c.id)}
                onKeyDown={(e) => onRowKey(e, c.id)}
              >
                <td className="subject">{c.subject_name}</td>
                <td>{t(`kind.${c.kind}`)}</td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td className={c.ai?.suggestion === "manual_review" ? "ai-manual" : undefined}>{aiText(c)}</td>
                <td>{c.reviewer_name ?? t("common.none")}</td>
                <td>{t.dateTime(c.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.items.length === 0 && <p className="muted empty">{t("list.empty")}</p>}
      </div>

      <nav className="pagination" aria-label={t("list.pagination")}>
        <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - PAGE_SIZE))} data-testid="page-prev">
          ‹ {t("list.prev")}
        </button>
        <span aria-live="polite" data-testid="case-list-total" data-total={total}>
          {t("list.range", { from: t.num(from), to: t.num(to), total: t.num(total) })}
        </span>
        <button type="button" className="btn btn-small" disabled={to >= total} onClick={() => setOffset((o) => o + PAGE_SIZE)} data-testid="page-next">
          {t("list.next")} ›
        </button>
      </nav>
      {user?.role === "clinician" && <BreakGlassFind />}
    </main>
  );
}

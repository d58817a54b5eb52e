// One case: header, decision, documents with viewer, AI panel, fields, lab values, text, jobs, audit trail.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { openCase } from "../api/commands";
import type { CaseDetail as Detail, DocumentDetail } from "../api/types";
import { useApp } from "../app-context";
import { AiPanel } from "../components/AiPanel";
import { DocText, type Span } from "../components/DocText";
import { DocumentViewer } from "../components/DocumentViewer";
import { ErrorMessage } from "../components/ErrorMessage";
import { FieldsTable } from "../components/FieldsTable";
import { GdprPanel } from "../components/GdprPanel";
import { JobsPanel } from "../components/JobsPanel";
import { LabSummary } from "../components/LabSummary";
import { ObservationsTable } from "../components/ObservationsTable";
import { ReviewPanel } from "../components/ReviewPanel";
import { StatusBadge } from "../components/StatusBadge";
import { Timeline } from "../components/Timeline";
import { useT } from "../i18n";

function DocumentSection({ caseId, doc }: { caseId: string; doc: DocumentDetail }) {
  const t = useT();
  const [obs, setObs] = useState<number | null>(null);
  const [span, setSpan] = useState<Span | null>(null);
  const a = doc.analysis;

  useEffect(() => {
    setObs(null);
    setSpan(null);
  }, [doc.document.id]);

  const selectObs = (i: number) => {
    setObs(i);
    const o = a?.observations[i];
    if (o) setSpan({ start: o.source.start, end: o.source.end });
  };

  return (
    <div className="doc-grid">
      <div className="doc-left">
        <DocumentViewer key={doc.document.id} caseId={caseId} doc={doc.document} />
      </div>
      <div className="doc-right">
        {a ? (
          <>
            <AiPanel classification={a.classification} pageReads={a.page_reads} />
            <FieldsTable
              fields={a.fields}
              duplicate={doc.document.duplicate}
              onSelectSpan={(s) => {
                setObs(null);
                setSpan(s);
              }}
            />
            <LabSummary summary={a.summary} />
            {a.observations.length > 0 && <ObservationsTable observations={a.observations} selected={obs} onSelect={selectObs} />}
            {a.warnings.length > 0 && (
              <section className="panel" aria-labelledby="warn-title">
                <h3 id="warn-title">{t("detail.analysisWarnings")}</h3>
                <ul className="concerns">
                  {a.warnings.map((w) => (
                    <li key={w}>⚠ {t.code("warn", w)}</li>
                  ))}
                </ul>
              </section>
            )}
            <DocText text={a.text} highlight={span} source={a.text_source} />
          </>
        ) : (
          <section className="panel">
            {doc.document.duplicate && (
              <p className="notice notice-warn" data-testid="duplicate-warning">
                ⚠ {t("detail.duplicate")}
              </p>
            )}
            <p className="muted">{t("detail.notAnalysed")}</p>
          </section>
        )}
      </div>
    </div>
  );
}

export function CaseDetailScreen({ id, breakGlassReason }: { id: string; breakGlassReason?: string }) {
  const t = useT();
  const { handleError, navigate } = useApp();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const seq = useRef(0);

  const reload = useCallback(async (): Promise<Detail | null> => {
    const mine = ++seq.current;
    try {
      const d = await openCase(id, breakGlassReason);
      if (mine === seq.current) {
        setDetail(d);
        setError(null);
      }
      return d;
    } catch (e) {
      const err = handleError(e);
      if (err && mine === seq.current) setError(err.message);
      return null;
    }
  }, [id, breakGlassReason, handleError]);

  useEffect(() => {
    setDetail(null);
    setSelected(null);
    void reload();
  }, [reload]);

  const docs = detail?.documents ?? [];
  const current = docs.find((d) => d.document.id === selected) ?? docs[0] ?? null;
  const jobs = useMemo(() => (detail ? detail.documents.flatMap((d) => d.jobs) : []), [detail]);
  const onSettled = useCallback(() => void reload(), [reload]);

  if (!detail) {
    return (
      <main className="page">
        <button type="button" className="btn btn-link" onClick={() => navigate({ name: "cases" })}>
          ‹ {t("detail.back")}
        </button>
        {error ? <ErrorMessage message={error} /> : <p className="muted" aria-live="polite">{t("common.loading")}</p>}
      </main>
    );
  }

  const c = detail.case;
  const humanDecision = c.decision ? t(`decision.${c.decision}`) : null;
  const aiSuggestion = c.ai ? t(`suggestion.${c.ai.suggestion}`) : null;
  const divergence =
    humanDecision && aiSuggestion ? (
      <p className="divergence" data-testid="divergence-line">
        {t("detail.divergence", { ai: aiSuggestion, human: humanDecision })}
      </p>
    ) : null;

  return (
    <main className="page" aria-labelledby="case-title">
      <button type="button" className="btn btn-link" onClick={() => navigate({ name: "cases" })}>
        ‹ {t("detail.back")}
      </button>
      <div className="case-head">
        <div>
          <h1 id="case-title">{c.subject.name}</h1>
          <p className="case-meta">
            <span>{t(`kind.${c.kind}`)}</span>
            <StatusBadge status={c.status} testId="case-status" />
            <span className="version" data-testid="case-version" data-version={c.version}>
              {t("detail.version", { version: c.version })}
            </span>
          </p>
          <dl className="kv inline">
            <dt>{t("detail.createdBy")}</dt>
            <dd>{detail.created_by_name ?? t("common.none")}</dd>
            <dt>{t("detail.reviewer")}</dt>
            <dd data-testid="case-reviewer">{detail.reviewer_name ?? t("common.none")}</dd>
            <dt>{t("detail.dob")}</dt>
            <dd>{c.subject.date_of_birth ? t.date(c.subject.date_of_birth) : t("common.none")}</dd>
            <dt>{t("detail.nid")}</dt>
            <dd className="mono">{c.subject.national_id ?? t("common.none")}</dd>
            <dt>{t("detail.consent")}</dt>
            <dd>{t("detail.consentValue", { date: t.date(c.consent.at), version: c.consent.policy_version })}</dd>
          </dl>
        </div>
        <ReviewPanel detail={detail} reload={reload} />
      </div>

      {detail.break_glass && (
        <p className="notice notice-warn" role="alert" data-testid="break-glass-banner">
          {t("detail.breakGlass")}
        </p>
      )}
      {error && <ErrorMessage message={error} />}
      {c.status === "REJECTED" ? (
        <div className="banner banner-rejected" data-testid="reject-banner" role="note">
          <strong>{t("detail.rejected", { reason: c.decision_reason ?? "" })}</strong>
          {divergence}
        </div>
      ) : (
        divergence
      )}

      <section className="documents" aria-labelledby="docs-title">
        <h2 id="docs-title">{t("detail.documents")}</h2>
        {docs.length === 0 ? (
          <p className="muted">{t("detail.noDocuments")}</p>
        ) : (
          <>
            <ul className="doc-list">
              {docs.map((d) => {
                const label = d.analysis?.classification.label;
                const active = current?.document.id === d.document.id;
                return (
                  <li key={d.document.id}>
                    <button
                      type="button"
                      className="doc-item"
                      aria-pressed={active}
                      data-testid="document-item"
                      data-file-name={d.document.file_name}
                      onClick={() => setSelected(d.document.id)}
                    >
                      <span className="mono">{d.document.file_name}</span>
                      <span className="muted small">{label ? t.code("doc", label) : t("detail.notAnalysed")}</span>
                      {d.document.duplicate && <span className="warn-chip">⚠ {t("detail.duplicate")}</span>}
                    </button>
                  </li>
                );
              })}
            </ul>
            {current && <DocumentSection key={current.document.id} caseId={c.id} doc={current} />}
          </>
        )}
      </section>

      <GdprPanel detail={detail} />
      <JobsPanel caseId={c.id} jobs={jobs} documents={docs.map((d) => d.document)} onSettled={onSettled} />
      <Timeline entries={detail.timeline} />
    </main>
  );
}

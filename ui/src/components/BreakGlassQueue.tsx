// The auditor's break-glass queue: openings of cases by clinicians who did not create them, with
// the reason they gave, until an auditor has read and acknowledged each one. A record outlives
// its case's erasure; it holds ids and the reason, nothing of the subject.
import { useCallback, useEffect, useState } from "react";
import { acknowledgeBreakGlass, breakGlassEvents } from "../api/commands";
import type { BreakGlassEvent } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { ErrorMessage } from "./ErrorMessage";

export function BreakGlassQueue() {
  const t = useT();
  const { handleError } = useApp();
  const [events, setEvents] = useState<BreakGlassEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setEvents(await breakGlassEvents(true));
      setError(null);
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
    }
  }, [handleError]);

  useEffect(() => void load(), [load]);

  const ack = async (id: string) => {
    setBusy(id);
    try {
      await acknowledgeBreakGlass(id);
      await load();
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="bg-queue-title" data-testid="break-glass-queue">
      <h2 id="bg-queue-title">{t("bgq.title")}</h2>
      <ErrorMessage message={error} />
      {events === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : events.length === 0 ? (
        <p className="muted" data-testid="break-glass-queue-empty">
          {t("bgq.empty")}
        </p>
      ) : (
        <ul className="concerns">
          {events.map((e) => (
            <li key={e.id} data-testid="break-glass-record" data-case-id={e.case_id}>
              <p>
                {t("bgq.who", { user: e.user_name ?? e.user_id, time: t.dateTime(e.at) })}{" "}
                <span className="mono small">{e.case_id}</span>
                {e.case_erased && <span className="warn-chip"> {t("bgq.erased")}</span>}
              </p>
              <blockquote data-testid="break-glass-record-reason">{e.reason}</blockquote>
              <button
                type="button"
                className="btn btn-small"
                disabled={busy !== null}
                data-testid="break-glass-ack"
                onClick={() => void ack(e.id)}
              >
                {t("bgq.ack")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

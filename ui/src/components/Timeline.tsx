// The case's audit trail: who did what, when, and with which outcome.
import type { TimelineEntry } from "../api/types";
import { useT } from "../i18n";

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t("timeline.empty")}</p>
      ) : (
        <ol className="timeline">
          {entries.map((e) => (
            <li key={e.seq} data-testid="timeline-entry" data-action={e.action} className={`outcome-${e.outcome}`}>
              <time dateTime={e.timestamp}>{t.dateTime(e.timestamp)}</time>
              <span className="timeline-actor">
                {e.actor_name ?? t("timeline.system")}
                {e.actor_role && <span className="muted"> ({t.code("role", e.actor_role)})</span>}
              </span>
              <span className="timeline-action">{t.code("action", e.action)}</span>
              <span className={`timeline-outcome outcome-${e.outcome}`}>{t.code("outcome", e.outcome)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

// The case's analysis jobs, polled while any is queued or running; dead jobs can be retried.
import { useEffect, useRef, useState } from "react";
import { listJobs, retryJob } from "../api/commands";
import type { DocumentInfo, Job } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { useInterval } from "../lib/hooks";
import { ErrorMessage } from "./ErrorMessage";

const isActive = (j: Job) => j.status === "queued" || j.status === "processing";

export function JobsPanel({
  caseId,
  jobs: initial,
  documents,
  onSettled,
}: {
  caseId: string;
  jobs: Job[];
  documents: DocumentInfo[];
  /** Called when the last running job finished, so the case (analysis, AI signal) can be reloaded. */
  onSettled: () => void;
}) {
  const t = useT();
  const { handleError } = useApp();
  const [jobs, setJobs] = useState<Job[]>(initial);
  const [error, setError] = useState<string | null>(null);
  const wasActive = useRef(initial.some(isActive));

  useEffect(() => setJobs(initial), [initial]);

  const active = jobs.some(isActive);
  useEffect(() => {
    if (wasActive.current && !active) onSettled();
    wasActive.current = active;
  }, [active, onSettled]);

  useInterval(
    () => {
      listJobs(caseId).then(setJobs, (e) => {
        const err = handleError(e);
        if (err) setError(err.message);
      });
    },
    1500,
    active,
  );

  const retry = async (job: Job) => {
    setError(null);
    try {
      const updated = await retryJob(job.id);
      setJobs((js) => js.map((j) => (j.id === updated.id ? updated : j)));
    } catch (e) {
      const err = handleError(e);
      if (err) setError(err.message);
    }
  };

  const fileName = (id: string) => documents.find((d) => d.id === id)?.file_name ?? id;
  const running = jobs.filter(isActive).length;
  return (
    <section className="panel" aria-labelledby="jobs-title" data-testid="jobs-panel">
      <h2 id="jobs-title">{t("jobs.title")}</h2>
      <p className="muted small" aria-live="polite">
        {running > 0 ? t("jobs.active", { count: running }) : ""}
      </p>
      <ErrorMessage message={error} />
      {jobs.length === 0 ? (
        <p className="muted">{t("jobs.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">{t("jobs.document")}</th>
                <th scope="col">{t("jobs.status")}</th>
                <th scope="col">{t("jobs.progress")}</th>
                <th scope="col">{t("jobs.attempts")}</th>
                <th scope="col">{t("jobs.worker")}</th>
                <th scope="col">{t("jobs.started")}</th>
                <th scope="col">{t("jobs.finished")}</th>
                <th scope="col">{t("jobs.error")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("jobs.retry")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-testid="job-row" data-status={j.status}>
                  <td className="mono">{fileName(j.document_id)}</td>
                  <td>
                    <span className={`job-status job-${j.status}`}>{t(`jobStatus.${j.status}`)}</span>
                  </td>
                  <td>
                    <progress max={100} value={j.progress} aria-label={t("jobs.progress")} /> {j.progress} %
                  </td>
                  <td>
                    {j.attempts}/{j.max_attempts}
                  </td>
                  <td className="mono">{j.worker_id ?? t("common.none")}</td>
                  <td>{t.dateTime(j.started_at)}</td>
                  <td>{t.dateTime(j.finished_at)}</td>
                  <td className="job-error">{j.last_error ?? ""}</td>
                  <td>
                    {j.status === "dead" && (
                      <button type="button" className="btn btn-small" data-testid="job-retry" onClick={() => retry(j)}>
                        {t("jobs.retry")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

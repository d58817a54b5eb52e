// Drop zone and file picker for a case; each file uploads and is analysed on its own, in parallel.
import { useRef, useState, type DragEvent } from "react";
import { addDocument, documentDetail, listJobs } from "../api/commands";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { useInterval } from "../lib/hooks";

type UploadState = "uploading" | "analysing" | "done" | "error";

interface Item {
  key: number;
  name: string;
  state: UploadState;
  progress: number;
  jobId?: string;
  documentId?: string;
  label?: string | null;
  error?: string;
  warnings: string[];
  /** The job is done and the label is being fetched: stop polling for it. */
  finishing?: boolean;
}

export const ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.tif,.tiff";

export function UploadPanel({ caseId }: { caseId: string }) {
  const t = useT();
  const { handleError } = useApp();
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(1);
  const polling = useRef(false);

  const update = (key: number, patch: Partial<Item>) =>
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...patch } : it)));

  const fail = (key: number, e: unknown) => {
    const err = handleError(e);
    if (err) update(key, { state: "error", error: err.message });
  };

  const uploadOne = async (key: number, file: File) => {
    try {
      const added = await addDocument(caseId, file);
      update(key, {
        state: "analysing",
        jobId: added.job_id,
        documentId: added.document.id,
        warnings: added.warnings,
      });
    } catch (e) {
      fail(key, e);
    }
  };

  const addFiles = (files: FileList | File[] | null) => {
    if (!files) return;
    const list = Array.from(files);
    if (list.length === 0) return;
    const fresh: Item[] = list.map((f) => ({
      key: nextKey.current++,
      name: f.name,
      state: "uploading",
      progress: 0,
      warnings: [],
    }));
    setItems((old) => [...old, ...fresh]);
    // Each upload settles on its own: one refused file never holds up the others.
    fresh.forEach((it, i) => void uploadOne(it.key, list[i]));
  };

  const finish = async (key: number, documentId: string) => {
    try {
      const d = await documentDetail(caseId, documentId);
      update(key, { state: "done", progress: 100, label: d.analysis?.classification.label ?? null });
    } catch (e) {
      fail(key, e);
    }
  };

  const analysing = items.filter((i) => i.state === "analysing" && !i.finishing);
  useInterval(
    () => {
      if (polling.current) return;
      polling.current = true;
      listJobs(caseId)
        .then((jobs) => {
          for (const it of analysing) {
            const job = jobs.find((j) => j.id === it.jobId) ?? jobs.find((j) => j.document_id === it.documentId);
            if (!job) continue;
            if (job.status === "done") {
              update(it.key, { progress: 100, finishing: true });
              void finish(it.key, job.document_id);
            } else if (job.status === "failed" || job.status === "dead") {
              update(it.key, { state: "error", error: job.last_error ?? t("upload.error") });
            } else {
              update(it.key, { progress: job.progress });
            }
          }
        })
        .catch((e) => handleError(e))
        .finally(() => {
          polling.current = false;
        });
    },
    1000,
    analysing.length > 0,
  );

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    setDragging(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  };

  const stateText = (it: Item) => {
    switch (it.state) {
      case "uploading":
        return t("upload.uploading");
      case "analysing":
        return t("upload.analysing", { progress: it.progress });
      case "done":
        return t("upload.done");
      case "error":
        return t("upload.error");
    }
  };

  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">{t("new.documents")}</h2>
      <div
        className={`drop-zone${dragging ? " dragging" : ""}`}
        data-testid="drop-zone"
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="drop-title">{t("drop.zone")}</p>
        <p className="muted">{t("drop.or")}</p>
        <input
          id="file-input"
          className="visually-hidden file-input"
          type="file"
          multiple
          accept={ACCEPT}
          data-testid="file-input"
          onChange={(e) => {
            addFiles(e.target.files);
            e.target.value = "";
          }}
        />
        <label htmlFor="file-input" className="btn file-label">
          {t("drop.choose")}
        </label>
        <p className="muted small">{t("drop.accepted")}</p>
      </div>
      {items.length > 0 && (
        <>
          <h3>{t("upload.list")}</h3>
          <ul className="uploads" aria-live="polite">
            {items.map((it) => (
              <li key={it.key} className={`upload upload-${it.state}`} data-testid="upload-item" data-file-name={it.name} data-state={it.state}>
                <span className="mono upload-name">{it.name}</span>
                <span className="upload-state">{stateText(it)}</span>
                {(it.state === "uploading" || it.state === "analysing") && (
                  <progress
                    max={100}
                    value={it.state === "uploading" ? undefined : it.progress}
                    aria-label={`${it.name}: ${stateText(it)}`}
                  />
                )}
                {it.state === "done" && (
                  <span className="upload-label">
                    {t("upload.label", { label: it.label ? t.code("doc", it.label) : t("ai.unknown") })}
                  </span>
                )}
                {it.warnings.map((w) => (
                  <span key={w} className="warn-chip">
                    ⚠ {w === "duplicate" ? t("detail.duplicate") : t.code("warn", w)}
                  </span>
                ))}
                {it.state === "error" && (
                  <span className="upload-error" role="alert" data-testid="upload-error">
                    {it.error}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

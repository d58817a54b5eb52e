// Shows a document's decrypted bytes from memory: images via a Blob URL, PDFs via pdf.js canvases.
import { useEffect, useRef, useState } from "react";
import { readDocument } from "../api/commands";
import type { DocumentInfo } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import type { LoadedPdf } from "../lib/pdf";
import { ErrorMessage } from "./ErrorMessage";

type Loaded =
  | { kind: "loading" }
  | { kind: "image"; url: string }
  | { kind: "pdf"; pdf: LoadedPdf; pages: number }
  | { kind: "unsupported" }
  | { kind: "error"; message: string };

function toBytes(data: ArrayBuffer | number[] | Uint8Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Uint8Array.from(data);
  return new Uint8Array(data);
}

function isPdf(doc: DocumentInfo) {
  return doc.media_type === "application/pdf" || /\.pdf$/i.test(doc.file_name);
}

export function DocumentViewer({ caseId, doc }: { caseId: string; doc: DocumentInfo }) {
  const t = useT();
  const { handleError } = useApp();
  const [state, setState] = useState<Loaded>({ kind: "loading" });
  const [page, setPage] = useState(1);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let cancelled = false;
    let url: string | null = null;
    let pdf: LoadedPdf | null = null;
    setState({ kind: "loading" });
    setPage(1);
    (async () => {
      try {
        const bytes = toBytes(await readDocument(caseId, doc.id));
        if (cancelled) return;
        if (doc.media_type.startsWith("image/")) {
          url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: doc.media_type }));
          setState({ kind: "image", url });
        } else if (isPdf(doc)) {
          const { loadPdf } = await import("../lib/pdf");
          const loaded = await loadPdf(bytes);
          if (cancelled) {
            loaded.destroy();
            return;
          }
          pdf = loaded;
          setState({ kind: "pdf", pdf: loaded, pages: loaded.doc.numPages });
        } else {
          setState({ kind: "unsupported" });
        }
      } catch (e) {
        if (cancelled) return;
        const err = handleError(e);
        if (err) setState({ kind: "error", message: err.message || t("viewer.failed") });
      }
    })();
    return () => {
      cancelled = true;
      // Nothing of the document outlives the view: drop the Blob URL and pdf.js' copy.
      if (url) URL.revokeObjectURL(url);
      pdf?.destroy();
    };
  }, [caseId, doc.id]);

  useEffect(() => {
    if (state.kind !== "pdf") return;
    let cancelled = false;
    let task: { cancel: () => void; promise: Promise<void> } | null = null;
    (async () => {
      try {
        const p = await state.pdf.doc.getPage(page);
        const canvas = canvasRef.current;
        if (cancelled || !canvas) return;
        const ratio = window.devicePixelRatio || 1;
        const width = canvas.parentElement?.clientWidth || 700;
        const base = p.getViewport({ scale: 1 });
        const scale = Math.min(2.5, Math.max(0.5, width / base.width));
        const viewport = p.getViewport({ scale: scale * ratio });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
        const ctx = canvas.getContext("2d");
        if (!ctx) return;
        task = p.render({ canvas, canvasContext: ctx, viewport });
        await task.promise;
      } catch {
        // A cancelled render rejects; a broken page just stays blank.
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [state, page]);

  return (
    <section className="panel viewer" aria-labelledby="viewer-title" data-testid="doc-viewer">
      <h3 id="viewer-title">
        {t("viewer.title")}: <span className="mono">{doc.file_name}</span>
      </h3>
      {state.kind === "loading" && (
        <p className="muted" aria-live="polite">
          {t("viewer.loading")}
        </p>
      )}
      {state.kind === "error" && <ErrorMessage message={state.message} />}
      {state.kind === "unsupported" && <p className="muted">{t("viewer.unsupported", { type: doc.media_type })}</p>}
      {state.kind === "image" && (
        <img
          className="viewer-image"
          src={state.url}
          alt={doc.file_name}
          onError={() => setState({ kind: "unsupported" })}
        />
      )}
      {state.kind === "pdf" && (
        <>
          <div className="pager">
            <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => setPage((n) => n - 1)}>
              ‹ {t("viewer.prev")}
            </button>
            <span aria-live="polite">{t("viewer.page", { page, pages: state.pages })}</span>
            <button
              type="button"
              className="btn btn-small"
              disabled={page >= state.pages}
              onClick={() => setPage((n) => n + 1)}
            >
              {t("viewer.next")} ›
            </button>
          </div>
          <div className="canvas-wrap">
            <canvas ref={canvasRef} aria-label={t("viewer.page", { page, pages: state.pages })} role="img" />
          </div>
        </>
      )}
    </section>
  );
}

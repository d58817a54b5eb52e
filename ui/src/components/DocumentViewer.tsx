// Shows a document as the sandboxed worker draws it: one PNG per page at the screen's
// resolution, with a pager and thumbnails. The window never receives or parses the document.
import { useEffect, useRef, useState } from "react";
import { pagePreview } from "../api/commands";
import type { DocumentInfo } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";
import { ErrorMessage } from "./ErrorMessage";

/** Thumbnails are drawn for this many pages at most; the pager reaches every page. */
export const MAX_THUMBNAILS = 40;
const THUMB_WIDTH = 96;

interface Shown {
  url: string;
  width: number;
  height: number;
}

type PageState = { kind: "loading" } | { kind: "shown"; shown: Shown } | { kind: "error"; message: string };

/** Screen pixels for a CSS width, so a page is sharp on high-density displays. */
function screenPixels(cssWidth: number) {
  return Math.round(cssWidth * (window.devicePixelRatio || 1));
}

/** Keyed by the document in its parent, so each document starts at page 1 with nothing shown. */
export function DocumentViewer({ caseId, doc }: { caseId: string; doc: DocumentInfo }) {
  const t = useT();
  const { handleError } = useApp();
  const wrapRef = useRef<HTMLDivElement>(null);
  const [page, setPage] = useState(1);
  const [pages, setPages] = useState<number | null>(null);
  const [state, setState] = useState<PageState>({ kind: "loading" });
  const [thumbs, setThumbs] = useState<Record<number, string>>({});

  // The page shown, drawn at the viewer's width.
  useEffect(() => {
    let cancelled = false;
    let url: string | null = null;
    setState({ kind: "loading" });
    const cssWidth = Math.max(320, Math.min(1600, wrapRef.current?.clientWidth || 760));
    (async () => {
      try {
        const preview = await pagePreview(caseId, doc.id, page, screenPixels(cssWidth));
        if (cancelled) return;
        url = URL.createObjectURL(preview.png);
        setPages(preview.pages);
        setState({ kind: "shown", shown: { url, width: preview.width, height: preview.height } });
      } catch (e) {
        if (cancelled) return;
        const err = handleError(e);
        if (err) setState({ kind: "error", message: err.message || t("viewer.failed") });
      }
    })();
    return () => {
      cancelled = true;
      // Nothing of the document outlives the view.
      if (url) URL.revokeObjectURL(url);
    };
  }, [caseId, doc.id, page]);

  // Thumbnails, one after another once the page count is known, for a document of several pages.
  useEffect(() => {
    if (!pages || pages < 2) return;
    let cancelled = false;
    const urls: string[] = [];
    (async () => {
      for (let n = 1; n <= Math.min(pages, MAX_THUMBNAILS) && !cancelled; n++) {
        try {
          const preview = await pagePreview(caseId, doc.id, n, screenPixels(THUMB_WIDTH));
          if (cancelled) return;
          const url = URL.createObjectURL(preview.png);
          urls.push(url);
          setThumbs((shown) => ({ ...shown, [n]: url }));
        } catch {
          // A page that cannot be drawn keeps its numbered placeholder; the main view says why.
        }
      }
    })();
    return () => {
      cancelled = true;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [caseId, doc.id, pages]);

  const label = pages ? t("viewer.page", { page, pages }) : t("viewer.loading");
  return (
    <section className="panel viewer" aria-labelledby="viewer-title" data-testid="doc-viewer">
      <h3 id="viewer-title">
        {t("viewer.title")}: <span className="mono">{doc.file_name}</span>
      </h3>
      {pages !== null && pages > 1 && (
        <div className="pager">
          <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => setPage((n) => n - 1)}>
            ‹ {t("viewer.prev")}
          </button>
          <span aria-live="polite" data-testid="viewer-page-label">
            {label}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={page >= pages}
            onClick={() => setPage((n) => n + 1)}
          >
            {t("viewer.next")} ›
          </button>
        </div>
      )}
      <div className="viewer-body">
        {pages !== null && pages > 1 && (
          <ol className="viewer-thumbs" aria-label={t("viewer.thumbnails")}>
            {Array.from({ length: Math.min(pages, MAX_THUMBNAILS) }, (_, i) => i + 1).map((n) => (
              <li key={n}>
                <button
                  type="button"
                  className={n === page ? "thumb current" : "thumb"}
                  aria-current={n === page ? "page" : undefined}
                  aria-label={t("viewer.page", { page: n, pages })}
                  data-testid="viewer-thumb"
                  onClick={() => setPage(n)}
                >
                  {thumbs[n] ? <img src={thumbs[n]} alt="" /> : <span className="thumb-number">{n}</span>}
                </button>
              </li>
            ))}
          </ol>
        )}
        <div className="page-wrap" ref={wrapRef}>
          {state.kind === "loading" && (
            <p className="muted" aria-live="polite">
              {t("viewer.loading")}
            </p>
          )}
          {state.kind === "error" && <ErrorMessage message={state.message} />}
          {state.kind === "shown" && (
            <img
              className="viewer-page"
              data-testid="viewer-page"
              data-page={page}
              src={state.shown.url}
              width={state.shown.width}
              height={state.shown.height}
              // Fills the viewer, but an image file smaller than it is not blown up.
              style={{ maxWidth: `min(100%, ${state.shown.width / (window.devicePixelRatio || 1)}px)` }}
              alt={pages ? t("viewer.page", { page, pages }) : doc.file_name}
            />
          )}
        </div>
      </div>
    </section>
  );
}

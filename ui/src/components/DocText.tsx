// The document's text (collapsible) with the selected source span wrapped in <mark> and scrolled to.
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n";

export interface Span {
  start: number;
  end: number;
}

/** Splits `text` around `span` (UTF-16 offsets, as JavaScript strings use), clamped to the text. */
export function splitAt(text: string, span: Span | null): [string, string, string] | null {
  if (!span) return null;
  const start = Math.max(0, Math.min(text.length, span.start));
  const end = Math.max(start, Math.min(text.length, span.end));
  return [text.slice(0, start), text.slice(start, end), text.slice(end)];
}

// Form feeds separate pages; a newline keeps every offset where it was.
const show = (s: string) => s.replace(/\f/g, "\n");

export function DocText({ text, highlight, source }: { text: string; highlight: Span | null; source: string | null }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const markRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (highlight) setOpen(true);
  }, [highlight]);

  useEffect(() => {
    if (open && highlight) markRef.current?.scrollIntoView?.({ block: "center", behavior: "smooth" });
  }, [open, highlight]);

  const parts = splitAt(text, highlight);
  return (
    <section className="panel" aria-labelledby="text-title">
      <div className="panel-head">
        <h3 id="text-title">{t("text.title")}</h3>
        <button
          type="button"
          className="btn btn-small"
          aria-expanded={open}
          aria-controls="doc-text"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t("text.hide") : t("text.show")}
        </button>
      </div>
      {source && <p className="muted small">{t("text.source", { source })}</p>}
      <pre id="doc-text" className="doc-text" data-testid="doc-text" hidden={!open} tabIndex={open ? 0 : -1}>
        {text === "" ? (
          t("text.empty")
        ) : parts ? (
          <>
            {show(parts[0])}
            <mark ref={markRef}>{show(parts[1])}</mark>
            {show(parts[2])}
          </>
        ) : (
          show(text)
        )}
      </pre>
    </section>
  );
}

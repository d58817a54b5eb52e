// pdf.js set up for the strict CSP: worker from our own bundle, no eval. Loaded lazily.
// The legacy build is used on purpose: the modern one calls brand-new APIs (Map.getOrInsertComputed)
// without a fallback, which the Linux WebKitGTK webview does not have yet.
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import workerUrl from "pdfjs-dist/legacy/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export interface LoadedPdf {
  doc: PDFDocumentProxy;
  destroy: () => void;
}

export async function loadPdf(data: Uint8Array): Promise<LoadedPdf> {
  const task = getDocument({ data, isEvalSupported: false });
  const doc = await task.promise;
  return { doc, destroy: () => void task.destroy() };
}

// Tests for uploads: every file has its own row and state; one refused file never blocks the rest.
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addDocument, documentDetail, listJobs } from "../api/commands";
import type { AddedDocument, DocumentDetail, Job } from "../api/types";
import { renderApp } from "../test/render";
import { UploadPanel } from "./UploadPanel";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  addDocument: vi.fn(),
  listJobs: vi.fn(),
  documentDetail: vi.fn(),
}));

const job = (status: Job["status"], progress: number): Job => ({
  id: "j1", kind: "analyze", case_id: "c1", document_id: "d1", status, progress, attempts: 1, max_attempts: 3,
  worker_id: "w1", lease_until: null, not_before: "", last_error: null, created_at: "", updated_at: "",
  started_at: null, finished_at: null,
});

describe("UploadPanel", () => {
  beforeEach(() => vi.clearAllMocks());

  it("uploads dropped files in parallel: a refused file shows the core's message, the other is analysed to done", async () => {
    vi.mocked(addDocument).mockImplementation(async (_case, file) => {
      if (file.name === "locked.pdf") throw { kind: "invalid_input", code: "pdf_encrypted", message: "Krypterte PDF-er kan ikke analyseres" };
      return { document: { id: "d1", file_name: file.name }, job_id: "j1", warnings: [] } as unknown as AddedDocument;
    });
    const jobs = [job("processing", 40)];
    vi.mocked(listJobs).mockImplementation(async () => jobs);
    vi.mocked(documentDetail).mockResolvedValue({
      analysis: { classification: { label: "passport" } },
    } as unknown as DocumentDetail);

    renderApp(<UploadPanel caseId="c1" />);
    const files = [new File(["%PDF"], "locked.pdf", { type: "application/pdf" }), new File(["x"], "pass.jpg", { type: "image/jpeg" })];
    fireEvent.drop(screen.getByTestId("drop-zone"), { dataTransfer: { files } });

    const items = () => screen.getAllByTestId("upload-item");
    await waitFor(() => expect(items().map((i) => i.dataset.state)).toEqual(["error", "analysing"]));
    expect(items()[0].querySelector("[data-testid=upload-error]")!.textContent).toBe("Krypterte PDF-er kan ikke analyseres");

    await waitFor(() => expect(items()[1].textContent).toContain("Analysing… 40 %"), { timeout: 2500 });
    jobs[0] = job("done", 100);
    await waitFor(() => expect(items()[1].dataset.state).toBe("done"), { timeout: 2500 });
    expect(items()[1].textContent).toContain("AI: Passport");
    expect(documentDetail).toHaveBeenCalledWith("c1", "d1");
  });

  it("offers a multi-file picker limited to the accepted types", async () => {
    vi.mocked(addDocument).mockReturnValue(new Promise(() => {}));
    renderApp(<UploadPanel caseId="c1" />);
    const input = screen.getByTestId("file-input") as HTMLInputElement;
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe(".pdf,.jpg,.jpeg,.png,.webp,.tif,.tiff");
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(["a"], "a.png"), new File(["b"], "b.png")] } });
    });
    expect(screen.getAllByTestId("upload-item").map((i) => i.dataset.state)).toEqual(["uploading", "uploading"]);
  });
});

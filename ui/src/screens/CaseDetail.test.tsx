// Tests for the case detail screen: header facts, rejection banner, and a stale decision end to end.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { approve, openCase, pagePreview, retryJob } from "../api/commands";
import type { DocumentDetail, FieldWarning, Job } from "../api/types";
import { makeDetail } from "../test/fixtures";
import { renderApp } from "../test/render";
import { CaseDetailScreen } from "./CaseDetail";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  openCase: vi.fn(),
  approve: vi.fn(),
  pagePreview: vi.fn(),
  retryJob: vi.fn(),
  listJobs: vi.fn().mockResolvedValue([]),
}));

describe("CaseDetailScreen", () => {
  beforeEach(() => vi.clearAllMocks());

  it("shows version, status, rejection reason and the AI-versus-human line", async () => {
    vi.mocked(openCase).mockResolvedValue(
      makeDetail(
        { version: 4, status: "REJECTED", decision: "rejected", decision_reason: "Utløpt pass" },
        {
          allowed: [],
          timeline: [
            { seq: 1, timestamp: "2025-01-02T10:00:00Z", action: "case.create", actor_user_id: "u0", actor_name: "per", actor_role: "clinician", outcome: "success", context: {} },
            { seq: 2, timestamp: "2025-01-02T11:00:00Z", action: "review.reject", actor_user_id: "u1", actor_name: "kari", actor_role: "reviewer", outcome: "success", context: {} },
          ],
        },
      ),
    );
    renderApp(<CaseDetailScreen id="c1" />);
    expect((await screen.findByTestId("case-version")).textContent).toBe("Version 4");
    expect(screen.getByTestId("case-status").dataset.status).toBe("REJECTED");
    expect(screen.getByTestId("reject-banner").textContent).toContain("Rejected: Utløpt pass");
    expect(screen.getByTestId("divergence-line").textContent).toBe("AI suggestion: Approve / Human decision: Rejected");
    const entries = screen.getAllByTestId("timeline-entry");
    expect(entries.map((e) => e.dataset.action)).toEqual(["case.create", "review.reject"]);
    expect(entries[1].textContent).toContain("kari (reviewer)");
    expect(entries[1].textContent).toContain("Case rejected");
  });

  it("reloads the case after a stale_version and shows the conflict notice with the new version", async () => {
    vi.mocked(openCase)
      .mockResolvedValueOnce(makeDetail({ version: 2, status: "IN_REVIEW" }, { allowed: ["approve", "reject"], reviewer_name: "per" }))
      .mockResolvedValueOnce(makeDetail({ version: 3, status: "REJECTED", decision: "rejected", decision_reason: "Feil person" }, { allowed: [], reviewer_name: "per" }));
    vi.mocked(approve).mockRejectedValue({ kind: "conflict", code: "stale_version", message: "stale", expected_version: 2, current_version: 3 });
    renderApp(<CaseDetailScreen id="c1" />);
    fireEvent.click(await screen.findByTestId("review-approve"));
    const notice = await screen.findByTestId("conflict-notice");
    expect(notice.textContent).toContain("(version 2 → 3): status In review → Rejected; reason: Feil person. Nothing was saved.");
    await waitFor(() => expect(screen.getByTestId("case-version").textContent).toBe("Version 3"));
    expect(screen.queryByTestId("review-approve")).toBeNull();
    expect(openCase).toHaveBeenCalledTimes(2);
  });

  it("shows a document's AI panel, translated field warnings, duplicate warning and a retry for a dead job", async () => {
    vi.mocked(pagePreview).mockReturnValue(new Promise(() => {}));
    const dead: Job = {
      id: "j1", kind: "analyze", case_id: "c1", document_id: "d1", status: "dead", progress: 30, attempts: 3, max_attempts: 3,
      worker_id: "w-2", lease_until: null, not_before: "", last_error: "OCR crashed", created_at: "", updated_at: "",
      started_at: "2025-01-02T10:00:00Z", finished_at: null,
    };
    const doc: DocumentDetail = {
      document: {
        id: "d1", case_id: "c1", file_name: "pass.png", media_type: "image/png", size_bytes: 10, sha256: "ab",
        duplicate: true, added_by: "u0", added_at: "2025-01-02T10:00:00Z",
      },
      analysis: {
        file: "pass.png", sha256: "ab", mime: "image/png", pages: 1, text_source: "ocr", ocr_confidence: 0.9,
        text: "P<NORNORDMANN<<OLA",
        classification: {
          label: "passport", confidence: 0.62, model: "clf-1.2", threshold: 0.7, suggestion: "manual_review",
          uncertain: true, concerns: ["low_ocr_confidence"], unavailable: null,
        },
        // "odd_code" stands for a warning from a newer core: it is shown as its code.
        fields: { expiry_date: { value: "2020-01-01", start: null, end: null, warnings: ["expired", "odd_code" as FieldWarning], confidence: 0.8 } },
        observations: [],
        summary: null,
        warnings: [],
        timings_ms: { validate: 1, extract: 2, ocr: 2, classify: 1, extract_fields: 0, mrz: 0, total: 6 },
        page_reads: [],
      },
      jobs: [dead],
    };
    vi.mocked(openCase).mockResolvedValue(makeDetail({}, { documents: [doc], allowed: [] }));
    vi.mocked(retryJob).mockResolvedValue({ ...dead, status: "queued", attempts: 0 });
    renderApp(<CaseDetailScreen id="c1" />);
    expect((await screen.findByTestId("ai-label")).textContent).toBe("Passport");
    expect(screen.getByTestId("ai-confidence").getAttribute("aria-valuenow")).toBe("62");
    expect(screen.getByTestId("ai-suggestion").textContent).toBe("Manual review");
    expect(screen.getByTestId("ai-model").textContent).toBe("clf-1.2");
    const fields = screen.getByTestId("fields-table").textContent!;
    expect(fields).toContain("Expired");
    expect(fields).toContain("odd_code");
    expect(screen.getByTestId("duplicate-warning")).toBeTruthy();
    expect(screen.getByTestId("document-item").dataset.fileName).toBe("pass.png");
    expect(screen.getByTestId("job-row").dataset.status).toBe("dead");
    fireEvent.click(screen.getByTestId("job-retry"));
    await waitFor(() => expect(screen.getByTestId("job-row").dataset.status).toBe("queued"));
    expect(retryJob).toHaveBeenCalledWith("j1");
  });
});

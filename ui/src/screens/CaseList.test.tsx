// Tests for the case list: count cards filter, one page at a time, stale answers ignored.
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { caseCounts, listCases } from "../api/commands";
import type { CaseQuery, CaseSummary, Page } from "../api/types";
import { renderApp } from "../test/render";
import { CaseList } from "./CaseList";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  caseCounts: vi.fn(),
  listCases: vi.fn(),
}));

function row(i: number, status: CaseSummary["status"] = "PENDING"): CaseSummary {
  return {
    id: `c${i}`,
    kind: "identity",
    subject_name: `Person ${i}`,
    status,
    version: 1,
    ai: { labels: ["passport"], confidence: 0.8, suggestion: "approve", model: "m" },
    reviewer_name: null,
    created_by_name: "per",
    created_at: "2025-01-01T10:00:00Z",
    updated_at: "2025-01-01T10:00:00Z",
  };
}

function page(q: CaseQuery, total = 100_000): Page<CaseSummary> {
  const n = Math.max(0, Math.min(q.limit, total - q.offset));
  return { total, offset: q.offset, limit: q.limit, items: Array.from({ length: n }, (_, i) => row(q.offset + i, q.status ?? "PENDING")) };
}

const lastQuery = () => vi.mocked(listCases).mock.calls.at(-1)![0];

describe("CaseList", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.mocked(caseCounts).mockResolvedValue({ pending: 40_000, in_review: 10_000, approved: 45_000, rejected: 5_000 });
    vi.mocked(listCases).mockImplementation(async (q) => page(q));
  });

  it("shows the counts on the cards and filters by a card's status when clicked, clearing on a second click", async () => {
    renderApp(<CaseList />);
    const pending = screen.getByTestId("count-pending");
    await waitFor(() => expect(pending.textContent).toContain("40,000"));
    expect(pending.getAttribute("aria-pressed")).toBe("false");

    fireEvent.click(pending);
    await waitFor(() => expect(lastQuery().status).toBe("PENDING"));
    expect(pending.getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByTestId("filter-status") as HTMLSelectElement).value).toBe("PENDING");

    fireEvent.click(screen.getByTestId("count-rejected"));
    await waitFor(() => expect(lastQuery().status).toBe("REJECTED"));
    expect(pending.getAttribute("aria-pressed")).toBe("false");
    expect(screen.getByTestId("count-rejected").getAttribute("aria-pressed")).toBe("true");

    fireEvent.click(screen.getByTestId("count-rejected"));
    await waitFor(() => expect(lastQuery().status).toBeNull());
    expect(screen.getByTestId("count-rejected").getAttribute("aria-pressed")).toBe("false");
  });

  it("fetches only one page of 50 and shows the range of the total", async () => {
    renderApp(<CaseList />);
    await waitFor(() => expect(screen.getAllByTestId("case-row")).toHaveLength(50));
    expect(lastQuery()).toMatchObject({ limit: 50, offset: 0, sort: "updated", descending: true });
    expect(screen.getByTestId("case-list-total").textContent).toBe("1–50 of 100,000");
    fireEvent.click(screen.getByTestId("page-next"));
    await waitFor(() => expect(screen.getByTestId("case-list-total").textContent).toBe("51–100 of 100,000"));
    expect(lastQuery().offset).toBe(50);
  });

  it("sorts on the server when a column header is clicked and reports it with aria-sort", async () => {
    renderApp(<CaseList />);
    await waitFor(() => expect(listCases).toHaveBeenCalled());
    fireEvent.click(screen.getByTestId("sort-subject"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "subject", descending: false }));
    expect(screen.getByTestId("sort-subject").closest("th")!.getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(screen.getByTestId("sort-subject"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "subject", descending: true }));
  });

  it("ignores an older response that arrives after a newer one", async () => {
    let releaseFirst: (p: Page<CaseSummary>) => void = () => {};
    vi.mocked(listCases)
      .mockImplementationOnce(() => new Promise((r) => (releaseFirst = r)))
      .mockImplementation(async (q) => page(q, 7));
    renderApp(<CaseList />);
    fireEvent.click(screen.getByTestId("count-approved"));
    await waitFor(() => expect(screen.getByTestId("case-list-total").textContent).toBe("1–7 of 7"));
    await act(async () => releaseFirst(page({ sort: "updated", descending: true, limit: 50, offset: 0 })));
    expect(screen.getByTestId("case-list-total").textContent).toBe("1–7 of 7");
    expect(screen.getAllByTestId("case-row")).toHaveLength(7);
  });

  it("opens a case with Enter on its row", async () => {
    const navigate = vi.fn();
    renderApp(<CaseList />, { navigate });
    const rows = await screen.findAllByTestId("case-row");
    fireEvent.keyDown(rows[3], { key: "Enter" });
    expect(navigate).toHaveBeenCalledWith({ name: "case", id: "c3" });
  });
});

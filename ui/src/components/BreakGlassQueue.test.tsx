// Tests for the auditor's break-glass queue: the reason is shown, an erased case is marked, and an
// acknowledged record leaves the queue.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { acknowledgeBreakGlass, breakGlassEvents } from "../api/commands";
import type { BreakGlassEvent } from "../api/types";
import { renderApp } from "../test/render";
import { BreakGlassQueue } from "./BreakGlassQueue";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  breakGlassEvents: vi.fn(),
  acknowledgeBreakGlass: vi.fn(),
}));

const record: BreakGlassEvent = {
  id: "b1",
  case_id: "c3",
  user_id: "u5",
  user_name: "conrad",
  reason: "patient in A&E now",
  at: "2026-12-07T09:00:00Z",
  reviewed_by: null,
  reviewed_at: null,
  case_erased: true,
};

describe("BreakGlassQueue", () => {
  beforeEach(() => vi.clearAllMocks());

  it("lists unreviewed records with their reason and takes an acknowledged one off the queue", async () => {
    vi.mocked(breakGlassEvents).mockResolvedValueOnce([record]).mockResolvedValueOnce([]);
    vi.mocked(acknowledgeBreakGlass).mockResolvedValue(undefined);
    renderApp(<BreakGlassQueue />, { user: { id: "a1", name: "aud", role: "auditor", screens: ["audit"] } });
    const row = await screen.findByTestId("break-glass-record");
    expect(breakGlassEvents).toHaveBeenCalledWith(true);
    expect(row.dataset.caseId).toBe("c3");
    expect(screen.getByTestId("break-glass-record-reason").textContent).toBe("patient in A&E now");
    expect(row.textContent).toContain("conrad");
    expect(row.textContent).toContain("case erased since");
    fireEvent.click(screen.getByTestId("break-glass-ack"));
    await screen.findByTestId("break-glass-queue-empty");
    expect(acknowledgeBreakGlass).toHaveBeenCalledWith("b1");
    await waitFor(() => expect(breakGlassEvents).toHaveBeenCalledTimes(2));
  });
});

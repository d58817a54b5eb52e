// Tests for the break-glass search: exact matches only, and another's case opens only with a reason.
import { fireEvent, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { findCaseForBreakGlass } from "../api/commands";
import { renderApp } from "../test/render";
import { BreakGlassFind } from "./BreakGlassFind";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  findCaseForBreakGlass: vi.fn(),
}));

const found = { id: "c9", kind: "clinical", status: "PENDING", created_at: "2026-12-01T10:00:00Z", own: false } as const;

describe("BreakGlassFind", () => {
  beforeEach(() => vi.clearAllMocks());

  it("opens another clinician's case only with a reason of at least ten characters, passing it on", async () => {
    vi.mocked(findCaseForBreakGlass).mockResolvedValue({ ...found });
    const navigate = vi.fn();
    renderApp(<BreakGlassFind />, { navigate });
    fireEvent.change(screen.getByTestId("break-glass-query"), { target: { value: " 01019000083 " } });
    fireEvent.click(screen.getByTestId("break-glass-search"));
    expect((await screen.findByTestId("break-glass-result")).dataset.caseId).toBe("c9");
    expect(findCaseForBreakGlass).toHaveBeenCalledWith("01019000083");
    const open = screen.getByTestId("break-glass-open") as HTMLButtonElement;
    fireEvent.change(screen.getByTestId("break-glass-reason"), { target: { value: "akutt" } });
    expect(open.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("break-glass-reason"), { target: { value: "patient in A&E now" } });
    expect(open.disabled).toBe(false);
    fireEvent.click(open);
    expect(navigate).toHaveBeenCalledWith({ name: "case", id: "c9", breakGlassReason: "patient in A&E now" });
  });

  it("says when nothing matches and shows the core's refusal of a malformed search", async () => {
    vi.mocked(findCaseForBreakGlass)
      .mockResolvedValueOnce(null)
      .mockRejectedValueOnce({ kind: "invalid_input", code: "invalid_input", message: "search by the case id or by the subject's 11-digit national ID number" });
    renderApp(<BreakGlassFind />);
    fireEvent.change(screen.getByTestId("break-glass-query"), { target: { value: "01019000084" } });
    fireEvent.click(screen.getByTestId("break-glass-search"));
    expect((await screen.findByTestId("break-glass-none")).textContent).toBe("No case matches exactly.");
    fireEvent.change(screen.getByTestId("break-glass-query"), { target: { value: "Kari" } });
    fireEvent.click(screen.getByTestId("break-glass-search"));
    expect(await screen.findByText(/11-digit national ID number/)).toBeTruthy();
    expect(screen.queryByTestId("break-glass-result")).toBeNull();
  });

  it("opens the user's own case without break-glass", async () => {
    vi.mocked(findCaseForBreakGlass).mockResolvedValue({ ...found, own: true });
    const navigate = vi.fn();
    renderApp(<BreakGlassFind />, { navigate });
    fireEvent.change(screen.getByTestId("break-glass-query"), { target: { value: "01019000083" } });
    fireEvent.click(screen.getByTestId("break-glass-search"));
    fireEvent.click(await screen.findByText("Open (your case)"));
    expect(navigate).toHaveBeenCalledWith({ name: "case", id: "c9" });
    expect(screen.queryByTestId("break-glass-reason")).toBeNull();
  });
});

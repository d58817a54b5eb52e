// Tests for the decision panel: allowed actions only, reject needs a reason, stale versions explained.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { approve, reject, startReview } from "../api/commands";
import type { CaseDetail, CommandError } from "../api/types";
import { makeDetail } from "../test/fixtures";
import { renderApp } from "../test/render";
import { ReviewPanel } from "./ReviewPanel";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  startReview: vi.fn(),
  approve: vi.fn(),
  reject: vi.fn(),
  resubmit: vi.fn(),
}));

const stale: CommandError = {
  kind: "conflict",
  code: "stale_version",
  message: "stale_version: expected 2, found 3",
  expected_version: 2,
  current_version: 3,
};

describe("ReviewPanel", () => {
  beforeEach(() => vi.clearAllMocks());

  it("shows only the actions the core allows, with the AI suggestion beside them", () => {
    renderApp(<ReviewPanel detail={makeDetail({}, { allowed: ["approve", "reject"] })} reload={vi.fn()} />);
    expect(screen.queryByTestId("review-start")).toBeNull();
    expect(screen.getByTestId("review-approve")).toBeTruthy();
    expect(screen.getByTestId("review-reject")).toBeTruthy();
    expect(screen.getByTestId("review-ai-suggestion").textContent).toBe("AI suggestion: Approve — Passport (91 %)");
  });

  it("passes the case version as the expected version and reloads after success", async () => {
    vi.mocked(startReview).mockResolvedValue(makeDetail({ version: 3 }).case);
    const reload = vi.fn().mockResolvedValue(makeDetail({ version: 3 }));
    renderApp(<ReviewPanel detail={makeDetail({ version: 2 })} reload={reload} />);
    fireEvent.click(screen.getByTestId("review-start"));
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(startReview).toHaveBeenCalledWith("c1", 2);
  });

  it("requires a non-empty reason before a rejection can be confirmed", async () => {
    vi.mocked(reject).mockResolvedValue(makeDetail({ status: "REJECTED" }).case);
    const reload = vi.fn().mockResolvedValue(makeDetail());
    renderApp(<ReviewPanel detail={makeDetail({ status: "IN_REVIEW" }, { allowed: ["approve", "reject"] })} reload={reload} />);
    fireEvent.click(screen.getByTestId("review-reject"));
    const confirm = screen.getByTestId("reject-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("reject-reason"), { target: { value: "   " } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("reject-reason"), { target: { value: "Photo does not match" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(reject).toHaveBeenCalledWith("c1", 2, "Photo does not match"));
  });

  it("on stale_version reloads the case and shows what changed, never the raw error and without retrying", async () => {
    vi.mocked(approve).mockRejectedValue(stale);
    const before = makeDetail({ version: 2, status: "IN_REVIEW" }, { allowed: ["approve", "reject"], reviewer_name: "per" });
    const after: CaseDetail = makeDetail(
      { version: 3, status: "APPROVED", decision: "approved" },
      { allowed: [], reviewer_name: "kari" },
    );
    const reload = vi.fn().mockResolvedValue(after);
    renderApp(<ReviewPanel detail={before} reload={reload} />);
    fireEvent.click(screen.getByTestId("review-approve"));
    const notice = await screen.findByTestId("conflict-notice");
    expect(reload).toHaveBeenCalledTimes(1);
    expect(approve).toHaveBeenCalledTimes(1);
    expect(notice.textContent).toBe(
      "This case was changed by someone else while you were viewing it (version 2 → 3): status In review → Approved; reviewer: kari. Nothing was saved. Check the case and decide again.",
    );
    expect(notice.getAttribute("role")).toBe("alert");
    expect(screen.queryByText(/stale_version/)).toBeNull();
    expect(screen.queryByTestId("error-message")).toBeNull();
  });

  it("shows the core's message for other errors", async () => {
    vi.mocked(approve).mockRejectedValue({ kind: "permission_denied", code: "forbidden", message: "Du kan ikke godkjenne din egen sak" });
    renderApp(<ReviewPanel detail={makeDetail({}, { allowed: ["approve"] })} reload={vi.fn()} />);
    fireEvent.click(screen.getByTestId("review-approve"));
    expect((await screen.findByTestId("error-message")).textContent).toBe("Du kan ikke godkjenne din egen sak");
  });
});

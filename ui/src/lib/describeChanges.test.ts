// Tests for the stale-version explanation built from two case snapshots.
import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { makeDetail } from "../test/fixtures";
import { describeChanges } from "./describeChanges";

const en = makeT("en");

describe("describeChanges", () => {
  it("names the versions, the status change and the new reviewer, and says nothing was saved", () => {
    const before = makeDetail({ version: 2, status: "PENDING" });
    const after = makeDetail({ version: 3, status: "IN_REVIEW", reviewer_id: "u9" }, { reviewer_name: "kari" });
    expect(describeChanges(before, after, en)).toBe(
      "This case was changed by someone else while you were viewing it (version 2 → 3): status Pending → In review; reviewer: kari. Nothing was saved. Check the case and decide again.",
    );
  });

  it("mentions a rejection reason, added documents and a changed AI suggestion", () => {
    const before = makeDetail({ version: 3, status: "IN_REVIEW" });
    const after = makeDetail(
      {
        version: 5,
        status: "REJECTED",
        decision: "rejected",
        decision_reason: "Blurry photo",
        ai: { labels: ["passport"], confidence: 0.4, suggestion: "manual_review", model: "clf-1" },
      },
      { documents: [{} as never] },
    );
    const text = describeChanges(before, after, en);
    expect(text).toContain("(version 3 → 5)");
    expect(text).toContain("status In review → Rejected");
    expect(text).toContain("reason: Blurry photo");
    expect(text).toContain("documents: 0 → 1");
    expect(text).toContain("AI suggestion: Approve → Manual review");
  });

  it("says when no visible field changed", () => {
    const text = describeChanges(makeDetail({ version: 2 }), makeDetail({ version: 3 }), en);
    expect(text).toContain("(version 2 → 3): no visible differences.");
  });

  it("speaks bokmål with the bokmål translator", () => {
    const nb = makeT("nb");
    const text = describeChanges(
      makeDetail({ version: 2 }),
      makeDetail({ version: 3, status: "IN_REVIEW" }, { reviewer_name: "kari" }),
      nb,
    );
    expect(text).toBe(
      "Saken ble endret av noen andre mens du så på den (versjon 2 → 3): status Venter → Under vurdering; kontrollør: kari. Ingenting ble lagret. Se over saken og avgjør på nytt.",
    );
  });
});

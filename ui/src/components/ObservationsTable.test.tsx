// Tests for lab values: out-of-range count, canonical name beside the printed label, code, range and its source,
// flags not by colour alone, blood pressure's components, selecting highlights the source text, and the summary.
import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Observation } from "../api/types";
import { renderApp } from "../test/render";
import { DocText, splitAt, type Span } from "./DocText";
import { LabSummary } from "./LabSummary";
import { ObservationsTable } from "./ObservationsTable";

const text = "Prøvesvar\fHb 10.1 g/dL (11.7–15.3)\nCRP 3 mg/L (0–5)\nK 5.9 mmol/L (3.5–5.0)";
const obs = (
  name: string | null,
  code: string | null,
  label: string,
  value: number,
  flag: Observation["flag"],
  line: string,
): Observation => {
  const start = text.indexOf(line);
  return {
    name,
    code,
    label,
    value,
    comparator: null,
    unit: "g/dL",
    low: 1,
    high: 2,
    range_source: "document",
    flag,
    source: { page: 2, start, end: start + line.length },
    confidence: 0.95,
  };
};
const observations = [
  obs("Hemoglobin", "718-7", "Hb", 10.1, "low", "Hb 10.1 g/dL (11.7–15.3)"),
  obs("C-reactive protein", "1988-5", "CRP", 3, "normal", "CRP 3 mg/L (0–5)"),
  obs(null, null, "K", 5.9, "high", "K 5.9 mmol/L (3.5–5.0)"),
];

function Harness() {
  const [sel, setSel] = useState<number | null>(null);
  const [span, setSpan] = useState<Span | null>(null);
  return (
    <>
      <ObservationsTable
        observations={observations}
        selected={sel}
        onSelect={(i) => {
          setSel(i);
          setSpan({ start: observations[i].source.start, end: observations[i].source.end });
        }}
      />
      <DocText text={text} highlight={span} source="pdf-text" />
    </>
  );
}

describe("ObservationsTable with DocText", () => {
  it("summarises how many values are outside the reference range", () => {
    renderApp(<Harness />);
    expect(screen.getByTestId("observations-summary").textContent).toBe("2 of 3 values outside the reference range");
  });

  it("shows the canonical name with the printed label beside it, and the LOINC code", () => {
    renderApp(<Harness />);
    const names = screen.getAllByTestId("observation-name").map((c) => c.textContent);
    expect(names[0]).toBe("Hemoglobin (printed: Hb)");
    // An analyte the vocabulary does not code: its printed name, no code.
    expect(names[2]).toBe("K");
    const codes = screen.getAllByTestId("observation-code").map((c) => c.textContent);
    expect(codes).toEqual(["718-7", "1988-5", "not coded"]);
  });

  it("marks low and high with an arrow and a word, not colour alone", () => {
    renderApp(<Harness />);
    const rows = screen.getAllByTestId("observation-row");
    expect(rows[0].textContent).toContain("↓ Low");
    expect(rows[2].textContent).toContain("↑ High");
  });

  it("highlights the selected observation's line in the opened document text", () => {
    renderApp(<Harness />);
    expect(screen.getByTestId("doc-text").hidden).toBe(true);
    fireEvent.keyDown(screen.getAllByTestId("observation-row")[2], { key: "Enter" });
    const pre = screen.getByTestId("doc-text");
    expect(pre.hidden).toBe(false);
    expect(pre.querySelector("mark")!.textContent).toBe("K 5.9 mmol/L (3.5–5.0)");
    expect(screen.getAllByTestId("observation-row")[2].getAttribute("aria-selected")).toBe("true");
  });

  it("slices by UTF-16 offsets and clamps spans outside the text", () => {
    expect(splitAt("a😀b", { start: 1, end: 3 })).toEqual(["a", "😀", "b"]);
    expect(splitAt("abc", { start: 2, end: 99 })).toEqual(["ab", "c", ""]);
  });
});

describe("ObservationsTable reference ranges", () => {
  const one = (low: number | null, high: number | null, range_source: Observation["range_source"]): Observation => ({
    name: null,
    code: null,
    label: `x${low}-${high}`,
    value: 1,
    comparator: null,
    unit: null,
    low,
    high,
    range_source,
    flag: null,
    source: { page: 1, start: 0, end: 1 },
    confidence: 0.6,
  });

  it("writes one-sided ranges the way labs do, a two-sided one as low–high, and says where each came from", () => {
    renderApp(
      <ObservationsTable
        observations={[one(null, 5, "document"), one(60, null, "default"), one(13.4, 17, "document"), one(null, null, null)]}
        selected={null}
        onSelect={() => {}}
      />,
    );
    const cells = screen.getAllByTestId("observation-range").map((c) => c.textContent);
    expect(cells[0]).toBe("< 5 (from the document)");
    expect(cells[1]).toBe("> 60 (default range)");
    expect(cells[2]).toMatch(/^13[.,]4–17 \(from the document\)$/);
    expect(cells[3]).not.toContain("(");
  });

  it("shows blood pressure as systolic/diastolic with both components' ranges", () => {
    const bp: Observation = {
      ...one(null, null, null),
      name: "Blood pressure",
      code: "85354-9",
      label: "Blodtrykk",
      value: null,
      unit: "mm[Hg]",
      flag: "high",
      components: [
        { name: "Systolic blood pressure", code: "8480-6", value: 142, unit: "mm[Hg]", low: 90, high: 139, range_source: "default", flag: "high" },
        { name: "Diastolic blood pressure", code: "8462-4", value: 91, unit: "mm[Hg]", low: 60, high: 89, range_source: "default", flag: "high" },
      ],
    };
    renderApp(<ObservationsTable observations={[bp]} selected={null} onSelect={() => {}} />);
    const row = screen.getByTestId("observation-row");
    expect(row.children[2].textContent).toBe("142/91");
    expect(screen.getByTestId("observation-range").textContent).toBe("90–139 / 60–89 (default range)");
    expect(row.textContent).toContain("↑ High");
  });
});

describe("LabSummary", () => {
  it("shows the pipeline's paragraph in the document's language, and nothing without one", () => {
    const { unmount } = renderApp(
      <LabSummary summary={{ language: "nb", text: "Utenfor referanseområdet: Hb 10,1 g/dL (lav, ref. 11,7–15,3)." }} />,
    );
    expect(screen.getByTestId("lab-summary-text").textContent).toBe(
      "Utenfor referanseområdet: Hb 10,1 g/dL (lav, ref. 11,7–15,3).",
    );
    expect(screen.getByTestId("lab-summary-text").getAttribute("lang")).toBe("nb");
    expect(screen.getByText("Summary of the lab values")).toBeTruthy();
    unmount();
    renderApp(<LabSummary summary={null} />);
    expect(screen.queryByTestId("lab-summary")).toBeNull();
  });
});

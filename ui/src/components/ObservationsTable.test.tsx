// Tests for lab values: out-of-range summary, flags not by colour alone, selecting highlights the source text.
import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Observation } from "../api/types";
import { renderApp } from "../test/render";
import { DocText, splitAt, type Span } from "./DocText";
import { ObservationsTable } from "./ObservationsTable";

const text = "Prøvesvar\fHb 10.1 g/dL (11.7–15.3)\nCRP 3 mg/L (0–5)\nK 5.9 mmol/L (3.5–5.0)";
const obs = (name: string, value: number, flag: Observation["flag"], line: string): Observation => {
  const start = text.indexOf(line);
  return { name, value, comparator: null, unit: null, ref_low: 1, ref_high: 2, ref_source: "document", flag, start, end: start + line.length };
};
const observations = [
  obs("Hb", 10.1, "low", "Hb 10.1 g/dL (11.7–15.3)"),
  obs("CRP", 3, "normal", "CRP 3 mg/L (0–5)"),
  obs("K", 5.9, "high", "K 5.9 mmol/L (3.5–5.0)"),
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
          setSpan({ start: observations[i].start, end: observations[i].end });
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
  it("writes one-sided ranges the way labs do, and a two-sided one as low–high", () => {
    const one = (ref_low: number | null, ref_high: number | null): Observation => ({
      name: `x${ref_low}-${ref_high}`,
      value: 1,
      comparator: null,
      unit: null,
      ref_low,
      ref_high,
      ref_source: "document",
      flag: null,
      start: 0,
      end: 1,
    });
    renderApp(
      <ObservationsTable
        observations={[one(null, 5), one(60, null), one(13.4, 17)]}
        selected={null}
        onSelect={() => {}}
      />,
    );
    const cells = screen.getAllByTestId("observation-row").map((r) => r.children[3].textContent);
    expect(cells[0]).toBe("< 5");
    expect(cells[1]).toBe("> 60");
    expect(cells[2]).toMatch(/^13[.,]4–17$/);
  });
});

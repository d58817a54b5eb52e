// Tests for the AI panel: concerns in words, and how each page was read.
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Classification, PageRead } from "../api/types";
import { renderApp } from "../test/render";
import { AiPanel } from "./AiPanel";

const classification: Classification = {
  label: "referral",
  confidence: 0.91,
  model: "varde-docclass",
  threshold: 0.7,
  suggestion: "manual_review",
  uncertain: false,
  concerns: ["text_layer_differs"],
  unavailable: null,
};

const read = (number: number, reason: PageRead["reason"]): PageRead => ({
  number,
  reason,
  shown: reason === "text_layer" ? "pdf-text" : "ocr",
  ocr: reason !== "text_layer",
  dpi: reason === "text_layer" ? null : 300,
  layer_agreement: reason === "invisible_text_layer" ? 0.2 : null,
  mrz: false,
});

describe("AiPanel", () => {
  it("names a text layer that differs from the page as the reason for manual review", () => {
    renderApp(<AiPanel classification={classification} />);
    expect(screen.getByText("A text layer says something the page does not show")).toBeTruthy();
    expect(screen.getByTestId("ai-suggestion").textContent).not.toBe("");
  });

  it("says how each page was read", () => {
    renderApp(
      <AiPanel classification={classification} pageReads={[read(1, "text_layer"), read(2, "invisible_text_layer")]} />,
    );
    const items = screen.getByTestId("page-reads").querySelectorAll("li");
    expect(Array.from(items, (li) => li.textContent)).toEqual([
      "Page 1: its own text",
      "Page 2: rendered and OCRed (hidden text layer checked)",
    ]);
  });
});

// Tests for the confidence meter: value, threshold marker, uncertain styling and ARIA.
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../test/render";
import { ConfidenceBar } from "./ConfidenceBar";

describe("ConfidenceBar", () => {
  it("exposes the confidence as a meter with aria-valuenow in percent", () => {
    renderApp(<ConfidenceBar value={0.82} threshold={0.7} />);
    const meter = screen.getByRole("meter", { name: "Confidence" });
    expect(meter.getAttribute("aria-valuenow")).toBe("82");
    expect(meter.getAttribute("aria-valuemin")).toBe("0");
    expect(meter.getAttribute("aria-valuemax")).toBe("100");
    expect(meter.getAttribute("aria-valuetext")).toBe("82 % (threshold 70 %)");
    expect(meter.dataset.testid).toBe("ai-confidence");
  });

  it("places the threshold marker at the threshold's percentage", () => {
    renderApp(<ConfidenceBar value={0.82} threshold={0.7} />);
    expect(screen.getByTestId("confidence-threshold").style.left).toBe("70%");
  });

  it("fills the bar to the confidence value", () => {
    const { container } = renderApp(<ConfidenceBar value={0.45} threshold={0.7} />);
    expect((container.querySelector(".confidence-fill") as HTMLElement).style.width).toBe("45%");
  });

  it("is styled and labelled uncertain below the threshold", () => {
    const { container } = renderApp(<ConfidenceBar value={0.55} threshold={0.7} />);
    expect(container.querySelector(".confidence")?.classList.contains("uncertain")).toBe(true);
    expect(screen.getByTestId("ai-confidence").dataset.uncertain).toBe("true");
    expect(screen.getByText(/Uncertain: below the threshold/)).toBeTruthy();
  });

  it("is not uncertain at or above the threshold", () => {
    const { container } = renderApp(<ConfidenceBar value={0.7} threshold={0.7} />);
    expect(container.querySelector(".confidence")?.classList.contains("uncertain")).toBe(false);
    expect(screen.queryByText(/Uncertain/)).toBeNull();
  });

  it("says unknown instead of drawing a meter when there is no confidence", () => {
    renderApp(<ConfidenceBar value={null} threshold={0.7} />);
    expect(screen.queryByRole("meter")).toBeNull();
    expect(screen.getByTestId("ai-confidence").textContent).toBe("Unknown");
  });
});

// Tests for the fields table: each field's confidence, what the reader corrected, its warnings.
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ExtractedField } from "../api/types";
import { renderApp } from "../test/render";
import { FieldsTable } from "./FieldsTable";

const fields: Record<string, ExtractedField> = {
  expiry_date: {
    value: "2011-08-21",
    start: 10,
    end: 16,
    warnings: ["expired", "mrz_repaired"],
    repairs: [{ at: 2, read: "O", corrected: "0" }],
    confidence: 0.9,
  },
  surname: { value: "VIRTANEN", start: 2, end: 10, warnings: [], confidence: 0.8 },
};

describe("FieldsTable", () => {
  it("shows each field's confidence, the character the reader corrected, and its warnings in words", () => {
    renderApp(<FieldsTable fields={fields} duplicate={false} onSelectSpan={() => {}} />);
    const expiry = document.querySelector('[data-field="expiry_date"]')!;
    expect(expiry.querySelector('[data-testid="field-confidence"]')!.textContent).toBe("90 %");
    expect(expiry.querySelector("[data-repair]")!.textContent).toBe(" (read “O”, corrected to “0”)");
    expect(expiry.querySelector('[data-warning="expired"]')!.textContent).toContain("Expired");
    const surname = document.querySelector('[data-field="surname"]')!;
    expect(surname.querySelector("[data-repair]")).toBeNull();
    expect(screen.getAllByTestId("field-confidence").map((c) => c.textContent)).toEqual(["90 %", "80 %"]);
  });
});

// Tests for the fødselsnummer field: neutral while typing, the core's verdict at 11 digits.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { checkNationalId } from "../api/commands";
import { renderApp } from "../test/render";
import { NationalIdField } from "./NationalIdField";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  checkNationalId: vi.fn(),
}));
const check = vi.mocked(checkNationalId);

function Harness() {
  const [v, setV] = useState("");
  return <NationalIdField id="fnr" value={v} onChange={setV} />;
}

const type = (value: string) => fireEvent.change(screen.getByTestId("subject-fnr"), { target: { value } });

describe("NationalIdField", () => {
  beforeEach(() => check.mockReset());

  it("shows a neutral hint and does not call the core while fewer than 11 digits are typed", () => {
    renderApp(<Harness />);
    type("1203851");
    const msg = screen.getByTestId("fnr-message");
    expect(msg.textContent).toBe("11 digits — checked as you type.");
    expect(msg.className).toBe("field-hint");
    expect(check).not.toHaveBeenCalled();
  });

  it("shows a valid fødselsnummer with the birth date the core read from it", async () => {
    check.mockResolvedValue({ valid: true, reason: null, id_type: "fnr", birth_date: "1985-03-12" });
    renderApp(<Harness />);
    type("12038512345");
    await waitFor(() =>
      expect(screen.getByTestId("fnr-message").textContent).toBe("✓ valid fødselsnummer (born 1985-03-12)"),
    );
    expect(check).toHaveBeenCalledWith("12038512345");
    expect(screen.getByTestId("fnr-message").className).toBe("field-valid");
  });

  it("shows the core's reason when the number is invalid", async () => {
    check.mockResolvedValue({ valid: false, reason: "Kontrollsiffer 2 stemmer ikke", id_type: null, birth_date: null });
    renderApp(<Harness />);
    type("12038512346");
    await waitFor(() => expect(screen.getByTestId("fnr-message").textContent).toBe("Kontrollsiffer 2 stemmer ikke"));
    expect(screen.getByTestId("subject-fnr").getAttribute("aria-invalid")).toBe("true");
  });

  it("ignores a slow answer for an older value", async () => {
    let resolveOld: (v: Awaited<ReturnType<typeof checkNationalId>>) => void = () => {};
    check
      .mockImplementationOnce(() => new Promise((r) => (resolveOld = r)))
      .mockResolvedValueOnce({ valid: true, reason: null, id_type: "dnr", birth_date: "1985-03-12" });
    renderApp(<Harness />);
    type("12038512346");
    type("52038512345");
    await waitFor(() => expect(screen.getByTestId("fnr-message").textContent).toContain("✓ valid D-number"));
    resolveOld({ valid: false, reason: "old", id_type: null, birth_date: null });
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.getByTestId("fnr-message").textContent).toContain("✓ valid D-number");
  });

  it("goes back to the neutral hint when digits are deleted", async () => {
    check.mockResolvedValue({ valid: false, reason: "bad", id_type: null, birth_date: null });
    renderApp(<Harness />);
    type("12038512346");
    await waitFor(() => expect(screen.getByTestId("fnr-message").textContent).toBe("bad"));
    type("1203851234");
    expect(screen.getByTestId("fnr-message").className).toBe("field-hint");
  });
});

// Tests for an admin's GDPR panel: erasure needs a reason code and names what goes; the export
// says where it was saved and that it holds health data.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { eraseCase, exportSubject } from "../api/commands";
import type { DocumentDetail } from "../api/types";
import { makeDetail } from "../test/fixtures";
import { renderApp } from "../test/render";
import { GdprPanel } from "./GdprPanel";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  eraseCase: vi.fn(),
  exportSubject: vi.fn(),
}));

const doc = (id: string) => ({ document: { id }, analysis: null, jobs: [] }) as unknown as DocumentDetail;

describe("GdprPanel", () => {
  beforeEach(() => vi.clearAllMocks());

  it("is not shown when the core allows neither action", () => {
    renderApp(<GdprPanel detail={makeDetail({}, { allowed: ["start_review"] })} />);
    expect(screen.queryByTestId("gdpr-panel")).toBeNull();
  });

  it("erases only after a reason code is chosen, naming the case, its documents and the key", async () => {
    vi.mocked(eraseCase).mockResolvedValue(undefined);
    const navigate = vi.fn();
    const detail = makeDetail({ id: "c7" }, { allowed: ["erase"], documents: [doc("d1"), doc("d2")] });
    renderApp(<GdprPanel detail={detail} />, { navigate });
    fireEvent.click(screen.getByTestId("erase-open"));
    expect(screen.getByTestId("erase-what").textContent).toBe(
      "This destroys case c7: its 2 documents, their encrypted files and the case key. It cannot be undone.",
    );
    const confirm = screen.getByTestId("erase-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("erase-reason"), { target: { value: "entered_in_error" } });
    fireEvent.change(screen.getByTestId("erase-detail"), { target: { value: "duplikat av c6" } });
    fireEvent.click(confirm);
    await waitFor(() => expect(navigate).toHaveBeenCalledWith({ name: "cases" }));
    expect(eraseCase).toHaveBeenCalledWith("c7", "entered_in_error", "duplikat av c6");
  });

  it("reports where the subject export was saved, and nothing when the dialog was cancelled", async () => {
    vi.mocked(exportSubject).mockResolvedValueOnce(null).mockResolvedValueOnce({ path: "/home/a/varde-subject-c7.json", bytes: 2048 });
    renderApp(<GdprPanel detail={makeDetail({ id: "c7" }, { allowed: ["export_subject"] })} />);
    expect(screen.getByText(/contains personal health data/)).toBeTruthy();
    fireEvent.click(screen.getByTestId("subject-export"));
    await waitFor(() => expect(exportSubject).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId("subject-export-saved")).toBeNull();
    fireEvent.click(screen.getByTestId("subject-export"));
    expect((await screen.findByTestId("subject-export-saved")).textContent).toMatch(/^Saved to \/home\/a\/varde-subject-c7\.json \(2,048 bytes\)/);
  });
});

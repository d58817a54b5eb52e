// Tests for Settings → Backup: the proposed file name, the report shown after the core's backup,
// nothing after a cancelled dialog, and the core's refusal shown as given.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { backupStore } from "../api/commands";
import { renderApp } from "../test/render";
import { BackupPanel, backupFileName } from "./BackupPanel";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  backupStore: vi.fn(),
}));

describe("BackupPanel", () => {
  beforeEach(() => vi.clearAllMocks());

  it("proposes a file name with the date and time in UTC", () => {
    expect(backupFileName(new Date("2026-12-07T16:22:09Z"))).toBe("varde-backup-20261207-1622.vbak");
  });

  it("shows what the backup wrote, and nothing when the dialog was cancelled", async () => {
    vi.mocked(backupStore)
      .mockResolvedValueOnce(null)
      .mockResolvedValueOnce({ path: "/media/usb/varde-backup.vbak", bytes: 123456, documents: 3, audit_entries: 40, sha256: "ab12" });
    renderApp(<BackupPanel />);
    fireEvent.click(screen.getByTestId("backup-run"));
    await waitFor(() => expect(backupStore).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId("backup-done")).toBeNull();
    fireEvent.click(screen.getByTestId("backup-run"));
    expect((await screen.findByTestId("backup-done")).textContent).toBe(
      "Backup saved to /media/usb/varde-backup.vbak: 123,456 bytes, 3 documents, 40 audit entries. SHA-256 ab12",
    );
    expect(vi.mocked(backupStore).mock.calls[1][1]).toMatch(/^varde-backup-\d{8}-\d{4}\.vbak$/);
  });

  it("shows the core's refusal", async () => {
    vi.mocked(backupStore).mockRejectedValue({ kind: "invalid_input", code: "invalid_input", message: "/x.vbak already exists: choose a new file name for the backup" });
    renderApp(<BackupPanel />);
    fireEvent.click(screen.getByTestId("backup-run"));
    expect(await screen.findByText(/already exists/)).toBeTruthy();
  });
});

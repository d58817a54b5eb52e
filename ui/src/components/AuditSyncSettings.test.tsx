// Tests for the audit sync section of Settings: enrolling (with the optional pin), the details
// shown afterwards, the on/off switch, sync now, and errors shown in place (no dialogs).
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { onSyncStatus, setSyncEnabled, syncEnroll, syncNow, syncStatus } from "../api/commands";
import type { Screen, SyncStatus } from "../api/types";
import { makeSyncStatus } from "../test/fixtures";
import { renderApp } from "../test/render";
import { AuditSyncSettings } from "./AuditSyncSettings";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  syncStatus: vi.fn(),
  syncEnroll: vi.fn(),
  syncNow: vi.fn(),
  setSyncEnabled: vi.fn(),
  onSyncStatus: vi.fn(),
}));

const ADMIN = { user: { id: "u0", name: "admin", role: "admin" as const, screens: ["cases", "new-case", "audit", "settings"] as Screen[] } };

const status = makeSyncStatus;

const enrolled = (over: Partial<SyncStatus> = {}) =>
  status({ enrolled: true, enabled: true, server: "https://audit.example.org:8730", checkpoint_size: 4321, server_state: "ok", server_head: 0, ...over });

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe("AuditSyncSettings", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.mocked(onSyncStatus).mockResolvedValue(() => {});
  });

  it("enrolls with the server URL, token and pin, then shows the server, device id and checkpoint size", async () => {
    vi.mocked(syncStatus).mockResolvedValue(status());
    vi.mocked(syncEnroll).mockResolvedValue(enrolled());
    renderApp(<AuditSyncSettings />, ADMIN);
    await screen.findByTestId("sync-enroll-form");
    type("sync-url", " https://audit.example.org:8730 ");
    type("sync-token", "tok-123");
    type("sync-pin", "AB:CD:EF");
    fireEvent.click(screen.getByTestId("sync-enroll"));

    await screen.findByTestId("sync-enrolled");
    expect(syncEnroll).toHaveBeenCalledWith({
      server_url: "https://audit.example.org:8730",
      token: "tok-123",
      pin_sha256: "AB:CD:EF",
      device_name: null,
    });
    expect(screen.getByTestId("sync-server").textContent).toBe("https://audit.example.org:8730");
    expect(screen.getByTestId("sync-device-id").textContent).toBe("6f1c2a");
    expect(screen.getByTestId("sync-checkpoint-size").textContent).toBe("4,321");
    expect((screen.getByTestId("sync-enabled") as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId("sync-enrolled-notice").textContent).toContain("audit.example.org");
  });

  it("asks for the URL and token before calling the core, and shows the core's refusal in place", async () => {
    vi.mocked(syncStatus).mockResolvedValue(status());
    vi.mocked(syncEnroll).mockRejectedValue({ kind: "authentication", code: "bad_token", message: "the enrollment token is unknown, used or expired" });
    renderApp(<AuditSyncSettings />, ADMIN);
    await screen.findByTestId("sync-enroll-form");
    fireEvent.click(screen.getByTestId("sync-enroll"));
    expect((await screen.findByTestId("sync-enroll-error")).textContent).toBe("Enter the server URL and the enrollment token.");
    expect(syncEnroll).not.toHaveBeenCalled();

    type("sync-url", "http://127.0.0.1:8730");
    type("sync-token", "used-token");
    fireEvent.click(screen.getByTestId("sync-enroll"));
    await waitFor(() => expect(screen.getByTestId("sync-enroll-error").textContent).toBe("the enrollment token is unknown, used or expired"));
    expect(screen.queryByTestId("sync-enrolled")).toBeNull();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("switches background sync off and on through the core", async () => {
    vi.mocked(syncStatus).mockResolvedValue(enrolled());
    vi.mocked(setSyncEnabled).mockImplementation(async (on) => enrolled({ enabled: on }));
    renderApp(<AuditSyncSettings />, ADMIN);
    const toggle = (await screen.findByTestId("sync-enabled")) as HTMLInputElement;
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(false));
    expect(setSyncEnabled).toHaveBeenLastCalledWith(false);
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(true));
    expect(setSyncEnabled).toHaveBeenLastCalledWith(true);
  });

  it("syncs now and reports what was delivered; an unreachable server is a plain message", async () => {
    vi.mocked(syncStatus).mockResolvedValue(enrolled());
    vi.mocked(syncNow).mockResolvedValueOnce({ pushed: 1204, duplicates: 3, batches: 1, status: enrolled({ pending: 0, checkpoint_size: 5525 }) });
    renderApp(<AuditSyncSettings />, ADMIN);
    fireEvent.click(await screen.findByTestId("sync-now"));
    expect((await screen.findByTestId("sync-info")).textContent).toBe("Delivered 1,204 entries (3 already on the server).");
    expect(screen.getByTestId("sync-checkpoint-size").textContent).toBe("5,525");
    expect(screen.getByTestId("sync-pending").textContent).toBe("0");

    vi.mocked(syncNow).mockRejectedValueOnce({ kind: "other", code: "unreachable", message: "the audit server at http://127.0.0.1:9 cannot be reached" });
    fireEvent.click(screen.getByTestId("sync-now"));
    expect((await screen.findByTestId("sync-error")).textContent).toContain("cannot be reached");
    expect(screen.queryByTestId("sync-info")).toBeNull();
  });

  it("follows the background runner's status events", async () => {
    let push: (s: SyncStatus) => void = () => {};
    vi.mocked(syncStatus).mockResolvedValue(enrolled({ pending: 5 }));
    vi.mocked(onSyncStatus).mockImplementation(async (h) => {
      push = h;
      return () => {};
    });
    renderApp(<AuditSyncSettings />, ADMIN);
    await waitFor(() => expect(screen.getByTestId("sync-pending").textContent).toBe("5"));
    await waitFor(() => expect(onSyncStatus).toHaveBeenCalled());
    push(enrolled({ pending: 0, last_error: "the audit server cannot be reached" }));
    await waitFor(() => expect(screen.getByTestId("sync-pending").textContent).toBe("0"));
    expect(screen.getByTestId("sync-last-error").textContent).toBe("the audit server cannot be reached");
  });
});

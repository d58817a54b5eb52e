// Tests for the status bar's audit sync item: shown only when signed in, updated by the shell's events.
import { act, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { onSyncStatus, syncStatus } from "../api/commands";
import type { Screen, SyncStatus } from "../api/types";
import { makeSyncStatus } from "../test/fixtures";
import { renderApp } from "../test/render";
import { StatusBar } from "./StatusBar";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  syncStatus: vi.fn(),
  onSyncStatus: vi.fn(),
}));

const notEnrolled = makeSyncStatus({ pending: 3 });

describe("StatusBar audit sync", () => {
  let push: (s: SyncStatus) => void = () => {};
  beforeEach(() => {
    vi.clearAllMocks();
    vi.mocked(syncStatus).mockResolvedValue(notEnrolled);
    vi.mocked(onSyncStatus).mockImplementation(async (h) => {
      push = h;
      return () => {};
    });
  });

  it("says 'not set up' for a signed-in user before enrollment, then follows status events", async () => {
    const user = { id: "u1", name: "kari", role: "reviewer" as const, screens: ["cases"] as Screen[] };
    renderApp(<StatusBar user={user} version="0.3.0" />);
    await waitFor(() => expect(screen.getByTestId("status-sync").textContent).toBe("Audit sync: not set up"));
    await waitFor(() => expect(onSyncStatus).toHaveBeenCalled());
    const offlineSince = new Date();
    offlineSince.setHours(8, 15, 0, 0);
    act(() => push({ ...notEnrolled, enrolled: true, enabled: true, pending: 1204, offline_since: offlineSince.toISOString() }));
    expect(screen.getByTestId("status-sync").textContent).toBe("Audit sync: offline since 08:15, 1,204 waiting");
    expect(screen.getByTestId("status-sync").getAttribute("data-tone")).toBe("offline");
  });

  it("shows no sync item and asks nothing of the core when nobody is signed in", () => {
    renderApp(<StatusBar user={null} version="0.3.0" />);
    expect(screen.queryByTestId("status-sync")).toBeNull();
    expect(syncStatus).not.toHaveBeenCalled();
  });
});

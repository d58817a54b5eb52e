// Tests for the app shell: uiReady once, language from status, auto-lock back to sign-in, role navigation.
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api/commands";
import type { AppStatus } from "./api/types";
import { App } from "./App";

vi.mock("./api/commands", async (orig) => ({
  ...(await orig<typeof import("./api/commands")>()),
  appStatus: vi.fn(),
  uiReady: vi.fn(),
  onLocked: vi.fn(),
  touch: vi.fn(),
  caseCounts: vi.fn(),
  listCases: vi.fn(),
  signIn: vi.fn(),
  signOut: vi.fn(),
}));

const status = (over: Partial<AppStatus> = {}): AppStatus => ({
  initialized: true,
  user: null,
  sign_in_delay_secs: 0,
  language: "en",
  auto_lock_minutes: 10,
  consent_policy_version: "2024-1",
  app_version: "0.3.0",
  ...over,
});

let lockHandler: (reason: string) => void = () => {};

describe("App", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    localStorage.clear();
    vi.mocked(api.uiReady).mockResolvedValue();
    vi.mocked(api.touch).mockResolvedValue();
    vi.mocked(api.onLocked).mockImplementation(async (h) => {
      lockHandler = h;
      return () => {};
    });
    vi.mocked(api.caseCounts).mockResolvedValue({ pending: 1, in_review: 0, approved: 0, rejected: 0 });
    vi.mocked(api.listCases).mockResolvedValue({ total: 0, offset: 0, limit: 50, items: [] });
  });

  it("shows sign-in, calls uiReady once and sets <html lang> from the status", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ language: "nb" }));
    render(<App />);
    await screen.findByTestId("signin-submit");
    expect(screen.getByRole("heading", { name: "Logg inn" })).toBeTruthy();
    expect(document.documentElement.lang).toBe("nb");
    // The effect that sends it may run just after the screen appears on a loaded machine.
    await waitFor(() => expect(api.uiReady).toHaveBeenCalledTimes(1));
  });

  it("switches language from the header and remembers it", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ language: "nb" }));
    render(<App />);
    await screen.findByTestId("signin-submit");
    fireEvent.change(screen.getByTestId("language-switch"), { target: { value: "en" } });
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("varde.language")).toBe("en");
  });

  it("shows role-appropriate navigation for a signed-in reviewer", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ user: { id: "u1", name: "kari", role: "reviewer", screens: ["cases"] } }));
    render(<App />);
    await screen.findByTestId("nav-cases");
    expect(screen.queryByTestId("nav-new-case")).toBeNull();
    expect(screen.queryByTestId("nav-audit")).toBeNull();
    expect(screen.queryByTestId("nav-settings")).toBeNull();
    expect(screen.getByText("kari (reviewer)")).toBeTruthy();
  });

  it("shows an auditor only the screens the core gives them and opens the audit log first", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ user: { id: "u2", name: "siv", role: "auditor", screens: ["audit"] } }));
    render(<App />);
    await screen.findByTestId("nav-audit");
    expect(screen.queryByTestId("nav-cases")).toBeNull();
    expect(screen.getByTestId("nav-audit").getAttribute("aria-current")).toBe("page");
    expect(api.listCases).not.toHaveBeenCalled();
  });

  it("drops the session and shows the locked notice when the shell reports a lock", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ user: { id: "u1", name: "kari", role: "admin", screens: ["cases", "new-case", "audit", "settings"] } }));
    render(<App />);
    await screen.findByTestId("count-pending");
    await waitFor(() => expect(api.onLocked).toHaveBeenCalled());
    await waitFor(() => expect(api.caseCounts).toHaveBeenCalled());
    await act(async () => lockHandler("idle"));
    expect(screen.getByTestId("locked-notice").textContent).toContain("Locked after 10 minutes without activity");
    expect(screen.queryByTestId("count-pending")).toBeNull();
    expect(screen.queryByTestId("sign-out")).toBeNull();
  });

  it("treats any command error of kind locked as a lock", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ user: { id: "u1", name: "kari", role: "admin", screens: ["cases", "new-case", "audit", "settings"] } }));
    vi.mocked(api.listCases).mockRejectedValue({ kind: "locked", code: "locked", message: "locked" });
    render(<App />);
    await screen.findByTestId("locked-notice");
    expect(screen.queryByTestId("error-message")).toBeNull();
  });

  it("sends touch() on activity at most once per 15 seconds", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ user: { id: "u1", name: "kari", role: "admin", screens: ["cases", "new-case", "audit", "settings"] } }));
    render(<App />);
    await screen.findByTestId("count-pending");
    // Passive effects (the activity listeners among them) have run once the list asked for counts.
    await waitFor(() => expect(api.caseCounts).toHaveBeenCalled());
    const now = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    fireEvent.keyDown(window, { key: "a" });
    fireEvent.pointerDown(window);
    fireEvent.wheel(window);
    expect(api.touch).toHaveBeenCalledTimes(1);
    now.mockReturnValue(1_016_000);
    fireEvent.keyDown(window, { key: "b" });
    expect(api.touch).toHaveBeenCalledTimes(2);
    now.mockRestore();
  });

  it("shows the setup screen on first start", async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status({ initialized: false }));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId("setup-submit")).toBeTruthy());
    // Reported from an effect after the screen is committed.
    await waitFor(() => expect(api.uiReady).toHaveBeenCalledTimes(1));
  });
});

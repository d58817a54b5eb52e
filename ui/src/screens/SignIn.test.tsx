// Tests for sign-in: the core's message on failure, the throttle countdown, the locked notice.
import { act, fireEvent, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signIn } from "../api/commands";
import { renderApp } from "../test/render";
import { SignIn } from "./SignIn";

vi.mock("../api/commands", async (orig) => ({
  ...(await orig<typeof import("../api/commands")>()),
  signIn: vi.fn(),
  recover: vi.fn(),
}));

const fill = () => {
  fireEvent.change(screen.getByTestId("signin-user"), { target: { value: "kari" } });
  fireEvent.change(screen.getByTestId("signin-password"), { target: { value: "wrong" } });
};

describe("SignIn", () => {
  beforeEach(() => vi.clearAllMocks());
  afterEach(() => vi.useRealTimers());

  it("shows the core's message when the password is wrong", async () => {
    vi.mocked(signIn).mockRejectedValue({ kind: "authentication", code: "wrong_credentials", message: "Feil brukernavn eller passord" });
    renderApp(<SignIn initialDelaySecs={0} lockedMinutes={null} onSignedIn={vi.fn()} />);
    fill();
    fireEvent.click(screen.getByTestId("signin-submit"));
    expect((await screen.findByTestId("signin-error")).textContent).toBe("Feil brukernavn eller passord");
  });

  it("counts down from retry_after_secs when throttled and keeps submit disabled until zero", async () => {
    vi.useFakeTimers();
    vi.mocked(signIn).mockRejectedValue({ kind: "authentication", code: "throttled", message: "Vent litt", retry_after_secs: 3 });
    renderApp(<SignIn initialDelaySecs={0} lockedMinutes={null} onSignedIn={vi.fn()} />);
    fill();
    await act(async () => {
      fireEvent.click(screen.getByTestId("signin-submit"));
    });
    const submit = screen.getByTestId("signin-submit") as HTMLButtonElement;
    expect(screen.getByTestId("signin-countdown").textContent).toContain("3 s");
    expect(submit.disabled).toBe(true);
    await act(async () => vi.advanceTimersByTime(1100));
    expect(screen.getByTestId("signin-countdown").textContent).toContain("2 s");
    await act(async () => vi.advanceTimersByTime(2100));
    expect(screen.queryByTestId("signin-countdown")).toBeNull();
    expect(submit.disabled).toBe(false);
  });

  it("starts with the delay the app status reports", () => {
    renderApp(<SignIn initialDelaySecs={30} lockedMinutes={null} onSignedIn={vi.fn()} />);
    expect(screen.getByTestId("signin-countdown").textContent).toContain("30 s");
    expect((screen.getByTestId("signin-submit") as HTMLButtonElement).disabled).toBe(true);
  });

  it("explains an auto-lock with the configured minutes", () => {
    renderApp(<SignIn initialDelaySecs={0} lockedMinutes={10} onSignedIn={vi.fn()} />);
    expect(screen.getByTestId("locked-notice").textContent).toBe(
      "Locked after 10 minutes without activity. Sign in to continue.",
    );
  });
});

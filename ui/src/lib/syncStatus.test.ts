// Tests for the status bar's audit sync sentence in both languages, for each state it can be in.
import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../api/types";
import { makeT } from "../i18n";
import { syncStatusText, syncTone } from "./syncStatus";

const NOW = new Date(2025, 4, 6, 14, 0, 0);
const at = (h: number, m: number, dayOffset = 0) => new Date(2025, 4, 6 + dayOffset, h, m).toISOString();

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    enrolled: true,
    enabled: true,
    device_id: "dev-1",
    server: "https://audit.example.org:8730",
    pending: 0,
    local_head: 40,
    last_success: at(10, 42),
    last_error: null,
    offline_since: null,
    server_head: 40,
    checkpoint_size: 120,
    server_state: "ok",
    ...over,
  };
}

// Intl separates thousands with a no-break space in bokmål; compare on plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
const en = makeT("en");
const nb = makeT("nb");

describe("syncStatusText", () => {
  it("says 'not set up' before enrollment, in both languages", () => {
    expect(syncStatusText(en, null, NOW)).toBe("Audit sync: not set up");
    expect(syncStatusText(en, status({ enrolled: false }), NOW)).toBe("Audit sync: not set up");
    expect(syncStatusText(nb, status({ enrolled: false }), NOW)).toBe("Revisjonslogg-synk: ikke satt opp");
    expect(syncTone(status({ enrolled: false }))).toBe("none");
  });

  it("shows what is waiting and the time of the last delivery today", () => {
    expect(syncStatusText(en, status(), NOW)).toBe("Audit sync: 0 waiting, last 10:42");
    expect(syncStatusText(nb, status(), NOW)).toBe("Revisjonslogg-synk: 0 venter, sist 10:42");
    expect(syncTone(status())).toBe("ok");
  });

  it("adds the date when the last delivery was not today", () => {
    const text = syncStatusText(en, status({ last_success: at(9, 5, -3) }), NOW);
    expect(text).toMatch(/^Audit sync: 0 waiting, last 03\/05\/2025, 09:05$/);
  });

  it("says since when it is offline and how much waits, with grouped thousands", () => {
    const s = status({ pending: 1204, offline_since: at(8, 15), last_error: "the server cannot be reached" });
    expect(syncStatusText(en, s, NOW)).toBe("Audit sync: offline since 08:15, 1,204 waiting");
    expect(plain(syncStatusText(nb, s, NOW))).toBe("Revisjonslogg-synk: frakoblet siden 08:15, 1 204 venter");
    expect(syncTone(s)).toBe("offline");
  });

  it("names a fork or a rollback instead of the usual counts", () => {
    const fork = status({ server_state: "fork_detected", pending: 3 });
    expect(syncStatusText(en, fork, NOW)).toBe("Audit sync: fork detected, 3 waiting");
    expect(syncStatusText(nb, fork, NOW)).toBe("Revisjonslogg-synk: avvik oppdaget, 3 venter");
    expect(syncTone(fork)).toBe("problem");
    expect(syncStatusText(en, status({ server_state: "local_rollback" }), NOW)).toBe(
      "Audit sync: local log rolled back, 0 waiting",
    );
  });

  it("tells a switched-off sync, a refused delivery and a first sync apart", () => {
    expect(syncStatusText(en, status({ enabled: false, pending: 7 }), NOW)).toBe("Audit sync: off, 7 waiting");
    const refused = status({ last_error: "the server refused the batch (broken_chain)" });
    expect(syncStatusText(en, refused, NOW)).toBe("Audit sync: not delivered, 0 waiting");
    expect(syncTone(refused)).toBe("problem");
    expect(syncStatusText(en, status({ last_success: null, pending: 12 }), NOW)).toBe("Audit sync: 12 waiting");
  });
});

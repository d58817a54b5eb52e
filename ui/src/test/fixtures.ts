// Test fixtures: a realistic case snapshot that tests tweak field by field.
import type { CaseDetail, SyncStatus } from "../api/types";

export function makeDetail(over: Partial<CaseDetail["case"]> = {}, extra: Partial<CaseDetail> = {}): CaseDetail {
  return {
    case: {
      id: "c1",
      kind: "identity",
      subject: { name: "Ola Nordmann", date_of_birth: "1985-03-12", national_id: null },
      consent: { given: true, at: "2025-01-02T10:00:00Z", policy_version: "2024-1" },
      status: "PENDING",
      version: 2,
      created_by: "u0",
      reviewer_id: null,
      ai: { labels: ["passport"], confidence: 0.91, suggestion: "approve", model: "clf-1" },
      decision: null,
      decision_reason: null,
      decided_at: null,
      created_at: "2025-01-02T10:00:00Z",
      updated_at: "2025-01-02T10:00:00Z",
      closed_at: null,
      purge_after: null,
      ...over,
    },
    reviewer_name: null,
    created_by_name: "per",
    allowed: ["start_review"],
    documents: [],
    timeline: [],
    break_glass: false,
    ...extra,
  };
}

/** A device not enrolled for audit sync yet, with a few entries waiting. */
export function makeSyncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    enrolled: false,
    enabled: false,
    device_id: "6f1c2a",
    server: null,
    pending: 12,
    local_head: 12,
    last_success: null,
    last_error: null,
    offline_since: null,
    server_head: null,
    checkpoint_size: null,
    server_state: null,
    ...over,
  };
}

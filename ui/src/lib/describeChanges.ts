// Pure diff of two case snapshots, used to explain a stale_version conflict to the user.
import type { CaseDetail } from "../api/types";
import type { T } from "../i18n";

/** The full conflict notice: which version changed to which, and what a person would notice. */
export function describeChanges(before: CaseDetail, after: CaseDetail, t: T): string {
  const b = before.case;
  const a = after.case;
  const changes: string[] = [];
  if (b.status !== a.status) {
    changes.push(
      t("conflict.status", { from: t(`status.${b.status}`), to: t(`status.${a.status}`) }),
    );
  }
  if (before.reviewer_name !== after.reviewer_name) {
    changes.push(
      after.reviewer_name
        ? t("conflict.reviewer", { name: after.reviewer_name })
        : t("conflict.reviewerNone"),
    );
  }
  if (a.decision_reason && a.decision_reason !== b.decision_reason) {
    changes.push(t("conflict.reason", { reason: a.decision_reason }));
  }
  if (before.documents.length !== after.documents.length) {
    changes.push(
      t("conflict.documents", { from: before.documents.length, to: after.documents.length }),
    );
  }
  const bs = b.ai?.suggestion ?? null;
  const as = a.ai?.suggestion ?? null;
  if (bs !== as) {
    const name = (s: typeof bs) => (s ? t(`suggestion.${s}`) : t("common.none"));
    changes.push(t("conflict.ai", { from: name(bs), to: name(as) }));
  }
  if (b.subject.name !== a.subject.name) {
    changes.push(t("conflict.subject", { name: a.subject.name }));
  }
  if (changes.length === 0) changes.push(t("conflict.noVisible"));
  return t("conflict.notice", { from: b.version, to: a.version, changes: changes.join("; ") });
}

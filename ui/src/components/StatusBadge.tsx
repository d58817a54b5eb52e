// The coloured, labelled badge for a case status (text carries the meaning, colour only helps).
import type { CaseStatus } from "../api/types";
import { useT } from "../i18n";

export function StatusBadge({ status, testId }: { status: CaseStatus; testId?: string }) {
  const t = useT();
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status} data-testid={testId}>
      {t(`status.${status}`)}
    </span>
  );
}

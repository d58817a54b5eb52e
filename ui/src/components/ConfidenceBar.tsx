// The AI confidence as a meter with a marker at the decision threshold; below it reads as uncertain.
import { useT } from "../i18n";

/** Confidence and threshold come as fractions (0–1); shown as whole percent. */
export function toPercent(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 100);
}

export interface ConfidenceBarProps {
  value: number | null;
  threshold: number;
  testId?: string;
}

export function ConfidenceBar({ value, threshold, testId = "ai-confidence" }: ConfidenceBarProps) {
  const t = useT();
  const thresholdPct = toPercent(threshold);
  if (value === null) {
    return (
      <div className="confidence confidence-none" data-testid={testId}>
        {t("ai.unknown")}
      </div>
    );
  }
  const pct = toPercent(value);
  const uncertain = value < threshold;
  const text = t("ai.confidenceValue", { value: pct, threshold: thresholdPct });
  return (
    <div className={`confidence${uncertain ? " uncertain" : ""}`}>
      <div
        className="confidence-track"
        role="meter"
        aria-label={t("ai.confidence")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
        data-testid={testId}
        data-uncertain={uncertain ? "true" : "false"}
      >
        <div className="confidence-fill" style={{ width: `${pct}%` }} />
        <div
          className="confidence-threshold"
          data-testid="confidence-threshold"
          style={{ left: `${thresholdPct}%` }}
          title={t("ai.threshold", { threshold: thresholdPct })}
        />
      </div>
      <div className="confidence-text">
        {text}
        {uncertain && <span className="uncertain-note"> · {t("ai.uncertain")}</span>}
      </div>
    </div>
  );
}

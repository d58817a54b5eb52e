// Lab observations: canonical name beside the printed label, LOINC code, value, UCUM unit, range and where it
// came from, and the flag (colour, arrow and word); rows select their source in the text.
import type { KeyboardEvent } from "react";
import type { Observation } from "../api/types";
import { useT } from "../i18n";

export function ObservationsTable({
  observations,
  selected,
  onSelect,
}: {
  observations: Observation[];
  selected: number | null;
  onSelect: (index: number) => void;
}) {
  const t = useT();
  const outside = observations.filter((o) => o.flag === "low" || o.flag === "high").length;
  // One-sided ranges read as the lab writes them: "< 5", "> 60".
  const bounds = (low: number | null, high: number | null) => {
    if (low != null && high != null) return `${t.num(low)}–${t.num(high)}`;
    if (high != null) return `< ${t.num(high)}`;
    if (low != null) return `> ${t.num(low)}`;
    return null;
  };
  const range = (o: Observation) => {
    const parts = o.components?.length
      ? o.components.map((c) => bounds(c.low, c.high)).filter((b) => b != null)
      : [bounds(o.low, o.high)].filter((b) => b != null);
    return parts.length > 0 ? parts.join(" / ") : t("common.none");
  };
  const rangeSource = (o: Observation) => {
    const source = o.range_source ?? o.components?.[0]?.range_source;
    if (source === "document") return t("obs.rangeDocument");
    if (source === "default") return t("obs.rangeDefault");
    return "";
  };
  const value = (o: Observation) => {
    if (o.components?.length) return o.components.map((c) => t.num(c.value)).join("/");
    if (o.value == null) return "";
    const sign = o.comparator ?? "";
    return `${sign}${t.num(o.value)}`;
  };
  const key = (e: KeyboardEvent, i: number) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelect(i);
    }
  };
  return (
    <section className="panel" aria-labelledby="obs-title">
      <h3 id="obs-title">{t("obs.title")}</h3>
      <p className={outside > 0 ? "obs-summary has-outside" : "obs-summary"} data-testid="observations-summary">
        {t("obs.summary", { outside, total: observations.length })}
      </p>
      <p className="muted small">{t("obs.hint")}</p>
      <table className="table compact selectable" data-testid="observations-table">
        <thead>
          <tr>
            <th scope="col">{t("obs.name")}</th>
            <th scope="col">{t("obs.code")}</th>
            <th scope="col" className="num">{t("obs.value")}</th>
            <th scope="col">{t("obs.unit")}</th>
            <th scope="col">{t("obs.range")}</th>
            <th scope="col">{t("obs.flag")}</th>
          </tr>
        </thead>
        <tbody>
          {observations.map((o, i) => (
            <tr
              key={`${o.label}-${o.source.start}-${i}`}
              tabIndex={0}
              aria-selected={selected === i}
              className={`${o.flag ? `flag-${o.flag}` : ""}${selected === i ? " selected" : ""}`}
              onClick={() => onSelect(i)}
              onKeyDown={(e) => key(e, i)}
              data-testid="observation-row"
              data-flag={o.flag ?? ""}
            >
              <td data-testid="observation-name">
                {o.name ?? o.label}
                {o.name != null && o.name !== o.label && (
                  <span className="muted small" data-testid="observation-label">
                    {" "}
                    ({t("obs.printed")}: {o.label})
                  </span>
                )}
              </td>
              <td data-testid="observation-code">{o.code ?? t("obs.noCode")}</td>
              <td className="num">{value(o)}</td>
              <td>{o.unit ?? ""}</td>
              <td data-testid="observation-range">
                {range(o)}
                {rangeSource(o) && <span className="muted small"> ({rangeSource(o)})</span>}
              </td>
              <td>
                {o.flag === "low" && <span className="flag flag-low">{t("obs.low")}</span>}
                {o.flag === "high" && <span className="flag flag-high">{t("obs.high")}</span>}
                {o.flag === "normal" && <span className="flag flag-normal">{t("obs.normal")}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

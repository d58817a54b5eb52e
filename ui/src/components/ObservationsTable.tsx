// Lab observations with out-of-range values flagged by colour, arrow and text; rows select their source.
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
  const range = (o: Observation) => {
    if (o.ref_low != null && o.ref_high != null) return `${t.num(o.ref_low)}–${t.num(o.ref_high)}`;
    if (o.ref_high != null) return `< ${t.num(o.ref_high)}`;
    if (o.ref_low != null) return `> ${t.num(o.ref_low)}`;
    return t("common.none");
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
            <th scope="col" className="num">{t("obs.value")}</th>
            <th scope="col">{t("obs.unit")}</th>
            <th scope="col">{t("obs.range")}</th>
            <th scope="col">{t("obs.flag")}</th>
          </tr>
        </thead>
        <tbody>
          {observations.map((o, i) => (
            <tr
              key={`${o.name}-${o.start}-${i}`}
              tabIndex={0}
              aria-selected={selected === i}
              className={`${o.flag ? `flag-${o.flag}` : ""}${selected === i ? " selected" : ""}`}
              onClick={() => onSelect(i)}
              onKeyDown={(e) => key(e, i)}
              data-testid="observation-row"
              data-flag={o.flag ?? ""}
            >
              <td>{o.name}</td>
              <td className="num">{t.num(o.value)}</td>
              <td>{o.unit ?? ""}</td>
              <td>{range(o)}</td>
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

// Fødselsnummer input checked by the core as you type; neutral until 11 digits are there.
import { useEffect, useRef, useState } from "react";
import { checkNationalId } from "../api/commands";
import type { NationalIdCheck } from "../api/types";
import { useApp } from "../app-context";
import { useT } from "../i18n";

type Message =
  | { kind: "hint" }
  | { kind: "checking" }
  | { kind: "result"; check: NationalIdCheck }
  | { kind: "error"; message: string };

export function NationalIdField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const t = useT();
  const { handleError } = useApp();
  const [msg, setMsg] = useState<Message>({ kind: "hint" });
  const seq = useRef(0);

  useEffect(() => {
    const trimmed = value.trim();
    const digits = trimmed.replace(/\D/g, "").length;
    const onlyDigits = /^[\d\s]*$/.test(trimmed);
    const mine = ++seq.current;
    // Don't nag while the number is still being typed; anything else goes to the core.
    if (trimmed === "" || (onlyDigits && digits < 11)) {
      setMsg({ kind: "hint" });
      return;
    }
    setMsg({ kind: "checking" });
    checkNationalId(trimmed).then(
      (check) => {
        if (mine === seq.current) setMsg({ kind: "result", check });
      },
      (e) => {
        const err = handleError(e);
        if (err && mine === seq.current) setMsg({ kind: "error", message: err.message });
      },
    );
  }, [value, handleError]);

  let text: string;
  let cls = "field-hint";
  if (msg.kind === "hint") text = t("fnr.hint");
  else if (msg.kind === "checking") text = t("fnr.checking");
  else if (msg.kind === "error") {
    text = msg.message;
    cls = "field-invalid";
  } else if (msg.check.valid) {
    const type = msg.check.id_type ? t.code("idType", msg.check.id_type) : t("idType.fnr");
    text = msg.check.birth_date
      ? t("fnr.valid", { type, date: msg.check.birth_date })
      : t("fnr.validNoDate", { type });
    cls = "field-valid";
  } else {
    text = msg.check.reason ?? "";
    cls = "field-invalid";
  }
  const invalid = cls === "field-invalid";
  return (
    <div className="field">
      <label htmlFor={id}>{t("new.fnr")}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-msg`}
        aria-invalid={invalid ? true : undefined}
        data-testid="subject-fnr"
      />
      <div id={`${id}-msg`} className={cls} aria-live="polite" data-testid="fnr-message">
        {text}
      </div>
    </div>
  );
}

// New case: subject, consent and optional fødselsnummer; then documents are added on the same screen.
import { useState, type FormEvent } from "react";
import { createCase } from "../api/commands";
import type { Case, CaseKind } from "../api/types";
import { useApp } from "../app-context";
import { ErrorMessage } from "../components/ErrorMessage";
import { NationalIdField } from "../components/NationalIdField";
import { UploadPanel } from "../components/UploadPanel";
import { useT } from "../i18n";

export function NewCase() {
  const t = useT();
  const { status, handleError, navigate } = useApp();
  const [kind, setKind] = useState<CaseKind>("identity");
  const [name, setName] = useState("");
  const [dob, setDob] = useState("");
  const [fnr, setFnr] = useState("");
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Case | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const c = await createCase({
        kind,
        subject_name: name.trim(),
        subject_dob: dob || null,
        subject_national_id: fnr.trim() || null,
        consent_given: consent,
      });
      setCreated(c);
    } catch (err) {
      const ce = handleError(err);
      if (ce) setError(ce.message);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setCreated(null);
    setName("");
    setDob("");
    setFnr("");
    setConsent(false);
    setError(null);
  };

  return (
    <main className="page narrow" aria-labelledby="new-title">
      <h1 id="new-title">{t("new.title")}</h1>
      {created ? (
        <>
          <p className="notice notice-ok" role="status">
            {t("new.created", { name: created.subject.name })}
          </p>
          <UploadPanel caseId={created.id} />
          <div className="button-row">
            <button
              type="button"
              className="btn btn-primary"
              data-testid="open-created-case"
              onClick={() => navigate({ name: "case", id: created.id })}
            >
              {t("new.openCase")}
            </button>
            <button type="button" className="btn" onClick={reset}>
              {t("new.another")}
            </button>
          </div>
        </>
      ) : (
        <form className="panel form" onSubmit={submit}>
          <div className="field">
            <label htmlFor="case-kind">{t("new.kind")}</label>
            <select id="case-kind" value={kind} onChange={(e) => setKind(e.target.value as CaseKind)} data-testid="case-kind">
              <option value="identity">{t("kind.identity")}</option>
              <option value="clinical">{t("kind.clinical")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="subject-name">{t("new.subjectName")}</label>
            <input
              id="subject-name"
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="subject-name"
            />
          </div>
          <div className="field">
            <label htmlFor="subject-dob">{t("new.dob")}</label>
            <input id="subject-dob" type="date" value={dob} onChange={(e) => setDob(e.target.value)} data-testid="subject-dob" />
          </div>
          <NationalIdField id="subject-fnr" value={fnr} onChange={setFnr} />
          <div className="check">
            <input
              id="consent"
              type="checkbox"
              checked={consent}
              onChange={(e) => setConsent(e.target.checked)}
              data-testid="consent"
            />
            <label htmlFor="consent">{t("new.consent", { version: status?.consent_policy_version ?? "" })}</label>
          </div>
          <ErrorMessage message={error} />
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-case-submit">
            {t("new.create")}
          </button>
        </form>
      )}
    </main>
  );
}

// The auditors' read-only console: admin-token sign-in, devices and their sync state, fork
// alerts, entry search with filters and paging, verification and export. Plain ES2020, no build
// step; it talks only to this server (strict CSP) and writes the DOM with textContent only.

const TOKEN_KEY = "varde-console-token";
const LANG_KEY = "varde-console-lang";
const PAGE_SIZE = 100;

const STRINGS = {
  en: {
    title: "Varde audit console",
    language: "Language",
    signOut: "Sign out",
    signInHeading: "Sign in",
    signInHelp: "Sign in with an admin token from varde-server admin-token create.",
    adminToken: "Admin token",
    signIn: "Sign in",
    signedInAs: "Signed in as {name}",
    tokenRequired: "Enter an admin token.",
    tokenExpired: "The server no longer accepts this token. Sign in again.",
    alertsHeading: "Fork detected",
    alertText: "Device {device} offered a different entry at sequence {seq} (detected {when}).",
    devicesHeading: "Devices",
    devicesCaption: "Enrolled workstations and their sync state",
    refresh: "Refresh",
    colName: "Name",
    colId: "Device id",
    colSite: "Site",
    colHead: "Head",
    colLagEntries: "Lag (entries)",
    colLagTime: "Lag (time)",
    colLastContact: "Last contact",
    colState: "State",
    noDevices: "No devices are enrolled yet.",
    never: "never",
    unknown: "unknown",
    state_ok: "OK",
    state_fork_detected: "Fork detected",
    state_revoked: "Revoked",
    verifyHeading: "Verification",
    verifyHelp: "Re-checks every device's chain and the Merkle tree against the last checkpoint.",
    verifyAll: "Verify everything",
    verifying: "Verifying…",
    verifyOk: "Everything verifies: {devices} devices, {entries} entries, tree size {size}.",
    verifyProblem: "Problem found ({code}): {message}",
    verifyWhere: " Device {device}, sequence {seq}.",
    entriesHeading: "Audit entries",
    entriesCaption: "Audit entries matching the filters",
    filterDevice: "Device",
    filterActor: "Actor (user id)",
    filterAction: "Action starts with",
    filterOutcome: "Outcome",
    filterSince: "From date",
    filterUntil: "To date",
    any: "Any",
    outcome_success: "Success",
    outcome_failure: "Failure",
    outcome_denied: "Denied",
    search: "Search",
    reset: "Clear filters",
    entriesShown: "{count} entries shown",
    entriesShownMore: "{count} entries shown; more match",
    noEntries: "No entries match the filters.",
    colIndex: "Tree index",
    colTime: "Time",
    colDevice: "Device",
    colSeq: "Seq",
    colActor: "Actor",
    colAction: "Action",
    colResource: "Resource",
    colOutcome: "Outcome",
    loadMore: "Load more",
    exportFormat: "Export format",
    export: "Export matching entries",
    exporting: "Exporting…",
    exportReady: "Download {file} ({size})",
    networkError: "Could not reach the server: {message}",
    serverError: "The server refused ({code}): {message}",
    badDate: "Dates must be YYYY-MM-DD.",
  },
  nb: {
    title: "Varde revisjonskonsoll",
    language: "Språk",
    signOut: "Logg ut",
    signInHeading: "Logg inn",
    signInHelp: "Logg inn med et administratortoken fra varde-server admin-token create.",
    adminToken: "Administratortoken",
    signIn: "Logg inn",
    signedInAs: "Innlogget som {name}",
    tokenRequired: "Skriv inn et administratortoken.",
    tokenExpired: "Tjeneren godtar ikke lenger dette tokenet. Logg inn på nytt.",
    alertsHeading: "Avvik oppdaget",
    alertText: "Enheten {device} sendte en annen oppføring ved sekvens {seq} (oppdaget {when}).",
    devicesHeading: "Enheter",
    devicesCaption: "Registrerte arbeidsstasjoner og synkroniseringsstatus",
    refresh: "Oppdater",
    colName: "Navn",
    colId: "Enhets-id",
    colSite: "Sted",
    colHead: "Siste sekvens",
    colLagEntries: "Etterslep (oppføringer)",
    colLagTime: "Etterslep (tid)",
    colLastContact: "Siste kontakt",
    colState: "Status",
    noDevices: "Ingen enheter er registrert ennå.",
    never: "aldri",
    unknown: "ukjent",
    state_ok: "OK",
    state_fork_detected: "Avvik oppdaget",
    state_revoked: "Tilbakekalt",
    verifyHeading: "Kontroll",
    verifyHelp: "Kontrollerer hver enhets kjede og Merkle-treet mot siste sjekkpunkt på nytt.",
    verifyAll: "Bekreft alt",
    verifying: "Kontrollerer …",
    verifyOk: "Alt stemmer: {devices} enheter, {entries} oppføringer, trestørrelse {size}.",
    verifyProblem: "Feil funnet ({code}): {message}",
    verifyWhere: " Enhet {device}, sekvens {seq}.",
    entriesHeading: "Revisjonslogg",
    entriesCaption: "Oppføringer som passer filtrene",
    filterDevice: "Enhet",
    filterActor: "Bruker (bruker-id)",
    filterAction: "Handling begynner med",
    filterOutcome: "Utfall",
    filterSince: "Fra dato",
    filterUntil: "Til dato",
    any: "Alle",
    outcome_success: "Vellykket",
    outcome_failure: "Mislyktes",
    outcome_denied: "Avvist",
    search: "Søk",
    reset: "Nullstill filtre",
    entriesShown: "{count} oppføringer vises",
    entriesShownMore: "{count} oppføringer vises; flere passer",
    noEntries: "Ingen oppføringer passer filtrene.",
    colIndex: "Treindeks",
    colTime: "Tid",
    colDevice: "Enhet",
    colSeq: "Sekvens",
    colActor: "Bruker",
    colAction: "Handling",
    colResource: "Ressurs",
    colOutcome: "Utfall",
    loadMore: "Last inn flere",
    exportFormat: "Eksportformat",
    export: "Eksporter oppføringene",
    exporting: "Eksporterer …",
    exportReady: "Last ned {file} ({size})",
    networkError: "Fikk ikke kontakt med tjeneren: {message}",
    serverError: "Tjeneren avviste ({code}): {message}",
    badDate: "Datoer skrives ÅÅÅÅ-MM-DD.",
  },
};

const $ = (id) => document.getElementById(id);

const state = {
  lang: initialLanguage(),
  token: sessionStorage.getItem(TOKEN_KEY),
  devices: [],
  alerts: [],
  entries: [],
  nextCursor: null,
  query: null,
  verify: null,
  exportUrl: null,
};

function initialLanguage() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "nb" || saved === "en") return saved;
  const nav = (navigator.language || "").toLowerCase();
  return /^(nb|no|nn)\b/.test(nav) ? "nb" : "en";
}

/** The current language's string `key`, with `{name}` placeholders filled from `vars`. */
function t(key, vars = {}) {
  const s = STRINGS[state.lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

const locale = () => (state.lang === "nb" ? "nb-NO" : "en-GB");
const num = (n) => new Intl.NumberFormat(locale()).format(n);

function dateTime(iso) {
  if (!iso) return t("never");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "short", timeStyle: "medium" }).format(d);
}

/** Seconds as the largest sensible unit ("3 min", "2 d"), via Intl's unit formatting. */
function duration(seconds) {
  if (seconds === null || seconds === undefined) return t("unknown");
  const units = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];
  const [unit, size] = units.find(([, s]) => seconds >= s) || units[units.length - 1];
  const value = Math.floor(seconds / size);
  return new Intl.NumberFormat(locale(), { style: "unit", unit, unitDisplay: "short" }).format(value);
}

function bytes(n) {
  if (n < 1024) return `${num(n)} B`;
  if (n < 1024 * 1024) return `${num(Math.round(n / 102.4) / 10)} KB`;
  return `${num(Math.round(n / 104857.6) / 10)} MB`;
}

// ---- the server --------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the admin API with the bearer token; returns the Response, throws ApiError with the
 *  server's {"error": {code, message}} (or a network error) otherwise. */
async function call(method, path, token = state.token) {
  let res;
  try {
    res = await fetch(path, { method, headers: { Authorization: `Bearer ${token}` } });
  } catch (e) {
    throw new ApiError(0, "network", t("networkError", { message: e.message }));
  }
  if (res.ok) return res;
  let code = `http_${res.status}`;
  let message = res.statusText;
  try {
    const body = await res.json();
    if (body && body.error) ({ code, message } = body.error);
  } catch {
    /* not JSON: keep the status line */
  }
  throw new ApiError(res.status, code, message);
}

const getJson = async (path, token) => (await call("GET", path, token)).json();

function errorText(e) {
  if (e instanceof ApiError && e.code === "network") return e.message;
  if (e instanceof ApiError) return t("serverError", { code: e.code, message: e.message });
  return String(e);
}

/** Shows `e` in the error paragraph `id`; a refused token ends the session instead. */
function showError(id, e) {
  if (e instanceof ApiError && e.status === 401 && state.token) {
    signOut(t("tokenExpired"));
    return;
  }
  const el = $(id);
  el.textContent = errorText(e);
  el.hidden = false;
}

function clearError(id) {
  $(id).hidden = true;
  $(id).textContent = "";
}

// ---- sign-in -----------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  clearError("signin-error");
  const token = $("signin-token").value.trim();
  if (!token) {
    $("signin-error").textContent = t("tokenRequired");
    $("signin-error").hidden = false;
    return;
  }
  try {
    const who = await getJson("/v1/admin/whoami", token);
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    $("signin-token").value = "";
    enterConsole(who.name);
  } catch (e) {
    $("signin-error").textContent = errorText(e);
    $("signin-error").hidden = false;
    $("signin-token").focus();
  }
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.devices = [];
  state.alerts = [];
  state.entries = [];
  state.verify = null;
  revokeExport();
  $("console").hidden = true;
  $("whoami").hidden = true;
  $("sign-out").hidden = true;
  $("signin").hidden = false;
  const err = $("signin-error");
  err.textContent = typeof message === "string" ? message : "";
  err.hidden = typeof message !== "string";
  $("signin-token").focus();
}

function enterConsole(name) {
  $("signin").hidden = true;
  $("console").hidden = false;
  $("sign-out").hidden = false;
  $("whoami").dataset.name = name;
  $("whoami").textContent = t("signedInAs", { name });
  $("whoami").hidden = false;
  refreshOverview();
  search();
}

// ---- devices and alerts ------------------------------------------------------------------

async function refreshOverview() {
  clearError("devices-error");
  try {
    const [devices, alerts] = await Promise.all([
      getJson("/v1/admin/devices"),
      getJson("/v1/admin/alerts"),
    ]);
    state.devices = devices;
    state.alerts = alerts;
    renderDevices();
    renderAlerts();
  } catch (e) {
    showError("devices-error", e);
  }
}

function deviceName(id) {
  const d = state.devices.find((x) => x.id === id);
  return d ? `${d.name} (${id})` : id;
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renderDevices() {
  const body = $("devices-body");
  body.replaceChildren();
  for (const d of state.devices) {
    const tr = document.createElement("tr");
    tr.dataset.testid = "device-row";
    tr.dataset.deviceId = d.id;
    tr.dataset.state = d.state;
    if (d.state === "fork_detected") tr.className = "fork";
    cell(tr, d.name);
    cell(tr, d.id, "mono");
    cell(tr, d.site);
    cell(tr, num(d.head), "num");
    cell(tr, d.lag_entries === null || d.lag_entries === undefined ? t("unknown") : num(d.lag_entries), "num");
    cell(tr, duration(d.lag_seconds));
    cell(tr, dateTime(d.last_contact));
    const badge = document.createElement("span");
    badge.className = `badge badge-${d.state}`;
    badge.dataset.testid = "state-badge";
    badge.textContent = t(`state_${d.state}`);
    cell(tr, "").append(badge);
    body.append(tr);
  }
  $("devices-empty").hidden = state.devices.length > 0;

  const select = $("filter-device");
  const chosen = select.value;
  select.replaceChildren(new Option(t("any"), ""));
  for (const d of state.devices) select.append(new Option(`${d.name} (${d.id})`, d.id));
  select.value = state.devices.some((d) => d.id === chosen) ? chosen : "";
}

function renderAlerts() {
  const list = $("alerts-list");
  list.replaceChildren();
  for (const a of state.alerts) {
    const li = document.createElement("li");
    li.dataset.testid = "alert-item";
    li.dataset.deviceId = a.device_id;
    li.textContent = t("alertText", { device: deviceName(a.device_id), seq: num(a.seq), when: dateTime(a.detected_at) });
    list.append(li);
  }
  $("alerts").hidden = state.alerts.length === 0;
}

// ---- verification ------------------------------------------------------------------------

async function verifyAll() {
  const out = $("verify-result");
  const button = $("verify-button");
  button.disabled = true;
  out.hidden = false;
  out.className = "";
  delete out.dataset.ok;
  out.textContent = t("verifying");
  try {
    state.verify = await (await call("POST", "/v1/admin/verify")).json();
    renderVerify();
  } catch (e) {
    state.verify = null;
    if (e instanceof ApiError && e.status === 401) return showError("verify-result", e);
    out.className = "error";
    out.textContent = errorText(e);
  } finally {
    button.disabled = false;
  }
}

function renderVerify() {
  const v = state.verify;
  if (!v) return;
  const out = $("verify-result");
  out.dataset.ok = String(v.ok);
  out.className = v.ok ? "ok" : "error";
  if (v.ok || !v.problem) {
    out.textContent = t("verifyOk", { devices: num(v.devices), entries: num(v.entries), size: num(v.tree_size) });
    return;
  }
  const p = v.problem;
  out.dataset.problem = p.code;
  let text = t("verifyProblem", { code: p.code, message: p.message });
  if (p.device_id) text += t("verifyWhere", { device: deviceName(p.device_id), seq: p.seq ?? "–" });
  out.textContent = text;
}

// ---- entries -----------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as query parameters (without cursor), or null with an error shown. */
function filterParams() {
  const p = new URLSearchParams();
  const fields = {
    device: $("filter-device").value,
    actor: $("filter-actor").value.trim(),
    action: $("filter-action").value.trim(),
    outcome: $("filter-outcome").value,
    since: $("filter-since").value,
    until: $("filter-until").value,
  };
  for (const key of ["since", "until"]) {
    if (fields[key] && !DATE.test(fields[key])) {
      $("entries-error").textContent = t("badDate");
      $("entries-error").hidden = false;
      return null;
    }
  }
  for (const [k, v] of Object.entries(fields)) if (v) p.set(k, v);
  return p;
}

async function search(event) {
  if (event) event.preventDefault();
  clearError("entries-error");
  const params = filterParams();
  if (!params) return;
  state.query = params;
  state.entries = [];
  state.nextCursor = null;
  await loadPage();
}

async function loadPage(cursor) {
  clearError("entries-error");
  const p = new URLSearchParams(state.query);
  p.set("limit", String(PAGE_SIZE));
  if (cursor) p.set("cursor", cursor);
  $("load-more").disabled = true;
  try {
    const page = await getJson(`/v1/admin/entries?${p}`);
    state.entries = state.entries.concat(page.entries);
    state.nextCursor = page.next_cursor;
    renderEntries();
  } catch (e) {
    showError("entries-error", e);
  } finally {
    $("load-more").disabled = false;
  }
}

function renderEntries() {
  const body = $("entries-body");
  body.replaceChildren();
  for (const row of state.entries) {
    const e = row.entry;
    const tr = document.createElement("tr");
    tr.dataset.testid = "entry-row";
    tr.dataset.action = e.action;
    tr.dataset.outcome = e.outcome;
    tr.dataset.deviceId = row.device_id;
    cell(tr, num(row.tree_index), "num");
    cell(tr, dateTime(e.timestamp));
    cell(tr, deviceName(row.device_id));
    cell(tr, num(e.seq), "num");
    cell(tr, e.actor ? `${e.actor.user_id} (${e.actor.role})` : "—");
    cell(tr, e.action, "mono");
    cell(tr, e.resource ? `${e.resource.kind} ${e.resource.id}` : "—", "mono");
    cell(tr, t(`outcome_${e.outcome}`), `outcome-${e.outcome}`);
    body.append(tr);
  }
  const n = state.entries.length;
  $("entries-count").textContent =
    n === 0 ? t("noEntries") : t(state.nextCursor ? "entriesShownMore" : "entriesShown", { count: num(n) });
  $("load-more").hidden = !state.nextCursor;
}

function resetFilters() {
  $("filters").reset();
  search();
}

// ---- export ------------------------------------------------------------------------------

function revokeExport() {
  if (state.exportUrl) URL.revokeObjectURL(state.exportUrl);
  state.exportUrl = null;
  $("export-link").hidden = true;
  $("export-link").removeAttribute("href");
}

async function exportEntries() {
  clearError("export-error");
  const params = filterParams();
  if (!params) return;
  const format = $("export-format").value;
  params.set("format", format);
  const button = $("export-button");
  button.disabled = true;
  button.textContent = t("exporting");
  revokeExport();
  try {
    const res = await call("GET", `/v1/admin/export?${params}`);
    const type = format === "fhir" ? "application/fhir+json" : "application/x-ndjson";
    const blob = new Blob([await res.blob()], { type });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    const file = `varde-audit-${stamp}.${format === "fhir" ? "fhir.json" : "jsonl"}`;
    state.exportUrl = URL.createObjectURL(blob);
    const link = $("export-link");
    link.href = state.exportUrl;
    link.download = file;
    link.dataset.size = String(blob.size);
    link.dataset.format = format;
    link.textContent = t("exportReady", { file, size: bytes(blob.size) });
    link.hidden = false;
    link.click();
  } catch (e) {
    showError("export-error", e);
  } finally {
    button.disabled = false;
    button.textContent = t("export");
  }
}

// ---- language ----------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = state.lang === "nb" ? "nb" : "en";
  document.title = t("title");
  $("lang-switch").value = state.lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  if ($("whoami").dataset.name) $("whoami").textContent = t("signedInAs", { name: $("whoami").dataset.name });
  if (state.token) {
    renderDevices();
    renderAlerts();
    renderEntries();
    renderVerify();
  }
}

function setLanguage() {
  state.lang = $("lang-switch").value === "nb" ? "nb" : "en";
  localStorage.setItem(LANG_KEY, state.lang);
  applyLanguage();
}

// ---- start -------------------------------------------------------------------------------

async function start() {
  $("signin-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut());
  $("lang-switch").addEventListener("change", setLanguage);
  $("refresh").addEventListener("click", refreshOverview);
  $("verify-button").addEventListener("click", verifyAll);
  $("filters").addEventListener("submit", search);
  $("search-reset").addEventListener("click", resetFilters);
  $("load-more").addEventListener("click", () => loadPage(state.nextCursor));
  $("export-button").addEventListener("click", exportEntries);
  applyLanguage();
  if (!state.token) return signOut();
  try {
    const who = await getJson("/v1/admin/whoami");
    enterConsole(who.name);
  } catch (e) {
    signOut(errorText(e));
  }
}

start();

// End-to-end tests of the Varde desktop app in its real window: tauri-driver starts the built
// app under WebKitWebDriver (inside Xvfb, see run.sh) and these scenarios drive it as a user
// would. Screenshots of each main screen go to E2E_SCREENSHOT_DIR.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { auditServerCli, startAuditServer } from "./audit-server.mjs";
import { Session, freePort, sleep, startDriver } from "./webdriver.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const APP = required("VARDE_DESKTOP_BIN");
const CLI = required("VARDE_CLI_BIN");
const SERVER = required("VARDE_SERVER_BIN");
const DRIVER = process.env.TAURI_DRIVER || path.join(repo, ".deps/tauri-driver/bin/tauri-driver");
const SHOTS = process.env.E2E_SCREENSHOT_DIR || path.join(os.tmpdir(), "varde-e2e-screenshots");
// The repository's own copies of the public files the walk uploads.
const FIXTURES = path.join(repo, "tests/fixtures");
const CORPUS = path.join(repo, "tests/corpus");
const ONLY = process.env.E2E_ONLY || "";

const ADMIN = ["admin", "admin passphrase 1"];
const REVIEWER = ["rita", "reviewer passphrase 3"];
const CLINICIAN = ["carl", "clinician passphrase 2"];
const VALID_FNR = "01019000083"; // 1990-01-01
const INVALID_FNR = "01019000084";

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} must point at the built binary (run through tests/e2e/run.sh)`);
  return v;
}

const id = (t, extra = "") => `[data-testid="${t}"]${extra}`;

/** Starts tauri-driver with `env` for the app, opens a session, runs `fn(session, home)`, cleans
 *  up. `home` is the app's fresh home directory. */
async function withApp(env, fn) {
  // A fresh home for the webview's own storage (the remembered language, caches) per scenario.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "varde-e2e-home-"));
  const driver = await startDriver(DRIVER, {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    ...env,
  });
  let s;
  try {
    s = await Session.start(driver.base, APP);
    await fn(s, home);
  } catch (e) {
    await shot(`failure-${Date.now()}`).catch(() => {});
    const err = driver.stderr();
    if (err) {
      throw new Error(`${e.stack || e}\n--- tauri-driver stderr (tail) ---\n${err.slice(-2000)}`);
    }
    throw e;
  } finally {
    if (s) await s.quit();
    await driver.stop();
  }
}

/** Saves the screen (the app's window fills the virtual display) as a PNG. Taken from the X
 *  server with ImageMagick: WebKit's own WebDriver screenshot needs accelerated compositing,
 *  which the app turns off to save memory. Waits a moment so the last DOM change is painted. */
async function shot(name) {
  await sleep(1000);
  fs.mkdirSync(SHOTS, { recursive: true });
  execFileSync("import", ["-window", "root", path.join(SHOTS, `${name}.png`)], { stdio: "ignore" });
}

function tempDataDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "varde-e2e-"));
}

/** The CLI on the same store, as another user would act from another machine session. */
function cli(dataDir, [user, password], args) {
  return execFileSync(CLI, ["--json", ...args], {
    env: { ...process.env, VARDE_DATA_DIR: dataDir, VARDE_USER: user, VARDE_PASSWORD: password },
    encoding: "utf8",
  });
}

async function signIn(s, [user, password], landing = "nav-cases") {
  await s.type(id("signin-user"), user);
  await s.type(id("signin-password"), password);
  await s.click(id("signin-submit"));
  await s.find(id(landing), 15000);
}

async function signOut(s) {
  await s.click(id("sign-out"));
  await s.find(id("signin-user"));
}

/** Drops files on the drop zone the way a file manager drag does (an HTML5 drop event). */
async function dropFiles(s, files) {
  const payload = files.map((f) => ({
    name: path.basename(f.path),
    type: f.type,
    b64: fs.readFileSync(f.path).toString("base64"),
  }));
  await s.find(id("drop-zone"));
  await s.exec(
    `const zone = document.querySelector('[data-testid="drop-zone"]');
     const dt = new DataTransfer();
     for (const f of arguments[0]) {
       const bin = atob(f.b64);
       const bytes = new Uint8Array(bin.length);
       for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
       dt.items.add(new File([bytes], f.name, { type: f.type }));
     }
     for (const type of ["dragenter", "dragover", "drop"]) {
       zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
     }`,
    [payload],
  );
}

async function uploadState(s, fileName) {
  return s.attr(id("upload-item", `[data-file-name="${fileName}"]`), "data-state");
}

async function timelineActions(s) {
  const els = await s.all(id("timeline-entry"));
  const out = [];
  for (const el of els) out.push(await s.cmd("GET", `/element/${el}/attribute/data-action`));
  return out;
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

// ---------------------------------------------------------------------------------------------

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

scenario("a case goes from first start to approval in the real window, with every step audited", async () => {
  const dataDir = tempDataDir();
  // A Norwegian system locale: the app starts in bokmål.
  await withApp({ VARDE_DATA_DIR: dataDir, LANG: "nb_NO.UTF-8" }, async (s, home) => {
    // First start: create the store and the first admin; the recovery code is shown once.
    await s.find(id("setup-admin-name"), 20000);
    await shot("01-first-start");
    await s.type(id("setup-admin-name"), ADMIN[0]);
    await s.type(id("setup-password"), ADMIN[1]);
    await s.type(id("setup-password-confirm"), ADMIN[1]);
    await s.click(id("setup-submit"));
    const code = await s.waitFor(async () => (await s.text(id("recovery-code"))).trim(), 15000, "the recovery code");
    assert(code.length >= 20, `a recovery code is shown (${code.length} characters)`);
    await shot("02-recovery-code");
    await s.click(id("recovery-saved"));
    await s.click(id("recovery-continue"));

    // Bokmål by default on a Norwegian system.
    const navText = await s.text(id("nav-cases"));
    assert(/Saker/i.test(navText), `the navigation is in bokmål ("${navText}")`);

    // The admin adds a reviewer and a clinician.
    await s.click(id("nav-settings"));
    for (const [name, role, pw] of [
      [REVIEWER[0], "reviewer", REVIEWER[1]],
      [CLINICIAN[0], "clinician", CLINICIAN[1]],
    ]) {
      await s.type(id("user-add-name"), name);
      await s.exec(
        `const el = document.querySelector('[data-testid="user-add-role"]');
         const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
         set.call(el, arguments[0]); el.dispatchEvent(new Event("change", { bubbles: true }));`,
        [role],
      );
      await s.type(id("user-add-password"), pw);
      await s.click(id("user-add-submit"));
      await s.find(id("user-row", `[data-user-name="${name}"]`));
    }
    await shot("09-settings");

    // Switch to English for the rest of the walk.
    await s.exec(
      `const el = document.querySelector('[data-testid="language-switch"]');
       const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
       set.call(el, "en"); el.dispatchEvent(new Event("change", { bubbles: true }));`,
    );
    await s.waitForText(id("nav-cases"), /Cases/);
    await signOut(s);

    // Bad path: a wrong password gets the core's message, and nothing else happens.
    await s.type(id("signin-user"), CLINICIAN[0]);
    await s.type(id("signin-password"), "not the password at all");
    await s.click(id("signin-submit"));
    await s.waitForText(id("signin-error"), /wrong user name or password/i);
    await shot("03-sign-in-wrong-password");
    await signIn(s, CLINICIAN);

    // The clinician opens a case with consent; the fødselsnummer is checked as typed.
    await s.click(id("nav-new-case"));
    await s.find(id("subject-name"));
    await s.exec(
      `const el = document.querySelector('[data-testid="case-kind"]');
       const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
       set.call(el, "identity"); el.dispatchEvent(new Event("change", { bubbles: true }));`,
    );
    await s.type(id("subject-name"), "Maria Olivia Virtanen");
    await s.exec(
      `const el = document.querySelector('[data-testid="subject-dob"]');
       const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
       set.call(el, "1990-01-01"); el.dispatchEvent(new Event("input", { bubbles: true }));
       el.dispatchEvent(new Event("change", { bubbles: true }));`,
    );
    await s.type(id("subject-fnr"), INVALID_FNR);
    await s.waitForText(id("fnr-message"), /control digit|kontrollsiffer/i);
    await s.type(id("subject-fnr"), VALID_FNR);
    await s.waitForText(id("fnr-message"), /1990-01-01/);
    await s.click(id("consent"));
    await s.click(id("create-case-submit"));

    // Drop a scanned passport, a scanned lab report and an encrypted PDF (refused on its own).
    const passport = path.join(CORPUS, "identity/passporteye-100_pass-fin.png");
    const lab = path.join(FIXTURES, "nb-lab-scan.pdf");
    const encrypted = path.join(CORPUS, "pdf-encrypted/pypdf-r4-aes-user-password.pdf");
    await dropFiles(s, [
      { path: passport, type: "image/png" },
      { path: lab, type: "application/pdf" },
      { path: encrypted, type: "application/pdf" },
    ]);
    await s.waitFor(async () => (await uploadState(s, path.basename(encrypted))) === "error", 30000, "the encrypted PDF to be refused");
    const refusal = await s.text(id("upload-item", `[data-file-name="${path.basename(encrypted)}"] [data-testid="upload-error"]`));
    assert(/password|encrypt/i.test(refusal), `the refusal says why ("${refusal}")`);
    for (const f of [passport, lab]) {
      await s.waitFor(async () => (await uploadState(s, path.basename(f))) === "done", 180000, `${path.basename(f)} to be analysed`);
    }
    await shot("04-new-case-uploads");

    await s.click(id("open-created-case"));
    await s.find(id("case-version"));
    // The AI panel shows a label and a confidence for the passport.
    await s.click(id("document-item", `[data-file-name="${path.basename(passport)}"]`));
    const label = await s.waitFor(async () => (await s.text(id("ai-label"))).trim(), 15000, "the AI label");
    const confidence = await s.attr(id("ai-confidence"), "aria-valuenow");
    assert(label.length > 0, "the AI panel names a label");
    assert(Number(confidence) > 0 && Number(confidence) <= 100, `a confidence is shown (${confidence})`);
    // The viewer shows the page the sandboxed worker drew, never the file itself.
    await s.find(id("viewer-page"), 15000);
    // The passport's machine-readable zone is read into fields.
    await s.waitForText(id("fields-table"), /VIRTANEN/i);
    await shot("05-case-detail-ai-panel");
    await s.click(id("document-item", `[data-file-name="${path.basename(lab)}"]`));
    await s.waitFor(async () => (await s.text(id("ai-label"))).trim(), 15000, "the lab report's AI label");
    // The scanned PDF's page is drawn by the worker and shown as an image.
    await s.waitFor(
      async () =>
        s.exec(`const i = document.querySelector('[data-testid="viewer-page"]');
                return i && i.complete && i.naturalWidth > 0 && i.dataset.page === "1" ? true : null;`),
      15000,
      "the lab report's first page",
    );
    // Lab values with flags; selecting one highlights its line in the document text.
    await s.find(id("observation-row"));
    await s.click(id("observation-row", " td"));
    await s.find(id("doc-text", " mark"));
    await shot("06-case-detail-lab-report");
    await signOut(s);

    // The reviewer opens the case from the list.
    await signIn(s, REVIEWER);
    await s.find(id("case-row"));
    await shot("07-case-list");
    await s.click(id("count-pending"));
    await s.click(id("case-row", " td"));
    await s.find(id("review-start"));
    const version = Number((await s.text(id("case-version"))).match(/\d+/)[0]);

    // Bad path: someone else starts the review first (the admin, through the CLI); the window
    // is told the case changed, reloads it, and saves nothing.
    const listed = JSON.parse(cli(dataDir, ADMIN, ["case", "list"]));
    const theCase = listed.items[0];
    cli(dataDir, ADMIN, ["review", "start", theCase.id, "--expected-version", String(version)]);
    await s.click(id("review-start"));
    const notice = await s.waitForText(id("conflict-notice"), /version/i, 15000);
    assert(/nothing was saved/i.test(notice), `the notice says nothing was saved ("${notice}")`);
    await s.waitFor(async () => (await s.attr(id("case-status"), "data-status")) === "IN_REVIEW", 10000, "the reloaded case to be IN_REVIEW");
    await shot("08-review-stale-version");

    // The reviewer approves with the AI suggestion beside the buttons.
    await s.find(id("review-ai-suggestion"));
    await s.click(id("review-approve"));
    await s.waitFor(async () => (await s.attr(id("case-status"), "data-status")) === "APPROVED", 15000, "the case to be APPROVED");
    const actions = await s.waitFor(async () => {
      const a = await timelineActions(s);
      return a.includes("review.approve") ? a : null;
    }, 10000, "the approval in the timeline");
    for (const step of ["case.create", "document.add", "pipeline.classify", "job.done", "review.start", "review.approve"]) {
      assert(actions.includes(step), `the timeline shows ${step} (has: ${[...new Set(actions)].join(", ")})`);
    }
    await shot("10-case-approved-timeline");
    await signOut(s);

    // The admin checks the audit chain.
    await signIn(s, ADMIN);
    await s.click(id("nav-audit"));
    await s.click(id("audit-verify"));
    await s.waitForText(id("audit-status"), /\d+/, 15000);
    await s.find(id("audit-row"));
    await shot("11-audit");

    // The export lands in the user's folder and names no subject.
    await s.click(id("audit-export"));
    const result = await s.waitForText(id("audit-export-result"), /\.jsonl/, 15000);
    const exported = result.match(/(\/\S+\.jsonl)/)[1];
    assert(exported.startsWith(home), `the export is in the user's home (${exported})`);
    const log = fs.readFileSync(exported, "utf8");
    assert(log.split("\n").filter(Boolean).length > 20, "the export holds the log");
    for (const phi of ["Virtanen", "Maria", VALID_FNR]) {
      assert(!log.includes(phi), `the exported audit log does not contain "${phi}"`);
    }
  });
});

scenario("a page in the window cannot reach the network: the content security policy stops it", async () => {
  const dataDir = tempDataDir();
  let connections = 0;
  const server = net.createServer((sock) => {
    connections += 1;
    sock.destroy();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  try {
    await withApp({ VARDE_DATA_DIR: dataDir }, async (s) => {
      await s.find(id("setup-admin-name"), 20000);
      const result = await s.execAsync(
        `const done = arguments[arguments.length - 1];
         const url = "http://127.0.0.1:" + arguments[0] + "/";
         const outcomes = [];
         fetch(url).then(() => outcomes.push("fetch: allowed"), () => outcomes.push("fetch: blocked"));
         const img = new Image(); img.src = url + "pixel.png";
         try { const ws = new WebSocket("ws://127.0.0.1:" + arguments[0] + "/"); ws.onerror = () => outcomes.push("ws: blocked"); }
         catch (e) { outcomes.push("ws: blocked"); }
         setTimeout(() => done(outcomes), 1500);`,
        [port],
      );
      assert(result.includes("fetch: blocked"), `fetch was refused (${result})`);
    });
    assert(connections === 0, `no connection reached the listener (${connections} did)`);
  } finally {
    server.close();
  }
});

scenario("an idle session locks: the keys leave memory and the sign-in screen returns", async () => {
  const dataDir = tempDataDir();
  cliInit(dataDir);
  await withApp({ VARDE_DATA_DIR: dataDir, VARDE_AUTO_LOCK_SECONDS: "4" }, async (s) => {
    await s.find(id("signin-user"), 20000);
    await signIn(s, ADMIN);
    await s.find(id("locked-notice"), 20000);
    await s.find(id("signin-user"));
    // The shell holds no session any more: a command from the page is refused as locked.
    const err = await s.execAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke("case_counts").then(() => done("allowed"), (e) => done(e.code));`,
    );
    assert(err === "locked", `commands after the lock are refused (${err})`);
  });
});

scenario("repeated wrong passwords show the growing delay as a countdown", async () => {
  const dataDir = tempDataDir();
  cliInit(dataDir);
  await withApp({ VARDE_DATA_DIR: dataDir }, async (s) => {
    await s.find(id("signin-user"), 20000);
    // From the third failure on, each failure doubles the wait (1 s, 2 s, 4 s …): keep trying
    // until an attempt lands inside the wait and the window counts it down.
    for (let i = 0; i < 10; i++) {
      if ((await s.all(id("signin-countdown"))).length) break;
      await s.type(id("signin-user"), ADMIN[0]);
      await s.type(id("signin-password"), `wrong password number ${i}`);
      await s.click(id("signin-submit"));
      await sleep(300);
    }
    const countdown = await s.waitForText(id("signin-countdown"), /\d/, 10000);
    assert(/\d+/.test(countdown), `a countdown is shown ("${countdown}")`);
    await shot("12-sign-in-countdown");
  });
});

scenario("an admin enrolls the workstation with the audit server in Settings and the status bar shows its log delivered", async () => {
  const live = new Set();
  const server = await startAuditServer(SERVER, fs.mkdtempSync(path.join(os.tmpdir(), "varde-e2e-server-")), live);
  try {
    const token = auditServerCli(SERVER, server.dataDir, ["token", "create", "--site", "clinic-a"]).token;
    const dataDir = tempDataDir();
    cliInit(dataDir);
    await withApp({ VARDE_DATA_DIR: dataDir, LANG: "en_GB.UTF-8" }, async (s) => {
      await s.find(id("signin-user"), 20000);
      await signIn(s, ADMIN);
      await s.waitForText(id("status-sync"), /\S/, 15000);
      await s.click(id("nav-settings"));
      // A wrong token is refused with the server's reason, and nothing is enrolled.
      await s.type(id("sync-url"), server.url);
      await s.type(id("sync-token"), "vt_not-a-real-token");
      await s.click(id("sync-enroll"));
      const refusal = await s.waitForText(id("sync-enroll-error"), /\S/, 15000);
      assert(/token/i.test(refusal), `the refusal names the token ("${refusal}")`);
      await s.type(id("sync-token"), token);
      await s.type(id("sync-device-name"), "reception-1");
      await s.click(id("sync-enroll"));
      await s.find(id("sync-enrolled"), 15000);
      await s.click(id("sync-now"));
      await s.waitForText(id("sync-pending"), /^0$/, 30000);
      const bar = await s.waitFor(
        async () => {
          const tone = await s.attr(id("status-sync"), "data-tone");
          return tone === "ok" ? await s.text(id("status-sync")) : null;
        },
        30000,
        "the status bar to show sync as ok",
      );
      assert(/0 waiting/.test(bar), `the status bar says nothing waits ("${bar}")`);
      await shot("13-settings-audit-sync");
      const [device] = auditServerCli(SERVER, server.dataDir, ["devices"]);
      assert(device && device.name === "reception-1" && device.state === "ok" && device.head > 0, `the server holds the device's log (${JSON.stringify(device)})`);

      // The server goes away: work goes on, entries wait, and the status bar says so.
      await server.stop();
      await s.click(id("sync-now"));
      await s.waitFor(
        async () => ((await s.attr(id("status-sync"), "data-tone")) === "offline" ? true : null),
        30000,
        "the status bar to show sync offline",
      );
    });
  } finally {
    await server.stop();
  }
});

/** Sets a <select>'s value the way React sees a user's choice. */
async function choose(s, testId, value) {
  await s.find(id(testId));
  await s.exec(
    `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
     const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
     set.call(el, arguments[1]); el.dispatchEvent(new Event("change", { bubbles: true }));`,
    [testId, value],
  );
}

scenario("break-glass, the auditor's queue, backup, the subject export and erasure work in the real window, in bokmål and English", async () => {
  const dataDir = tempDataDir();
  const saveDir = fs.mkdtempSync(path.join(os.tmpdir(), "varde-e2e-saved-"));
  const OTHER = ["conrad", "other clinician passphrase"];
  const AUDITOR = ["aud", "auditor passphrase 4"];
  const REASON = "Pasienten er innlagt akutt, trenger legemiddellisten";
  const DETAIL = "Brev fra Maria Olivia Virtanen 2026-12-01";
  cliInit(dataDir);
  for (const [[name, pw], role] of [[CLINICIAN, "clinician"], [OTHER, "clinician"], [AUDITOR, "auditor"]]) {
    execFileSync(CLI, ["user", "add", name, "--role", role], {
      env: { ...process.env, VARDE_DATA_DIR: dataDir, VARDE_USER: ADMIN[0], VARDE_PASSWORD: ADMIN[1], VARDE_NEW_PASSWORD: pw },
      stdio: "ignore",
    });
  }
  const created = JSON.parse(
    cli(dataDir, CLINICIAN, [
      "case", "create", "--kind", "clinical", "--subject-name", "Maria Olivia Virtanen",
      "--subject-dob", "1990-01-01", "--subject-id", VALID_FNR, "--consent", "--policy-version", "2026-01",
    ]),
  );
  const caseId = created.id;
  cli(dataDir, CLINICIAN, ["doc", "add", caseId, path.join(CORPUS, "identity/passporteye-100_pass-fin.png")]);
  const auditLog = () => execFileSync(CLI, ["audit", "export"], {
    env: { ...process.env, VARDE_DATA_DIR: dataDir, VARDE_USER: ADMIN[0], VARDE_PASSWORD: ADMIN[1] },
    encoding: "utf8",
  });
  const count = (log, action) => log.split("\n").filter((l) => l.includes(`"action":"${action}"`)).length;

  await withApp({ VARDE_DATA_DIR: dataDir, LANG: "nb_NO.UTF-8", VARDE_TEST_SAVE_DIR: saveDir }, async (s) => {
    // In bokmål: another clinician finds the case by the subject's fødselsnummer (exact match)
    // and opens it only by giving a reason; the case shows the break-glass banner.
    await s.find(id("signin-user"), 20000);
    await signIn(s, OTHER);
    await s.find(id("break-glass-find"));
    await s.type(id("break-glass-query"), INVALID_FNR);
    await s.click(id("break-glass-search"));
    await s.waitForText(id("break-glass-none"), /Ingen sak/);
    await s.type(id("break-glass-query"), VALID_FNR);
    await s.click(id("break-glass-search"));
    const found = await s.find(id("break-glass-result"));
    assert((await s.attr(id("break-glass-result"), "data-case-id")) === caseId, `the search finds the case (${found})`);
    assert(await s.exec(`return document.querySelector('[data-testid="break-glass-open"]').disabled`), "no opening without a reason");
    await s.type(id("break-glass-reason"), REASON);
    await s.click(id("break-glass-open"));
    const banner = await s.waitForText(id("break-glass-banner"), /nødtilgang/i, 15000);
    assert(/logget/.test(banner), `the banner says the access is logged ("${banner}")`);
    // Its document is drawn too, without asking for the reason again.
    await s.find(id("viewer-page"), 30000);
    await shot("14-break-glass-banner");
    // Back to English for the rest.
    await s.exec(
      `const el = document.querySelector('[data-testid="language-switch"]');
       const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
       set.call(el, "en"); el.dispatchEvent(new Event("change", { bubbles: true }));`,
    );
    await s.waitForText(id("nav-cases"), /Cases/);
    await signOut(s);
    let log = auditLog();
    assert(count(log, "access.break_glass") === 1, `one opening is one break-glass record (${count(log, "access.break_glass")})`);
    assert(!log.includes(VALID_FNR) && !log.includes(REASON), "the audit log holds neither the number searched nor the reason");

    // The admin backs the store up from Settings, to the file they choose.
    await signIn(s, ADMIN);
    await s.click(id("nav-settings"));
    await s.click(id("backup-run"));
    const backedUp = await s.waitForText(id("backup-done"), /SHA-256/, 60000);
    const backupFile = backedUp.match(/(\/\S+\.vbak)/)[1];
    assert(backupFile.startsWith(saveDir) && fs.statSync(backupFile).size > 0, `the backup is where the admin chose (${backupFile})`);
    assert(/1 documents/.test(backedUp), `the report counts the document ("${backedUp}")`);
    await shot("17-settings-backup");

    // The admin exports the subject's data to the file they choose, then erases the case.
    await s.click(id("nav-cases"));
    await s.click(id("case-row", " td"));
    await s.find(id("gdpr-panel"));
    await s.click(id("subject-export"));
    const saved = await s.waitForText(id("subject-export-saved"), /health data/, 20000);
    const file = saved.match(/(\/\S+\.json)/)[1];
    assert(file.startsWith(saveDir), `the export is where the admin chose (${file})`);
    const exported = JSON.parse(fs.readFileSync(file, "utf8"));
    assert(exported.format === "varde-subject-export/1" && exported.case.id === caseId, "the export is the subject's");
    assert(exported.case.subject.name === "Maria Olivia Virtanen" && exported.documents.length === 1, "it holds the subject and the document");
    assert((fs.statSync(file).mode & 0o077) === 0, "only this user can read the file");
    await s.click(id("erase-open"));
    const what = await s.text(id("erase-what"));
    assert(what.includes(caseId) && /1 documents/.test(what) && /case key/.test(what), `the dialog names what goes ("${what}")`);
    assert(await s.exec(`return document.querySelector('[data-testid="erase-confirm"]').disabled`), "no erasure without a reason");
    await choose(s, "erase-reason", "subject_request");
    await s.type(id("erase-detail"), DETAIL);
    await shot("15-erase-dialog");
    await s.click(id("erase-confirm"));
    await s.waitFor(async () => ((await s.attr(id("case-list-total"), "data-total")) === "0" ? true : null), 15000, "the case list without the case");
    await signOut(s);
    log = auditLog();
    const erasure = log.split("\n").find((l) => l.includes('"action":"case.erase"'));
    assert(erasure && erasure.includes('"reason":"subject_request"'), `the erasure is audited with its code (${erasure})`);
    assert(!log.includes("Virtanen") && !log.includes("Brev fra"), "the detail is not in the audit log");

    // The auditor reads the break-glass record, which outlived the erasure, and acknowledges it.
    await signIn(s, AUDITOR, "nav-audit");
    await s.click(id("nav-audit"));
    await s.find(id("break-glass-record", `[data-case-id="${caseId}"]`), 15000);
    const reason = await s.text(id("break-glass-record-reason"));
    assert(reason === REASON, `the auditor reads the reason ("${reason}")`);
    await s.waitForText(id("break-glass-record"), /case erased since/);
    await shot("16-break-glass-queue");
    await s.click(id("break-glass-ack"));
    await s.find(id("break-glass-queue-empty"), 15000);
    const last = auditLog();
    assert(count(last, "break_glass.review") === 1, "the acknowledgement is audited");
    assert(count(last, "store.backup") === 1, "the backup is audited");
  });
});

function cliInit(dataDir) {
  execFileSync(CLI, ["init", "--admin", ADMIN[0]], {
    env: { ...process.env, VARDE_DATA_DIR: dataDir, VARDE_PASSWORD: ADMIN[1] },
    stdio: "ignore",
  });
}

// ---------------------------------------------------------------------------------------------

let failed = 0;
for (const { name, fn } of scenarios) {
  if (ONLY && !name.includes(ONLY)) continue;
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n     ${e.stack || e}`);
  }
}
console.log(failed ? `\n${failed} end-to-end scenario(s) failed` : "\nall end-to-end scenarios passed");
process.exit(failed ? 1 : 0);

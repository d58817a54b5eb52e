// End-to-end test of the central audit server's read-only web console in a real headless
// Chromium, driven over W3C WebDriver by chromedriver: a real `varde-server` on loopback, real
// workstations (the `varde` CLI) that enroll and sync, a store rolled back from a copy that forks
// on the server, and an auditor who signs in to the console and checks it all. Needs no display.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAuditServer, auditServerCli } from "./audit-server.mjs";
import { Session, sleep, startChromeDriver } from "./webdriver.mjs";

const SERVER = required("VARDE_SERVER_BIN");
const CLI = required("VARDE_CLI_BIN");
const CHROMEDRIVER = process.env.CHROMEDRIVER || "/usr/bin/chromedriver";
const ONLY = process.env.E2E_ONLY || "";

// The same users and passwords as desktop.e2e.mjs.
const ADMIN = ["admin", "admin passphrase 1"];
const CLINICIAN = ["carl", "clinician passphrase 2"];

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} must point at the built binary (run through tests/e2e/run.sh)`);
  return v;
}

const id = (t, extra = "") => `[data-testid="${t}"]${extra}`;

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

// ---- processes and directories: everything started here is stopped, even on failure --------

/** Children still running, by pid (negative: a process group), killed at exit whatever happens. */
const live = new Set();
process.on("exit", () => {
  for (const pid of live) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

const dirs = [];
function tempDir(prefix) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `varde-console-e2e-${prefix}-`));
  dirs.push(d);
  return d;
}

const serverCli = (dataDir, args) => auditServerCli(SERVER, dataDir, args);
const startServer = () => startAuditServer(SERVER, tempDir("server"), live);

/** A workstation: a `varde` store in its own data directory, driven through the CLI. */
class Workstation {
  constructor(name) {
    this.name = name;
    this.dir = path.join(tempDir(name), "data");
  }

  /** Runs `varde --json ARGS` as `user`; returns {code, stdout, stderr, json}. */
  run([user, password], args, extraEnv = {}) {
    const r = spawnSync(CLI, ["--json", ...args], {
      env: {
        ...process.env,
        VARDE_DATA_DIR: this.dir,
        VARDE_USER: user,
        VARDE_PASSWORD: password,
        VARDE_LOG: "warn",
        ...extraEnv,
      },
      encoding: "utf8",
      timeout: 120000,
    });
    let json = null;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      /* not JSON */
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
  }

  /** Like run, but a non-zero exit fails the test with the CLI's own words. */
  ok(user, args, extraEnv) {
    const r = this.run(user, args, extraEnv);
    if (r.code !== 0) {
      throw new Error(`${this.name}: varde ${args.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    }
    return r.json;
  }

  /** `varde init` with the first admin, then a clinician (as desktop.e2e.mjs does it). */
  init() {
    const r = spawnSync(CLI, ["init", "--admin", ADMIN[0]], {
      env: { ...process.env, VARDE_DATA_DIR: this.dir, VARDE_PASSWORD: ADMIN[1] },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`${this.name}: varde init exited ${r.status}: ${r.stderr}`);
    this.ok(ADMIN, ["user", "add", CLINICIAN[0], "--role", "clinician"], { VARDE_NEW_PASSWORD: CLINICIAN[1] });
  }

  enroll(serverUrl, token) {
    const status = this.ok(ADMIN, ["sync", "enroll", serverUrl, "--token", token, "--name", this.name]);
    assert(status.enrolled && status.device_id, `${this.name} is enrolled (${JSON.stringify(status)})`);
    this.deviceId = status.device_id;
    return status;
  }

  createCase(subjectName, dob) {
    const created = this.ok(CLINICIAN, [
      "case", "create", "--kind", "clinical", "--subject-name", subjectName, "--subject-dob", dob,
      "--consent", "--policy-version", "2026-01",
    ]);
    return created.id;
  }

  listCases() {
    return this.ok(CLINICIAN, ["case", "list"]);
  }

  sync() {
    return this.ok(ADMIN, ["sync"]);
  }
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
}

/** Starts chromedriver and a headless Chromium session, runs `fn(session)`, and ends both. */
async function withBrowser(fn) {
  const home = tempDir("chromium-home");
  const driver = await startChromeDriver(CHROMEDRIVER, {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache"),
  });
  live.add(-driver.pid);
  let s;
  try {
    s = await Session.startBrowser(driver.base, {
      "goog:chromeOptions": { args: ["--lang=en-GB", "--window-size=1280,1000", `--user-data-dir=${path.join(home, "profile")}`] },
      "goog:loggingPrefs": { browser: "ALL" },
    });
    await fn(s);
  } catch (e) {
    const out = driver.output();
    if (out && e instanceof Error) e.stack = `${e.stack}\n--- chromedriver output (tail) ---\n${out.slice(-1500)}`;
    throw e;
  } finally {
    if (s) await s.quit();
    await driver.stop();
    live.delete(-driver.pid);
  }
}

/** The browser console's entries since the last call (chromedriver's log extension), or null
 *  when the driver does not offer it. */
function browserLog(s) {
  return s.cmd("POST", "/se/log", { type: "browser" }).catch(() => null);
}


/** Sets a <select>'s value as a user's choice would, firing `change`. */
async function choose(s, css, value) {
  await s.find(css);
  await s.exec(
    `const el = document.querySelector(arguments[0]);
     el.value = arguments[1];
     if (el.value !== arguments[1]) throw new Error("no option " + arguments[1] + " in " + arguments[0]);
     el.dispatchEvent(new Event("change", { bubbles: true }));`,
    [css, value],
  );
}

/** The entry rows as the page shows them. */
function entryRows(s) {
  return s.exec(
    `return [...document.querySelectorAll('[data-testid="entry-row"]')].map((tr) => ({
       action: tr.dataset.action, device: tr.dataset.deviceId, outcome: tr.dataset.outcome,
       cells: [...tr.cells].map((c) => c.textContent) }));`,
  );
}

/** The admin API itself, as the oracle for what the console should show. */
async function adminApi(server, token, pathAndQuery) {
  const res = await fetch(server.url + pathAndQuery, { headers: { Authorization: `Bearer ${token}` } });
  assert(res.ok, `GET ${pathAndQuery} answers ${res.status}`);
  return res.json();
}

/** Searches with the filter form and waits until the table shows exactly `expected` rows. */
async function searchAndWait(s, expected, what) {
  await s.click(id("search-submit"));
  return s.waitFor(
    async () => {
      const rows = await entryRows(s);
      const count = await s.text(id("entries-count"));
      return rows.length === expected && count.includes(String(expected)) ? rows : null;
    },
    10000,
    `${expected} entry rows for ${what}`,
  );
}

// ---------------------------------------------------------------------------------------------

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

scenario(
  "an auditor signs in to the console, sees a device, filters entries, sees a fork alert and verifies everything",
  async () => {
    const server = await startServer();
    try {
      // ---- two workstations enroll and deliver their logs --------------------------------
      const a = new Workstation("ws-a");
      const b = new Workstation("ws-b");
      for (const w of [a, b]) {
        w.init();
        const { token } = serverCli(server.dataDir, ["token", "create", "--site", "clinic-a"]);
        assert(/^vt_/.test(token), `an enrollment token is made (${token})`);
        w.enroll(server.url, token);
      }
      a.createCase("Kari Nordmann", "1990-01-01");
      a.listCases();
      const first = a.sync();
      assert(first.pushed > 0 && first.status.pending === 0, `ws-a delivers its log (${JSON.stringify(first)})`);
      b.createCase("Per Hansen", "1975-05-17");
      b.sync();

      // ---- a fork, the realistic way: a copy of the store put back after a sync ----------
      // No varde process runs now: each CLI call above has exited.
      const backup = path.join(tempDir("ws-a-backup"), "data");
      copyDir(a.dir, backup);
      const second = a.createCase("Ola Nordmann", "1980-02-02");
      a.ok(CLINICIAN, ["case", "show", second]);
      const afterBackup = a.sync();
      assert(afterBackup.pushed > 0, `ws-a syncs the work done after the copy (${JSON.stringify(afterBackup)})`);
      fs.rmSync(a.dir, { recursive: true, force: true });
      copyDir(backup, a.dir);
      a.createCase("Lise Berg", "1985-03-03");
      a.listCases();
      const forked = a.run(ADMIN, ["sync"]);
      assert(forked.code !== 0, `the rolled-back store's sync fails (exit ${forked.code}: ${forked.stdout})`);
      assert(forked.json?.error?.code === "sync_fork", `the sync names the fork: ${forked.stdout}${forked.stderr}`);
      // The server itself refused the batch as a fork (its 409 fork_detected), not just the CLI.
      const refused = server
        .log()
        .split("\n")
        .filter((l) => l.includes('"batch refused"') && l.includes('"code":"fork_detected"'));
      assert(refused.length === 1, `the server refused one batch with fork_detected:\n${server.log().slice(-1500)}`);

      const devices = serverCli(server.dataDir, ["devices"]);
      const devA = devices.find((d) => d.id === a.deviceId);
      const devB = devices.find((d) => d.id === b.deviceId);
      assert(devA && devA.state === "fork_detected", `ws-a is fork_detected: ${JSON.stringify(devices)}`);
      assert(devB && devB.state === "ok", `ws-b is ok: ${JSON.stringify(devices)}`);
      assert(Number.isInteger(devA.fork_seq), `the fork's seq is known (${devA.fork_seq})`);
      // Nothing of the rewritten history was stored: the server still holds ws-a's real head.
      assert(devA.head === afterBackup.status.server_head, `ws-a's head stays ${afterBackup.status.server_head} (${devA.head})`);
      assert(devA.fork_seq <= devA.head, `the fork is at a seq the server holds (${devA.fork_seq} ≤ ${devA.head})`);

      const { token: adminToken } = serverCli(server.dataDir, ["admin-token", "create", "auditor"]);
      assert(/^va_/.test(adminToken), "an admin token is made");
      const allEntries = (await adminApi(server, adminToken, "/v1/admin/entries?limit=1000")).entries;
      const caseEntries = (await adminApi(server, adminToken, "/v1/admin/entries?limit=1000&action=case.")).entries;
      const aEntries = (await adminApi(server, adminToken, `/v1/admin/entries?limit=1000&device=${a.deviceId}`)).entries;
      assert(allEntries.length < 100, `one page of entries in the console (${allEntries.length})`);
      assert(caseEntries.length > 0 && caseEntries.length < allEntries.length, "the action filter is selective");
      assert(aEntries.length > 0 && aEntries.length < allEntries.length, "the device filter is selective");

      // The console's page carries the strict CSP.
      const page = await fetch(server.url + "/");
      const csp = page.headers.get("content-security-policy") || "";
      assert(/default-src 'self'/.test(csp) && /script-src 'self'/.test(csp), `the console has a strict CSP (${csp})`);

      // ---- the auditor in Chromium -----------------------------------------------------
      await withBrowser(async (s) => {
        await s.navigate(server.url + "/");
        await s.find(id("signin-token"));
        await s.waitForText("#devices-heading, #signin-heading", /Sign in/);

        // No token: the form asks for one without asking the server.
        await s.click(id("signin-submit"));
        await s.waitForText(id("signin-error"), /Enter an admin token/);

        // A wrong token is refused with a visible error; the console stays closed.
        await s.type(id("signin-token"), "va_" + "0".repeat(64));
        await s.click(id("signin-submit"));
        const refusal = await s.waitForText(id("signin-error"), /\S/);
        assert(/unauthorized|not known/i.test(refusal), `the refusal says why ("${refusal}")`);
        const consoleHidden = await s.exec(`return document.getElementById("console").hidden;`);
        assert(consoleHidden === true, "the console stays hidden after a wrong token");
        // The browser logs that refused request (and nothing else so far); reading the log
        // empties it, so what is checked at the end is what came after.
        const early = await browserLog(s);
        if (early) {
          const unexpected = early.filter(
            (l) => !(l.source === "network" && /\/v1\/admin\/whoami .*401/.test(l.message)),
          );
          assert(unexpected.length === 0, `only the refused sign-in is logged: ${JSON.stringify(unexpected)}`);
        }

        // The real token opens it.
        await s.type(id("signin-token"), adminToken);
        await s.click(id("signin-submit"));
        await s.waitForText(id("whoami"), /auditor/);
        const errorShown = await s.exec(`return !document.getElementById("signin-error").hidden;`);
        assert(!errorShown, "the earlier error is gone after signing in");

        // The devices: ws-a forked, ws-b fine, with their names, ids and heads.
        const rowA = id("device-row", `[data-device-id="${a.deviceId}"]`);
        const rowB = id("device-row", `[data-device-id="${b.deviceId}"]`);
        await s.find(rowA);
        await s.find(rowB);
        const cellsA = await s.exec(
          `return [...document.querySelector(arguments[0]).cells].map((c) => c.textContent);`,
          [rowA],
        );
        assert(cellsA[0] === "ws-a", `ws-a's name is shown (${cellsA})`);
        assert(cellsA[1] === a.deviceId, `ws-a's id is shown (${cellsA})`);
        assert(cellsA[2] === "clinic-a", `ws-a's site is shown (${cellsA})`);
        assert(cellsA[3] === String(devA.head), `ws-a's head ${devA.head} is shown (${cellsA})`);
        assert((await s.attr(rowA, "data-state")) === "fork_detected", "ws-a's row is fork_detected");
        assert(/Fork detected/.test(await s.text(`${rowA} ${id("state-badge")}`)), "ws-a's badge says Fork detected");
        assert((await s.attr(rowB, "data-state")) === "ok", "ws-b's row is ok");
        assert((await s.text(`${rowB} ${id("state-badge")}`)).trim() === "OK", "ws-b's badge says OK");

        // The fork alert names ws-a and the sequence where it forked.
        await s.waitFor(async () => !(await s.exec(`return document.getElementById("alerts").hidden;`)), 5000, "the alerts banner");
        const alerts = await s.all(id("alert-item"));
        assert(alerts.length === 1, `one fork alert (${alerts.length})`);
        const alertText = await s.text(id("alert-item", `[data-device-id="${a.deviceId}"]`));
        assert(alertText.includes("ws-a") && alertText.includes(`sequence ${devA.fork_seq}`), `the alert names ws-a and seq ${devA.fork_seq} ("${alertText}")`);

        // Entries: first everything, then by action prefix, then by device.
        await s.waitFor(async () => (await entryRows(s)).length === allEntries.length, 10000, `all ${allEntries.length} entries`);
        await s.type(id("filter-action"), "case.");
        let rows = await searchAndWait(s, caseEntries.length, "action case.");
        assert(rows.every((r) => r.action.startsWith("case.")), `every row's action starts with case. (${rows.map((r) => r.action)})`);
        assert(rows.some((r) => r.action === "case.create"), "the case.create entries are among them");

        await s.click(id("search-reset"));
        await s.waitFor(async () => (await entryRows(s)).length === allEntries.length, 10000, "all entries after clearing the filters");
        await s.waitFor(async () => (await s.all(`#filter-device option[value="${a.deviceId}"]`)).length === 1, 5000, "ws-a in the device filter");
        await choose(s, id("filter-device"), a.deviceId);
        rows = await searchAndWait(s, aEntries.length, "device ws-a");
        assert(rows.every((r) => r.device === a.deviceId), "every row is ws-a's");
        assert(rows.every((r) => r.cells[2] === `ws-a (${a.deviceId})`), `the device column names ws-a (${rows[0].cells[2]})`);

        // Both filters together.
        await s.type(id("filter-action"), "case.create");
        const both = caseEntries.filter((r) => r.device_id === a.deviceId && r.entry.action.startsWith("case.create"));
        rows = await searchAndWait(s, both.length, "device ws-a and action case.create");
        assert(both.length > 0 && rows.every((r) => r.device === a.deviceId && r.action === "case.create"), "rows match both filters");

        // Export of what matches: a JSON-lines file made in the page.
        await s.click(id("export-button"));
        await s.waitFor(async () => !(await s.exec(`return document.getElementById("export-link").hidden;`)), 10000, "the export link");
        const size = Number(await s.attr(id("export-link"), "data-size"));
        assert(size > 0 && (await s.attr(id("export-link"), "data-format")) === "jsonl", `a JSON-lines export was made (${size} bytes)`);

        // Verify everything: the refused fork left nothing behind, so all of it verifies.
        await s.click(id("verify-button"));
        const verified = await s.waitForText(id("verify-result"), /Everything verifies|Problem found|refused/i, 30000);
        assert((await s.attr(id("verify-result"), "data-ok")) === "true", `everything verifies ("${verified}")`);
        assert(verified.includes(`${allEntries.length} entries`) && verified.includes("2 devices"), `the result counts devices and entries ("${verified}")`);

        // Bokmål: the labels change, and so do the rendered rows and the verification result.
        await choose(s, id("lang-switch"), "nb");
        await s.waitForText("#devices-heading", /Enheter/);
        assert(/Bekreft alt/.test(await s.text(id("verify-button"))), "the verify button is in bokmål");
        assert(/Avvik oppdaget/.test(await s.text(`${rowA} ${id("state-badge")}`)), "ws-a's badge is in bokmål");
        assert(/Alt stemmer/.test(await s.text(id("verify-result"))), "the verification result is in bokmål");
        assert((await s.exec(`return document.documentElement.lang;`)) === "nb", "the page's lang is nb");

        // A reload keeps the session (tab storage) and the language.
        await s.navigate(server.url + "/");
        await s.waitForText("#devices-heading", /Enheter/);
        await s.find(rowA);

        // Nothing came from anywhere but this server.
        const resources = await s.exec(
          `return { origin: location.origin,
                    urls: performance.getEntriesByType("resource").map((e) => e.name)
                      .concat(performance.getEntriesByType("navigation").map((e) => e.name)) };`,
        );
        assert(resources.origin === server.url, `the page's origin is the server (${resources.origin})`);
        assert(resources.urls.some((u) => u.endsWith("/console/app.js")), `app.js was loaded (${resources.urls})`);
        const foreign = resources.urls.filter((u) => new URL(u).origin !== server.url);
        assert(foreign.length === 0, `every resource is same-origin (foreign: ${foreign})`);

        // No script error or CSP violation in the browser's console.
        const logs = await browserLog(s);
        if (logs) {
          const bad = logs.filter((l) => (l.level === "SEVERE" || /Content Security Policy/i.test(l.message)));
          assert(bad.length === 0, `no errors in the browser console: ${JSON.stringify(bad)}`);
        }

        // Signing out closes the console.
        await s.click(id("sign-out"));
        await s.waitFor(async () => !(await s.exec(`return document.getElementById("signin").hidden;`)), 5000, "the sign-in form");
        assert(await s.exec(`return document.getElementById("console").hidden;`), "the console is hidden after sign-out");
      });
    } catch (e) {
      if (e instanceof Error) e.stack = `${e.stack}\n--- varde-server log (tail) ---\n${server.log().slice(-1500)}`;
      throw e;
    } finally {
      await server.stop();
    }
  },
);

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
if (failed) {
  console.log(`\n${failed} console end-to-end scenario(s) failed; their directories are kept (a server's log beside its directory, as .log):\n  ${dirs.join("\n  ")}`);
} else {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  // The server's log sits beside its data directory.
  for (const d of dirs) fs.rmSync(`${d}.log`, { force: true });
  console.log("\nall console end-to-end scenarios passed");
}
process.exit(failed ? 1 : 0);

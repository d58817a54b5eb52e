// The desktop benchmarks, run by benches/desktop.sh inside Xvfb against a seeded store.
// Prints medians (and all samples) for: cold start, idle memory, open case, list filter change.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Session, sleep, startDriver } from "../tests/e2e/webdriver.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const APP = process.env.VARDE_DESKTOP_BIN;
const DATA = process.env.BENCH_DATA_DIR;
const RUNS = Number(process.env.BENCH_RUNS || 7);
const DRIVER = process.env.TAURI_DRIVER || path.join(repo, ".deps/tauri-driver/bin/tauri-driver");
const id = (t, extra = "") => `[data-testid="${t}"]${extra}`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const report = (name, unit, samples, target) =>
  console.log(
    `${name}: median ${median(samples).toFixed(1)} ${unit} (target ≤ ${target} ${unit}; ` +
      `ratio ${(median(samples) / target).toFixed(2)}) samples [${samples.map((x) => x.toFixed(1)).join(", ")}]`,
  );

/** Cold start: process spawn to the first screen interactive (the UI calls `ui_ready`). */
async function coldStart() {
  const samples = [];
  const inProcess = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const child = spawn(APP, [], {
      env: { ...process.env, VARDE_DATA_DIR: DATA, VARDE_REPORT_READY: "1" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    const ms = await new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error("no ready line within 30 s")), 30000);
      child.stdout.on("data", (d) => {
        out += d;
        const m = out.match(/interactive after (\d+) ms/);
        if (m) {
          clearTimeout(timer);
          inProcess.push(Number(m[1]));
          resolve(performance.now() - t0);
        }
      });
    });
    samples.push(ms);
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
    await sleep(500);
  }
  report("cold start to interactive sign-in (spawn → ready)", "ms", samples, 1500);
  report("  of which after main() starts", "ms", inProcess, 1500);
}

/** Resident memory of a process and all its descendants: RSS (double-counts shared pages) and PSS. */
function treeMemory(rootPid) {
  const children = new Map();
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch {
      /* gone */
    }
  }
  const all = [];
  const walk = (p) => {
    all.push(p);
    for (const c of children.get(p) || []) walk(c);
  };
  walk(rootPid);
  let rss = 0;
  let pss = 0;
  let privateDirty = 0;
  const names = [];
  for (const p of all) {
    try {
      const roll = fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      const r = Number(roll.match(/^Rss:\s+(\d+)/m)[1]);
      const ps = Number(roll.match(/^Pss:\s+(\d+)/m)[1]);
      rss += r;
      pss += ps;
      privateDirty += Number(roll.match(/^Private_Dirty:\s+(\d+)/m)[1]);
      const comm = fs.readFileSync(`/proc/${p}/comm`, "utf8").trim();
      names.push(`${comm} ${(ps / 1024).toFixed(0)} MiB`);
    } catch {
      /* gone */
    }
  }
  return { rssMiB: rss / 1024, pssMiB: pss / 1024, privateDirtyMiB: privateDirty / 1024, processes: names };
}

/** The app's own process (not its document workers). */
function findAppPid() {
  const out = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const exe = fs.readlinkSync(`/proc/${pid}/exe`);
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (exe === APP && !cmd.includes("__pipeline-worker")) out.push(Number(pid));
    } catch {
      /* not ours */
    }
  }
  return out[0];
}

/** Opens the one case `search` finds, RUNS times: ms from the click until `shownJs` is true. */
async function timeOpenings(s, search, shownJs) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    await s.type(id("case-search"), search);
    await s.waitFor(
      async () => (await s.all(id("case-row"))).length === 1 && (await s.text(id("case-row"))).includes(search),
      10000,
      `the case "${search}" alone`,
    );
    const ms = await s.execAsync(
      `const done = arguments[arguments.length - 1];
       const t0 = performance.now();
       document.querySelector('[data-testid="case-row"]').click();
       const check = () => {
         if (${shownJs}) requestAnimationFrame(() => done(performance.now() - t0));
         else if (performance.now() - t0 > 20000) done(-1);
         else setTimeout(check, 1);
       };
       check();`,
    );
    if (ms < 0) throw new Error(`the case "${search}" was not shown within 20 s`);
    samples.push(ms);
    await s.click(id("nav-cases"));
    await s.waitFor(async () => (await s.all(id("case-row"))).length >= 1, 10000, "the list again");
    await sleep(300);
  }
  return samples;
}

async function inWindow() {
  const driver = await startDriver(DRIVER, { ...process.env, VARDE_DATA_DIR: DATA });
  const s = await Session.start(driver.base, APP);
  try {
    await s.type(id("signin-user"), "rita");
    await s.type(id("signin-password"), "reviewer passphrase 3");
    await s.click(id("signin-submit"));
    await s.find(id("case-row"), 20000);

    // Idle memory after sign-in (the case list of 100,000 is on screen).
    await sleep(10000);
    const pid = findAppPid();
    const mem = treeMemory(pid);
    console.log(
      `idle after sign-in, whole app (${mem.processes.join(", ")}): PSS ${mem.pssMiB.toFixed(1)} MiB ` +
        `(target ≤ 200 MB; ratio ${(mem.pssMiB / 200).toFixed(2)}), RSS sum ${mem.rssMiB.toFixed(1)} MiB, ` +
        `private dirty ${mem.privateDirtyMiB.toFixed(1)} MiB (ratio ${(mem.privateDirtyMiB / 200).toFixed(2)})`,
    );

    // A filter change over 100,000 cases: from the change to the new rows painted.
    const filterSamples = [];
    const filters = ["PENDING", "IN_REVIEW", "APPROVED", "REJECTED", ""];
    for (let i = 0; i < RUNS * 2; i++) {
      const value = filters[i % filters.length];
      const ms = await s.execAsync(
        `const done = arguments[arguments.length - 1];
         const sel = document.querySelector('[data-testid="filter-status"]');
         const total = document.querySelector('[data-testid="case-list-total"]');
         // The four statuses hold 25,000 cases each: the rows show the change, not the total.
         const firstRow = () => document.querySelector('[data-testid="case-row"]')?.dataset.caseId;
         const before = total.textContent + "|" + firstRow();
         const t0 = performance.now();
         const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
         set.call(sel, arguments[0]);
         sel.dispatchEvent(new Event("change", { bubbles: true }));
         const check = () => {
           if (total.textContent + "|" + firstRow() !== before) {
             requestAnimationFrame(() => done(performance.now() - t0));
           } else if (performance.now() - t0 > 5000) done(-1);
           else setTimeout(check, 1);
         };
         check();`,
        [value],
      );
      if (ms < 0) throw new Error(`filter ${value || "(all)"} did not change the total within 5 s`);
      filterSamples.push(ms);
      await sleep(200);
    }
    report("case list filter change over 100,000 cases", "ms", filterSamples, 100);

    // Opening the case with 5 analysed documents: click to documents and AI signal shown.
    await s.exec(
      `const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
       const sel = document.querySelector('[data-testid="filter-status"]');
       set.call(sel, ""); sel.dispatchEvent(new Event("change", { bubbles: true }));`,
    );
    const openSamples = await timeOpenings(s, "Bench Five", `
      document.querySelectorAll('[data-testid="document-item"]').length === 5 &&
      document.querySelector('[data-testid="case-version"]') &&
      document.querySelector('[data-testid="ai-label"]')`);
    report("open a case with 5 documents", "ms", openSamples, 300);

    // Opening the case of one 20-page scanned PDF: click to its first page, drawn by the
    // worker, painted in the viewer. The first opening sends the document to the preview
    // worker; later ones find the page in the session's memory cache.
    const previewSamples = await timeOpenings(s, "Twentypages", `(() => {
      const img = document.querySelector('[data-testid="viewer-page"]');
      return img && img.complete && img.naturalWidth > 0;
    })()`);
    report("open a case to the first page preview of a 20-page scan (first opening: decrypted, sent to the worker, drawn)", "ms", previewSamples.slice(0, 1), 300);
    report("  the same, opened again (page cached in the session)", "ms", previewSamples.slice(1), 300);
  } finally {
    await s.quit();
    await driver.stop();
  }
}

const only = process.env.BENCH_ONLY || "";
if (!only || only === "cold") await coldStart();
if (!only || only === "window") await inWindow();

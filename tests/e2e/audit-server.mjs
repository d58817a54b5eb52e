// The audit server for end-to-end tests: `varde-server serve` on a free loopback port with a
// fresh SQLite database, and its admin CLI. Shared by the desktop and the console scenarios.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, sleep } from "./webdriver.mjs";

/** The admin CLI of `server` (the binary) on its data directory; `--json` output parsed. */
export function auditServerCli(server, dataDir, args) {
  const r = spawnSync(server, ["--data-dir", dataDir, ...args, "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`varde-server ${args.join(" ")} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Serves from `dataDir` and waits for /healthz; `live` (a Set of pids) holds it while it runs,
 * so the caller's exit handler can kill what is left. Returns {url, dataDir, log(), stop()}.
 */
export async function startAuditServer(server, dataDir, live) {
  const logPath = path.join(dataDir, "..", `${path.basename(dataDir)}.log`);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const logFd = fs.openSync(logPath, "a");
    const child = spawn(server, ["--data-dir", dataDir, "serve", "--listen", `127.0.0.1:${port}`], {
      stdio: ["ignore", logFd, logFd],
    });
    fs.closeSync(logFd);
    live.add(child.pid);
    const url = `http://127.0.0.1:${port}`;
    const log = () => fs.readFileSync(logPath, "utf8");
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      live.delete(child.pid);
    };
    for (let i = 0; i < 200 && child.exitCode === null; i++) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok && (await res.text()).trim() === "ok") return { url, dataDir, log, stop };
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    await stop();
    // Someone else may have taken the port between freePort() and the bind: try another.
    if (attempt >= 2) throw new Error(`varde-server did not become healthy on ${url}:\n${log().slice(-2000)}`);
  }
}

// A small W3C WebDriver client over fetch (Node 20+): enough to drive the real Varde window
// through tauri-driver and WebKitWebDriver, with no npm dependencies.

import { spawn } from "node:child_process";
import net from "node:net";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, application) {
    const res = await request(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "wry",
          "tauri:options": { application },
        },
      },
    });
    return new Session(base, res.sessionId);
  }

  /** A plain headless Chromium session through chromedriver (no tauri). `capabilities` are
   *  merged into `alwaysMatch`; `goog:chromeOptions.args` given there are added to the defaults. */
  static async startBrowser(base, capabilities = {}) {
    const { "goog:chromeOptions": chrome = {}, ...rest } = capabilities;
    const res = await request(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "chrome",
          ...rest,
          "goog:chromeOptions": {
            binary: "/usr/bin/chromium",
            ...chrome,
            args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...(chrome.args || [])],
          },
        },
      },
    });
    return new Session(base, res.sessionId);
  }

  /** Opens `url` in the session's window and waits for it to load. */
  navigate(url) {
    return this.cmd("POST", "/url", { url });
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async quit() {
    await this.cmd("DELETE", "").catch(() => {});
  }

  /** All elements matching a CSS selector (possibly none). */
  async all(css) {
    const found = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return found.map((e) => e[ELEMENT]);
  }

  /** Waits until `css` matches an element and returns the first. */
  async find(css, timeoutMs = 10000) {
    return this.waitFor(async () => (await this.all(css))[0], timeoutMs, `an element ${css}`);
  }

  /** Shorthand for `[data-testid="…"]` plus an optional extra selector. */
  byTestId(id, extra = "") {
    return `[data-testid="${id}"]${extra}`;
  }

  async click(css) {
    const el = await this.find(css);
    // Centre it first: the status bar along the bottom edge would cover the element otherwise.
    await this.exec(`arguments[0].scrollIntoView({ block: "center", inline: "nearest" });`, [
      { [ELEMENT]: el },
    ]);
    await this.cmd("POST", `/element/${el}/click`, {});
  }

  async type(css, text, { clear = true } = {}) {
    const el = await this.find(css);
    if (clear) await this.cmd("POST", `/element/${el}/clear`, {});
    await this.cmd("POST", `/element/${el}/value`, { text });
  }

  async text(css) {
    const el = await this.find(css);
    return this.cmd("GET", `/element/${el}/text`);
  }

  async attr(css, name) {
    const el = await this.find(css);
    return this.cmd("GET", `/element/${el}/attribute/${name}`);
  }

  /** Runs a script in the page; `arguments` are passed through. */
  exec(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  execAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  /** Polls `probe` until it returns something truthy; fails naming `what`. */
  async waitFor(probe, timeoutMs = 10000, what = "the condition") {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const v = await probe();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) {
        throw new WebDriverError(
          `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`,
        );
      }
      await sleep(150);
    }
  }

  /** Waits until the element's text matches `pattern`. */
  async waitForText(css, pattern, timeoutMs = 10000) {
    return this.waitFor(
      async () => {
        const els = await this.all(css);
        for (const el of els) {
          const t = await this.cmd("GET", `/element/${el}/text`);
          if (pattern.test(t)) return t;
        }
        return null;
      },
      timeoutMs,
      `${css} to show text matching ${pattern}`,
    );
  }
}

async function request(base, method, path, body) {
  // No WebDriver command legitimately takes minutes: a hung window fails the test instead.
  const res = await fetch(base + path, {
    signal: AbortSignal.timeout(120000),
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    throw new WebDriverError(`${method} ${path}: ${v.error || res.status} ${v.message || ""}`.trim());
  }
  return json.value;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Starts tauri-driver (with `env` for the app it will launch) and waits until it listens.
 *  Returns its base URL, its stderr so far, and `stop()`. */
export async function startDriver(driverPath, env) {
  const port = await freePort();
  const driver = spawn(driverPath, ["--port", String(port), "--native-port", String(await freePort())], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  driver.stderr.on("data", (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    driver.kill("SIGTERM");
    await sleep(300);
  };
  for (let i = 0; i < 100; i++) {
    if (driver.exitCode !== null) throw new Error(`tauri-driver exited with ${driver.exitCode}`);
    try {
      if ((await fetch(`${base}/status`)).ok) return { base, stderr: () => stderr, stop };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await stop();
  throw new Error("tauri-driver did not start listening");
}


/** Starts chromedriver on a free loopback port (in its own process group, so that stopping it
 *  also ends the Chromium it started) and waits until it is ready. Returns its base URL, its
 *  output so far, and `stop()`. */
export async function startChromeDriver(driverPath = "/usr/bin/chromedriver", env = process.env) {
  const port = await freePort();
  const driver = spawn(driverPath, [`--port=${port}`], {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  driver.stdout.on("data", (d) => (output += d));
  driver.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (driver.exitCode !== null || driver.signalCode !== null) return;
    try {
      process.kill(-driver.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 30 && driver.exitCode === null && driver.signalCode === null; i++) await sleep(100);
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  };
  for (let i = 0; i < 100; i++) {
    if (driver.exitCode !== null) throw new Error(`chromedriver exited with ${driver.exitCode}: ${output}`);
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok && (await res.json()).value?.ready) return { base, pid: driver.pid, output: () => output, stop };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`chromedriver did not start listening: ${output}`);
}

/**
 * The newcomer: runs `npm run demo` from the project as the README says — nothing configured, no
 * REDIS_URL, no credentials — on free ports of its own (console PORT, the embedded Redis on REDIS_EMBEDDED_PORT) and a
 * fresh data directory, so it neither clashes with the e2e server on 3107 nor with the machine's
 * Redis on 6379. It reads the console URL and the generated credentials from what the demo
 * prints, signs in with them in Chromium and, within a few minutes, sees dead letters in at least
 * two error groups and a cache hit-rate chart with data. The viewer the demo printed signs in too.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { freePort } from "../test/harness/redis-server.ts";

test.describe.configure({ mode: "serial", timeout: 300_000 });

let demo: ChildProcess | undefined;
let output = "";
let dataDir = "";
let url = "";
let admin = { email: "", password: "" };
let viewer = { email: "", password: "" };

/** Waits until the demo's output matches `re`; fails with the output so far on timeout or exit. */
async function printed(re: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = output.match(re);
    if (m) return m;
    if (demo?.exitCode !== null || Date.now() > deadline) {
      throw new Error(`npm run demo did not print ${re} (exit ${demo?.exitCode}); it printed:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function healthy(base: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the demo's console at ${base} did not become healthy; output:\n${output}`);
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), "requeue-newcomer-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A newcomer has configured nothing: drop whatever the e2e harness or the shell set.
  for (const k of Object.keys(env)) {
    if (/^(REDIS_|ADMIN_|NEXTAUTH_|DEMO_|RETRY_|E2E_)/.test(k) || k === "PORT" || k === "HOST") delete env[k];
  }
  Object.assign(env, {
    PORT: String(await freePort()),
    // The embedded Redis, as on a machine without one: this machine's Redis on 6379 is shared.
    REDIS_EMBEDDED: "true",
    REDIS_EMBEDDED_PORT: String(await freePort()),
    REQUEUE_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  demo = spawn("npm", ["run", "demo"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  demo.stdout?.on("data", (d) => (output += d));
  demo.stderr?.on("data", (d) => (output += d));

  url = (await printed(/console: (http:\/\/\S+)/, 180_000))[1];
  const a = await printed(/│ sign in as (\S+) with password (\S+)/, 120_000);
  admin = { email: a[1], password: a[2] };
  const v = await printed(/viewer: sign in as (\S+) with password (\S+)/, 60_000);
  viewer = { email: v[1], password: v[2] };
  await healthy(url, 60_000);
});

/** Signals a process group; one that has already gone (ESRCH) is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

test.afterAll(async () => {
  if (demo?.pid && demo.exitCode === null) {
    const exited = new Promise((r) => demo?.once("exit", r));
    // The whole group, as Ctrl-C would: npm, start.ts, console, worker, demo (start.ts then stops
    // its redis-server, which runs in a group of its own).
    signalGroup(demo.pid, "SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (demo.exitCode === null) signalGroup(demo.pid, "SIGKILL");
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  test.info().attach("npm run demo output", { body: output, contentType: "text/plain" });
});

async function signInAt(page: Page, who: { email: string; password: string }) {
  await page.goto(`${url}/login`);
  await page.waitForLoadState("networkidle");
  await page.getByTestId("login-email").fill(who.email);
  await page.getByTestId("login-password").fill(who.password);
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login/);
}

test("npm run demo: sign in with the printed credentials, see error groups and the cache hit rate", async ({
  page,
}) => {
  await signInAt(page, admin);

  // Dead letters, grouped by error: the demo's failures land in several groups within a minute.
  await page.goto(`${url}/dead-letters?tab=groups`);
  const groups = page.getByTestId("group-row");
  await expect(async () => {
    await page.reload();
    await page.waitForLoadState("networkidle");
    expect(await groups.count()).toBeGreaterThanOrEqual(2);
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  await page.screenshot({ path: "test-results/screenshots/newcomer-groups.png", fullPage: true });

  // The cache page: the hit-rate chart has points.
  await page.goto(`${url}/cache`);
  const hitRate = page.getByTestId("chart-hit-rate");
  await expect(hitRate).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(hitRate).toBeVisible();
    expect(Number(await hitRate.getAttribute("data-points"))).toBeGreaterThan(0);
  }).toPass({ timeout: 90_000, intervals: [5_000] });
  // In the first minute a series has one point: a dot, no line (recharts draws none for one point).
  await expect(hitRate.locator(".recharts-line-dot").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/newcomer-cache.png", fullPage: true });
});

test("the demo viewer it printed can sign in and look", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAt(page, viewer);
  await page.goto(`${url}/dead-letters?tab=groups`);
  await expect(page.getByTestId("group-row").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("requeue")).toHaveCount(0);
  await context.close();
});

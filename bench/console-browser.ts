/**
 * What an admin waits for, for bench/console.ts: the time from a navigation's start until the
 * dead-letters table shows its first row in Chromium (Playwright, the system chromium as in
 * playwright.config.ts), signed in. Measured inside the page: `performance.now()` (ms since the
 * navigation started) at the first animation frame where a row has a size, so Playwright's own
 * round trips are not in it. And whether the build in .next is as new as the source it serves.
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { chromium } from "@playwright/test";

/** The newest source file the console build is made of (tracked files under app/, components/, lib/). */
export function staleBuild(): { stale: boolean; buildMs: number; newest: string; newestMs: number } {
  let buildMs = 0;
  try {
    buildMs = statSync(".next/BUILD_ID").mtimeMs;
  } catch {
    return { stale: true, buildMs: 0, newest: "(no build)", newestMs: 0 };
  }
  const files = execFileSync(
    "git",
    ["ls-files", "app", "components", "lib", "next.config.ts", "package.json"],
    {
      encoding: "utf8",
    },
  )
    .split("\n")
    .filter(Boolean);
  let newest = "";
  let newestMs = 0;
  for (const f of files) {
    const m = statSync(f).mtimeMs;
    if (m > newestMs) [newest, newestMs] = [f, m];
  }
  return { stale: newestMs > buildMs, buildMs, newest, newestMs };
}

/** `loads` navigations to `path`; the ms until the first row showed, per load. */
export async function rowsVisibleMs(base: string, cookieHeader: string, path: string, loads: number) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies(
      cookieHeader.split("; ").map((pair) => {
        const i = pair.indexOf("=");
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: base };
      }),
    );
    const page = await context.newPage();
    const once = async () => {
      await page.goto(`${base}${path}`, { waitUntil: "commit" });
      const handle = await page.waitForFunction(
        () => {
          const row = document.querySelector('[data-testid="dead-letter-row"]');
          return row && row.getBoundingClientRect().height > 0 ? performance.now() : false;
        },
        undefined,
        { polling: "raf", timeout: 60_000 },
      );
      return (await handle.jsonValue()) as number;
    };
    for (let i = 0; i < 3; i++) await once(); // warm-up: compiled routes, caches, the browser
    const ms: number[] = [];
    for (let i = 0; i < loads; i++) ms.push(await once());
    return ms;
  } finally {
    await browser.close();
  }
}

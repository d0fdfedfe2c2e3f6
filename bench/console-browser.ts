/**
 * What an admin waits for, for bench/console.ts: the time from a navigation's start until the
 * dead-letters table shows its first row in Chromium (Playwright, the system chromium as in
 * playwright.config.ts), signed in. Measured inside the page: `performance.now()` (ms since the
 * navigation started) at the first animation frame where a row has a size, noted by a script
 * installed before the page's own, so Playwright's round trips are not in it; beside it, where
 * the time went (HTML bytes, first paint, hydration, a list fetch before the rows). And whether
 * the build in .next is as new as the source it serves.
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

/** One load's timeline, in ms since its navigation started (`performance.now()` in the page). */
export interface LoadTiming {
  /** the first animation frame in which a dead-letter row has a size: the figure */
  rows: number;
  /** the HTML's first and last byte */
  responseStart: number;
  responseEnd: number;
  /** first contentful paint (the shell) */
  fcp: number;
  /** the shell's client bundle has hydrated (html[data-hydrated], components/providers.tsx); null: not by then */
  hydrated: number | null;
  /** a GET /api/v1/dead-letters answered before the rows showed (the rows came from it); null: none did */
  listFetched: number | null;
}

/**
 * Installed before any of the page's own scripts: a requestAnimationFrame loop that notes the
 * first frame in which a row has a size (frames only run once the page may render: a frame that
 * finds the row paints it), and when the shell hydrated. Plain text, not a function: tsx would
 * name its inner functions with a helper the page does not have.
 */
const WATCH_ROWS = `(() => {
  const mark = { at: null, hydrated: null };
  window.__rows = mark;
  const frame = () => {
    const row = document.querySelector('[data-testid="dead-letter-row"]');
    if (row && row.getBoundingClientRect().height > 0) mark.at = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // <html> does not exist yet: watch the document for its data-hydrated attribute
  const hydration = new MutationObserver(() => {
    if (!document.documentElement || !document.documentElement.dataset.hydrated) return;
    mark.hydrated = performance.now();
    hydration.disconnect();
  });
  hydration.observe(document, { attributes: true, attributeFilter: ["data-hydrated"], subtree: true });
})();`;

/** `loads` navigations to `path`; each one's timeline until the first row showed. */
export async function rowsVisibleMs(
  base: string,
  cookieHeader: string,
  path: string,
  loads: number,
): Promise<LoadTiming[]> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies(
      cookieHeader.split("; ").map((pair) => {
        const i = pair.indexOf("=");
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: base };
      }),
    );
    await context.addInitScript({ content: WATCH_ROWS });
    const page = await context.newPage();
    const once = async (): Promise<LoadTiming> => {
      await page.goto(`${base}${path}`, { waitUntil: "commit" });
      // read after the fact: polling from here adds nothing to the page's own frame times
      const handle = await page.waitForFunction(
        () => {
          const mark = (window as unknown as { __rows?: { at: number | null; hydrated: number | null } })
            .__rows;
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          if (!mark?.at || !fcp) return false;
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          const list = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
            .filter((r) => r.name.includes("/api/v1/dead-letters") && r.responseEnd <= (mark.at ?? 0))
            .map((r) => r.responseEnd);
          return {
            rows: mark.at,
            responseStart: nav.responseStart,
            responseEnd: nav.responseEnd,
            fcp: fcp.startTime,
            hydrated: mark.hydrated !== null && mark.hydrated <= mark.at ? mark.hydrated : null,
            listFetched: list.length ? Math.min(...list) : null,
          };
        },
        undefined,
        { polling: 50, timeout: 60_000 },
      );
      return (await handle.jsonValue()) as LoadTiming;
    };
    for (let i = 0; i < 3; i++) await once(); // warm-up: compiled routes, caches, the browser
    // CONSOLE_BENCH_TRACE=file.json: a Chromium trace (chrome://tracing, Perfetto) of one more, uncounted load
    const trace = process.env.CONSOLE_BENCH_TRACE;
    if (trace) {
      await browser.startTracing(page, { path: trace });
      await once();
      await browser.stopTracing();
    }
    const timings: LoadTiming[] = [];
    for (let i = 0; i < loads; i++) timings.push(await once());
    return timings;
  } finally {
    await browser.close();
  }
}

/**
 * What an admin waits for, for bench/console.ts: the time from a navigation's start until the
 * dead-letters table's first rows are painted on screen in Chromium (Playwright, the system
 * chromium as in playwright.config.ts), signed in. Measured inside the page by the browser: the
 * Element Timing entry of the rows' error cells (components/dead-letters/dead-letter-table.tsx),
 * whose renderTime is the paint that first showed them, in ms since the navigation started. A
 * script installed before the page's own also notes the frame whose layout first gave a row a
 * size, and the measure used before (the first animation frame that found a row with a size: a
 * frame after the one that painted it). Playwright only reads them afterwards, and each load
 * starts once the previous page's own requests have finished. Beside them, where the time went
 * (HTML bytes, first paint, hydration, a list fetch before the rows). And whether the build in
 * .next is as new as the source it serves.
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { chromium } from "@playwright/test";
import { ROWS_PAINT_NAME } from "../components/dead-letters/filters.ts";

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
    ["ls-files", "app", "components", "lib", "next.config.ts", "instrumentation-client.ts", "package.json"],
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
  /** the rows' text first painted on screen (Element Timing renderTime): the figure */
  rows: number;
  /** the rendering step (after layout, before paint) of the frame that first gave a row a size */
  rowsLaidOut: number | null;
  /** the first animation frame in which a row had a size: the measure before (a frame later) */
  rowsNextFrame: number | null;
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
 * Installed before any of the page's own scripts: it collects the rows' Element Timing entries,
 * notes the frame whose layout first gives a row a size (a ResizeObserver reports in that frame's
 * rendering step; a row parsed into a hidden streamed boundary has no size yet), the first
 * animation frame that finds a row with a size (the measure before), and when the shell hydrated.
 * Plain text, not a function: tsx would name its inner functions with a helper the page does not
 * have.
 */
const WATCH_ROWS = `(() => {
  const mark = { painted: null, laidOut: null, nextFrame: null, hydrated: null };
  window.__rows = mark;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier !== ${JSON.stringify(ROWS_PAINT_NAME)}) continue;
      const t = e.renderTime || e.loadTime;
      if (mark.painted === null || t < mark.painted) mark.painted = t;
    }
  }).observe({ type: "element", buffered: true });
  let watched = null;
  const sized = new ResizeObserver((entries) => {
    if (mark.laidOut === null && entries.some((e) => e.contentRect.height > 0)) mark.laidOut = performance.now();
  });
  const rows = new MutationObserver(() => {
    if (mark.laidOut !== null) return rows.disconnect();
    if (watched && watched.isConnected) return;
    watched = document.querySelector('[data-testid="dead-letter-row"]');
    if (watched) sized.observe(watched);
  });
  rows.observe(document, { childList: true, subtree: true });
  // Animation callbacks run before the frame's own: a row revealed by one of the page's (React's
  // $RV) is found here a frame after the one that painted it.
  const frame = () => {
    const row = document.querySelector('[data-testid="dead-letter-row"]');
    if (row && row.getBoundingClientRect().height > 0) mark.nextFrame = performance.now();
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

/** How a run of loads differs from what an admin gets (the floors in bench/README.md, bench:console). */
export interface LoadOptions {
  /** the page's own script files (/_next/static/…js) are not served: inline scripts still run */
  withoutBundle?: boolean;
  /** the figure is the first contentful paint, for a page without dead-letter rows */
  untilPaint?: boolean;
  /** a Chromium trace (chrome://tracing, Perfetto) of one more, uncounted load, written there */
  trace?: string;
}

/** `loads` navigations to `path`; each one's timeline until the first row showed. */
export async function rowsVisibleMs(
  base: string,
  cookieHeader: string,
  path: string,
  loads: number,
  options: LoadOptions = {},
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
    if (options.withoutBundle) {
      // blocked by the browser itself: Playwright's own routing would turn the HTTP cache off
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setBlockedURLs", {
        urls: ["*/_next/static/*.js"],
      });
    }
    const once = async (): Promise<LoadTiming> => {
      await page.goto(`${base}${path}`, { waitUntil: "commit" });
      // read after the fact: polling from here adds nothing to the page's own frame times
      const handle = await page.waitForFunction(
        (untilPaint) => {
          type Mark = { painted: number | null; laidOut: number | null; nextFrame: number | null };
          const mark = (window as unknown as { __rows?: Mark & { hydrated: number | null } }).__rows;
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          if (!mark || !fcp) return false;
          const at = untilPaint ? fcp.startTime : mark.painted;
          if (at === null || (!untilPaint && (mark.laidOut === null || mark.nextFrame === null)))
            return false;
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          const list = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
            .filter((r) => r.name.includes("/api/v1/dead-letters") && r.responseEnd <= at)
            .map((r) => r.responseEnd);
          return {
            rows: at,
            rowsLaidOut: mark.laidOut,
            rowsNextFrame: mark.nextFrame,
            responseStart: nav.responseStart,
            responseEnd: nav.responseEnd,
            fcp: fcp.startTime,
            hydrated: mark.hydrated !== null && mark.hydrated <= at ? mark.hydrated : null,
            listFetched: list.length ? Math.min(...list) : null,
          };
        },
        Boolean(options.untilPaint),
        { polling: 50, timeout: 60_000 },
      );
      const timing = (await handle.jsonValue()) as LoadTiming;
      // The next load starts on a quiet console: not while this page's own requests (its polls,
      // the links' prefetches) still keep the server busy.
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
      return timing;
    };
    for (let i = 0; i < 3; i++) await once(); // warm-up: compiled routes, caches, the browser
    const trace = options.trace;
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

/**
 * Every console page on a phone (390×844) and a laptop (1280×800), light and dark: no page wider
 * than the screen, no hydration error, zero axe violations (colour contrast included), a title
 * of its own, and a screenshot of each in the run's output folder (test-results/…/layout-*.png,
 * attached to the report). Then the theme: the system's dark scheme gives a dark page, the top
 * bar's toggle is remembered across a reload; the skip link comes first; inputs match buttons.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { NAV } from "../components/nav.ts";
import { signIn } from "./helpers/auth.ts";
import { e2eCache, settle } from "./helpers/cache.ts";
import { purgeSeeded, seedDeadLetters, uniqueQueue } from "./helpers/seed.ts";

const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "laptop", width: 1280, height: 800 },
] as const;
const SCHEMES = ["light", "dark"] as const;

const queue = uniqueQueue("layout");
let deadId = "";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // A long error and a long id: the widths a real dead-letter list has to hold.
  [deadId] = await seedDeadLetters(queue, [
    {
      error: "Timeout talking to converter at https://converter.internal.example/v2/render after 3000 ms",
      name: "TimeoutError",
      id: `invoice-${"7".repeat(36)}`,
    },
    { error: "Invalid document format: missing header", name: "FormatError" },
  ]);
  const { cache, close } = await e2eCache();
  const ns = cache.namespace("layout_documents");
  for (let i = 0; i < 3; i++) await ns.get(`k${i}`);
  for (let i = 0; i < 3; i++) await ns.set(`k${i}`, i);
  for (let i = 0; i < 3; i++) await ns.get(`k${i}`);
  await settle(cache);
  await close();
});

test.afterAll(purgeSeeded);

/**
 * Every page: the navigation's, one queue, its jobs list and a job page, one dead letter, the groups
 * tab and the sign-in page.
 * Paths of seeded data are known only once seeded: a function of the seed, while test names stay fixed.
 */
const PAGES: { name: string; path: () => string; title: () => RegExp }[] = [
  ...NAV.map((n) => ({
    name: n.href,
    path: () => n.href,
    title: () => new RegExp(`${n.label}.* · Requeue$`),
  })),
  {
    name: "/queues/<queue>",
    path: () => `/queues/${encodeURIComponent(queue)}`,
    title: () => new RegExp(`${queue} · Queues · Requeue$`),
  },
  {
    name: "/dead-letters/<queue>/<id>",
    path: () => `/dead-letters/${encodeURIComponent(queue)}/${encodeURIComponent(deadId)}`,
    title: () => /Dead letter · Requeue$/,
  },
  {
    name: "/queues/<queue>/jobs",
    path: () => `/queues/${encodeURIComponent(queue)}/jobs?state=waiting`,
    title: () => new RegExp(`Jobs · ${queue} · Queues · Requeue$`),
  },
  {
    name: "/queues/<queue>/jobs/<id>",
    path: () => `/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(deadId)}`,
    title: () => new RegExp(`Job ${deadId} · ${queue} · Queues · Requeue$`),
  },
  {
    name: "/dead-letters?tab=groups",
    path: () => "/dead-letters?tab=groups",
    title: () => /Dead letters · Requeue$/,
  },
  { name: "/login", path: () => "/login", title: () => /Sign in · Requeue$/ },
];

function slug(path: string): string {
  return path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "overview";
}

/** What the browser reported as broken while the page loaded (React's hydration errors are among them). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /React error|hydrat/i.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

async function overflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    // Name the element that sticks out furthest, so a failure says where to look.
    let widest = "";
    let right = root.clientWidth;
    const scrolls = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX)) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (scrolls(el.parentElement)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > right + 0.5) {
        right = r.right;
        const id = el.getAttribute("data-testid");
        widest = `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ""}.${el.className} (${Math.round(r.right)} px)`;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
  });
}

async function shoot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

for (const p of PAGES) {
  test(`${p.name}: fits phone and laptop, light and dark, axe finds nothing`, async ({ page }, info) => {
    test.setTimeout(180_000);
    const path = p.path();
    const title = p.title();
    if (path !== "/login") await signIn(page, "admin");
    const errors = watchErrors(page);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(path);
        if (path !== "/login") await page.locator("html[data-hydrated]").waitFor();
        await expect(page.locator("h1").first()).toBeVisible();
        // Live data has arrived: no loading placeholder left.
        await expect(page.locator('[data-testid="loading"], .spinner')).toHaveCount(0);
        await expect(page).toHaveTitle(title);
        const name = `layout-${slug(p.name)}-${size.name}-${scheme}`;
        await shoot(page, info, name);

        const o = await overflow(page);
        expect(o.scrollWidth, `${name} is wider than the screen; widest: ${o.widest}`).toBeLessThanOrEqual(
          o.clientWidth,
        );
        const axe = await new AxeBuilder({ page }).analyze();
        const found = axe.violations.map(
          (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
        );
        expect(found, `${name}: axe violations`).toEqual([]);
      }
    }
    expect(errors).toEqual([]);
  });
}

// The page's background is the root element's (app/globals.css), the body is transparent.
const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
/** Perceived lightness of an `rgb(r, g, b)` colour, 0 (black) to 255 (white). */
const lightness = (rgb: string) => {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

test("the system's dark scheme gives a dark page; the toggle overrides it and is remembered", async ({
  page,
}) => {
  await signIn(page, "admin");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/queues");
  await page.locator("html[data-hydrated]").waitFor();
  expect(lightness(await background(page))).toBeLessThan(60);
  const toggle = page.getByTestId("theme-toggle");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  expect(lightness(await background(page))).toBeGreaterThan(200);
  await page.reload();
  await page.locator("html[data-hydrated]").waitFor();
  // Remembered, and applied before paint: the server-rendered page already carries it.
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  expect(lightness(await background(page))).toBeGreaterThan(200);

  // A light system with the dark choice remembered: dark.
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByTestId("theme-toggle").click();
  await page.reload();
  await page.locator("html[data-hydrated]").waitFor();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(lightness(await background(page))).toBeLessThan(60);
});

test("the skip link is the first thing Tab reaches and moves focus to the content", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/dead-letters");
  await page.locator("html[data-hydrated]").waitFor();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#content")).toBeFocused();
});

test("inputs and selects are as tall as the buttons beside them", async ({ page }) => {
  await signIn(page, "admin");
  for (const path of ["/audit", "/settings"]) {
    await page.goto(path);
    await page.locator("html[data-hydrated]").waitFor();
    const heights = await page.evaluate(() => {
      const h = (sel: string) =>
        Array.from(document.querySelectorAll<HTMLElement>(`main ${sel}`))
          .filter((e) => e.offsetParent !== null)
          .map((e) => Math.round(e.getBoundingClientRect().height));
      return {
        buttons: h(".btn:not(.btn-small)"),
        fields: h('input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]), select'),
      };
    });
    expect(heights.fields.length, path).toBeGreaterThan(0);
    const button = Math.max(...heights.buttons);
    for (const f of heights.fields)
      expect(Math.abs(f - button), `${path}: ${JSON.stringify(heights)}`).toBeLessThanOrEqual(2);
  }
});

test("the favicon is served without signing in", async ({ request }) => {
  for (const path of ["/favicon.ico", "/icon.svg"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
  }
});

test("the top bar holds one line at 1024 and 1280 px and folds on purpose on a phone", async ({
  page,
}, info) => {
  await signIn(page, "admin");
  /** Each control of the bar: its box, by test id. */
  const boxes = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("header.top-bar > *"))
        .filter((e) => e.offsetParent !== null && !e.classList.contains("spacer"))
        .map((e) => {
          const r = e.getBoundingClientRect();
          return { id: e.dataset.testid ?? e.className, top: r.top, bottom: r.bottom, width: r.width };
        }),
    );
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/queues");
    await page.locator("html[data-hydrated]").waitFor();
    await expect(page.getByTestId("sign-out")).toBeVisible();
    const b = await boxes();
    expect(b.map((x) => x.id)).toContain("sign-out");
    // one line: every control overlaps the first one's band (none sits under another)
    const first = b[0];
    for (const x of b)
      expect(x.top < first.bottom && x.bottom > first.top, `${width} px: ${JSON.stringify(b)}`).toBe(true);
    await shoot(page, info, `topbar-${width}`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/queues");
  await page.locator("html[data-hydrated]").waitFor();
  const bar = await page.locator("header.top-bar").boundingBox();
  const find = await page.getByTestId("find-job").boundingBox();
  const signOut = await page.getByTestId("sign-out").boundingBox();
  const redis = await page.getByTestId("redis-status").boundingBox();
  if (!bar || !find || !signOut || !redis) throw new Error("the top bar's controls are not all shown");
  // the find box takes a line of its own, across the bar, under everything else
  expect(find.width).toBeGreaterThan(bar.width * 0.8);
  expect(find.y).toBeGreaterThanOrEqual(signOut.y + signOut.height - 1);
  expect(find.y).toBeGreaterThanOrEqual(redis.y + redis.height - 1);
  await expect(page.getByLabel("Find job")).toBeVisible();
  await shoot(page, info, "topbar-phone");
});

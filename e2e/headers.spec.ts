/**
 * The console's Content-Security-Policy in a real browser: scripts run only with the request's
 * nonce (no 'unsafe-inline'), every page still hydrates and navigates with no CSP violation, and
 * a script injected into a page's HTML or DOM without the nonce is blocked. Over http (as here)
 * no Strict-Transport-Security is sent; the https case is a unit test
 * (app/_lib/security-headers.test.ts).
 */
import { expect, type Page, test } from "@playwright/test";
import { NAV } from "../components/nav.ts";
import { signIn } from "./helpers/auth.ts";

function scriptSrc(csp: string | undefined): string {
  return (csp ?? "").split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
}

/** Collects CSP reports from the console and from `securitypolicyviolation` events of the page. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => {
    if (/Content Security Policy/i.test(err.message)) seen.push(`error: ${err.message}`);
  });
  // An init script is injected by the browser's debugging protocol, not by the page: CSP does not apply.
  void page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  return seen;
}

const pageViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);

test("every page's CSP allows scripts by a fresh nonce only, and no HSTS over http", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of ["/login", "/login?x=1", "/no-such-page.png"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    const headers = res.headers();
    const scripts = scriptSrc(headers["content-security-policy"]);
    expect(scripts, path).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scripts, path).not.toContain("'unsafe-inline'");
    expect(scripts, path).not.toContain("'unsafe-eval'");
    expect(headers["strict-transport-security"], path).toBeUndefined();
    nonces.add(/'nonce-([^']+)'/.exec(scripts)?.[1] ?? "");
    // The nonce is on the page's own scripts.
    const html = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1];
    expect(html, path).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(3);
  const api = await request.get("/api/health");
  expect(scriptSrc(api.headers()["content-security-policy"])).not.toContain("'unsafe-inline'");
});

test("the console hydrates and navigates with no CSP violation", async ({ page }) => {
  const violations = watchViolations(page);
  // The sign-in form submits through client-side JavaScript: signing in proves the login page hydrated.
  await signIn(page, "admin");
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  // A mark on window survives client-side navigation and is lost by a full page load.
  await page.evaluate(() => {
    (window as unknown as { __spa: number }).__spa = 1;
  });
  for (const item of NAV) {
    await page.locator("nav.side-nav").getByRole("link", { name: item.label, exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === item.href);
    await page.waitForLoadState("networkidle");
    expect(
      await page.evaluate(() => (window as unknown as { __spa?: number }).__spa),
      `${item.href} was reached by client-side navigation (the app is hydrated)`,
    ).toBe(1);
  }
  for (const item of NAV) {
    await page.goto(item.href);
    await page.waitForLoadState("networkidle");
    await expect(page.locator("nav.side-nav")).toBeVisible();
    expect(await pageViolations(page), item.href).toEqual([]);
  }
  expect(violations).toEqual([]);
});

test("a script injected without the nonce is blocked", async ({ page }) => {
  const violations = watchViolations(page);
  // Markup injected into the HTML the server sends, as a stored XSS would be.
  await page.route("**/login", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      "</body>",
      "<script>window.__injected = 'inline';</script><img src=x onerror=\"window.__injected = 'handler'\"></body>",
    );
    await route.fulfill({ response, body: html });
  });
  await page.goto("/login");
  await page.waitForLoadState("networkidle");
  const injected = await page.evaluate(() => (window as unknown as { __injected?: string }).__injected);
  expect(injected).toBeUndefined();
  // One report for the <script>, one for the onerror handler.
  expect((await pageViolations(page)).length).toBeGreaterThanOrEqual(2);
  expect(violations.length).toBeGreaterThan(0);
  // The page itself still works: its own scripts carry the nonce.
  await expect(page.getByTestId("login-submit")).toBeEnabled();
});

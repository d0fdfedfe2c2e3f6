/**
 * Sign-in under hostile input (issue 12): a client cannot choose its own address with
 * X-Forwarded-For (the e2e console trusts no proxy: TRUST_PROXY_HOPS=0), a parallel burst gets no
 * more tries than the limit, `callbackUrl` never leads off the site, and the login page shows only
 * its own messages; refused requests and the first admin are audited.
 */
import {
  type APIRequestContext,
  expect,
  type Page,
  request as playwrightRequest,
  test,
} from "@playwright/test";
import { E2E_ADMIN, E2E_BASE_URL, e2eClient, e2eConfig } from "./env.ts";
import { apiAs, createE2EUser, signIn, uniqueEmail } from "./helpers/auth.ts";

const sameSite = { origin: E2E_BASE_URL };

/** One credentials sign-in through next-auth's own endpoint; the error code, or null on success. */
async function attempt(
  request: APIRequestContext,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<string | null> {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    headers: { ...sameSite, ...headers },
    maxRedirects: 0,
  });
  const url = new URL((await res.json()).url as string, E2E_BASE_URL);
  return url.searchParams.get("error");
}

/** Every per-address sign-in counter, so a test starts from zero and leaves sign-in usable. */
async function resetAddressCounters(): Promise<void> {
  const redis = e2eClient();
  try {
    const keys = await redis.keys(`${e2eConfig().REDIS_KEY_PREFIX}:{auth}:rl:ip:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

test("a forged X-Forwarded-For neither lifts the per-address limit nor names the address in the audit log", async ({
  request,
}) => {
  const limit = e2eConfig().SIGNIN_MAX_FAILURES_PER_IP;
  const first = uniqueEmail("xff");
  const outcomes: (string | null)[] = [];
  await resetAddressCounters();
  try {
    // A different account and a different forged address every time: only the socket address
    // ties the attempts together.
    for (let i = 0; i <= limit; i++) {
      const email = i === 0 ? first : uniqueEmail("xff");
      outcomes.push(
        await attempt(request, email, "wrong-password", { "x-forwarded-for": `203.0.113.${i % 250}` }),
      );
    }
  } finally {
    await resetAddressCounters();
  }
  expect(outcomes.slice(0, limit).every((o) => o === "CredentialsSignin")).toBe(true);
  expect(outcomes[limit]).toBe("RateLimited");

  const admin = await apiAs(await playwrightRequest.newContext({ baseURL: E2E_BASE_URL }), "admin");
  const log = await (
    await admin.get(`/api/v1/audit?log=refused&action=signin.failed&target=${encodeURIComponent(first)}`)
  ).json();
  expect(log.entries).toHaveLength(1);
  expect(log.entries[0].ip).toBe("127.0.0.1");
  await admin.dispose();
});

test("a parallel burst of sign-in attempts gets no more tries than the limit", async ({ request }) => {
  const email = uniqueEmail("burst");
  await createE2EUser(email, "right-password-1", "viewer");
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const limit = e2eConfig().SIGNIN_MAX_FAILURES_PER_ACCOUNT;
  try {
    const outcomes = await Promise.all(
      Array.from({ length: limit * 3 }, async () => {
        const res = await request.post("/api/auth/callback/credentials", {
          form: { csrfToken, email, password: "wrong-password", json: "true" },
          headers: sameSite,
          maxRedirects: 0,
        });
        return new URL((await res.json()).url as string, E2E_BASE_URL).searchParams.get("error");
      }),
    );
    expect(outcomes.filter((o) => o === "CredentialsSignin")).toHaveLength(limit);
    expect(outcomes.filter((o) => o === "RateLimited")).toHaveLength(limit * 2);
    // and the right password is refused too until the window ends
    expect(await attempt(request, email, "right-password-1")).toBe("RateLimited");
  } finally {
    await resetAddressCounters();
  }
});

/** Answers for evil.example in the browser, so that a redirect there is seen, not a DNS error. */
async function offSite(page: Page): Promise<void> {
  await page.route(
    (url) => url.hostname.endsWith("evil.example"),
    (route) => route.fulfill({ body: "off site" }),
  );
}

/** callbackUrl values that resolve to another site (as typed into a URL's query). */
const OFF_SITE = [
  "/%09/evil.example",
  "//evil.example",
  "/%5Cevil.example",
  "https:evil.example",
  "/%0A/evil.example",
];

test("callbackUrl never sends a signed-in admin off the site", async ({ page }) => {
  await offSite(page);
  await signIn(page, "admin");
  for (const value of OFF_SITE) {
    await page.goto(`/login?callbackUrl=${value}`);
    await expect(page, value).toHaveURL((url) => url.origin === E2E_BASE_URL);
    await expect(page.locator("body")).not.toContainText("off site");
  }
});

test("callbackUrl never sends a user off the site after signing in through the form", async ({ page }) => {
  await offSite(page);
  for (const value of OFF_SITE.slice(0, 2)) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${value}`);
    await page.waitForLoadState("networkidle");
    await page.getByTestId("login-email").fill(E2E_ADMIN.email);
    await page.getByTestId("login-password").fill(E2E_ADMIN.password);
    await page.getByTestId("login-submit").click();
    await expect(page).not.toHaveURL(/\/login/);
    await expect(page, value).toHaveURL((url) => url.origin === E2E_BASE_URL);
  }
});

test("next-auth's own callbackUrl stays on the site", async ({ request }) => {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  for (const callbackUrl of ["/\t/evil.example", "//evil.example", "/\\evil.example", "https:evil.example"]) {
    const res = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken, ...E2E_ADMIN, callbackUrl, json: "true" },
      headers: sameSite,
      maxRedirects: 0,
    });
    const url = new URL((await res.json()).url as string, E2E_BASE_URL);
    expect(url.origin, JSON.stringify(callbackUrl)).toBe(E2E_BASE_URL);
    expect(url.pathname, JSON.stringify(callbackUrl)).not.toMatch(/^\/[\\/]/);
  }
});

test("the login page shows only its own messages, never text from the URL", async ({ page }) => {
  const planted = "Your account is locked. Call support at evil.example";
  await page.goto(`/login?error=${encodeURIComponent(planted)}`);
  await expect(page.getByTestId("login-error")).toHaveText("Sign-in failed.");
  await expect(page.locator("body")).not.toContainText("Call support");
  await page.goto("/login?error=CredentialsSignin");
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
});

test("refused requests are audited once per principal, path and window; the first admin's creation too", async ({
  page,
  request,
}) => {
  const viewer = uniqueEmail("probing-viewer");
  await createE2EUser(viewer, "viewer-password-1", "viewer");
  await signIn(page, { email: viewer, password: "viewer-password-1" });
  for (let i = 0; i < 3; i++) expect((await page.request.get("/api/v1/users")).status()).toBe(403);
  expect((await page.goto("/audit"))?.status()).toBe(403);

  const admin = await apiAs(request, "admin");
  const refused = await (
    await admin.get(`/api/v1/audit?log=refused&action=request.forbidden&actor=${encodeURIComponent(viewer)}`)
  ).json();
  const byTarget = Object.fromEntries(
    (refused.entries as { target: string; count: number }[]).map((e) => [e.target, e]),
  );
  expect(refused.entries).toHaveLength(2);
  expect(byTarget["/api/v1/users"]).toMatchObject({
    count: 1,
    role: "viewer",
    outcome: "denied",
    ip: "127.0.0.1",
  });
  expect(byTarget["/audit"]).toMatchObject({ count: 1, role: "viewer", outcome: "denied" });
  // nothing of it in the main log
  const main = await (await admin.get(`/api/v1/audit?actor=${encodeURIComponent(viewer)}`)).json();
  expect(main.entries.filter((e: { action: string }) => e.action === "request.forbidden")).toHaveLength(0);

  const bootstrap = await (await admin.get("/api/v1/audit?action=user.bootstrap")).json();
  expect(bootstrap.entries).toHaveLength(1);
  expect(bootstrap.entries[0]).toMatchObject({ actor: "system", target: E2E_ADMIN.email });
});

/**
 * Sessions and API tokens that end when they should: a token past its expiry, the open sessions
 * of a user who is demoted, deleted (and created again) or given a new password, "sign out
 * everywhere" for oneself and by an admin for another user, and the SameSite=Strict cookie.
 * Each user here is unique to its test, signed in in a browser context of its own.
 */
import { type Browser, expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { E2E_BASE_URL } from "./env.ts";
import { apiAs, bearer, createE2EUser, e2eRedis, expireToken, signIn, uniqueEmail } from "./helpers/auth.ts";

const sameSite = { origin: E2E_BASE_URL };

/** A fresh user (or `email` again) signed in through the login form in a new browser context. */
async function signedIn(browser: Browser, role: "admin" | "viewer", email = uniqueEmail(`session-${role}`)) {
  const password = `${role}-session-password-1`;
  await createE2EUser(email, password, role).catch((err) => {
    if ((err as { code?: string }).code !== "CONFLICT") throw err;
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, { email, password }, "/settings");
  await expect(page.getByTestId("settings")).toContainText(email);
  return { email, password, context, page };
}

/** The page's session has ended: the console sends it to /login and the API answers 401. */
async function expectEnded(page: Page) {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);
  expect((await page.request.get("/api/v1/alerts")).status()).toBe(401);
}

async function expectAlive(page: Page) {
  await page.goto("/settings");
  await expect(page.getByTestId("settings")).toBeVisible();
  expect((await page.request.get("/api/v1/alerts")).status()).toBe(200);
}

/** The audit entries of one action about one target, newest first. */
async function auditOf(admin: Awaited<ReturnType<typeof apiAs>>, action: string, target: string) {
  const res = await admin.get(`/api/v1/audit?action=${action}&target=${encodeURIComponent(target)}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { entries: Record<string, string>[] }).entries.filter(
    (e) => e.action === action,
  );
}

const userUrl = (email: string) => `/api/v1/users/${encodeURIComponent(email)}`;

test("the session cookie is httpOnly and SameSite=Strict", async ({ page, context }) => {
  await signIn(page, "viewer", "/settings");
  const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
});

test("an API token gets 401 once its expiry has passed, and Settings shows it expired", async ({
  page,
  request,
}) => {
  const admin = await apiAs(request, "admin");
  const name = uniqueEmail("expiring").split("@")[0];
  const refused = await admin.post("/api/v1/tokens", {
    data: { name, role: "viewer", expiresInDays: 0 },
    headers: sameSite,
  });
  expect(refused.status()).toBe(400);
  const res = await admin.post("/api/v1/tokens", {
    data: { name, role: "viewer", expiresInDays: 30 },
    headers: sameSite,
  });
  expect(res.status()).toBe(201);
  const { token, info } = (await res.json()) as { token: string; info: { id: string; expiresAt: number } };
  expect(info.expiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  expect(info.expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);

  const script = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  expect((await script.get("/api/v1/alerts", bearer(token))).status()).toBe(200);
  expect((await script.get("/api/metrics", bearer(token))).status()).toBe(200);
  const redis = e2eRedis();
  try {
    await expireToken(redis, token); // thirty days later
  } finally {
    await redis.quit();
  }
  expect((await script.get("/api/v1/alerts", bearer(token))).status()).toBe(401);
  expect((await script.get("/api/metrics", bearer(token))).status()).toBe(401);
  await script.dispose();

  await signIn(page, "admin", "/settings");
  await expect(page.getByTestId(`token-row-${info.id}`).getByTestId("token-expires")).toContainText(
    "expired",
  );
});

test("an API token made in Settings carries the lifetime chosen there", async ({ page }) => {
  await signIn(page, "admin", "/settings");
  const name = uniqueEmail("settings-expiry").split("@")[0];
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Token expiry").selectOption("7");
  await page.getByTestId("token-create").click();
  await expect(page.getByTestId("token-value")).toBeVisible();
  const row = page.locator('tr[data-testid^="token-row-"]').filter({ hasText: name });
  await expect(row.getByTestId("token-expires")).toContainText(/in (7 d|6 d)/);
});

test("demoting an admin ends their open session and revokes the API tokens they created", async ({
  browser,
  request,
}) => {
  const colleague = await signedIn(browser, "admin");
  const made = await colleague.page.request.post("/api/v1/tokens", {
    data: { name: "colleague-script", role: "admin" },
    headers: sameSite,
  });
  expect(made.status()).toBe(201);
  const { token } = (await made.json()) as { token: string };
  const script = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  expect((await script.get("/api/v1/users", bearer(token))).status()).toBe(200);

  const admin = await apiAs(request, "admin");
  const res = await admin.patch(userUrl(colleague.email), { data: { role: "viewer" }, headers: sameSite });
  expect(res.status()).toBe(200);

  await expectEnded(colleague.page);
  expect((await script.get("/api/v1/users", bearer(token))).status()).toBe(401);
  const [entry] = await auditOf(admin, "user.role", colleague.email);
  expect(entry.detail).toContain("1 API token revoked");
  await script.dispose();
  await colleague.context.close();
});

test("deleting a user ends their session, and creating them again does not bring it back", async ({
  browser,
  request,
}) => {
  const colleague = await signedIn(browser, "viewer");
  const admin = await apiAs(request, "admin");
  expect((await admin.delete(userUrl(colleague.email), { headers: sameSite })).status()).toBe(200);
  await createE2EUser(colleague.email, colleague.password, "viewer");
  await expectEnded(colleague.page);
  await colleague.context.close();
});

test("a new password ends the user's open sessions; the new password signs in", async ({
  browser,
  request,
}) => {
  const colleague = await signedIn(browser, "viewer");
  const admin = await apiAs(request, "admin");
  const res = await admin.patch(userUrl(colleague.email), {
    data: { password: "a-brand-new-password-1" },
    headers: sameSite,
  });
  expect(res.status()).toBe(200);
  await expectEnded(colleague.page);
  await signIn(colleague.page, { email: colleague.email, password: "a-brand-new-password-1" }, "/settings");
  await expectAlive(colleague.page);
  await colleague.context.close();
});

test("“Sign out everywhere” in Settings ends the user's session in every browser", async ({
  browser,
  request,
}) => {
  const here = await signedIn(browser, "viewer");
  const there = await signedIn(browser, "viewer", here.email);
  const bystander = await signedIn(browser, "viewer");
  await expectAlive(there.page);

  await here.page.goto("/settings");
  await here.page.getByTestId("sign-out-everywhere").click();
  await here.page.getByTestId("confirm").click();
  await expect(here.page).toHaveURL(/\/login/);
  await expectEnded(here.page);
  await expectEnded(there.page);
  await expectAlive(bystander.page); // only that user's sessions

  const admin = await apiAs(request, "admin");
  const [entry] = await auditOf(admin, "user.signout", here.email);
  expect(entry).toMatchObject({ actor: here.email, outcome: "ok" });
  for (const s of [here, there, bystander]) await s.context.close();
});

test("an admin signs another user out everywhere from Settings, and through the API", async ({
  browser,
  page,
  request,
}) => {
  const colleague = await signedIn(browser, "viewer");
  await signIn(page, "admin", "/settings");
  await page.getByTestId(`user-row-${colleague.email}`).getByTestId("user-sign-out").click();
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("users-message")).toContainText(`Signed ${colleague.email} out everywhere`);
  await expectEnded(colleague.page);
  await expectAlive(page); // the admin's own session goes on

  await signIn(colleague.page, { email: colleague.email, password: colleague.password }, "/settings");
  const admin = await apiAs(request, "admin");
  const res = await admin.delete(`${userUrl(colleague.email)}/sessions`, { headers: sameSite });
  expect(res.status()).toBe(200);
  await expectEnded(colleague.page);
  expect((await admin.delete(`${userUrl("nobody@e2e.test")}/sessions`, { headers: sameSite })).status()).toBe(
    404,
  );

  const entries = await auditOf(admin, "user.signout", colleague.email);
  expect(entries.filter((e) => e.outcome === "ok")).toHaveLength(2);
  await colleague.context.close();
});

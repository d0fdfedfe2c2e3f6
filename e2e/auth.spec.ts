/**
 * Access end to end: sign in and out, what a viewer may see and send, failed sign-ins and
 * mutations in the audit log, the sign-in rate limit, cross-site mutations, API tokens and their
 * revocation, and a deleted user's session.
 */
import { randomUUID } from "node:crypto";
import { expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { E2E_ADMIN, E2E_BASE_URL } from "./env.ts";
import { apiAs, bearer, createE2EUser, signIn, signOut, uniqueEmail as unique } from "./helpers/auth.ts";
import { e2eCache } from "./helpers/cache.ts";

const sameSite = { origin: E2E_BASE_URL };

/**
 * React's hydration mismatches (#418, #423, #425): React renders the page again on the client and
 * it works, so they are not a page answering an error. "/" shows one today (a text the server
 * renders differently from the browser); it is reported, not hidden in silence.
 */
const HYDRATION_MISMATCH = /Minified React error #(418|423|425)\b/;

/**
 * Opens a console page and fails the test when it answers an error: a status of 400 or more,
 * Next's own error page, an error state (the console's error boundary or a failed panel), or an
 * uncaught error or console error in the browser while it loads and hydrates.
 */
async function visitOk(page: Page, path: string): Promise<void> {
  const errors: string[] = [];
  const onPageError = (err: Error) => {
    if (!HYDRATION_MISMATCH.test(err.message)) errors.push(`uncaught: ${err.message}`);
  };
  const onConsole = (msg: { type(): string; text(): string }) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  };
  page.on("pageerror", onPageError);
  page.on("console", onConsole);
  try {
    const res = await page.goto(path);
    expect(res?.status() ?? 0, `status of ${path}`).toBeLessThan(400);
    await page.locator("html[data-hydrated]").waitFor();
    await expect(page.getByTestId("error-state"), `error state on ${path}`).toHaveCount(0);
    await expect(
      page.getByText(/Application error|This page couldn.t load/i),
      `Next error on ${path}`,
    ).toHaveCount(0);
  } finally {
    page.off("pageerror", onPageError);
    page.off("console", onConsole);
  }
  expect(errors, `errors in the browser on ${path}`).toEqual([]);
}

test("an admin signs in and out; pages need a session", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);
  await signIn(page, "admin", "/settings");
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("settings")).toContainText(E2E_ADMIN.email);
  await signOut(page);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login/);
});

test("every response carries the security headers", async ({ request }) => {
  for (const path of ["/login", "/api/health"]) {
    const h = (await request.get(path)).headers();
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBeTruthy();
  }
});

test("a viewer sees no mutation controls, and a forged mutation from its session gets 403", async ({
  page,
}) => {
  await signIn(page, "viewer", "/settings");
  await expect(page.getByTestId("viewer-note")).toBeVisible();
  for (const id of ["user-add", "user-delete", "user-role", "token-create", "token-revoke"]) {
    await expect(page.getByTestId(id)).toHaveCount(0);
  }
  // The mutation controls other pages build: each page must answer (an error would hide them).
  for (const path of ["/", "/queues", "/dead-letters", "/cache", "/alerts"]) {
    await visitOk(page, path);
    // Pages poll live data (no network idle): give the first data time to arrive.
    await page.waitForTimeout(1500);
    await expect(page.getByTestId("error-state"), `error state on ${path}`).toHaveCount(0);
    for (const id of ["requeue", "delete", "flush", "purge", "requeue-all", "bulk-requeue", "bulk-delete"]) {
      await expect(page.getByTestId(id), `${id} on ${path}`).toHaveCount(0);
    }
  }
  const forged = await page.request.post("/api/v1/tokens", {
    data: { name: "forged", role: "admin" },
    headers: sameSite,
  });
  expect(forged.status()).toBe(403);
  expect((await page.request.get("/api/v1/users")).status()).toBe(403);
  const audit = await page.goto("/audit");
  expect(audit?.status() === 403 || (await page.getByTestId("forbidden").count()) > 0).toBe(true);
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("a failed sign-in shows an error and appears in the audit log", async ({ page }) => {
  const email = unique("intruder");
  await page.goto("/login");
  await page.waitForLoadState("networkidle");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill("not-the-password");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText(/wrong email or password/i);
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, "admin");
  await visitOk(page, `/audit?log=refused&action=signin.failed&target=${encodeURIComponent(email)}`);
  const row = page.getByTestId("audit-row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("denied");
  const api = await page.request.get(
    `/api/v1/audit?log=refused&action=signin.failed&target=${encodeURIComponent(email)}`,
  );
  const [entry] = (await api.json()).entries;
  expect(entry).toMatchObject({ actor: email, action: "signin.failed", outcome: "denied" });
  expect(entry.ip).toMatch(/\d|:/);
});

test("sign-in is refused after too many failures for an account, even with the right password", async ({
  request,
}) => {
  const email = unique("limited");
  await createE2EUser(email, "right-password-1", "viewer");
  const attempt = async (password: string) => {
    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    const res = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, json: "true" },
      headers: sameSite,
      maxRedirects: 0,
    });
    return (await res.json()).url as string;
  };
  for (let i = 0; i < 5; i++) expect(await attempt("wrong-password")).toContain("error=");
  const refused = await attempt("right-password-1");
  expect(new URL(refused, E2E_BASE_URL).searchParams.get("error")).toBe("RateLimited");
  const admin = await apiAs(await playwrightRequest.newContext({ baseURL: E2E_BASE_URL }), "admin");
  const log = await (
    await admin.get(`/api/v1/audit?log=refused&action=signin.refused&target=${encodeURIComponent(email)}`)
  ).json();
  expect(log.entries).toHaveLength(1);
  await admin.dispose();
});

test("a cross-site POST with a session cookie is refused", async ({ request }) => {
  await apiAs(request, "admin");
  const name = `cross-site-${randomUUID().slice(0, 6)}`;
  const evil = await request.post("/api/v1/tokens", {
    data: { name, role: "admin" },
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(evil.status()).toBe(403);
  const noSite = await request.post("/api/v1/tokens", {
    data: { name, role: "admin" },
    headers: { origin: "https://evil.example" },
  });
  expect(noSite.status()).toBe(403);
  const tokens = (await (await request.get("/api/v1/tokens")).json()).tokens as { name: string }[];
  expect(tokens.map((t) => t.name)).not.toContain(name);
});

test("an API token made in Settings works until it is revoked, and both are audited", async ({
  page,
  request,
}) => {
  await signIn(page, "admin", "/settings");
  const name = `e2e-token-${randomUUID().slice(0, 6)}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Token role").selectOption("viewer");
  await page.getByTestId("token-create").click();
  const token = ((await page.getByTestId("token-value").textContent()) ?? "").trim();
  expect(token).toMatch(/^rq_/);

  expect((await request.get("/api/v1/alerts", bearer(token))).status()).toBe(200);
  expect((await request.get("/api/v1/users", bearer(token))).status()).toBe(403);
  await page.reload();
  const row = page.locator('tr[data-testid^="token-row-"]').filter({ hasText: name });
  await expect(row).not.toContainText("never");
  await expect(page.getByTestId("token-value")).toHaveCount(0);

  await row.getByTestId("token-revoke").click();
  await expect(page.getByTestId("confirm-text")).toContainText(`Revoke the token "${name}"`);
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("tokens-message")).toContainText(`Revoked "${name}"`);
  expect((await request.get("/api/v1/alerts", bearer(token))).status()).toBe(401);

  await visitOk(page, `/audit?action=token&target=${encodeURIComponent(name)}`);
  await expect(page.getByTestId("audit-row").filter({ hasText: "token.create" })).toHaveCount(1);
  await expect(page.getByTestId("audit-row").filter({ hasText: "token.revoke" })).toHaveCount(0); // revoke targets the id
  await visitOk(page, "/audit?action=token.revoke");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
});

test("an admin adds a user in Settings; a role change and a deletion take effect on the next request", async ({
  page,
}) => {
  const email = unique("colleague");
  await signIn(page, "admin", "/settings");
  const form = page.getByTestId("user-add-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role", { exact: true }).selectOption("admin");
  await form.getByLabel("Password").fill("colleague-password-1");
  await page.getByTestId("user-add").click();
  await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();

  const colleague = await apiAs(await playwrightRequest.newContext({ baseURL: E2E_BASE_URL }), {
    email,
    password: "colleague-password-1",
  });
  expect((await colleague.get("/api/v1/users")).status()).toBe(200);

  // What an application cached for this user under the old role must not outlive the change.
  const cache = await userCache();
  await cache.user.set("me", { role: "admin" }, { user: email });
  await page.getByTestId(`user-row-${email}`).getByTestId("user-role").selectOption("viewer");
  await expect(page.getByTestId("users-message")).toContainText("is now viewer");
  // A role change ends the user's sessions (lib/auth/users.ts): signed out, not just demoted.
  expect((await colleague.get("/api/v1/users")).status()).toBe(401);
  expect(await cache.user.get("me", { user: email })).toBeUndefined();

  await cache.user.set("me", { role: "viewer" }, { user: email });
  await page.getByTestId(`user-row-${email}`).getByTestId("user-delete").click();
  await expect(page.getByTestId("confirm-text")).toContainText(`Delete the user ${email}`);
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId(`user-row-${email}`)).toHaveCount(0);
  expect((await colleague.get("/api/v1/alerts")).status()).toBe(401);
  expect(await cache.user.get("me", { user: email })).toBeUndefined();
  await cache.close();
  await colleague.dispose();

  await visitOk(page, `/audit?target=${encodeURIComponent(email)}`);
  for (const action of ["user.create", "user.role", "user.delete"]) {
    await expect(page.getByTestId("audit-row").filter({ hasText: action })).toHaveCount(1);
  }
  await expect(page.getByTestId("audit-row").filter({ hasText: "user.role" })).toContainText(
    "cached entries invalidated",
  );
});

test("a role change through the API invalidates the user's cache entries too", async ({ request }) => {
  const email = unique("api-role");
  await createE2EUser(email, "api-role-password-1", "viewer");
  const cache = await userCache();
  await cache.user.set("me", { role: "viewer" }, { user: email });
  await cache.user.set("me", { role: "viewer" }, { user: "someone-else@e2e.test" });
  const admin = await apiAs(request, "admin");
  const res = await admin.patch(`/api/v1/users/${encodeURIComponent(email)}`, {
    data: { role: "admin" },
    headers: sameSite,
  });
  expect(res.status()).toBe(200);
  expect(await cache.user.get("me", { user: email })).toBeUndefined();
  expect(await cache.user.get("me", { user: "someone-else@e2e.test" })).toEqual({ role: "viewer" });
  await cache.close();
});

/** The user-scoped namespace of an application's cache, on the e2e Redis. */
async function userCache() {
  const { cache, close } = await e2eCache({ stats: false });
  return { user: cache.namespace("user"), close };
}

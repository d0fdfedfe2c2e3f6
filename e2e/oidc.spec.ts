/**
 * Single sign-on end to end, with no mock of the protocol: the console (next-auth's OAuth
 * provider "oidc": discovery, authorization code + PKCE + state, ID token validation) against a
 * real OpenID Provider (oidc-provider, started by e2e/serve.ts), driven through the IdP's own
 * login and consent pages in Chromium. The IdP vouches for any email typed into its form;
 * Requeue admits only the emails of its users, with their Requeue role, and audits both outcomes.
 */
import { expect, type Page, test } from "@playwright/test";
import { E2E_BASE_URL, e2eState } from "./env.ts";
import { apiAs, createE2EUser, uniqueEmail } from "./helpers/auth.ts";

/** From /login, through the IdP's login (and, the first time, consent) page, as `email`. */
async function signInThroughIdp(page: Page, email: string, callbackUrl: string): Promise<void> {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.waitForLoadState("networkidle");
  const sso = page.getByTestId("login-oidc");
  await expect(sso).toHaveText(/single sign-on/i);
  await sso.click();

  // Now on the IdP, a different origin: its development login form accepts any login.
  const issuer = new URL(e2eState().oidcIssuer);
  await expect(page).toHaveURL(
    (url) => url.origin === issuer.origin && url.pathname.startsWith("/interaction/"),
  );
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // A new grant for the console: the IdP asks for consent to the scopes.
  await expect(page.getByRole("button", { name: "Continue" })).toBeVisible();
  await expect(page.locator("body")).toContainText("email");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL((url) => url.origin === E2E_BASE_URL);
}

/**
 * The audit entries of one action about one target, as the admin reads them through the API
 * (failed sign-ins are kept in the log of refused requests).
 */
async function auditOf(request: Parameters<typeof apiAs>[0], action: string, target: string) {
  const admin = await apiAs(request, "admin");
  const log = action === "signin.failed" ? "&log=refused" : "";
  const res = await admin.get(`/api/v1/audit?action=${action}${log}&target=${encodeURIComponent(target)}`);
  expect(res.status()).toBe(200);
  const { entries } = (await res.json()) as { entries: Record<string, string>[] };
  return entries.filter((e) => e.action === action);
}

test("a Requeue user signs in through the OpenID Provider and gets their Requeue role", async ({
  page,
  request,
}) => {
  const email = uniqueEmail("sso-viewer");
  await createE2EUser(email, undefined, "viewer"); // no password: single sign-on only

  await signInThroughIdp(page, email, "/settings");
  await expect(page).toHaveURL(`${E2E_BASE_URL}/settings`);
  const user = page.getByTestId("current-user");
  await expect(user).toContainText(email);
  await expect(user).toContainText("viewer");
  await expect(page.getByTestId("viewer-note")).toBeVisible(); // the page rendered for a viewer session

  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session.user).toMatchObject({ email, role: "viewer" });
  // A viewer through SSO is still a viewer: admin-only API refused.
  expect((await page.request.get("/api/v1/users")).status()).toBe(403);

  const entries = await auditOf(request, "signin", email);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ actor: email, action: "signin", via: "oidc", outcome: "ok" });
});

test("an email the OpenID Provider vouches for but Requeue does not know is refused and audited", async ({
  page,
  request,
}) => {
  const email = uniqueEmail("sso-stranger");

  await signInThroughIdp(page, email, "/settings");
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
  await expect(page.getByTestId("login-error")).toHaveText(/may not use the console/i);

  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session?.user).toBeUndefined();
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);

  const entries = await auditOf(request, "signin.failed", email);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    actor: email,
    action: "signin.failed",
    via: "oidc",
    outcome: "denied",
    detail: "no such user",
  });
});

// The e2e OpenID Provider says email_verified: false for "unverified-…" logins and leaves the
// claim out for "noclaim-…" ones (e2e/helpers/oidc-idp.ts): both must be refused.
for (const [how, login] of [
  ["has not verified", "unverified-sso"],
  ["sends no email_verified claim for", "noclaim-sso"],
] as const) {
  test(`a known user's email the OpenID Provider ${how} is refused as unverified and audited`, async ({
    page,
    request,
  }) => {
    const email = uniqueEmail(login);
    await createE2EUser(email, undefined, "admin");

    await signInThroughIdp(page, email, "/settings");
    await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
    const session = await (await page.request.get("/api/auth/session")).json();
    expect(session?.user).toBeUndefined();

    const entries = await auditOf(request, "signin.failed", email);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      via: "oidc",
      outcome: "denied",
      detail: "email not verified by the identity provider",
    });
  });
}

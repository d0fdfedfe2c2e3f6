/**
 * Signing in for e2e specs.
 *
 *   await signIn(page, "viewer");                 // browser session through the login form
 *   const api = await apiAs(request, "admin");    // the request fixture, now carrying a session cookie
 *   const token = await bearerFor("viewer");      // an API token, for `Authorization: Bearer …`
 *
 * The admin is bootstrapped by the app from ADMIN_EMAIL/ADMIN_PASSWORD (e2e/env.ts E2E_ADMIN);
 * the viewer (E2E_VIEWER) and tokens are written straight into the e2e Redis with lib/auth.
 */
import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { createToken, createUser, hashToken, type Role, type TokenRole } from "../../lib/auth/index.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import { globalKeys } from "../../lib/redis/keys.ts";
import { E2E_ADMIN, E2E_BASE_URL, E2E_VIEWER, e2eClient, e2eConfig } from "../env.ts";

export type E2EUser = "admin" | "viewer" | { email: string; password: string };

function credentials(user: E2EUser): { email: string; password: string } {
  if (user === "admin") return E2E_ADMIN;
  if (user === "viewer") return E2E_VIEWER;
  return user;
}

/** A client for the e2e Redis; close it with `.quit()` (helpers here close their own). */
export function e2eRedis(): RedisClient {
  return e2eClient();
}

async function withRedis<T>(fn: (redis: RedisClient) => Promise<T>): Promise<T> {
  const redis = e2eRedis();
  try {
    return await fn(redis);
  } finally {
    await redis.quit();
  }
}

let viewerReady = false;
/** Creates E2E_VIEWER (role viewer) unless it exists. Idempotent. */
export async function ensureViewer(): Promise<void> {
  if (viewerReady) return;
  await withRedis(async (redis) => {
    try {
      await createUser(redis, { ...E2E_VIEWER, role: "viewer", name: "E2E Viewer" });
    } catch (err) {
      if ((err as { code?: string }).code !== "CONFLICT") throw err;
    }
  });
  viewerReady = true;
}

/** A fresh address in the e2e domain, e.g. `intruder-1a2b3c4d@e2e.test`. */
export const uniqueEmail = (what: string) => `${what}-${randomUUID().slice(0, 8)}@e2e.test`;

/**
 * Creates a user with a role (unique email recommended) straight in Redis; without a password
 * the user can sign in only through single sign-on, as one added in Settings without one.
 */
export async function createE2EUser(email: string, password: string | undefined, role: Role): Promise<void> {
  await withRedis((redis) => createUser(redis, { email, password, role }).then(() => undefined));
}

/** Signs in through the login form and waits until the console has loaded. */
export async function signIn(page: Page, user: E2EUser = "admin", callbackUrl = "/"): Promise<void> {
  if (user === "viewer") await ensureViewer();
  const { email, password } = credentials(user);
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.waitForLoadState("networkidle");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Signs out through the top bar control if present, else through next-auth's endpoint. */
export async function signOut(page: Page): Promise<void> {
  const button = page.getByTestId("sign-out");
  if (await button.count()) {
    await button.first().click();
  } else {
    await page.goto("/api/auth/signout");
    await page.getByRole("button", { name: /sign out/i }).click();
  }
  await expect(page).toHaveURL(/\/login/);
}

/**
 * Signs the request context in (session cookie, like a browser) and returns it. Requests it then
 * makes carry the cookie; mutations should send `Origin: E2E_BASE_URL` as a browser would.
 * Returns the sign-in response status through `expect` (fails the test if sign-in fails).
 */
export async function apiAs(request: APIRequestContext, user: E2EUser): Promise<APIRequestContext> {
  if (user === "viewer") await ensureViewer();
  const { email, password } = credentials(user);
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true", callbackUrl: E2E_BASE_URL },
    headers: { origin: E2E_BASE_URL },
    maxRedirects: 0,
  });
  expect(res.status(), `sign-in of ${email}`).toBeLessThan(400);
  const session = await (await request.get("/api/auth/session")).json();
  expect(session?.user?.email, `session of ${email}`).toBe(email);
  return request;
}

/** A fresh API token with the role (created in Redis; shown once, like in Settings). */
export async function bearerFor(role: TokenRole, name = `e2e-${role}`): Promise<string> {
  return withRedis(async (redis) => (await createToken(redis, { name, role, createdBy: "e2e" })).token);
}

/** Moves a token's expiry into the past (as if its lifetime had run out), straight in Redis. */
export async function expireToken(redis: RedisClient, token: string): Promise<void> {
  const key = globalKeys(e2eConfig().REDIS_KEY_PREFIX).token(hashToken(token));
  expect(await redis.exists(key), "the token exists").toBe(1);
  await redis.hset(key, "expiresAt", String(Date.now() - 1000));
}

/** `{ headers }` for a Playwright request with a bearer token. */
export const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

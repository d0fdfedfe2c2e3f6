/**
 * Access end to end: sign in and out, what a viewer may see and send, failed sign-ins in the
 * audit log, cross-site mutations, API tokens and their revocation.
 */
import { expect, test } from "@playwright/test";
import { E2E_ADMIN, E2E_BASE_URL } from "./env.ts";
import { apiAs, bearer, bearerFor, signIn, signOut } from "./helpers/auth.ts";

test("an admin signs in and out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2F/);
  await signIn(page, "admin");
  await expect(page.getByText(E2E_ADMIN.email).or(page.getByText("Administrator")).first()).toBeVisible();
  await signOut(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

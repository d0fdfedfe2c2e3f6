import { expect, test } from "@playwright/test";

test("the console answers and reports Redis up", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", redis: "up" });

  await page.goto("/");
  await expect(page).toHaveTitle(/Requeue/);
  await page.screenshot({ path: "test-results/screenshots/home.png", fullPage: true });
});

/**
 * GET /api/v1/alerts/webhook — the URL notified on firing and on resolve (admin: it may carry a
 * secret path). PUT {url} — store an http(s) URL; {url: null} removes it (back to
 * ALERT_WEBHOOK_URL, if set). Audited without the URL itself.
 */
import { z } from "zod";
import { route } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { getWebhook, setWebhook } from "#lib/alerts/index.ts";
import { audit } from "#lib/auth/audit.ts";

export const dynamic = "force-dynamic";

const body = z.object({
  url: z.union([z.string(), z.null()], {
    error: 'Send {"url": "https://…"} to set the webhook or {"url": null} to remove it',
  }),
});

export const GET = route({ role: "admin" }, async () => getWebhook(consoleRedis()));

export const PUT = route({ role: "admin", body }, async ({ body, principal }) => {
  const res = await setWebhook(consoleRedis(), body.url);
  await audit(principal, body.url ? "alerts.webhook.set" : "alerts.webhook.clear", {
    target: "webhook",
    outcome: "ok",
    detail: res.url ? new URL(res.url).host : "none",
  });
  return res;
});

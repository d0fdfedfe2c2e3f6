/**
 * GET /api/v1/alerts/webhook — the URL notified on firing and on resolve (admin: it may carry a
 * secret path). PUT {url} — store an http(s) URL; {url: null} removes it (back to
 * ALERT_WEBHOOK_URL, if set). Audited without the URL itself.
 */
import { z } from "zod";
import { getWebhook, setWebhook } from "#lib/alerts/index";
import { audit } from "#lib/auth/audit";
import { getRedis } from "#lib/redis/connection";
import { route } from "@/app/_lib/http.ts";

export const dynamic = "force-dynamic";

const body = z.object({
  url: z.union([z.string(), z.null()], {
    error: 'Send {"url": "https://…"} to set the webhook or {"url": null} to remove it',
  }),
});

export const GET = route({ role: "admin" }, async () => getWebhook(getRedis("console", { failFast: true })));

export const PUT = route({ role: "admin", body }, async ({ body, principal }) => {
  const res = await setWebhook(getRedis("console", { failFast: true }), body.url);
  await audit(principal, body.url ? "alerts.webhook.set" : "alerts.webhook.clear", {
    target: "webhook",
    outcome: "ok",
    detail: res.url ? new URL(res.url).host : "none",
  });
  return res;
});

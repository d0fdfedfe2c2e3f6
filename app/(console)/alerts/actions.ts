"use server";
/**
 * The alerts page's mutations (admin): set or reset a threshold, set the webhook URL. Each is
 * validated again here (lib/alerts refuses what the form let through), audited, and followed by
 * an evaluation so the page shows the effect at once.
 */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { evaluateAlerts, resetThreshold, setThreshold, setWebhook } from "#lib/alerts/index.ts";
import { audit } from "#lib/auth/audit.ts";

export const setThresholdAction = action(
  "admin",
  z.object({ id: z.string().min(1).max(64), value: z.number({ error: "Enter a number" }) }),
  async ({ id, value }, principal) => {
    const res = await setThreshold(consoleRedis(), id, value);
    await audit(principal, "alerts.threshold.set", {
      target: res.id,
      outcome: "ok",
      detail: `${res.previous} -> ${res.value}`,
    });
    await evaluateAlerts(consoleRedis());
    return res;
  },
);

export const resetThresholdAction = action(
  "admin",
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, p) => {
    await resetThreshold(consoleRedis(), id);
    await audit(p, "alerts.threshold.reset", { target: id, outcome: "ok" });
    await evaluateAlerts(consoleRedis());
    return { id };
  },
);

export const setWebhookAction = action(
  "admin",
  z.object({ url: z.string().max(2048).nullable() }),
  async ({ url }, principal) => {
    const res = await setWebhook(consoleRedis(), url);
    await audit(principal, url ? "alerts.webhook.set" : "alerts.webhook.clear", {
      target: "webhook",
      outcome: "ok",
      detail: res.url ? new URL(res.url).host : "none",
    });
    return res;
  },
);

"use server";
/**
 * The alerts page's mutations (admin): save the changed thresholds (one Save), reset one, set the
 * webhook URL. Each is validated again here (lib/alerts refuses what the form let through) and
 * audited; a threshold change answers once stored, the evaluation that shows its effect follows
 * after the answer (app/_lib/ops/alert-thresholds.ts says why).
 */
import { after } from "next/server";
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import {
  resetThresholdNow,
  resetThresholdSchema,
  saveThresholds,
  saveThresholdsSchema,
  type ThresholdDeps,
} from "#app/_lib/ops/alert-thresholds.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import type { Principal } from "#app/_lib/principal.ts";
import { setWebhook } from "#lib/alerts/index.ts";
import { audit } from "#lib/auth/audit.ts";

const deps = (principal: Principal): ThresholdDeps => ({
  record: (what, details) => audit(principal, what, details),
  later: (work) => after(work),
});

export const saveThresholdsAction = action("admin", saveThresholdsSchema, (input, principal) =>
  saveThresholds(consoleRedis(), input, deps(principal)),
);

export const resetThresholdAction = action("admin", resetThresholdSchema, ({ id }, principal) =>
  resetThresholdNow(consoleRedis(), id, deps(principal)),
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

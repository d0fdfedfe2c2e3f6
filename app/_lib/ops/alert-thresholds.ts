/**
 * Saving the alerts page's thresholds: every changed threshold is validated and stored (and
 * audited) before the answer; the evaluation that shows their effect runs once, afterwards.
 * Why: an evaluation measures every alert over every queue, which under load takes long — the
 * admin's Save must not wait for it (it used to run once per threshold, inside the request). The
 * page polls the alerts, so the new states appear as soon as the evaluation is done.
 */
import { z } from "zod";
import { AlertError, evaluateAlerts, resetThreshold, setThreshold } from "#lib/alerts/index.ts";
import type { AuditDetails } from "#lib/auth/audit.ts";
import type { Config } from "#lib/config.ts";
import type { RedisClient } from "#lib/redis/connection.ts";

const id = z.string().min(1).max(64);

export const saveThresholdsSchema = z.object({
  changes: z
    .array(z.object({ id, value: z.number({ error: "Enter a number" }) }))
    .min(1, "Change a threshold to save")
    .max(32),
});
export const resetThresholdSchema = z.object({ id });

export interface ThresholdDeps {
  /** records an audit entry (the caller's principal) */
  record: (action: string, details: AuditDetails) => Promise<unknown>;
  /** runs work after the answer is sent (next/server's `after` in the console) */
  later: (work: () => Promise<unknown>) => void;
  config?: Config;
}

export interface SaveThresholdsResult {
  saved: { id: string; value: number; previous: number }[];
  /** thresholds refused, with the reason (the others are saved all the same) */
  failed: { id: string; error: string }[];
}

/** One evaluation after the answer, its failure logged (the worker evaluates again on its interval). */
function evaluateLater(client: RedisClient, deps: ThresholdDeps) {
  deps.later(() =>
    evaluateAlerts(client, { config: deps.config }).catch((err) => {
      console.error("[alerts] evaluation after a threshold change failed:", (err as Error).message);
    }),
  );
}

export async function saveThresholds(
  client: RedisClient,
  input: z.infer<typeof saveThresholdsSchema>,
  deps: ThresholdDeps,
): Promise<SaveThresholdsResult> {
  const out: SaveThresholdsResult = { saved: [], failed: [] };
  for (const c of input.changes) {
    try {
      const res = await setThreshold(client, c.id, c.value, deps.config);
      out.saved.push(res);
      await deps.record("alerts.threshold.set", {
        target: res.id,
        outcome: "ok",
        detail: `${res.previous} -> ${res.value}`,
      });
    } catch (err) {
      if (!(err instanceof AlertError)) throw err;
      out.failed.push({ id: c.id, error: err.message });
    }
  }
  if (out.saved.length) evaluateLater(client, deps);
  return out;
}

export async function resetThresholdNow(client: RedisClient, alertId: string, deps: ThresholdDeps) {
  await resetThreshold(client, alertId, deps.config);
  await deps.record("alerts.threshold.reset", { target: alertId, outcome: "ok" });
  evaluateLater(client, deps);
  return { id: alertId };
}

/**
 * The worker's periodic alert evaluation: every ALERT_EVALUATE_INTERVAL_MS, measure the eight
 * values, record state changes, call the webhook (lib/alerts). With several worker replicas (and
 * consoles, which evaluate on read when it is due) one process evaluates per interval; even if
 * two overlap, a change is announced once (lib/alerts compares-and-sets each state). Errors are
 * reported, never thrown: the next interval tries again.
 */
import { type EvaluationResult, evaluateIfDue } from "../lib/alerts/index.ts";
import { type Config, getConfig } from "../lib/config.ts";
import type { RedisClient } from "../lib/redis/connection.ts";

export const ALERTS_TASK = "alerts";

/** One run: evaluates unless another process did within this interval. Null when skipped. */
export async function runAlertsTask(
  client: RedisClient,
  config: Config = getConfig(),
): Promise<EvaluationResult | null> {
  const result = await evaluateIfDue(client, config);
  for (const t of result?.transitions ?? []) {
    const hook = t.webhook
      ? t.webhook.ok
        ? "webhook ok"
        : `webhook failed: ${t.webhook.error}`
      : "no webhook";
    console.log(
      `[alerts] ${t.label}: ${t.from} -> ${t.to} (${t.valueText}, threshold ${t.comparator} ${t.thresholdText}; ${hook})`,
    );
  }
  return result;
}

/** The task as the worker's registry takes it: a name, an interval and a run function. */
export const alertsTask = {
  name: ALERTS_TASK,
  intervalMs: (config: Config = getConfig()) => config.ALERT_EVALUATE_INTERVAL_MS,
  run: (client: RedisClient, config?: Config) => runAlertsTask(client, config),
};

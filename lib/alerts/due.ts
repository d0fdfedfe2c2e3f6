/**
 * "Evaluate unless someone just did": at most one evaluation per ALERT_EVALUATE_INTERVAL_MS
 * across every process (a SET NX PX guard). The worker calls it on its interval; the console
 * calls it when it reads the alerts, so the alerts stay current even while the worker is down.
 */
import { type Config, getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";
import { type EvaluationResult, evaluateAlerts } from "./evaluate.ts";

/** Evaluates if no process did in the last interval; null when skipped. */
export async function evaluateIfDue(
  client: RedisClient,
  config: Config = getConfig(),
): Promise<EvaluationResult | null> {
  const interval = config.ALERT_EVALUATE_INTERVAL_MS;
  const lock = globalKeys(config.REDIS_KEY_PREFIX).sweepLock("alerts");
  const won = await client.set(
    lock,
    String(process.pid),
    "PX",
    Math.max(50, Math.floor(interval * 0.9)),
    "NX",
  );
  if (won !== "OK") return null;
  return evaluateAlerts(client, { config });
}

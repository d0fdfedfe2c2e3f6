/**
 * Alerts: the thresholds, their evaluation, state, history and webhook.
 *
 *   await evaluateIfDue(client)           // the worker (and the console's reads), once per interval
 *   await evaluateAlerts(client)          // now, e.g. right after a threshold change
 *   await listAlerts(client)              // id, label, threshold, comparator, value, state, since
 *   await setThreshold(client, "dlq_size", 10)
 *   await alertHistory(client, { limit: 50 })
 */
import { type Config, getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";
import type { AlertId } from "./definitions.ts";
import { readHistory } from "./state.ts";
import type { AlertHistoryEntry } from "./types.ts";

export {
  ALERT_IDS,
  ALERTS,
  type AlertDefinition,
  type AlertId,
  type AlertUnit,
  alertDefinition,
  breaches,
  type Comparator,
  formatAlertValue,
  isAlertId,
  thresholdSchema,
} from "./definitions.ts";
export { evaluateIfDue } from "./due.ts";
export { type EvaluateOptions, type EvaluationResult, evaluateAlerts, listAlerts } from "./evaluate.ts";
export {
  AlertError,
  getThresholds,
  getWebhook,
  resetThreshold,
  setThreshold,
  setWebhook,
  type WebhookSetting,
  webhookUrlSchema,
} from "./settings.ts";
export { HISTORY_MAX } from "./state.ts";
export type { AlertHistoryEntry, AlertState, AlertStatus, AlertTransition, AlertValues } from "./types.ts";

/** Transitions, newest first (at most HISTORY_MAX are kept). */
export function alertHistory(
  client: RedisClient,
  opts: { limit?: number; id?: AlertId } = {},
  config: Config = getConfig(),
): Promise<AlertHistoryEntry[]> {
  return readHistory(client, globalKeys(config.REDIS_KEY_PREFIX).alertHistory, opts);
}

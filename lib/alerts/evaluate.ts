/**
 * Evaluation: measure the values, compare each with its threshold, record the state,
 * and for every change append to the history and notify the webhook.
 *
 * The worker runs this periodically (worker/alerts-task.ts); the console runs it once right
 * after an admin changes a threshold so the change shows at once. Both may run together: the
 * state is compared-and-set per alert in one step (state.ts), so a change is announced once.
 * A webhook failure is recorded in the history entry and never stops the evaluation.
 */
import { type Config, getConfig } from "../config.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";
import { ALERTS, breaches, formatAlertValue } from "./definitions.ts";
import { readAlertInputs } from "./inputs.ts";
import { getThresholds, getWebhook } from "./settings.ts";
import { pushHistory, readStates, recordState } from "./state.ts";
import type { AlertHistoryEntry, AlertStatus, AlertTransition, AlertValues } from "./types.ts";
import { postWebhook } from "./webhook.ts";

export interface EvaluateOptions {
  config?: Config;
  now?: number;
  /** Where the values come from; tests and tools may pass their own. */
  readInputs?: (client: RedisClient, now: number, config: Config) => Promise<AlertValues>;
}

export interface EvaluationResult {
  at: number;
  values: AlertValues;
  transitions: AlertHistoryEntry[];
}

export async function evaluateAlerts(
  client: RedisClient,
  opts: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const config = opts.config ?? getConfig();
  const now = opts.now ?? Date.now();
  const keys = globalKeys(config.REDIS_KEY_PREFIX);
  const [values, thresholds] = await Promise.all([
    (opts.readInputs ?? readAlertInputs)(client, now, config),
    getThresholds(client, config),
  ]);

  const transitions: AlertTransition[] = [];
  for (const def of ALERTS) {
    const value = values[def.id];
    const threshold = thresholds.values[def.id];
    const state = breaches(def.comparator, value, threshold) ? "firing" : "ok";
    const rec = await recordState(client, keys.alertState, def.id, state, value, now);
    if (!rec.changed) continue;
    transitions.push({
      id: def.id,
      label: def.label,
      from: rec.previous,
      to: state,
      at: now,
      value,
      threshold,
      comparator: def.comparator,
      valueText: formatAlertValue(def.unit, value),
      thresholdText: formatAlertValue(def.unit, threshold),
    });
  }

  let entries: AlertHistoryEntry[] = transitions;
  if (transitions.length > 0) {
    const { url } = await getWebhook(client, config);
    if (url) {
      entries = await Promise.all(
        transitions.map(async (t) => ({
          ...t,
          // Only the host is kept: viewers read the history, and a hook's path is often its secret.
          webhook: {
            host: new URL(url).host,
            ...(await postWebhook(url, t, config.ALERT_WEBHOOK_TIMEOUT_MS)),
          },
        })),
      );
    }
    // Oldest first into the list, so the newest ends at its head.
    await pushHistory(client, keys.alertHistory, [...entries]);
  }
  return { at: now, values, transitions: entries };
}

/** The alerts with their thresholds and the state of the last evaluation. */
export async function listAlerts(client: RedisClient, config: Config = getConfig()): Promise<AlertStatus[]> {
  const keys = globalKeys(config.REDIS_KEY_PREFIX);
  const [thresholds, states] = await Promise.all([
    getThresholds(client, config),
    readStates(client, keys.alertState),
  ]);
  return ALERTS.map((def) => {
    const s = states[def.id];
    return {
      id: def.id,
      label: def.label,
      group: def.group,
      comparator: def.comparator,
      unit: def.unit,
      measures: def.measures,
      threshold: thresholds.values[def.id],
      defaultThreshold: config[def.configKey] as number,
      overridden: thresholds.overridden[def.id],
      min: def.min,
      max: def.max,
      integer: def.integer ?? false,
      value: s?.value ?? null,
      evaluatedAt: s?.at ?? null,
      state: s?.state ?? "ok",
      since: s?.since ?? null,
    };
  });
}

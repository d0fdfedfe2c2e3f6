/**
 * Alert settings an admin changes: threshold overrides and the webhook URL, one Redis hash
 * (`globalKeys().alertThresholds`, field = alert id or `webhook_url`). A threshold without an
 * override is the environment's default; removing the stored webhook falls back to
 * ALERT_WEBHOOK_URL. Everything written is validated first; nothing invalid is ever stored.
 */
import { z } from "zod";
import { type Config, getConfig } from "../config.ts";
import { RequeueError } from "../errors.ts";
import type { RedisClient } from "../redis/connection.ts";
import { globalKeys } from "../redis/keys.ts";
import { ALERTS, type AlertId, alertDefinition, isAlertId, thresholdSchema } from "./definitions.ts";

const WEBHOOK_FIELD = "webhook_url";

/** A library error the API frame maps to a status (INVALID_INPUT → 400, NOT_FOUND → 404). */
export class AlertError extends RequeueError<"INVALID_INPUT" | "NOT_FOUND"> {
  constructor(code: "INVALID_INPUT" | "NOT_FOUND", message: string) {
    super(code, message);
    this.name = "AlertError";
  }
}

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2048, { error: "The webhook URL is longer than 2048 characters" })
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
      } catch {
        return false;
      }
    },
    { error: "The webhook URL must be an http:// or https:// URL, e.g. https://hooks.example.com/requeue" },
  );

export interface Thresholds {
  values: Record<AlertId, number>;
  /** Which thresholds differ from the environment's default. */
  overridden: Record<AlertId, boolean>;
}

function defaults(config: Config): Record<AlertId, number> {
  return Object.fromEntries(ALERTS.map((a) => [a.id, config[a.configKey] as number])) as Record<
    AlertId,
    number
  >;
}

export async function getThresholds(client: RedisClient, config: Config = getConfig()): Promise<Thresholds> {
  const stored = await client.hgetall(globalKeys(config.REDIS_KEY_PREFIX).alertThresholds);
  const values = defaults(config);
  const overridden = Object.fromEntries(ALERTS.map((a) => [a.id, false])) as Record<AlertId, boolean>;
  for (const a of ALERTS) {
    const raw = stored[a.id];
    if (raw === undefined) continue;
    // A stored value that no longer validates (e.g. a range tightened) is ignored, not trusted.
    const parsed = thresholdSchema(a).safeParse(Number(raw));
    if (parsed.success) {
      values[a.id] = parsed.data;
      overridden[a.id] = true;
    }
  }
  return { values, overridden };
}

/** Validates and stores one threshold. Unknown id → NOT_FOUND; out of range → INVALID_INPUT. */
export async function setThreshold(
  client: RedisClient,
  id: string,
  value: unknown,
  config: Config = getConfig(),
): Promise<{ id: AlertId; value: number; previous: number }> {
  if (!isAlertId(id))
    throw new AlertError("NOT_FOUND", `No alert "${id}"; known: ${ALERTS.map((a) => a.id).join(", ")}`);
  const parsed = thresholdSchema(alertDefinition(id)).safeParse(value);
  if (!parsed.success) throw new AlertError("INVALID_INPUT", parsed.error.issues[0].message);
  const previous = (await getThresholds(client, config)).values[id];
  await client.hset(globalKeys(config.REDIS_KEY_PREFIX).alertThresholds, id, String(parsed.data));
  return { id, value: parsed.data, previous };
}

/** Forgets an override: the threshold goes back to the environment's default. */
export async function resetThreshold(client: RedisClient, id: string, config: Config = getConfig()) {
  if (!isAlertId(id)) throw new AlertError("NOT_FOUND", `No alert "${id}"`);
  await client.hdel(globalKeys(config.REDIS_KEY_PREFIX).alertThresholds, id);
}

export interface WebhookSetting {
  /** The URL in effect, or null when none is set. */
  url: string | null;
  source: "stored" | "environment" | "none";
}

export async function getWebhook(client: RedisClient, config: Config = getConfig()): Promise<WebhookSetting> {
  const stored = await client.hget(globalKeys(config.REDIS_KEY_PREFIX).alertThresholds, WEBHOOK_FIELD);
  if (stored && webhookUrlSchema.safeParse(stored).success) return { url: stored, source: "stored" };
  if (config.ALERT_WEBHOOK_URL) return { url: config.ALERT_WEBHOOK_URL, source: "environment" };
  return { url: null, source: "none" };
}

/** Stores the webhook URL (validated: http or https only); null removes the stored one. */
export async function setWebhook(
  client: RedisClient,
  url: string | null,
  config: Config = getConfig(),
): Promise<WebhookSetting> {
  const key = globalKeys(config.REDIS_KEY_PREFIX).alertThresholds;
  if (url === null || url.trim() === "") {
    await client.hdel(key, WEBHOOK_FIELD);
  } else {
    const parsed = webhookUrlSchema.safeParse(url);
    if (!parsed.success) throw new AlertError("INVALID_INPUT", parsed.error.issues[0].message);
    await client.hset(key, WEBHOOK_FIELD, parsed.data);
  }
  return getWebhook(client, config);
}

/**
 * The alerts (README "Configuration", ALERT_*), as data: what each measures, which way
 * it fires, its default threshold (from the environment) and the range an admin may set.
 *
 * Values are stored and compared in the same unit the environment uses: ratios are 0..1
 * (0.9 = 90 %), dead-letter ages are hours, cache latency is milliseconds, queue latency seconds. The console shows ratios as percent.
 */
import { z } from "zod";
import type { Config } from "../config.ts";

export const ALERT_IDS = [
  "dlq_size",
  "retry_success_rate",
  "avg_retries",
  "dlq_oldest_age",
  "dlq_near_cap",
  "cache_hit_rate",
  "redis_memory",
  "eviction_rate",
  "cache_latency",
  "queue_latency",
] as const;

export type AlertId = (typeof ALERT_IDS)[number];
export type Comparator = ">" | "<";
export type AlertUnit = "count" | "ratio" | "retries" | "hours" | "ms" | "seconds";

export interface AlertDefinition {
  id: AlertId;
  label: string;
  group: "queue" | "cache";
  comparator: Comparator;
  unit: AlertUnit;
  /** How the current value is measured, in one sentence (shown in the console and docs). */
  measures: string;
  /** The variable holding the default threshold. */
  configKey: keyof Config;
  /** The range an admin may set: outside it the threshold is refused with a message. */
  min: number;
  max: number;
  integer?: boolean;
}

export const ALERTS: readonly AlertDefinition[] = [
  {
    id: "dlq_size",
    label: "DLQ size",
    group: "queue",
    comparator: ">",
    unit: "count",
    measures: "Dead letters in the largest dead letter queue, now.",
    configKey: "ALERT_DLQ_SIZE",
    min: 0,
    max: 100_000_000,
    integer: true,
  },
  {
    id: "retry_success_rate",
    label: "Retry success rate",
    group: "queue",
    comparator: "<",
    unit: "ratio",
    measures:
      "Of the jobs that needed a retry and finished in the window, the share that succeeded rather than dying.",
    configKey: "ALERT_RETRY_SUCCESS_RATE",
    min: 0,
    max: 1,
  },
  {
    id: "avg_retries",
    label: "Average retries per message",
    group: "queue",
    comparator: ">",
    unit: "retries",
    measures: "Retries scheduled in the window divided by the jobs that finished (completed or dead) in it.",
    configKey: "ALERT_AVG_RETRIES",
    min: 0,
    max: 1000,
  },
  {
    id: "dlq_oldest_age",
    label: "Oldest dead letter",
    group: "queue",
    comparator: ">",
    unit: "hours",
    measures: "Age of the oldest dead letter in any queue, now.",
    configKey: "ALERT_DLQ_OLDEST_HOURS",
    min: 0,
    max: 24 * 365,
  },
  {
    id: "dlq_near_cap",
    label: "DLQ near its cap",
    group: "queue",
    comparator: ">",
    unit: "ratio",
    measures:
      "With DLQ_MAX_ENTRIES set: the fullest DLQ's size plus what the cap dropped from it in the window, divided by the cap (no value without a cap). It fires before the cap drops anything, and on every drop.",
    configKey: "ALERT_DLQ_NEAR_CAP",
    min: 0,
    max: 1,
  },
  {
    id: "cache_hit_rate",
    label: "Cache hit rate",
    group: "cache",
    comparator: "<",
    unit: "ratio",
    measures: "Hits (fresh or stale) divided by all lookups of every namespace in the window.",
    configKey: "ALERT_CACHE_HIT_RATE",
    min: 0,
    max: 1,
  },
  {
    id: "redis_memory",
    label: "Redis memory",
    group: "cache",
    comparator: ">",
    unit: "ratio",
    measures: "used_memory divided by maxmemory at the latest sample (no value when maxmemory is 0).",
    configKey: "ALERT_REDIS_MEMORY",
    min: 0,
    max: 1,
  },
  {
    id: "eviction_rate",
    label: "Eviction rate",
    group: "cache",
    comparator: ">",
    unit: "ratio",
    measures: "Keys Redis evicted in the window divided by the cache misses (each fills the cache) in it.",
    configKey: "ALERT_EVICTION_RATE",
    min: 0,
    max: 1,
  },
  {
    id: "cache_latency",
    label: "Cache operation latency (p99)",
    group: "cache",
    comparator: ">",
    unit: "ms",
    measures: "The 99th percentile of cache call latency in the window, of the slowest namespace.",
    configKey: "ALERT_CACHE_LATENCY_MS",
    min: 0,
    max: 60_000,
  },
  {
    id: "queue_latency",
    label: "Queue latency (oldest waiting job)",
    group: "queue",
    comparator: ">",
    unit: "seconds",
    measures:
      "How long the job next in line has waited since it became ready to run, in the most backed-up queue, now.",
    configKey: "ALERT_QUEUE_LATENCY_SECONDS",
    min: 0,
    max: 7 * 86_400,
  },
];

const byId = new Map(ALERTS.map((a) => [a.id, a]));

export function isAlertId(id: string): id is AlertId {
  return byId.has(id as AlertId);
}

export function alertDefinition(id: AlertId): AlertDefinition {
  return byId.get(id)!;
}

/** The zod schema of one alert's threshold, with its range in the message. */
export function thresholdSchema(def: AlertDefinition) {
  const range = `between ${def.min} and ${def.max}`;
  let n = z.number({ error: `${def.label}: the threshold must be a number ${range}` }).finite();
  if (def.integer) n = n.int({ error: `${def.label}: the threshold must be a whole number` });
  return n.min(def.min, { error: `${def.label}: the threshold must be ${range}` }).max(def.max, {
    error:
      def.unit === "ratio"
        ? `${def.label}: the threshold is a ratio ${range} (0.9 = 90 %)`
        : `${def.label}: the threshold must be ${range}`,
  });
}

/** Whether a value breaches a threshold. No value (no data in the window) never fires. */
export function breaches(comparator: Comparator, value: number | null, threshold: number): boolean {
  if (value === null || !Number.isFinite(value)) return false;
  return comparator === ">" ? value > threshold : value < threshold;
}

/** "87.5 %", "3 h", "12", "4.2 ms": one formatting for the console, history and webhooks. */
export function formatAlertValue(unit: AlertUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "no data";
  const round = (v: number, digits: number) => Number(v.toFixed(digits)).toString();
  switch (unit) {
    case "ratio":
      return `${round(value * 100, 1)} %`;
    case "hours":
      return `${round(value, 1)} h`;
    case "ms":
      return `${round(value, 2)} ms`;
    case "seconds":
      return `${round(value, 1)} s`;
    case "retries":
      return round(value, 2);
    default:
      return String(Math.round(value));
  }
}

/** The shapes lib/alerts hands to the console, the API, the worker and webhooks. */
import type { AlertDefinition, AlertId, Comparator } from "./definitions.ts";

export type AlertState = "ok" | "firing";

/** Current metric values; null means "no data in the window" (never fires). */
export type AlertValues = Record<AlertId, number | null>;

/** One alert as the console lists it: its definition (less the variable name) and its state. */
export interface AlertStatus extends Omit<AlertDefinition, "configKey" | "integer"> {
  threshold: number;
  /** The environment's default, and whether an admin changed it. */
  defaultThreshold: number;
  overridden: boolean;
  integer: boolean;
  /** The value at the last evaluation (null: no data), and when that was (ms). */
  value: number | null;
  evaluatedAt: number | null;
  state: AlertState;
  /** ms: when the alert entered its current state. */
  since: number | null;
}

/** A change of state, as recorded in the history and sent to the webhook. */
export interface AlertTransition {
  id: AlertId;
  label: string;
  from: AlertState;
  to: AlertState;
  at: number;
  value: number | null;
  threshold: number;
  comparator: Comparator;
  valueText: string;
  thresholdText: string;
}

export interface AlertHistoryEntry extends AlertTransition {
  /** The webhook call this transition made, if a webhook was set (its host only: paths hold secrets). */
  webhook?: { host: string; ok: boolean; status?: number; error?: string };
}

/**
 * Validation of command-line values with zod: each parser returns the typed value or throws a
 * usage error (exit 2) naming the option and what it expects, e.g.
 *   --limit must be an integer between 1 and 1000, got "lots"
 */
import { z } from "zod";
import { jobIdSchema } from "../../lib/dlq/schemas.ts";
import { isValidQueueName } from "../../lib/redis/keys.ts";
import { usageError } from "./errors.ts";

function check<T>(schema: z.ZodType<T>, raw: unknown, what: string, expected: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw usageError(`${what} must be ${expected}, got ${JSON.stringify(raw)}`);
  return r.data;
}

export function intOpt(raw: string | undefined, what: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const schema = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
  return check(schema, raw, what, `an integer between ${min} and ${max}`);
}

export function ratioOpt(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const schema = z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(0).max(1));
  return check(schema, raw, what, "a ratio between 0 and 1 (0.9 = 90 %)");
}

export function queueName(raw: string, what = "queue"): string {
  if (!isValidQueueName(raw)) {
    throw usageError(
      `${what} must be letters, digits, '_', '.', ':' or '-' (1-64 characters), got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "1500ms", "30s", "5m", "2h", "7d", or a bare number of seconds → milliseconds. */
export function durationMs(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!m)
    throw usageError(`${what} must be a duration like 30s, 5m, 2h or 1500ms, got ${JSON.stringify(raw)}`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? "s"]);
}

/**
 * A point in time: an ISO date ("2026-11-27", "2026-11-27T08:00:00Z"), epoch milliseconds, or a
 * duration meaning that long ago ("90m", "2h", "1d").
 */
export function timeOpt(raw: string | undefined, what: string, now = Date.now()): number | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (/^\d{12,}$/.test(v)) return Number(v);
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(v)) return now - (durationMs(v, what) ?? 0);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  throw usageError(
    `${what} must be an ISO time (2026-11-27T08:00:00Z), epoch ms, or an age like 2h, got ${JSON.stringify(raw)}`,
  );
}

export type Role = "admin" | "viewer";
/** A token may also be a producer: it may only add jobs (docs/access.md). */
export type TokenRole = Role | "producer";

export function role(raw: string | undefined, what = "--role"): Role {
  if (raw === undefined) throw usageError(`${what} is required: admin or viewer`);
  return check(z.enum(["admin", "viewer"]), raw, what, "admin or viewer");
}

export function tokenRole(raw: string | undefined, what = "--role"): TokenRole {
  if (raw === undefined) throw usageError(`${what} is required: admin, viewer or producer`);
  return check(z.enum(["admin", "viewer", "producer"]), raw, what, "admin, viewer or producer");
}

/** A JSON payload given on the command line or stdin. */
export function jsonPayload(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw usageError(
      `the payload (${where}) is not valid JSON: ${why}`,
      "e.g. requeue enqueue documents '{\"documentId\": 42}'",
    );
  }
}

export function email(raw: string): string {
  return check(z.email(), raw.trim(), "email", "an email address");
}

export function jobId(raw: string, what = "id"): string {
  return check(jobIdSchema, raw, what, "1-256 characters without control characters");
}

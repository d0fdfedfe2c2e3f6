/**
 * Field masking for viewers: payload fields whose names are in MASK_FIELDS (case-insensitive,
 * at any depth, inside arrays too) are replaced by "•••" before the value leaves the server.
 * Admins see payloads as they are. Pure: returns a copy, never changes the input.
 */
import { getConfig } from "../config.ts";

export const MASK = "•••";

export function maskFields<T>(value: T, fields: readonly string[] = getConfig().MASK_FIELDS): T {
  const names = new Set(fields.map((f) => f.toLowerCase()));
  if (names.size === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 64 || v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = names.has(k.toLowerCase()) && x !== null && x !== undefined ? MASK : walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}

/** Masks only for viewers: the one call sites use with a principal's role. */
export function maskForRole<T>(value: T, role: string, fields?: readonly string[]): T {
  return role === "admin" ? value : maskFields(value, fields);
}

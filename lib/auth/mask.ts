/**
 * Field masking for viewers: payload fields whose names are in MASK_FIELDS (case-insensitive,
 * at any depth, inside arrays too) are replaced by "•••" before the value leaves the server.
 * Admins see payloads as they are. Pure: returns a copy, never changes the input.
 * A string holding a JSON object or array (a payload kept as text) is masked inside and stays a string.
 */
import { getConfig } from "../config.ts";

export const MASK = "•••";

export function maskFields<T>(value: T, fields: readonly string[] = getConfig().MASK_FIELDS): T {
  const names = new Set(fields.map((f) => f.toLowerCase()));
  if (names.size === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string" && depth <= 64) return maskJsonText(v, (x) => walk(x, depth + 1));
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

function maskJsonText(text: string, mask: (v: unknown) => unknown): string {
  const t = text.trimStart();
  if (!(t.startsWith("{") || t.startsWith("["))) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    const masked = mask(parsed);
    return JSON.stringify(masked) === JSON.stringify(parsed) ? text : JSON.stringify(masked);
  } catch {
    return text;
  }
}

/** Masks only for viewers: the one call sites use with a principal's role. */
export function maskForRole<T>(value: T, role: string, fields?: readonly string[]): T {
  return role === "admin" ? value : maskFields(value, fields);
}

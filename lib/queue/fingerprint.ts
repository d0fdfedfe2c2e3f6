/**
 * Error fingerprints: identical failures group together in the DLQ whatever their ids.
 *
 * fingerprint = first 16 hex of SHA-1( name \n normalised message \n top stack frame ), where
 * the message has UUIDs, hex strings, long ids and numbers replaced by placeholders and the
 * frame loses its line:column. Pure. The Lua scripts compute the same formula with
 * redis.sha1hex for the failures they record themselves (an expired lease).
 */
import { createHash } from "node:crypto";

export interface FingerprintParts {
  name: string;
  message: string;
  topFrame: string;
}

/** Replaces what varies between occurrences of the same failure. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>")
    .replace(/\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}\b/g, "<id>")
    .replace(/\d+(\.\d+)?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 500);
}

/** The first "at …" line of a stack, without line and column numbers. */
export function topFrame(stack: string | undefined): string {
  if (!stack) return "";
  const line = stack.split("\n").find((l) => /^\s*at\s/.test(l));
  if (!line) return "";
  return line
    .trim()
    .replace(/^at\s+/, "")
    .replace(/:\d+:\d+\)?$/, (m) => (m.endsWith(")") ? ")" : ""))
    .replace(/\?[^\s)]*/, "")
    .slice(0, 300);
}

export function fingerprintParts(name: string, message: string, stack?: string): FingerprintParts {
  return { name: name || "Error", message: normalizeMessage(message), topFrame: topFrame(stack) };
}

export function fingerprintOf(parts: FingerprintParts): string {
  return createHash("sha1")
    .update(`${parts.name}\n${parts.message}\n${parts.topFrame}`)
    .digest("hex")
    .slice(0, 16);
}

/** Shortcut: the fingerprint of an error's name, message and stack. */
export function fingerprint(name: string, message: string, stack?: string): string {
  return fingerprintOf(fingerprintParts(name, message, stack));
}

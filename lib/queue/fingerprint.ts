/**
 * Error fingerprints: identical failures group together in the DLQ whatever their ids.
 *
 * fingerprint = first 16 hex of SHA-1( name \n normalised message \n top stack frame ), where
 * the message has UUIDs, hex strings, long ids and numbers replaced by placeholders and the
 * frame loses its line:column. Pure. The Lua scripts compute the same formula with
 * redis.sha1hex for the failures they record themselves (an expired lease).
 */
import { createHash } from "node:crypto";
import { memo } from "./memo.ts";

export interface FingerprintParts {
  name: string;
  message: string;
  topFrame: string;
}

/**
 * Characters of a message normalised: what fits in the 500 kept, with room for ids that shrink
 * to placeholders. Every pattern below is bounded and linear (the message is job-controlled).
 */
const NORMALIZE_INPUT_MAX = 4000;

/** A run of id characters is an id when it holds a digit and, without its edge dashes, 16+ characters. */
function idRun(run: string): string {
  let from = 0;
  let to = run.length;
  while (run[from] === "-") from++;
  while (to > from && run[to - 1] === "-") to--;
  if (to - from < 16 || !/\d/.test(run)) return run;
  return `${run.slice(0, from)}<id>${run.slice(to)}`;
}

/** Replaces what varies between occurrences of the same failure. */
export function normalizeMessage(message: string): string {
  return (
    message
      .slice(0, NORMALIZE_INPUT_MAX)
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
      .replace(/\b0x[0-9a-f]{1,4000}\b/gi, "<hex>")
      .replace(/\b(?=[0-9a-f]{0,4000}\d)(?=[0-9a-f]{0,4000}[a-f])[0-9a-f]{8,4000}\b/gi, "<hex>")
      // (each run of id characters once: a lookahead from every word start rescanned "a-a-a-…")
      .replace(/[A-Za-z0-9_-]{16,4000}/g, idRun)
      .replace(/\d{1,4000}(\.\d{1,4000})?/g, "<n>")
      .replace(/\s{1,4000}/g, " ")
      .trim()
      .slice(0, 500)
  );
}

/** The first of the first 1000 lines that is an "at …" frame, found without splitting the whole stack. */
function firstFrameLine(stack: string): string | undefined {
  let from = 0;
  for (let n = 0; n < 1000 && from <= stack.length; n++) {
    const end = stack.indexOf("\n", from);
    const line = stack.slice(from, end === -1 ? stack.length : end);
    if (/^\s{0,16}at\s/.test(line)) return line;
    if (end === -1) return undefined;
    from = end + 1;
  }
  return undefined;
}

/** The first "at …" line of a stack, without line and column numbers. */
export function topFrame(stack: string | undefined): string {
  if (!stack) return "";
  const line = firstFrameLine(stack);
  if (!line) return "";
  return line
    .slice(0, 1000)
    .trim()
    .replace(/^at\s{1,16}/, "")
    .replace(/:\d{1,10}:\d{1,10}\)?$/, (m) => (m.endsWith(")") ? ")" : ""))
    .replace(/\?[^\s)]{0,1000}/, "")
    .slice(0, 300);
}

export function fingerprintParts(name: string, message: string, stack?: string): FingerprintParts {
  return { name: name || "Error", message: normalizeMessage(message), topFrame: topFrame(stack) };
}

/**
 * Failures that differ in ids and numbers share their normalised parts, so the hash of those
 * repeats even when the raw texts do not: remembered (bounded), one SHA-1 per distinct group.
 */
const hashOf = memo(1000, (text) => createHash("sha1").update(text).digest("hex").slice(0, 16));

export function fingerprintOf(parts: FingerprintParts): string {
  return hashOf(`${parts.name}\n${parts.message}\n${parts.topFrame}`);
}

/** Shortcut: the fingerprint of an error's name, message and stack. */
export function fingerprint(name: string, message: string, stack?: string): string {
  return fingerprintOf(fingerprintParts(name, message, stack));
}

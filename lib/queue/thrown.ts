/**
 * Whatever a handler throws, as bounded text: name, message and stack frames, each cut to its
 * stored bound (plus a margin) BEFORE any pattern runs over it. A handler's error is input the
 * job controls — a 30 KB message once kept a consumer's event loop in redact() for good (issue
 * 12) — and an odd thrown value (a circular object, a throwing getter, null) must be recorded,
 * not crash the consumer's fail path.
 */
import { relativeFramePaths } from "./frame-paths.ts";
import { memo } from "./memo.ts";
import { clip } from "./redact.ts";

/** Stack frames kept per attempt error. */
export const MAX_STACK_FRAMES = 15;
/** Characters kept of each stack frame (the fingerprint reads 300 of the top one). */
export const STACK_LINE_MAX = 300;
/** Characters kept of an error's name. */
export const NAME_MAX = 200;
/**
 * How far past a bound the text is read: redaction runs on the cut text, and a secret that
 * straddles the bound is still recognised whole before the stored text is cut at the bound.
 */
export const CUT_MARGIN = 192;

export interface ThrownText {
  name: string;
  /** at most messageMax + CUT_MARGIN characters */
  message: string;
  /** up to MAX_STACK_FRAMES "at …" lines, each at most STACK_LINE_MAX + CUT_MARGIN characters */
  frames?: string;
}

/** `get()`, or `fallback` when it throws (a hostile getter, a toString that throws). */
export function tryOr<T>(get: () => T, fallback: T): T {
  try {
    return get();
  } catch {
    return fallback;
  }
}

const asText = (v: unknown): string => (typeof v === "string" ? v : tryOr(() => String(v), "(unprintable)"));

/** JSON of a thrown non-Error, with long strings cut and no more than about `max` characters read. */
function jsonOf(v: unknown, max: number): string {
  let budget = max;
  const json = tryOr(
    () =>
      JSON.stringify(v, (_key, x: unknown) => {
        if (budget <= 0) return undefined;
        budget -= typeof x === "string" ? Math.min(x.length, max) : 8;
        return typeof x === "string" ? clip(x, max) : x;
      }),
    undefined,
  );
  return json ?? asText(v);
}

/** The "at …" lines after the stack's header, from a bounded window of the stack. */
function framesOf(stack: string, header: string): string | undefined {
  // V8 writes "Name: message" (maybe megabytes), then the frames: skip the header, or when it
  // changed after the error was made, jump to the first frame.
  const start = stack.startsWith(header) ? header.length : Math.max(0, stack.indexOf("\n    at "));
  return framesIn(stack.slice(start, start + MAX_STACK_FRAMES * (STACK_LINE_MAX + CUT_MARGIN + 1) * 2));
}

/**
 * The frames of a window, remembered: the window holds no message, and a code path that throws
 * again gives the same frames. "" when there are none. The paths are made relative to the
 * working directory at the first sight of a window (frame-paths.ts): no server path is ever stored.
 */
const framesIn = memo(500, (window) => {
  const lines: string[] = [];
  for (const line of window.split("\n")) {
    if (!/^\s{1,16}at\s/.test(line)) continue;
    lines.push(clip(line.trimStart(), STACK_LINE_MAX + CUT_MARGIN).trimEnd());
    if (lines.length === MAX_STACK_FRAMES) break;
  }
  return lines.length > 0 ? relativeFramePaths(lines.join("\n")) : "";
});

/** A thrown value's name, message and frames, cut as described above. */
export function describeThrown(err: unknown, messageMax: number): ThrownText {
  const max = messageMax + CUT_MARGIN;
  if (tryOr(() => err instanceof Error, false)) {
    const e = err as Error;
    const name = clip(asText(tryOr(() => e.name, "") || "Error"), NAME_MAX);
    const message = asText(tryOr(() => e.message, ""));
    const stack = tryOr(() => e.stack, undefined);
    const header = message ? `${name}: ${message}` : name;
    return {
      name,
      message: clip(message, max),
      frames: (typeof stack === "string" && framesOf(stack, header)) || undefined,
    };
  }
  const message =
    typeof err === "object" && err !== null && tryOr(() => "message" in err, false)
      ? asText(tryOr(() => (err as { message: unknown }).message, ""))
      : typeof err === "string"
        ? err
        : jsonOf(err, max);
  return { name: "NonError", message: clip(message, max) };
}

/**
 * What a handler's outcome becomes in Redis. A thrown value is turned into an attempt error —
 * name, message (redacted, cut to ERROR_MESSAGE_MAX_LENGTH), stack frames (redacted, bounded),
 * attempt, time, consumer — plus the fingerprint of the failure, the reason (failed,
 * unrecoverable, corrupt) and the backoff delay, as the 9 ARGV entries per job of fail-10.lua.
 */
import { retryDelay } from "./backoff.ts";
import { UnrecoverableError } from "./errors.ts";
import { type FingerprintParts, fingerprintOf, fingerprintParts } from "./fingerprint.ts";
import { clip, REDACT_INPUT_MAX, redact } from "./redact.ts";
import { CUT_MARGIN, describeThrown, STACK_LINE_MAX, tryOr } from "./thrown.ts";
import type { DeadReason } from "./types.ts";

/** A failure that is not the handler's: the stored payload could not be parsed. */
export class CorruptJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptJob";
  }
}

/** The largest ERROR_MESSAGE_MAX_LENGTH that redaction reads whole, with the margin. */
export const MESSAGE_MAX_LIMIT = REDACT_INPUT_MAX - CUT_MARGIN;

export interface LeasedAttempt {
  id: string;
  attempt: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * Redaction is the costly part of recording a failure (many regular expressions over a stack),
 * and failures repeat: the same text is redacted once, then remembered (bounded).
 */
const redacted = new Map<string, string>();
function redactCached(text: string): string {
  let out = redacted.get(text);
  if (out === undefined) {
    if (redacted.size >= 1000) redacted.clear();
    out = redact(text);
    redacted.set(text, out);
  }
  return out;
}

const fingerprints = new Map<string, { parts: FingerprintParts; fp: string }>();
/** Fingerprint of a failure (remembered like redaction); the top frame comes from the kept frames. */
function fingerprinted(name: string, message: string, stack: string | undefined) {
  const key = `${name}\n${message}\n${stack ?? ""}`;
  let hit = fingerprints.get(key);
  if (!hit) {
    if (fingerprints.size >= 1000) fingerprints.clear();
    const parts = fingerprintParts(name, message, stack && `\n    ${stack}`);
    hit = { parts, fp: fingerprintOf(parts) };
    fingerprints.set(key, hit);
  }
  return hit;
}

/** Redacted frames, each cut to STACK_LINE_MAX after redaction (which saw the margin too). */
function frames(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  return redactCached(raw)
    .split("\n")
    .map((l) => clip(l, STACK_LINE_MAX))
    .join("\n");
}

function reasonOf(err: unknown): DeadReason {
  if (err instanceof CorruptJobError) return "corrupt";
  const name = tryOr(() => (err as Error | undefined)?.name, undefined); // a getter may throw
  if (err instanceof UnrecoverableError || name === "UnrecoverableError") return "unrecoverable";
  return "failed";
}

/** The 9 ARGV entries of fail-10.lua for one failed attempt. */
export function failureArgs(
  job: LeasedAttempt,
  err: unknown,
  consumer: string,
  messageMax: number,
  random: () => number = Math.random,
): (string | number)[] {
  // Every text is cut to its bound before any pattern runs over it (thrown.ts).
  const max = Math.max(1, Math.min(messageMax, MESSAGE_MAX_LIMIT));
  const d = describeThrown(err, max);
  const name = redactCached(d.name);
  const message = redactCached(d.message);
  const stack = frames(d.frames);
  const { parts, fp } = fingerprinted(name, message, stack);
  const reason = reasonOf(err);
  const delay =
    reason === "failed" ? retryDelay(job.attempt, job.backoffBaseMs, job.backoffMaxMs, 0.2, random) : -1;
  const record = JSON.stringify({
    attempt: job.attempt,
    name,
    message: message.length > max ? `${clip(message, max - 1)}…` : message,
    stack,
    at: Date.now(),
    consumer,
  });
  return [job.id, job.attempt, record, delay, reason, fp, name, parts.message, parts.topFrame];
}

/**
 * What a handler's outcome becomes in Redis. A thrown value is turned into an attempt error —
 * name, message (redacted, cut to ERROR_MESSAGE_MAX_LENGTH), stack frames (redacted, bounded),
 * attempt, time, consumer — plus the fingerprint of the failure, the reason (failed,
 * unrecoverable, corrupt) and the backoff delay, as the 9 ARGV entries per job of fail-10.lua.
 */
import { retryDelay } from "./backoff.ts";
import { UnrecoverableError } from "./errors.ts";
import { type FingerprintParts, fingerprintOf, fingerprintParts } from "./fingerprint.ts";
import { redact } from "./redact.ts";
import type { DeadReason } from "./types.ts";

/** Stack frames kept per attempt error. */
export const MAX_STACK_FRAMES = 15;

/** A failure that is not the handler's: the stored payload could not be parsed. */
export class CorruptJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptJob";
  }
}

export interface LeasedAttempt {
  id: string;
  attempt: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

function describeError(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name || "Error", message: err.message, stack: err.stack };
  if (typeof err === "object" && err !== null && "message" in err)
    return { name: "NonError", message: String((err as { message: unknown }).message) };
  return { name: "NonError", message: typeof err === "string" ? err : (JSON.stringify(err) ?? String(err)) };
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

/** Frames only ("at …" lines, redacted, bounded): the message is stored on its own. */
function frames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const lines = stack.split("\n").filter((l) => /^\s+at\s/.test(l));
  if (lines.length === 0) return undefined;
  return redactCached(
    lines
      .slice(0, MAX_STACK_FRAMES)
      .map((l) => l.trim())
      .join("\n"),
  );
}

export function reasonOf(err: unknown): DeadReason {
  if (err instanceof CorruptJobError) return "corrupt";
  if (err instanceof UnrecoverableError || (err as Error | undefined)?.name === "UnrecoverableError")
    return "unrecoverable";
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
  const d = describeError(err);
  const message = redactCached(d.message);
  const stack = frames(d.stack);
  const { parts, fp } = fingerprinted(d.name, message, stack);
  const reason = reasonOf(err);
  const delay =
    reason === "failed" ? retryDelay(job.attempt, job.backoffBaseMs, job.backoffMaxMs, 0.2, random) : -1;
  const record = JSON.stringify({
    attempt: job.attempt,
    name: d.name,
    message: message.length > messageMax ? `${message.slice(0, messageMax - 1)}…` : message,
    stack,
    at: Date.now(),
    consumer,
  });
  return [job.id, job.attempt, record, delay, reason, fp, d.name, parts.message, parts.topFrame];
}

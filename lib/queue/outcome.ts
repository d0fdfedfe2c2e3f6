/**
 * What a handler's outcome becomes in Redis. A success is the job's id and attempt (a JobRef). A
 * thrown value becomes a Failure: the attempt error — name, message (redacted, cut to
 * ERROR_MESSAGE_MAX_LENGTH), stack frames (redacted, bounded), attempt, time, consumer — plus the
 * fingerprint of the failure, and the reason and backoff delay (the retry decision, retry.ts).
 * `failArgs` and `completeArgs` write them as the ARGV of fail-10.lua and complete-5.lua.
 */
import { type FingerprintParts, fingerprintOf, normalizeMessage, topFrame } from "./fingerprint.ts";
import { memo } from "./memo.ts";
import { clip, REDACT_INPUT_MAX, redact } from "./redact.ts";
import { retryPlan } from "./retry.ts";
import { CUT_MARGIN, describeThrown, STACK_LINE_MAX } from "./thrown.ts";
import type { DeadReason } from "./types.ts";

/** The largest ERROR_MESSAGE_MAX_LENGTH that redaction reads whole, with the margin. */
export const MESSAGE_MAX_LIMIT = REDACT_INPUT_MAX - CUT_MARGIN;

/** One lease of a job: the scripts accept an outcome only for this id at this attempt. */
export interface JobRef {
  id: string;
  attempt: number;
}

/** A failed attempt, as fail-10.lua stores it. */
export interface Failure extends JobRef {
  /** the AttemptError appended to the job's errors (JSON, first key "attempt") */
  record: string;
  /** ms until the retry; -1: no retry (dead letter) */
  delay: number;
  reason: DeadReason;
  /** the error's name; the fingerprint and what its group shows (normalised message, top frame) */
  name: string;
  fp: string;
  group: FingerprintParts;
}

/** A handler that succeeded: its lease, and how long the handler ran (ms) for the histogram. */
export interface Completion extends JobRef {
  ms: number;
}

/** ARGV of extend and release: id, attempt per job. */
export const refArgs = (refs: JobRef[]): (string | number)[] => refs.flatMap((r) => [r.id, r.attempt]);

/** ARGV of complete-5.lua: id, attempt, handler ms per job. */
export const completeArgs = (done: Completion[]): (string | number)[] =>
  done.flatMap((c) => [c.id, c.attempt, c.ms]);

/** ARGV of fail-10.lua: 9 entries per failure, in the script header's order (pushed: no array per failure). */
export function failArgs(failures: Failure[]): (string | number)[] {
  const args: (string | number)[] = [];
  for (const f of failures)
    args.push(f.id, f.attempt, f.record, f.delay, f.reason, f.fp, f.name, f.group.message, f.group.topFrame);
  return args;
}

/**
 * Redaction is the costly part of recording a failure (many regular expressions over a text),
 * and failures repeat: the same text is redacted once, then remembered (bounded, memo.ts).
 */
const redactCached = memo(1000, (text) => redact(text));

/** Redacted frames, each cut to STACK_LINE_MAX after redaction (which saw the margin too): remembered whole. */
const framesCached = memo(500, (raw) =>
  redact(raw)
    .split("\n")
    .map((l) => clip(l, STACK_LINE_MAX))
    .join("\n"),
);
const frames = (raw: string | undefined) => (raw ? framesCached(raw) : undefined);

/** The top frame of the kept frames, and a message normalised: both repeat, so both are remembered. */
const topFrameOf = memo(500, (stack) => topFrame(`\n    ${stack}`));
const normalized = memo(1000, normalizeMessage);
/** JSON of the texts that repeat in a record: the kept frames and the consumer id. */
const jsonCached = memo(500, (text) => JSON.stringify(text));

/**
 * Fingerprint of a failure. Varied ids make every message new, but its frames (and so the top
 * frame) repeat with the code path, and fingerprintOf hashes each normalised group once.
 */
function fingerprinted(name: string, message: string, stack: string | undefined) {
  const parts: FingerprintParts = {
    name: name || "Error",
    message: normalized(message),
    topFrame: stack ? topFrameOf(stack) : "",
  };
  return { parts, fp: fingerprintOf(parts) };
}

/** A failed attempt of `job` (what the handler threw is `err`), recorded by `consumer`. */
export function failureOf(
  job: JobRef & { backoffBaseMs: number; backoffMaxMs: number },
  err: unknown,
  consumer: string,
  messageMax: number,
  random: () => number = Math.random,
): Failure {
  // Every text is cut to its bound before any pattern runs over it (thrown.ts).
  const max = Math.max(1, Math.min(messageMax, MESSAGE_MAX_LIMIT));
  const d = describeThrown(err, max);
  const name = redactCached(d.name);
  const message = redactCached(d.message);
  const stack = frames(d.frames);
  const { parts, fp } = fingerprinted(name, message, stack);
  const { reason, delay } = retryPlan(err, job, random);
  const kept = message.length > max ? `${clip(message, max - 1)}…` : message;
  // What JSON.stringify({attempt, name, message, stack, at, consumer}) gives, key for key; the
  // stack's and the consumer's JSON repeat, so they are encoded once (remembered).
  const record =
    `{"attempt":${JSON.stringify(job.attempt)},"name":${JSON.stringify(name)},"message":${JSON.stringify(kept)}` +
    `${stack === undefined ? "" : `,"stack":${jsonCached(stack)}`},"at":${Date.now()},"consumer":${jsonCached(consumer)}}`;
  return { id: job.id, attempt: job.attempt, record, delay, reason, name, fp, group: parts };
}

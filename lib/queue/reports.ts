/**
 * Progress and log lines from running handlers (`job.progress()`, `job.log()`).
 *
 * A handler must not pay a round trip per call: the calls land in a ReportBuffer that the lease
 * loop (pump.ts) empties into one report-1.lua call per outcome pipeline — with the job's own
 * completion or failure when it ends soon, else after at most REPORT_FLUSH_MS. Progress is
 * coalesced to the latest value; lines are bounded per job (the newest JOB_LOG_MAX_LINES) before
 * they are sent. Every line is cut to its bound before redaction runs (as thrown.ts does for
 * errors), then cut again to JOB_LOG_MAX_LINE_BYTES. The script writes only while the job is
 * leased by this consumer at this attempt, so a stale consumer's reports are dropped.
 */
import { QueueError } from "./errors.ts";
import type { JobRef } from "./outcome.ts";
import { clip, redact } from "./redact.ts";
import { CUT_MARGIN } from "./thrown.ts";

/** Longest wait between a report and its write when no outcome pipeline goes first. */
export const REPORT_FLUSH_MS = 250;

/** One stored log line (JSON text in the job's logs list). */
export interface JobLogLine {
  /** ms, when job.log() was called */
  at: number;
  attempt: number;
  /** redacted, at most JOB_LOG_MAX_LINE_BYTES bytes */
  text: string;
}

export interface ReportLimits {
  logMaxLines: number;
  logLineMaxBytes: number;
  progressMaxBytes: number;
}

/** `text` cut to at most `max` UTF-8 bytes, with "…" when cut (never half a character). */
export function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const cut = Buffer.from(text)
    .subarray(0, Math.max(0, max - 3))
    .toString("utf8");
  return `${cut.replace(/\uFFFD$/, "")}…`;
}

/** The JSON text of a progress value, or a QueueError (INVALID_OPTION) thrown in the handler. */
export function progressJson(value: unknown, maxBytes: number): string {
  if (typeof value === "number") {
    if (!(Number.isFinite(value) && value >= 0 && value <= 100))
      throw new QueueError("INVALID_OPTION", `progress must be a number from 0 to 100, got ${value}`);
    return String(value);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new QueueError("INVALID_OPTION", "progress must be a number from 0 to 100 or a plain object");
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new QueueError("INVALID_OPTION", `progress is not JSON-serialisable: ${(err as Error).message}`);
  }
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes)
    throw new QueueError(
      "INVALID_OPTION",
      `progress is ${bytes} bytes as JSON, over the limit of ${maxBytes}`,
    );
  return json;
}

/** Redacts a progress object's JSON; a redaction that broke the JSON leaves it as a string. */
function redactProgress(json: string): string {
  const out = redact(json);
  if (out === json) return json;
  try {
    JSON.parse(out);
    return out;
  } catch {
    return JSON.stringify(out);
  }
}

/** A stored log line from what job.log() was given (already clipped to its bound + margin). */
export function logLineJson(raw: string, at: number, attempt: number, maxBytes: number): string {
  const line: JobLogLine = { at, attempt, text: cutToBytes(redact(raw), maxBytes) };
  return JSON.stringify(line);
}

interface Pending extends JobRef {
  progress?: string;
  lines: { at: number; raw: string }[];
  /** lines dropped here because more than logMaxLines waited */
  dropped: number;
}

/** Reports waiting for the lease loop's next pipeline, by job lease. */
export class ReportBuffer {
  private pending = new Map<string, Pending>();

  constructor(private readonly limits: ReportLimits) {}

  get size(): number {
    return this.pending.size;
  }

  private entry(ref: JobRef): Pending {
    const key = `${ref.attempt}\n${ref.id}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { id: ref.id, attempt: ref.attempt, lines: [], dropped: 0 };
      this.pending.set(key, p);
    }
    return p;
  }

  /** job.progress(): validated now (the handler sees a bad value), coalesced to the latest. */
  progress(ref: JobRef, value: unknown): void {
    this.entry(ref).progress = progressJson(value, this.limits.progressMaxBytes);
  }

  /** job.log(): kept bounded in memory; redaction waits for the flush. */
  log(ref: JobRef, text: unknown): void {
    const { logMaxLines, logLineMaxBytes } = this.limits;
    const p = this.entry(ref);
    const raw = typeof text === "string" ? text : String(text);
    p.lines.push({ at: Date.now(), raw: clip(raw, logLineMaxBytes + CUT_MARGIN) });
    if (p.lines.length > logMaxLines) {
      p.lines.shift();
      p.dropped++;
    }
  }

  /** Empties the buffer into the ARGV tail of report-1.lua (after consumer id and lines kept). */
  take(): (string | number)[] {
    const args: (string | number)[] = [];
    for (const p of this.pending.values()) {
      const lines = p.lines.map((l) => logLineJson(l.raw, l.at, p.attempt, this.limits.logLineMaxBytes));
      const progress = p.progress === undefined ? "" : redactProgress(p.progress);
      args.push(p.id, p.attempt, progress, p.dropped, lines.length, ...lines);
    }
    this.pending.clear();
    return args;
  }
}

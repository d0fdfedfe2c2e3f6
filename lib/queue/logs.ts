/**
 * Reading what a handler reported (reports.ts): a job's log lines, a page at a time, and its
 * progress. An admin read, off the consumer's hot path; the job page, the dead-letter page and
 * GET /api/v1/queues/{queue}/jobs/{id}/logs call it. The lines were redacted when written, so
 * any role that may see the job may read them. One script call (logs-2.lua) per page.
 */
import { RequeueError } from "../errors.ts";
import type { RedisClient } from "../redis/connection.ts";
import { isValidQueueName, queueKeys } from "../redis/keys.ts";
import type { JobLogLine } from "./reports.ts";
import { runScript } from "./scripts.ts";

export const LOG_PAGE_MAX = 500;
export const LOG_PAGE_DEFAULT = 100;

export interface NumberedLogLine extends JobLogLine {
  /** 1 for the job's first line ever written */
  n: number;
}

export interface JobLogsPage {
  lines: NumberedLogLine[];
  /** lines written in all (older ones beyond JOB_LOG_MAX_LINES are gone) */
  total: number;
  /** the number of the oldest line still kept */
  firstKept: number;
  /** pass as `cursor` for the lines after these (new ones, while the job runs) */
  next: string;
  /** more lines wait after this page now */
  more: boolean;
  /** the last job.progress() value, or null */
  progress: unknown;
}

const invalid = (what: string, problem: string) =>
  new RequeueError("INVALID_INPUT", `invalid ${what}: ${problem}`);

function parseLine(text: string, n: number): NumberedLogLine {
  try {
    const l = JSON.parse(text) as Partial<JobLogLine>;
    return { n, at: Number(l.at) || 0, attempt: Number(l.attempt) || 0, text: String(l.text ?? "") };
  } catch {
    return { n, at: 0, attempt: 0, text };
  }
}

/** The whole kept log list (LRANGE 0 -1, at most JOB_LOG_MAX_LINES) numbered, given `logn` of the job. */
export function numberedLines(texts: string[], total: number): NumberedLogLine[] {
  const first = total - texts.length + 1;
  return texts.map((t, i) => parseLine(t, first + i));
}

export function parseProgress(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A page of a job's log lines, oldest first, from `cursor` (a line number; default the oldest
 * kept). Throws NOT_FOUND when the queue has no job with this id (a completed job's logs are gone).
 */
export async function getJobLogs(
  client: RedisClient,
  queue: string,
  id: string,
  opts: { cursor?: string; limit?: number } = {},
): Promise<JobLogsPage> {
  if (!isValidQueueName(queue)) throw invalid("queue name", JSON.stringify(queue));
  if (id.length < 1 || id.length > 256) throw invalid("job id", "1 to 256 characters");
  const limit = opts.limit ?? LOG_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > LOG_PAGE_MAX)
    throw invalid("limit", `an integer from 1 to ${LOG_PAGE_MAX}`);
  const from = opts.cursor === undefined || opts.cursor === "" ? 1 : Number(opts.cursor);
  if (!/^\d{1,15}$/.test(opts.cursor ?? "1") || !(from >= 1)) throw invalid("cursor", "a line number from 1");
  const k = queueKeys(queue);
  const reply = await runScript<string[]>(client, "logs", [k.job(id), k.logs(id)], [from, limit]);
  if (reply.length === 0)
    throw new RequeueError(
      "NOT_FOUND",
      `job ${JSON.stringify(id)} not found in queue ${JSON.stringify(queue)}`,
    );
  const total = Number(reply[0]);
  const firstKept = Number(reply[1]);
  const start = Math.max(from, firstKept);
  const lines = reply.slice(3).map((text, i) => parseLine(text, start + i));
  const after = start + lines.length;
  return {
    lines,
    total,
    firstKept,
    next: String(after),
    more: after <= total,
    progress: parseProgress(reply[2]),
  };
}

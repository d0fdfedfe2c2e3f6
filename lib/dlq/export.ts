/**
 * Export of the dead letters a filter matches, as JSON (an array of full DeadLetters) or CSV
 * (one row per entry), streamed as an async generator of text chunks: one chunk per page, so
 * the console can pipe it into a download without holding the whole DLQ in memory.
 */
import type { DeadLetter } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { listDeadLetters } from "./list.ts";
import { getDeadLetters } from "./read.ts";
import { type DlqFilter, exportFormatSchema, filterSchema, parseInput } from "./schemas.ts";

export type ExportFormat = "json" | "csv";

const EXPORT_PAGE = 200;

const CSV_COLUMNS = [
  "queue",
  "id",
  "dead_at",
  "reason",
  "fingerprint",
  "attempts",
  "max_attempts",
  "error_name",
  "error_message",
  "payload",
];

/** A CSV cell: quoted, and a leading = + - @ neutralised so spreadsheets do not run it. */
function cell(v: unknown): string {
  let s = v === undefined || v === null ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

function csvRow(d: DeadLetter): string {
  const last = d.errors.at(-1);
  const payload = d.reason === "corrupt" ? String(d.payload) : JSON.stringify(d.payload);
  const values = [d.queue, d.id, new Date(d.deadAt).toISOString(), d.reason, d.fingerprint, d.attempts];
  return [...values, d.maxAttempts, last?.name, last?.message, payload].map(cell).join(",");
}

/** Full dead letters of each page, in list order, each passed through `view`. */
async function* pages(
  client: RedisClient,
  filter: DlqFilter,
  view: (d: DeadLetter) => DeadLetter,
): AsyncGenerator<DeadLetter[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listDeadLetters(client, filter, { limit: EXPORT_PAGE, cursor });
    const byQueue = new Map<string, string[]>();
    for (const s of page.items) byQueue.set(s.queue, [...(byQueue.get(s.queue) ?? []), s.id]);
    const full = (await Promise.all([...byQueue].map(([q, ids]) => getDeadLetters(client, q, ids)))).flat();
    const at = new Map(page.items.map((s, i) => [`${s.queue}\u0000${s.id}`, i]));
    yield full
      .sort((a, b) => (at.get(`${a.queue}\u0000${a.id}`) ?? 0) - (at.get(`${b.queue}\u0000${b.id}`) ?? 0))
      .map(view);
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/**
 * `view` turns each entry into what the reader may see: the console passes viewDeadLetter
 * (lib/dlq/view.ts) with the caller's role; code with its own Redis access reads entries as stored.
 */
export async function* exportDeadLetters(
  client: RedisClient,
  filter: DlqFilter,
  format: ExportFormat,
  view: (d: DeadLetter) => DeadLetter = (d) => d,
): AsyncGenerator<string> {
  const f = parseInput(filterSchema, filter, "filter");
  const fmt = parseInput(exportFormatSchema, format, "export format");
  if (fmt === "csv") {
    yield `${CSV_COLUMNS.join(",")}\n`;
    for await (const list of pages(client, f, view))
      if (list.length) yield `${list.map(csvRow).join("\n")}\n`;
    return;
  }
  let first = true;
  yield "[";
  for await (const list of pages(client, f, view)) {
    if (!list.length) continue;
    yield `${first ? "\n" : ",\n"}${list.map((d) => JSON.stringify(d)).join(",\n")}`;
    first = false;
  }
  yield "\n]\n";
}

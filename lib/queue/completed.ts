/**
 * The record a completed job leaves behind (its hash is deleted on completion): written by
 * complete-5.lua (lib/redis/lua/includes/completed.lua) into the queue's `done` hash as
 * "finished:durationMs:attempts:createdAt", followed by ":<bytes of meta>:<meta><payload>" with
 * COMPLETED_KEEP_PAYLOAD. Trimmed with the completed set (same retention and cap).
 */

export interface CompletedRecord {
  finishedAt: number;
  /** how long the last attempt ran; null when unknown (leased before this was recorded) */
  durationMs: number | null;
  attempts: number;
  createdAt: number | null;
  /** payload (JSON text) and metadata (JSON text, "" = none) when kept */
  kept?: { payload: string; meta: string };
}

const HEAD = /^(\d{1,16}):(-?\d{1,16}):(\d{1,10}):(\d{1,16})/;
const KEPT = /^:(\d{1,10}):/;

/** Parses a record (or its head alone); null when it is not one. */
export function parseCompletedRecord(text: string): CompletedRecord | null {
  const m = HEAD.exec(text);
  if (!m) return null;
  const duration = Number(m[2]);
  const created = Number(m[4]);
  const rec: CompletedRecord = {
    finishedAt: Number(m[1]),
    durationMs: duration >= 0 ? duration : null,
    attempts: Number(m[3]),
    createdAt: created > 0 ? created : null,
  };
  const rest = text.slice(m[0].length);
  const k = KEPT.exec(rest);
  if (k) {
    // lengths are bytes (Lua's #): cut the metadata out of the UTF-8 form
    const body = Buffer.from(rest.slice(k[0].length), "utf8");
    const metaBytes = Number(k[1]);
    rec.kept = {
      meta: body.subarray(0, metaBytes).toString("utf8"),
      payload: body.subarray(metaBytes).toString("utf8"),
    };
  }
  return rec;
}

/**
 * The audit log: who did what, to what, how many, with what outcome, from where, and when.
 *
 * One Redis stream (`rq:{auth}:audit`), appended with a single `XADD … MAXLEN ~ cap`: cheap
 * enough to call on every mutation, and bounded. The cap is AUDIT_MAX_ENTRIES (default 100,000;
 * Redis trims in whole nodes, so a few dozen more may remain). The stream id is the time and the
 * cursor. There is deliberately no edit or delete function: entries leave only by the cap.
 *
 *   await audit(principal, "dlq.requeue", { target: "documents", count: 1280, outcome: "ok" });
 *
 * What anyone can cause without signing in (failed sign-ins) and refused requests go to a second
 * log of their own (lib/auth/audit-refused.ts), so no flood of them pushes real history out.
 * `listAudit` reads either: `log: "main"` (the default) or `log: "refused"`.
 */
import { getConfig } from "../config.ts";
import { getRedis } from "../redis/connection.ts";
import { authKeys, type RedisClient, type StoreOptions } from "./types.ts";

export type AuditOutcome = "ok" | "error" | "denied" | "partial";

export interface AuditEntry {
  /** stream id, `<ms>-<seq>`: the cursor */
  id: string;
  at: number;
  actor: string;
  role: string;
  via: string;
  action: string;
  target: string;
  count: number | null;
  outcome: AuditOutcome;
  ip: string;
  detail: string;
}

/** Who acted: a Principal (app/_lib/principal.ts) fits, so do the CLI and the system. */
export interface AuditActor {
  id: string;
  name?: string;
  email?: string;
  role?: string;
  via?: string;
  ip?: string;
}

export interface AuditDetails {
  target?: string;
  count?: number;
  outcome?: AuditOutcome;
  ip?: string;
  /** a short free-text note, e.g. an error message; never secrets */
  detail?: string;
}

const MAX_TEXT = 500;
const cut = (s: string | undefined) => (s ?? "").slice(0, MAX_TEXT);

/** The stream fields of one entry (shared with the refused log). */
export function auditFields(actor: AuditActor | null, action: string, details: AuditDetails): string[] {
  return [
    "actor",
    cut(actor?.email ?? actor?.id ?? "system"),
    "role",
    actor?.role ?? "",
    "via",
    actor?.via ?? (actor ? "" : "system"),
    "action",
    cut(action),
    "target",
    cut(details.target),
    "count",
    details.count === undefined ? "" : String(details.count),
    "outcome",
    details.outcome ?? "ok",
    "ip",
    cut(details.ip ?? actor?.ip),
    "detail",
    cut(details.detail),
  ];
}

export async function appendAudit(
  redis: RedisClient,
  actor: AuditActor | null,
  action: string,
  details: AuditDetails = {},
  opts: StoreOptions & { cap?: number } = {},
): Promise<string> {
  const cap = opts.cap ?? getConfig().AUDIT_MAX_ENTRIES;
  const fields = auditFields(actor, action, details);
  const id = await redis.xadd(authKeys(opts).audit, "MAXLEN", "~", String(cap), "*", ...fields);
  return id as string;
}

/**
 * The helper every mutation calls. Never throws: a failed audit write is reported on stderr
 * (without the details) and returns false, so it cannot turn a done mutation into an error.
 */
export async function audit(
  actor: AuditActor | null,
  action: string,
  details: AuditDetails = {},
  redis: RedisClient = getRedis("console", { failFast: true }),
): Promise<boolean> {
  return recorded(action, appendAudit(redis, actor, action, details));
}

/** true once `write` is done; false (reported on stderr without the details) when it failed. */
export async function recorded(action: string, write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    console.error(`[audit] could not record ${action}:`, err instanceof Error ? err.message : String(err));
    return false;
  }
}

export type AuditLog = "main" | "refused";

export interface AuditFilter {
  /** which log: "main" (changes and sign-ins, the default) or "refused" (failed sign-ins, 403s) */
  log?: AuditLog;
  /** exact action, or a family: "dlq" matches "dlq.requeue" */
  action?: string;
  /** substring of the actor, case-insensitive */
  actor?: string;
  /** substring of the target */
  target?: string;
  outcome?: AuditOutcome;
  /** ms epoch bounds, inclusive */
  since?: number;
  until?: number;
  /** the id of the last entry of the previous page */
  cursor?: string;
  limit?: number;
}

const SCAN_BATCH = 500;
const SCAN_MAX = 20_000;

function toEntry(id: string, flat: string[]): AuditEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]] = flat[i + 1];
  return {
    id,
    at: Number(id.split("-")[0]),
    actor: f.actor ?? "",
    role: f.role ?? "",
    via: f.via ?? "",
    action: f.action ?? "",
    target: f.target ?? "",
    count: f.count ? Number(f.count) : null,
    outcome: (f.outcome as AuditOutcome) ?? "ok",
    ip: f.ip ?? "",
    detail: f.detail ?? "",
  };
}

function matches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.action && e.action !== f.action && !e.action.startsWith(`${f.action}.`)) return false;
  if (f.actor && !e.actor.toLowerCase().includes(f.actor.toLowerCase())) return false;
  if (f.target && !e.target.includes(f.target)) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  return true;
}

/**
 * Newest first. Scans the stream backwards in batches and filters; one call looks at no more
 * than 20,000 entries, and `nextCursor` continues from where it stopped.
 */
export async function listAudit(
  redis: RedisClient,
  filter: AuditFilter = {},
  opts: StoreOptions = {},
): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  const keys = authKeys(opts);
  const key = filter.log === "refused" ? keys.auditRefused : keys.audit;
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const start = filter.since ? String(filter.since) : "-";
  let end = filter.cursor ? `(${filter.cursor}` : filter.until ? String(filter.until) : "+";
  const entries: AuditEntry[] = [];
  let scanned = 0;
  let lastId: string | null = null;
  while (scanned < SCAN_MAX) {
    const batch = (await redis.xrevrange(key, end, start, "COUNT", SCAN_BATCH)) as [string, string[]][];
    for (const [id, flat] of batch) {
      lastId = id;
      scanned++;
      const e = toEntry(id, flat);
      if (filter.until && e.at > filter.until) continue;
      if (matches(e, filter)) entries.push(e);
      if (entries.length === limit) return { entries, nextCursor: id };
    }
    if (batch.length < SCAN_BATCH || !lastId) return { entries, nextCursor: null };
    end = `(${lastId}`;
  }
  return { entries, nextCursor: lastId };
}

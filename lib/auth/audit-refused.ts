/**
 * The log of refused requests: failed and refused sign-ins and 403s. Anyone can cause the first
 * two without signing in, so they have a stream of their own (`rq:{auth}:audit:refused`, capped
 * at AUDIT_REFUSED_MAX_ENTRIES): a flood of them trims only this stream, and every change in the
 * main log stays. `listAudit(redis, { log: "refused" })` reads it.
 *
 * Repeats of one refusal (same action, actor, target and address) are aggregated per window of
 * AGGREGATE_SECONDS: the 1st, 10th, 100th, 1000th… of a window are written, with that running
 * count in `count`, so a million refusals cost a handful of entries and still say how many.
 *
 *   await auditRefused(actor, "request.forbidden", { target: "/api/v1/users" }, { aggregate: true });
 */
import { createHash } from "node:crypto";
import { getConfig } from "../config.ts";
import { getRedis } from "../redis/connection.ts";
import { type AuditActor, type AuditDetails, auditFields, recorded } from "./audit.ts";
import { authKeys, type RedisClient, type StoreOptions } from "./types.ts";

const AGGREGATE_SECONDS = 3600;

export interface RefusedOptions extends StoreOptions {
  cap?: number;
  /** count repeats and write only the 1st, 10th, 100th… of a window */
  aggregate?: boolean;
  windowSeconds?: number;
}

/**
 * KEYS: the stream, then the repeat counter (or the stream again: no aggregation).
 * ARGV: cap, window seconds, position of the count among the fields, the fields.
 * Returns the new entry's id, or false for a repeat that is only counted.
 */
const APPEND = `
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
if KEYS[2] ~= KEYS[1] then
  local n = redis.call('INCR', KEYS[2])
  if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
  local m = n
  while m % 10 == 0 do m = m / 10 end
  if m ~= 1 then return false end
  fields[tonumber(ARGV[3])] = tostring(n)
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))`;

export async function appendRefused(
  redis: RedisClient,
  actor: AuditActor | null,
  action: string,
  details: AuditDetails = {},
  opts: RefusedOptions = {},
): Promise<string | null> {
  const keys = authKeys(opts);
  const fields = auditFields(actor, action, { outcome: "denied", ...details });
  // the index of a field's value (names sit at even indexes, each followed by its value)
  const valueAt = (name: string) => fields.findIndex((v, i) => i % 2 === 0 && v === name) + 1;
  let counter = keys.auditRefused;
  if (opts.aggregate) {
    // who, what and from where, as written (the fields are already cut to their bound)
    const identity = ["actor", "via", "action", "target", "ip"].map((n) => fields[valueAt(n)]).join("\n");
    counter = keys.auditRefusedCount(createHash("sha256").update(identity).digest("hex").slice(0, 24));
  }
  const id = await redis.eval(
    APPEND,
    2,
    keys.auditRefused,
    counter,
    String(opts.cap ?? getConfig().AUDIT_REFUSED_MAX_ENTRIES),
    String(opts.windowSeconds ?? AGGREGATE_SECONDS),
    String(valueAt("count") + 1), // Lua counts from 1
    ...fields,
  );
  return typeof id === "string" ? id : null;
}

/** The helper the console calls. Never throws (like `audit`). */
export async function auditRefused(
  actor: AuditActor | null,
  action: string,
  details: AuditDetails = {},
  opts: RefusedOptions = {},
  redis: RedisClient = getRedis("console", { failFast: true }),
): Promise<boolean> {
  return recorded(action, appendRefused(redis, actor, action, details, opts));
}

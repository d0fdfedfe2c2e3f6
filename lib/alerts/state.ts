/**
 * Alert state and history in Redis.
 *
 * State: one hash (`globalKeys().alertState`), field = alert id, value = JSON
 * `{state, since, value, at}`. Each evaluation records every alert through one small Lua script
 * that compares and sets in a single step, so when two evaluators (worker replicas, or the
 * console re-evaluating after a threshold change) see the same change, exactly one of them is
 * told "transitioned" — one history entry and one webhook call per change, never two.
 *
 * History: a list (`alertHistory`), newest first, trimmed to HISTORY_MAX entries on each push.
 */
import type { RedisClient } from "../redis/connection.ts";
import type { AlertId } from "./definitions.ts";
import type { AlertHistoryEntry, AlertState } from "./types.ts";

export const HISTORY_MAX = 500;

/*
 * KEYS[1] alert state hash
 * ARGV[1] alert id, ARGV[2] new state ("ok" | "firing"), ARGV[3] value as JSON (number or null),
 * ARGV[4] now (ms)
 * Returns {1 if the state changed else 0, since (ms, as a string), previous state}
 */
const RECORD_SCRIPT = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local prev, since = 'ok', nil
if cur then
  local ok, d = pcall(cjson.decode, cur)
  if ok and type(d) == 'table' then prev = d.state or 'ok'; since = d.since end
end
local changed = prev ~= ARGV[2]
if changed or type(since) ~= 'number' then since = tonumber(ARGV[4]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({state = ARGV[2], since = since, value = cjson.decode(ARGV[3]), at = tonumber(ARGV[4])}))
return {changed and 1 or 0, string.format('%d', since), prev}
`;

export interface RecordedState {
  changed: boolean;
  since: number;
  previous: AlertState;
}

export async function recordState(
  client: RedisClient,
  key: string,
  id: AlertId,
  state: AlertState,
  value: number | null,
  now: number,
): Promise<RecordedState> {
  const json = value === null || !Number.isFinite(value) ? "null" : JSON.stringify(value);
  const [changed, since, previous] = (await client.eval(
    RECORD_SCRIPT,
    1,
    key,
    id,
    state,
    json,
    String(now),
  )) as [number, string, string];
  return { changed: changed === 1, since: Number(since), previous: previous === "firing" ? "firing" : "ok" };
}

export interface StoredState {
  state: AlertState;
  since: number | null;
  value: number | null;
  at: number | null;
}

export async function readStates(
  client: RedisClient,
  key: string,
): Promise<Partial<Record<AlertId, StoredState>>> {
  const raw = await client.hgetall(key);
  const out: Partial<Record<AlertId, StoredState>> = {};
  for (const [id, json] of Object.entries(raw)) {
    try {
      const d = JSON.parse(json) as Partial<StoredState>;
      out[id as AlertId] = {
        state: d.state === "firing" ? "firing" : "ok",
        since: typeof d.since === "number" ? d.since : null,
        value: typeof d.value === "number" ? d.value : null,
        at: typeof d.at === "number" ? d.at : null,
      };
    } catch {
      // A damaged entry reads as "never evaluated"; the next evaluation rewrites it.
    }
  }
  return out;
}

export async function pushHistory(
  client: RedisClient,
  key: string,
  entries: AlertHistoryEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await client
    .multi()
    .lpush(key, ...entries.map((e) => JSON.stringify(e)))
    .ltrim(key, 0, HISTORY_MAX - 1)
    .exec();
}

export async function readHistory(
  client: RedisClient,
  key: string,
  opts: { limit?: number; id?: AlertId } = {},
): Promise<AlertHistoryEntry[]> {
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), HISTORY_MAX);
  const raw = await client.lrange(key, 0, opts.id ? HISTORY_MAX - 1 : limit - 1);
  const out: AlertHistoryEntry[] = [];
  for (const line of raw) {
    try {
      const e = JSON.parse(line) as AlertHistoryEntry;
      if (!opts.id || e.id === opts.id) out.push(e);
    } catch {
      // skip a damaged line
    }
    if (out.length >= limit) break;
  }
  return out;
}

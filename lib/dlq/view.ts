/**
 * What a viewer may see of dead letters: the one place that decides it, used by every route,
 * page, export and CLI path that returns entries (a list's rows, one entry, the error groups).
 * Admins see entries as stored. For anyone else, `forViewer` masks the payload, the metadata and
 * every original payload in the history (fields named in MASK_FIELDS, lib/auth/mask.ts), and cuts
 * every value so masked out of the entry's error text wherever it is quoted verbatim: each
 * attempt's name, message and stack, a row's last error, a group's sample message.
 *
 * Rows and groups carry error text but not the data it may quote, so their views read each
 * entry's payload, metadata and history (one read per row or group, in parallel).
 */
import { MASK, Masker } from "../auth/mask.ts";
import { normalizeMessage } from "../queue/fingerprint.ts";
import type { DeadLetter, ErrorGroup } from "../queue/types.ts";
import { JOB_FIELDS as F } from "../queue/types.ts";
import type { RedisClient } from "../redis/connection.ts";
import { queueKeys } from "../redis/keys.ts";
import type { DlqPage } from "./list.ts";
import { deadLetterFromHash } from "./read.ts";

/** Who is looking: only "admin" sees entries as stored. */
export type ViewerRole = string;

/** A dead letter as a viewer may see it, and the function that masks its values in other text. */
export function forViewer(d: DeadLetter, fields?: readonly string[]) {
  const m = new Masker(fields);
  const payload =
    d.reason === "corrupt" && typeof d.payload === "string" ? m.opaque(d.payload) : m.value(d.payload);
  const metadata = m.value(d.metadata);
  const history = d.history.map((h) =>
    typeof h.originalPayload === "string" ? { ...h, originalPayload: m.json(h.originalPayload) } : h,
  );
  // after the data: the masker now knows every value a text may quote
  const text = (s: string) => m.text(s);
  const errors = d.errors.map((e) => ({
    ...e,
    name: text(e.name),
    message: text(e.message),
    ...(typeof e.stack === "string" ? { stack: text(e.stack) } : {}),
  }));
  // log lines and progress may quote the payload like errors do
  const report = d.report && {
    ...d.report,
    progress: m.value(d.report.progress),
    lines: d.report.lines.map((l) => ({ ...l, text: text(l.text) })),
  };
  return {
    entry: { ...d, payload, metadata, history, errors, ...(report ? { report } : {}) } as DeadLetter,
    text,
  };
}

/** One dead letter as `role` may see it. */
export function viewDeadLetter(d: DeadLetter, role: ViewerRole, fields?: readonly string[]): DeadLetter {
  return role === "admin" ? d : forViewer(d, fields).entry;
}

/** What masking reads of an entry: the data its text may quote; groups need its errors too. */
const DATA_FIELDS = [F.payload, F.meta, F.history, F.reason];
const WITH_ERRORS = [...DATA_FIELDS, F.errors];

/** Some stored fields of one entry (null when it is no longer there). */
async function readEntry(client: RedisClient, queue: string, id: string, fields: string[]) {
  const values = await client.hmget(queueKeys(queue).job(id), ...fields);
  if (values.every((v) => v === null)) return null;
  const hash: Record<string, string> = {};
  fields.forEach((f, i) => {
    if (values[i] !== null) hash[f] = values[i] as string;
  });
  return deadLetterFromHash(queue, id, hash, 0);
}

/** Groups read at once: each read may carry a payload of up to JOB_MAX_PAYLOAD_BYTES. */
const GROUP_CHUNK = 100;

/** A page of list rows as `role` may see it; a row whose entry went away meanwhile is left out. */
export async function viewPage<P extends Pick<DlqPage, "items">>(
  client: RedisClient,
  page: P,
  role: ViewerRole,
  fields?: readonly string[],
): Promise<P> {
  if (role === "admin") return page;
  const entries = await Promise.all(page.items.map((s) => readEntry(client, s.queue, s.id, DATA_FIELDS)));
  const items = page.items.flatMap((s, i) => {
    const d = entries[i];
    if (!d) return [];
    const { text } = forViewer(d, fields);
    const lastError = s.lastError && { name: text(s.lastError.name), message: text(s.lastError.message) };
    return [{ ...s, lastError }];
  });
  return { ...page, items };
}

/**
 * Error groups as `role` may see them. A group's stored sample comes from whichever entry failed
 * first, maybe gone since, so the values it may quote are unknown: a viewer reads instead the
 * last error of the group's newest entry, masked with that entry's values and normalised as the
 * stored sample is (same fingerprint, so the same message). A group whose entries are gone
 * meanwhile shows MASK.
 */
export async function viewGroups(
  client: RedisClient,
  groups: ErrorGroup[],
  role: ViewerRole,
  fields?: readonly string[],
): Promise<ErrorGroup[]> {
  if (role === "admin") return groups;
  const out: ErrorGroup[] = [];
  for (let i = 0; i < groups.length; i += GROUP_CHUNK) {
    const chunk = groups.slice(i, i + GROUP_CHUNK);
    out.push(...(await Promise.all(chunk.map((g) => viewGroup(client, g, fields)))));
  }
  return out;
}

async function viewGroup(client: RedisClient, g: ErrorGroup, fields?: readonly string[]) {
  const [id] = await client.zrevrange(queueKeys(g.queue).group(g.fingerprint), 0, 0);
  const d = id ? await readEntry(client, g.queue, id, WITH_ERRORS) : null;
  const viewed = d ? forViewer(d, fields) : null;
  const text = viewed ? viewed.text : () => MASK;
  const last = viewed?.entry.errors.at(-1);
  const group: ErrorGroup = {
    ...g,
    name: text(g.name),
    sampleMessage: last ? normalizeMessage(last.message) : MASK,
  };
  if (g.topFrame !== undefined) group.topFrame = text(g.topFrame);
  return group;
}

/**
 * The dead-letter operations behind both the JSON API and the console's server actions: the
 * same scopes, the same choice between running inline and starting a bulk operation, the same
 * audit record. Kept here so a route handler or an action is a few lines that call it.
 *
 * Small scopes (ids, or a group/filter of at most INLINE_MAX entries without a rate limit or a
 * text search) run to the end within the request; anything else starts a bulk operation in this
 * server process and answers its id, to be polled at /api/v1/bulk/{id}.
 */

import { badRequest, notFound } from "#app/_lib/http.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import type { EditRequeueInput, ListQuery, MutationInput } from "#app/_lib/ops/schemas.ts";
import type { Principal } from "#app/_lib/principal.ts";
import type { DeadLetterPage, MutationResult } from "#components/api-types.ts";
import { type DeadLetterFilters, rangeWindow } from "#components/dead-letters/filters.ts";
import { audit } from "#lib/auth/audit.ts";
import {
  type BulkProgress,
  countDeadLetters,
  type DlqFilter,
  deleteDeadLetters,
  listDeadLetters,
  listQueues,
  requeueDeadLetter,
  requeueDeadLetters,
  runBulk,
  startBulk,
} from "#lib/dlq/index.ts";
import { type ViewerRole, viewPage } from "#lib/dlq/view.ts";

/** Entries a group/filter/all scope may have to run inline. */
export const INLINE_MAX = 500;

export type Action = "requeue" | "delete";

/** Unknown queue → 404 (a typo in a queue name should not read as "no dead letters"). */
export async function assertQueue(queue: string | undefined): Promise<void> {
  if (queue && !(await listQueues(consoleRedis())).includes(queue))
    throw notFound(`No queue named "${queue}"`);
}

const queueOf = (input: MutationInput) => (input.scope === "filter" ? input.filters.queue : input.queue);

/** The console's filters (range, q) as lib/dlq's (from, to, search). */
export function toDlqFilter(f: DeadLetterFilters & { from?: number; to?: number }): DlqFilter {
  const out: DlqFilter = {};
  if (f.queue) out.queue = f.queue;
  if (f.group) out.group = f.group;
  if (f.q) out.search = f.q;
  const from = f.from ?? rangeWindow(f.range).from;
  if (from !== undefined) out.from = from;
  if (f.to !== undefined) out.to = f.to;
  return out;
}

/**
 * One page of dead letters as `role` may see them (masked for a viewer): what
 * GET /api/v1/dead-letters answers and what the dead letters page renders in its HTML.
 */
export async function listPage(
  role: ViewerRole,
  { cursor, limit, ...filters }: ListQuery,
): Promise<DeadLetterPage> {
  await assertQueue(filters.queue);
  const client = consoleRedis();
  return viewPage(client, await listDeadLetters(client, toDlqFilter(filters), { cursor, limit }), role);
}

function scopeFilter(input: Exclude<MutationInput, { scope: "ids" }>): DlqFilter {
  if (input.scope === "group") return { queue: input.queue, group: input.fingerprint };
  if (input.scope === "filter") return toDlqFilter(input.filters);
  return input.queue ? { queue: input.queue } : {};
}

/** What an audit entry names as the target: "documents ids doc-1,doc-2", "filter queue=…". */
function describeScope(input: MutationInput): string {
  switch (input.scope) {
    case "ids":
      return `${input.queue} ids ${input.ids.slice(0, 20).join(",")}${input.ids.length > 20 ? ",…" : ""}`;
    case "group":
      return `${input.queue} group ${input.fingerprint}`;
    case "filter":
      return `filter ${Object.entries(input.filters)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`;
    case "all":
      return input.queue ? `${input.queue} all` : "all queues";
  }
}

const outcomeOf = (p: BulkProgress) =>
  p.state === "done" ? "ok" : p.state === "cancelled" || p.state === "stopped" ? "partial" : "error";

/** "canary fail: 3/10 succeeded (needs 90 %); failed again: documents/j1, …" for the audit log. */
function canaryDetail(p: BulkProgress): string {
  const c = p.canary;
  if (!c) return "";
  const failed = c.failed.length
    ? `; failed again: ${c.failed
        .slice(0, 10)
        .map((f) => `${f.queue}/${f.id}`)
        .join(", ")}${c.failed.length > 10 ? ", …" : ""}`
    : "";
  return `; canary ${c.verdict ?? "waiting"}: ${c.succeeded}/${c.watched} succeeded (needs ${Math.round(c.minSuccess * 1000) / 10} %)${failed}`;
}

/** Requeue or delete a scope; audited once per request (and once more when a bulk op ends). */
export async function mutate(
  principal: Principal,
  action: Action,
  input: MutationInput,
): Promise<MutationResult> {
  const client = consoleRedis();
  const target = describeScope(input);
  const auditAction = `dlq.${action}`;
  await assertQueue(queueOf(input));
  try {
    if (input.scope === "ids") {
      const r =
        action === "requeue"
          ? await requeueDeadLetters(client, input.queue, input.ids, {
              by: principal.email ?? principal.name,
            })
          : await deleteDeadLetters(client, input.queue, input.ids);
      await audit(principal, auditAction, {
        target,
        count: r.done,
        outcome: "ok",
        detail: `${r.gone} already gone`,
      });
      return { mode: "inline", action, done: r.done, gone: r.gone };
    }
    const filter = scopeFilter(input);
    // a canary only makes sense for a requeue; lib/dlq refuses it on a delete with a message
    const extra = action === "requeue" ? { by: principal.email ?? principal.name, canary: input.canary } : {};
    if (action === "delete" && input.canary) throw badRequest("canary: applies to requeue only");
    const op = { action, scope: { filter }, rate: input.rateLimit, ...extra };
    // a canary waits for jobs to run: always in the background, never within the request
    const small =
      !input.rateLimit &&
      !input.canary &&
      !filter.search &&
      (await countDeadLetters(client, filter)) <= INLINE_MAX;
    if (small) {
      const p = await runBulk(client, op);
      await audit(principal, auditAction, {
        target,
        count: p.done,
        outcome: outcomeOf(p),
        detail: `${p.gone} already gone`,
      });
      return { mode: "inline", action, done: p.done, gone: p.gone };
    }
    const bulkId = await startBulk(client, op, {
      onProgress: (p) => {
        if (p.state === "running") return;
        void audit(principal, auditAction, {
          target,
          count: p.done,
          outcome: outcomeOf(p),
          detail: `bulk ${p.opId} ${p.state}: ${p.gone} already gone${p.error ? `; ${p.error}` : ""}${canaryDetail(p)}`,
        });
      },
    });
    const canaryNote = input.canary
      ? ` with a canary of ${input.canary.count} (needs ${Math.round(input.canary.minSuccess * 1000) / 10} %)`
      : "";
    await audit(principal, `${auditAction}.start`, {
      target,
      outcome: "ok",
      detail: `bulk ${bulkId}${canaryNote}`,
    });
    return { mode: "bulk", action, bulkId };
  } catch (err) {
    await audit(principal, auditAction, { target, outcome: "error", detail: (err as Error)?.message });
    throw err;
  }
}

/** Edit & requeue one entry: the payload is JSON text; lib/dlq keeps the original in its history. */
export async function editAndRequeue(principal: Principal, input: EditRequeueInput): Promise<MutationResult> {
  const target = `${input.queue} id ${input.id}`;
  await assertQueue(input.queue);
  try {
    await requeueDeadLetter(consoleRedis(), input.queue, input.id, {
      payload: input.payload,
      by: principal.email ?? principal.name,
    });
    await audit(principal, "dlq.requeue.edited", { target, count: 1, outcome: "ok" });
    return { mode: "inline", action: "requeue", done: 1, gone: 0 };
  } catch (err) {
    await audit(principal, "dlq.requeue.edited", {
      target,
      count: 0,
      outcome: "error",
      detail: (err as Error)?.message,
    });
    throw err;
  }
}

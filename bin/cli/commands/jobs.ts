/**
 * `requeue jobs list | show | promote | delete | reclaim | requeue`: the jobs of a queue in each
 * state, one job wherever it is, and the admin's actions on one job (lib/queue/browse.ts,
 * job-view.ts, job-actions.ts). A job that moved meanwhile fails with its current state (exit 1);
 * an id no state has exits 3.
 */
import { JOBS_PAGE_MAX, LIST_STATES, type ListState } from "../../../lib/queue/browse.ts";
import type { JobAction } from "../../../lib/queue/job-actions.ts";
import type { JobDetail } from "../../../lib/queue/job-view.ts";
import { type Command, str } from "../command.ts";
import { notFound, usageError } from "../errors.ts";
import { ago, cut, iso, num, table } from "../output.ts";
import { intOpt, jobId, queueName } from "../parse.ts";
import { openSession } from "../session.ts";

function stateOpt(raw: string | undefined): ListState {
  const state = raw ?? "waiting";
  if (!(LIST_STATES as readonly string[]).includes(state))
    throw usageError(`--state must be one of ${LIST_STATES.join(", ")}, got ${JSON.stringify(state)}`);
  return state as ListState;
}

const ms = (n: number | null) => (n === null ? "-" : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);
const when = (t: number | null) => (t === null ? "-" : ago(t));
const inFuture = (t: number, now = Date.now()) => (t > now ? `in ${ms(t - now)}` : `${ms(now - t)} ago`);

export const jobsList: Command = {
  name: "jobs list",
  summary: "the jobs of a queue in one state: waiting, active, scheduled or completed",
  usage:
    "requeue jobs list <queue> [--state waiting|active|scheduled|completed] [--limit <n>] [--cursor <c>]",
  help: [
    ["--state <state>", `one of ${LIST_STATES.join(", ")} (default waiting)`],
    ["--limit <n>", `page size, 1-${JOBS_PAGE_MAX} (default 25)`],
    ["--cursor <c>", "the next page (printed under the list)"],
  ],
  notes: [
    "waiting: oldest first, with the place in line; active: who holds each lease and whether it is orphaned;",
    "scheduled: retries (attempts, last error) and delayed jobs, the next due first; completed: the most recent first.",
  ],
  options: { state: { type: "string" }, limit: { type: "string" }, cursor: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(values, [q], { out }) {
    const queue = queueName(q);
    const state = stateOpt(str(values.state));
    const limit = intOpt(str(values.limit), "--limit", 1, JOBS_PAGE_MAX) ?? 25;
    const cursor = str(values.cursor);
    const { backend } = await openSession(values);
    const page = await backend.jobsList(queue, state, { limit, cursor });
    out.result(page, () => {
      if (page.items.length === 0) return cursor ? `no more ${state} jobs` : `no ${state} jobs in ${queue}`;
      const lines = [`${num(page.total)} ${state} in ${queue}`, "", rowsText(page.state, page.items)];
      if (page.nextCursor)
        lines.push("", `next page: requeue jobs list ${queue} --state ${state} --cursor ${page.nextCursor}`);
      return lines.join("\n");
    });
  },
};

// biome-ignore lint/suspicious/noExplicitAny: rows of the state named beside them
function rowsText(state: ListState, items: any[]): string {
  if (state === "waiting")
    return table(items, [
      { title: "#", value: (r) => String(r.position), align: "right" },
      { title: "ID", value: (r) => r.id },
      { title: "WAITED", value: (r) => ms(r.waitedMs) },
      { title: "TRIES", value: (r) => `${r.attempts}/${r.maxAttempts}`, align: "right" },
      { title: "BYTES", value: (r) => num(r.payloadBytes), align: "right" },
    ]);
  if (state === "active")
    return table(items, [
      { title: "ID", value: (r) => r.id },
      { title: "CONSUMER", value: (r) => r.consumer.id },
      { title: "HOST/PID", value: (r) => (r.consumer.host ? `${r.consumer.host}/${r.consumer.pid}` : "-") },
      { title: "STARTED", value: (r) => when(r.startedAt) },
      {
        title: "LEASE",
        value: (r) =>
          r.lease === "orphaned"
            ? `orphaned — reclaim ${inFuture(r.reclaimAt)}`
            : `heartbeating, expires ${inFuture(r.leaseExpiresAt)}`,
      },
    ]);
  if (state === "scheduled")
    return table(items, [
      { title: "ID", value: (r) => r.id },
      { title: "KIND", value: (r) => r.kind },
      { title: "DUE", value: (r) => inFuture(r.dueAt) },
      { title: "TRIES", value: (r) => `${r.attempts}/${r.maxAttempts}`, align: "right" },
      {
        title: "LAST ERROR",
        value: (r) => (r.lastError ? cut(`${r.lastError.name}: ${r.lastError.message}`, 60) : "-"),
      },
    ]);
  return table(items, [
    { title: "ID", value: (r) => r.id },
    { title: "FINISHED", value: (r) => ago(r.finishedAt) },
    { title: "RAN", value: (r) => ms(r.durationMs) },
    { title: "TRIES", value: (r) => (r.attempts === null ? "-" : String(r.attempts)), align: "right" },
    { title: "PAYLOAD", value: (r) => (r.payloadKept ? "kept" : "-") },
  ]);
}

export const jobsShow: Command = {
  name: "jobs show",
  summary: "one job in any state (looks in every queue unless --queue)",
  usage: "requeue jobs show <id> [--queue <name>]",
  help: [["--queue <name>", "look only in this queue"]],
  options: { queue: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(values, [rawId], { out }) {
    const id = jobId(rawId);
    const q = str(values.queue);
    const { backend } = await openSession(values);
    let queue = q === undefined ? undefined : queueName(q, "--queue");
    let others: string[] = [];
    if (queue === undefined) {
      const found = await backend.jobFind(id);
      if (found.length === 0) throw notFound(`no queue has a job with id ${JSON.stringify(id)}`);
      queue = found[0].queue;
      others = found.slice(1).map((f) => `${f.queue} (${f.state})`);
    }
    const job = await backend.jobGet(queue, id);
    if (!job) throw notFound(`no state of queue ${queue} has job ${JSON.stringify(id)}`);
    out.result(job, () => {
      const text = showText(job);
      return others.length ? `${text}\n\nalso in: ${others.join(", ")} (--queue <name>)` : text;
    });
  },
};

const indent = (text: string, n = 2) =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

function showText(j: JobDetail): string {
  const lines = [`${j.queue} / ${j.id}  ${j.state}  (${j.attempts} of ${j.maxAttempts || "?"} attempts)`];
  if (j.createdAt) lines.push(`created     ${iso(j.createdAt)} (${ago(j.createdAt)})`);
  if (j.waiting)
    lines.push(`in line     ${j.waiting.position === null ? "far back" : `#${j.waiting.position}`}`);
  if (j.active) {
    const a = j.active;
    lines.push(
      `consumer    ${a.consumer.id}${a.consumer.host ? ` (${a.consumer.host}, pid ${a.consumer.pid})` : ""}`,
    );
    if (a.startedAt) lines.push(`started     ${iso(a.startedAt)}`);
    lines.push(
      a.lease === "orphaned"
        ? `lease       orphaned — reclaim ${inFuture(a.reclaimAt ?? a.leaseExpiresAt)}`
        : `lease       heartbeating, expires ${inFuture(a.leaseExpiresAt)}`,
    );
  }
  if (j.scheduled)
    lines.push(
      `scheduled   ${j.scheduled.kind}, due ${iso(j.scheduled.dueAt)} (${inFuture(j.scheduled.dueAt)})`,
    );
  if (j.completed)
    lines.push(`finished    ${iso(j.completed.finishedAt)}, ran ${ms(j.completed.durationMs)}`);
  if (j.dead) lines.push(`dead        ${iso(j.dead.deadAt)} (${j.dead.reason}), group ${j.dead.fingerprint}`);
  lines.push("", "payload:");
  lines.push(
    j.payload === undefined
      ? "  (not kept: COMPLETED_KEEP_PAYLOAD=false)"
      : indent(typeof j.payload === "string" ? j.payload : JSON.stringify(j.payload, null, 2)),
  );
  lines.push("", "metadata:", indent(JSON.stringify(j.metadata, null, 2)));
  if (j.errors.length) {
    lines.push("", "attempts:");
    for (const e of j.errors)
      lines.push(`  #${e.attempt}  ${iso(e.at)}  ${e.consumer}`, indent(`${e.name}: ${e.message}`, 6));
  }
  return lines.join("\n");
}

const WHAT: Record<JobAction, [string, string]> = {
  promote: ["run a scheduled retry or delayed job now (front of the line)", "promoted"],
  delete: ["delete a waiting or scheduled job", "deleted"],
  reclaim: ["move an orphaned active job back to waiting now", "moved back"],
  requeue: ["run a completed job again with the same payload (needs COMPLETED_KEEP_PAYLOAD)", "requeued"],
};

function actionCommand(action: JobAction): Command {
  const [summary, done] = WHAT[action];
  return {
    name: `jobs ${action}`,
    summary,
    usage: `requeue jobs ${action} <queue> <id>`,
    help: [],
    notes: [
      "Idempotent: a job already where this puts it is left as it is. A job in another state exits 1 and says which.",
    ],
    options: {},
    positionals: { min: 2, max: 2 },
    async run(values, [q, rawId], { out }) {
      const queue = queueName(q);
      const id = jobId(rawId);
      const { backend } = await openSession(values);
      const r = await backend.jobAction(queue, id, action);
      out.result(r, () =>
        r.changed
          ? `${done}: ${queue}/${id} (now ${r.state})`
          : `${queue}/${id} is already ${r.state}: nothing changed`,
      );
    },
  };
}

export const jobsPromote = actionCommand("promote");
export const jobsDelete = actionCommand("delete");
export const jobsReclaim = actionCommand("reclaim");
export const jobsRequeue = actionCommand("requeue");

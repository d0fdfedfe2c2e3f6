/**
 * `requeue dlq list | groups | show`: read dead letters with the API's filters. The mutations
 * (requeue, delete) are in dlq-mutate.ts.
 */
import type { DeadLetterSummary } from "../../../lib/dlq/read.ts";
import { PAGE_SIZE_MAX } from "../../../lib/dlq/schemas.ts";
import type { DeadLetter, ErrorGroup } from "../../../lib/queue/types.ts";
import { type Command, str } from "../command.ts";
import { notFound } from "../errors.ts";
import { ago, cut, iso, num, table } from "../output.ts";
import { intOpt, jobId, queueName } from "../parse.ts";
import { openSession } from "../session.ts";
import { FILTER_HELP, FILTER_OPTIONS, parseFilter } from "./dlq-filter.ts";

export const dlqList: Command = {
  name: "dlq list",
  summary: "list dead letters, newest first",
  usage:
    "requeue dlq list [--queue <name>] [--group <fp>] [--from <time>] [--to <time>] [--search <text>] [--limit <n>] [--cursor <c>]",
  help: [
    ...FILTER_HELP,
    ["--limit <n>", `page size, 1-${PAGE_SIZE_MAX} (default 20)`],
    ["--cursor <c>", "the next page (printed under the list)"],
  ],
  options: { ...FILTER_OPTIONS, limit: { type: "string" }, cursor: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(values, _p, { out }) {
    const filter = parseFilter(values);
    const limit = intOpt(str(values.limit), "--limit", 1, PAGE_SIZE_MAX) ?? 20;
    const cursor = str(values.cursor);
    const { backend } = await openSession(values);
    const page = await backend.dlqList(filter, { limit, cursor });
    out.result(page, () => {
      if (page.items.length === 0) return cursor ? "no more dead letters" : "no dead letters match";
      const lines = [
        table(page.items, [
          { title: "QUEUE", value: (d) => d.queue },
          { title: "ID", value: (d) => d.id },
          { title: "TRIES", value: (d) => `${d.attempts}/${d.maxAttempts}`, align: "right" },
          { title: "DEAD", value: (d) => ago(d.deadAt) },
          { title: "GROUP", value: (d) => d.fingerprint.slice(0, 12) },
          { title: "ERROR", value: (d) => cut(errorLine(d), 70) },
        ]),
      ];
      if (!page.complete)
        lines.push("", "(the search stopped at its read budget: there may be more on the next page)");
      if (page.nextCursor) lines.push("", `next page: requeue dlq list … --cursor ${page.nextCursor}`);
      return lines.join("\n");
    });
  },
};

function errorLine(d: DeadLetterSummary): string {
  return d.lastError ? `${d.lastError.name}: ${d.lastError.message}` : d.reason;
}

export const dlqGroups: Command = {
  name: "dlq groups",
  summary: "dead letters grouped by error fingerprint",
  usage: "requeue dlq groups [--queue <name>]",
  help: [["--queue <name>", "only this queue"]],
  options: { queue: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(values, _p, { out }) {
    const q = str(values.queue);
    const queue = q === undefined ? undefined : queueName(q, "--queue");
    const { backend } = await openSession(values);
    const groups = await backend.dlqGroups(queue);
    out.result(groups, () =>
      groups.length === 0
        ? "no dead letters"
        : table(groups, [
            { title: "QUEUE", value: (g: ErrorGroup) => g.queue },
            { title: "GROUP", value: (g) => g.fingerprint },
            { title: "COUNT", value: (g) => num(g.count), align: "right" },
            { title: "LAST", value: (g) => ago(g.lastSeen) },
            { title: "ERROR", value: (g) => cut(`${g.name}: ${g.sampleMessage}`, 70) },
          ]),
    );
  },
};

export const dlqShow: Command = {
  name: "dlq show",
  summary: "one dead letter: payload, metadata and every attempt's error",
  usage: "requeue dlq show <queue> <id>",
  help: [],
  options: {},
  positionals: { min: 2, max: 2 },
  async run(values, [q, id], { out }) {
    const queue = queueName(q);
    jobId(id);
    const { backend } = await openSession(values);
    const d = await backend.dlqGet(queue, id);
    if (!d) throw notFound(`no dead letter ${JSON.stringify(id)} in queue ${queue}`);
    out.result(d, () => showText(d));
  },
};

function showText(d: DeadLetter): string {
  const lines = [
    `${d.queue} / ${d.id}  (${d.reason}, ${d.attempts} of ${d.maxAttempts} attempts)`,
    `dead        ${iso(d.deadAt)} (${ago(d.deadAt)})`,
    `first fail  ${iso(d.firstFailedAt)}`,
    `created     ${iso(d.createdAt)}`,
    `group       ${d.fingerprint}`,
    "",
    "payload:",
    indent(typeof d.payload === "string" ? d.payload : JSON.stringify(d.payload, null, 2)),
    "",
    "metadata:",
    indent(JSON.stringify(d.metadata, null, 2)),
    "",
    "attempts:",
  ];
  for (const e of d.errors) {
    // (every line of a multi-line message indented: stored text cannot pose as the CLI's own lines)
    lines.push(`  #${e.attempt}  ${iso(e.at)}  ${e.consumer}`, indent(`${e.name}: ${e.message}`, 6));
    if (e.stack) {
      // the top frames (a stored stack holds frames only; older entries start with "Name: message")
      const frames = e.stack
        .split("\n")
        .map((f) => f.trim())
        .filter((f) => f.startsWith("at "))
        .slice(0, 3);
      lines.push(indent(frames.join("\n"), 6));
    }
  }
  for (const h of d.history) lines.push(`  ${iso(h.at)}  ${h.action}${h.by ? ` by ${h.by}` : ""}`);
  return lines.join("\n");
}

const indent = (text: string, n = 2) =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

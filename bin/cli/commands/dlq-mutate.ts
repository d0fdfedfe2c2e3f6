/**
 * `requeue dlq requeue | delete`: one dead letter (`<queue> <id>`), an error group
 * (`--group <fp>`), or everything matching the filters (`--all …`). Bulk runs show a progress
 * line; a bulk delete asks first (or needs --yes when nobody is at a terminal).
 */
import type { BulkOutcome, DlqFilter } from "../backend.ts";
import { type Command, str, type Values } from "../command.ts";
import { CliError, notFound, usageError } from "../errors.ts";
import { num, type Output } from "../output.ts";
import { durationMs, intOpt, jobId, queueName } from "../parse.ts";
import { confirm, openSession } from "../session.ts";
import { FILTER_HELP, FILTER_OPTIONS, parseFilter } from "./dlq-filter.ts";

type Scope = { queue: string; id: string } | { filter: DlqFilter };

/** Which dead letters the arguments name; exactly one way of naming them is allowed. */
function parseScope(values: Values, positionals: string[], verb: string): Scope {
  const all = values.all === true;
  const filter = parseFilter(values);
  const filtered = Object.values(filter).some((v) => v !== undefined);
  if (positionals.length > 0) {
    if (positionals.length !== 2) throw usageError(`give both <queue> and <id> to ${verb} one dead letter`);
    if (all || filtered) throw usageError(`give either <queue> <id> or filters with --all/--group, not both`);
    return { queue: queueName(positionals[0]), id: jobId(positionals[1]) };
  }
  if (filter.group === undefined && !all) {
    throw usageError(
      `say what to ${verb}: <queue> <id>, --group <fingerprint>, or --all [filters]`,
      `see \`requeue dlq ${verb} --help\``,
    );
  }
  return { filter };
}

function scopeText(filter: DlqFilter): string {
  const parts: string[] = [];
  if (filter.queue) parts.push(`of ${filter.queue}`);
  if (filter.group) parts.push(`in group ${filter.group}`);
  if (filter.search) parts.push(`matching ${JSON.stringify(filter.search)}`);
  if (filter.from) parts.push(`since ${new Date(filter.from).toISOString()}`);
  if (filter.to) parts.push(`before ${new Date(filter.to).toISOString()}`);
  return parts.join(" ");
}

function progress(out: Output, verb: string, total: number) {
  return (p: BulkOutcome) => {
    const seen = p.done + p.missing;
    const pct = total ? ` (${Math.min(100, Math.floor((seen / total) * 100))}%)` : "";
    out.progress(
      `${verb} ${num(p.done)} / ${num(total)}${pct}${p.missing ? `, ${num(p.missing)} already gone` : ""}`,
    );
  };
}

function summary(verb: string, r: BulkOutcome): string {
  const gone = r.missing ? `, ${num(r.missing)} already gone` : "";
  return `${num(r.done)} ${verb}${gone}${r.cancelled ? " (cancelled)" : ""}`;
}

const SCOPE_HELP: [string, string][] = [
  ["--all", "every dead letter matching the filters below (all of them without filters)"],
  ...FILTER_HELP,
  ["--rate <n>", "at most n dead letters per second (bulk)"],
];

export const dlqRequeue: Command = {
  name: "dlq requeue",
  summary: "put dead letters back on their queue (a fresh attempt budget)",
  usage:
    "requeue dlq requeue (<queue> <id> | --group <fp> | --all) [filters] [--rate <n>] [--delay <duration>]",
  help: [...SCOPE_HELP, ["--delay <duration>", "run them later: 30s, 5m, 2h"]],
  notes: [
    "Examples:",
    "  requeue dlq requeue documents doc-42",
    "  requeue dlq requeue --all --queue audio --search timeout --rate 100",
  ],
  options: {
    ...FILTER_OPTIONS,
    all: { type: "boolean" },
    rate: { type: "string" },
    delay: { type: "string" },
  },
  positionals: { min: 0, max: 2 },
  async run(values, positionals, { out }) {
    const scope = parseScope(values, positionals, "requeue");
    const rate = intOpt(str(values.rate), "--rate", 1, 1_000_000);
    const delayMs = durationMs(str(values.delay), "--delay");
    const { backend } = await openSession(values);
    if ("id" in scope) {
      const r = await backend.dlqRequeue(scope, { delayMs });
      if (r.done === 0) throw notFound(`no dead letter ${JSON.stringify(scope.id)} in queue ${scope.queue}`);
      out.result({ scope, ...r }, () => `requeued ${scope.queue} / ${scope.id}`);
      return;
    }
    const total = await backend.dlqCount(scope.filter);
    if (total === 0 && scope.filter.group) throw notFound(`no dead letters in group ${scope.filter.group}`);
    const r = await backend.dlqRequeue(scope, {
      rate,
      delayMs,
      onProgress: progress(out, "requeued", total),
    });
    out.progressDone();
    out.result({ scope, ...r }, () =>
      total === 0 ? "no dead letters match: nothing requeued" : summary("requeued", r),
    );
  },
};

export const dlqDelete: Command = {
  name: "dlq delete",
  summary: "delete dead letters for good",
  usage: "requeue dlq delete (<queue> <id> | --group <fp> | --all) [filters] [--rate <n>] [--yes]",
  help: [
    ...SCOPE_HELP,
    ["-y, --yes", "do not ask before a bulk delete (needed when stdin is not a terminal)"],
  ],
  options: {
    ...FILTER_OPTIONS,
    all: { type: "boolean" },
    rate: { type: "string" },
    yes: { type: "boolean", short: "y" },
  },
  positionals: { min: 0, max: 2 },
  async run(values, positionals, { out, stdin }) {
    const scope = parseScope(values, positionals, "delete");
    const rate = intOpt(str(values.rate), "--rate", 1, 1_000_000);
    const { backend } = await openSession(values);
    if ("id" in scope) {
      const r = await backend.dlqDelete(scope, {});
      if (r.done === 0) throw notFound(`no dead letter ${JSON.stringify(scope.id)} in queue ${scope.queue}`);
      out.result({ scope, ...r }, () => `deleted ${scope.queue} / ${scope.id}`);
      return;
    }
    const total = await backend.dlqCount(scope.filter);
    if (total === 0 && scope.filter.group) throw notFound(`no dead letters in group ${scope.filter.group}`);
    if (total === 0) {
      out.result({ scope, matched: 0, done: 0, missing: 0 }, () => "no dead letters match: nothing deleted");
      return;
    }
    const what = `${num(total)} dead letter${total === 1 ? "" : "s"}${scopeText(scope.filter) ? ` ${scopeText(scope.filter)}` : ""}`;
    if (values.yes !== true) {
      if (!stdin.isTTY || out.json) throw usageError(`this deletes ${what}: add --yes to confirm`);
      if (!(await confirm(`Delete ${what}?`, stdin))) throw new CliError("not confirmed: nothing deleted");
    }
    const r = await backend.dlqDelete(scope, { rate, onProgress: progress(out, "deleted", total) });
    out.progressDone();
    out.result({ scope, ...r }, () => summary("deleted", r));
  },
};

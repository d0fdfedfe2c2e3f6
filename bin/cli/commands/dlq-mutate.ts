/**
 * `requeue dlq requeue | delete`: one dead letter (`<queue> <id>`), an error group
 * (`--group <fp>`), or everything matching the filters (`--all …`). Bulk runs show a progress
 * line; a bulk delete asks first (or needs --yes when nobody is at a terminal).
 */

import { CANARY_COUNT_MAX, type CanaryOptions } from "../../../lib/dlq/schemas.ts";
import type { BulkOutcome, DlqFilter } from "../backend.ts";
import { type Command, str, type Values } from "../command.ts";
import { CliError, notFound, usageError } from "../errors.ts";
import { num, type Output } from "../output.ts";
import { durationMs, intOpt, jobId, queueName, ratioOpt } from "../parse.ts";
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
    const c = p.canary;
    if (c && c.verdict === null) {
      const failed = c.failed.length ? `, ${num(c.failed.length)} failed again` : "";
      return out.progress(
        `canary: ${num(c.watched)} requeued, waiting for their outcome: ${num(c.succeeded)} succeeded${failed}`,
      );
    }
    const seen = p.done + p.missing;
    const pct = total ? ` (${Math.min(100, Math.floor((seen / total) * 100))}%)` : "";
    out.progress(
      `${verb} ${num(p.done)} / ${num(total)}${pct}${p.missing ? `, ${num(p.missing)} already gone` : ""}`,
    );
  };
}

function summary(verb: string, r: BulkOutcome): string {
  const gone = r.missing ? `, ${num(r.missing)} already gone` : "";
  const line = `${num(r.done)} ${verb}${gone}${r.cancelled ? " (cancelled)" : ""}`;
  return r.canary ? `${canaryText(r.canary)}\n${line}` : line;
}

/** The canary's verdict and, when it stopped the redrive, which jobs failed again and why. */
function canaryText(c: NonNullable<BulkOutcome["canary"]>): string {
  const head = `canary: ${num(c.succeeded)} of ${num(c.watched)} succeeded (${Math.round(c.minSuccess * 1000) / 10} % needed)`;
  if (c.verdict === "pass") return `${head}: passed, the rest was requeued`;
  const lines = [
    c.verdict === "fail"
      ? `${head}: FAILED, the rest was left in the DLQ`
      : `${head}: UNDECIDED after ${c.timeoutMs / 1000} s (${num(c.pending.length)} still pending), the rest was left in the DLQ`,
  ];
  for (const f of c.failed)
    lines.push(
      `  ${f.queue} / ${f.id} (${f.state}): ${f.error ? `${f.error.name}: ${f.error.message}` : "no error recorded"}`,
    );
  return lines.join("\n");
}

/** --canary <n> [--canary-min-success <ratio>] [--canary-timeout <duration>]; undefined without --canary. */
function parseCanary(values: Values): CanaryOptions | undefined {
  const count = intOpt(str(values.canary), "--canary", 1, CANARY_COUNT_MAX);
  const minSuccess = ratioOpt(str(values["canary-min-success"]), "--canary-min-success");
  const timeoutMs = durationMs(str(values["canary-timeout"]), "--canary-timeout");
  if (count === undefined) {
    if (minSuccess !== undefined || timeoutMs !== undefined)
      throw usageError("--canary-min-success and --canary-timeout need --canary <n>");
    return undefined;
  }
  return {
    count,
    minSuccess: minSuccess ?? 0.9,
    ...(timeoutMs !== undefined ? { timeoutSeconds: Math.max(1, Math.round(timeoutMs / 1000)) } : {}),
  };
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
  help: [
    ...SCOPE_HELP,
    ["--delay <duration>", "run them later: 30s, 5m, 2h"],
    ["--canary <n>", "requeue n first, wait for their outcome, go on only if enough succeeded (bulk)"],
    ["--canary-min-success <ratio>", "share of the canary that must succeed (default 0.9 = 90 %)"],
    [
      "--canary-timeout <duration>",
      "wait at most this long for the canary (default DLQ_CANARY_TIMEOUT_SECONDS)",
    ],
  ],
  notes: [
    "Examples:",
    "  requeue dlq requeue documents doc-42",
    "  requeue dlq requeue --all --queue audio --search timeout --rate 100",
    "  requeue dlq requeue --group 55ccc852 --queue documents --canary 10 --canary-min-success 0.9",
    "A canary that fails or stays undecided stops the requeue (exit 1) and lists the jobs that failed again.",
  ],
  options: {
    ...FILTER_OPTIONS,
    all: { type: "boolean" },
    rate: { type: "string" },
    delay: { type: "string" },
    canary: { type: "string" },
    "canary-min-success": { type: "string" },
    "canary-timeout": { type: "string" },
  },
  positionals: { min: 0, max: 2 },
  async run(values, positionals, { out }) {
    const scope = parseScope(values, positionals, "requeue");
    const rate = intOpt(str(values.rate), "--rate", 1, 1_000_000);
    const delayMs = durationMs(str(values.delay), "--delay");
    const canary = parseCanary(values);
    if (canary && "id" in scope)
      throw usageError("--canary applies to --group and --all, not to one dead letter");
    if (canary && delayMs) throw usageError("--canary cannot wait for delayed jobs: leave --delay out");
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
      canary,
      onProgress: progress(out, "requeued", total),
    });
    out.progressDone();
    out.result({ scope, ...r }, () =>
      total === 0 ? "no dead letters match: nothing requeued" : summary("requeued", r),
    );
    // after the report on stdout: a stopped canary is a failure a script must notice
    if (r.stopped)
      throw new CliError(
        `the canary ${r.canary?.verdict === "fail" ? "failed" : "was undecided"}: the rest was left in the DLQ`,
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

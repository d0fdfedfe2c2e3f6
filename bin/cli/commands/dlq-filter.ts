/**
 * The dead-letter filters every `dlq` command shares — the API's: queue, error group, time range,
 * text — validated with lib/dlq's own schemas, so the CLI refuses exactly what the API refuses.
 */
import { filterSchema } from "../../../lib/dlq/schemas.ts";
import type { DlqFilter } from "../backend.ts";
import { str, type Values } from "../command.ts";
import { usageError } from "../errors.ts";
import { timeOpt } from "../parse.ts";

export const FILTER_OPTIONS = {
  queue: { type: "string" },
  group: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  search: { type: "string" },
} as const;

export const FILTER_HELP: [string, string][] = [
  ["--queue <name>", "only this queue"],
  ["--group <fingerprint>", "only this error group (see `requeue dlq groups`)"],
  ["--from <time>", "dead since: ISO time, epoch ms, or an age like 2h"],
  ["--to <time>", "dead before: same forms"],
  ["--search <text>", "text in the error message"],
];

const FLAG: Record<string, string> = {
  queue: "--queue",
  group: "--group",
  from: "--from",
  to: "--to",
  search: "--search",
};

/** The filter options, validated; a problem names the option, e.g. `--queue: letters, digits…`. */
export function parseFilter(values: Values): DlqFilter {
  const raw = {
    queue: str(values.queue),
    group: str(values.group),
    from: timeOpt(str(values.from), "--from"),
    to: timeOpt(str(values.to), "--to"),
    search: str(values.search),
  };
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const r = filterSchema.safeParse(defined);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const key = String(i.path[0] ?? "");
    if (!key) return i.message.replace(/^from must not be after to$/, "--from must be before --to");
    return `${FLAG[key] ?? key} must be ${describeIssue(key, i.message)}, got ${JSON.stringify(defined[key])}`;
  });
  throw usageError([...new Set(problems)].join("; "), "see `requeue dlq list --help`");
}

function describeIssue(key: string, message: string): string {
  if (key === "group") return "an error fingerprint (see `requeue dlq groups`)";
  if (key === "search") return "1-200 characters without control characters";
  return message;
}

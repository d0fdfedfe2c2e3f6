/**
 * The shape of a CLI command and the parser every command shares: node:util parseArgs in strict
 * mode, `--help` / `-h` and `--json` everywhere, positional counts checked, and parse failures
 * turned into exit code 2 with a pointer to the command's help.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { usageError } from "./errors.ts";
import type { Output } from "./output.ts";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Context {
  out: Output;
  /** stdin, injectable for tests of the prompt paths */
  stdin: NodeJS.ReadStream;
}

export interface Command {
  /** e.g. "dlq list" */
  name: string;
  summary: string;
  /** e.g. "requeue dlq show <queue> <id> [--json]" */
  usage: string;
  /** option lines for --help: [flag, description] */
  help: [string, string][];
  /** extra paragraphs: examples, notes */
  notes?: string[];
  options: OptionSpec;
  positionals: { min: number; max: number };
  run(values: Values, positionals: string[], ctx: Context): Promise<void>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionSpec = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  "redis-url": { type: "string" },
};

export const COMMON_HELP: [string, string][] = [
  ["--json", "machine-readable output on stdout (errors as JSON on stderr)"],
  ["--redis-url <url>", "Redis to use (default: $REDIS_URL, else redis://127.0.0.1:6379)"],
  ["-h, --help", "show this help"],
];

export function helpText(cmd: Command): string {
  const lines = [`${cmd.summary}`, "", `Usage: ${cmd.usage}`, ""];
  const all = [...cmd.help, ...COMMON_HELP];
  const width = Math.max(...all.map(([f]) => f.length)) + 2;
  lines.push("Options:");
  for (const [flag, text] of all) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (cmd.notes?.length) lines.push("", ...cmd.notes);
  return `${lines.join("\n")}\n`;
}

export interface Parsed {
  values: Values;
  positionals: string[];
}

/** Parses argv for one command; throws a usage error (exit 2) on anything it does not accept. */
export function parseCommand(cmd: Command, argv: string[]): Parsed {
  let parsed: Parsed;
  const hint = `see \`requeue ${cmd.name} --help\``;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    }) as Parsed;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw usageError(msg.replace(/\. To specify a positional.*$/, ""), hint);
  }
  if (parsed.values.help) return parsed;
  const n = parsed.positionals.length;
  if (n < cmd.positionals.min) throw usageError(`missing arguments: ${cmd.usage}`, hint);
  if (n > cmd.positionals.max) {
    throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[cmd.positionals.max])}`, hint);
  }
  return parsed;
}

export const str = (v: Values[string]): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * The CLI's entry: finds the command (`requeue <command> [<subcommand>] …`), parses its
 * arguments, runs it and exits with a code that means something (errors.ts). Help is available
 * at every level: `requeue --help`, `requeue dlq --help`, `requeue dlq list --help`.
 */
import { type Command, helpText, parseCommand } from "./command.ts";
import { config } from "./commands/config.ts";
import { dlqGroups, dlqList, dlqShow } from "./commands/dlq.ts";
import { dlqDelete, dlqRequeue } from "./commands/dlq-mutate.ts";
import { enqueue } from "./commands/enqueue.ts";
import { jobsDelete, jobsList, jobsPromote, jobsReclaim, jobsRequeue, jobsShow } from "./commands/jobs.ts";
import { queuesPause, queuesResume } from "./commands/queues.ts";
import { stats } from "./commands/stats.ts";
import { tokensCreate, tokensList, tokensRevoke } from "./commands/tokens.ts";
import { usersAdd, usersList, usersSignOut } from "./commands/users.ts";
import { asCliError, EXIT, usageError } from "./errors.ts";
import { Output } from "./output.ts";
import { closeAll } from "./redis.ts";

type Entry = Command | { summary: string; sub: Record<string, Command> };

const COMMANDS: Record<string, Entry> = {
  enqueue,
  dlq: {
    summary: "list, show, requeue and delete dead letters",
    sub: { list: dlqList, groups: dlqGroups, show: dlqShow, requeue: dlqRequeue, delete: dlqDelete },
  },
  queues: {
    summary: "pause and resume queues",
    sub: { pause: queuesPause, resume: queuesResume },
  },
  jobs: {
    summary: "browse jobs by state and act on one job",
    sub: {
      list: jobsList,
      show: jobsShow,
      promote: jobsPromote,
      delete: jobsDelete,
      reclaim: jobsReclaim,
      requeue: jobsRequeue,
    },
  },
  stats,
  config,
  users: {
    summary: "manage console users",
    sub: { add: usersAdd, list: usersList, "sign-out": usersSignOut },
  },
  tokens: {
    summary: "manage API tokens",
    sub: { create: tokensCreate, list: tokensList, revoke: tokensRevoke },
  },
};

const isGroup = (e: Entry): e is { summary: string; sub: Record<string, Command> } => "sub" in e;

function topHelp(): string {
  const lines = [
    "requeue — operate a Requeue installation from the shell",
    "",
    "Usage: requeue <command> [options]",
    "",
  ];
  lines.push("Commands:");
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (isGroup(entry)) {
      for (const [subName, sub] of Object.entries(entry.sub)) {
        lines.push(`  ${`${name} ${subName}`.padEnd(16)}${sub.summary}`);
      }
    } else lines.push(`  ${name.padEnd(16)}${entry.summary}`);
  }
  lines.push(
    "",
    "Every command takes --help, --json and --redis-url <url> (default $REDIS_URL).",
    "Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 not found, 4 Redis unreachable.",
    "More: docs/cli.md",
  );
  return `${lines.join("\n")}\n`;
}

function groupHelp(name: string, group: { summary: string; sub: Record<string, Command> }): string {
  const lines = [
    `requeue ${name}: ${group.summary}`,
    "",
    `Usage: requeue ${name} <subcommand> [options]`,
    "",
  ];
  for (const [subName, sub] of Object.entries(group.sub)) lines.push(`  ${subName.padEnd(10)}${sub.summary}`);
  lines.push("", `\`requeue ${name} <subcommand> --help\` for its options.`);
  return `${lines.join("\n")}\n`;
}

/** Finds the command; returns it with the rest of argv, or prints help and returns null. */
function resolve(argv: string[]): { cmd: Command; rest: string[] } | null {
  const [first, second, ...more] = argv;
  if (!first || first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(topHelp());
    return null;
  }
  const entry = COMMANDS[first];
  if (!entry) throw usageError(`unknown command ${JSON.stringify(first)}`, "see `requeue --help`");
  if (!isGroup(entry)) return { cmd: entry, rest: argv.slice(1) };
  if (!second || second === "--help" || second === "-h") {
    if (!second)
      throw usageError(`\`requeue ${first}\` needs a subcommand`, groupHelp(first, entry).trimEnd());
    process.stdout.write(groupHelp(first, entry));
    return null;
  }
  const cmd = entry.sub[second];
  if (!cmd)
    throw usageError(
      `unknown subcommand ${JSON.stringify(`${first} ${second}`)}`,
      `see \`requeue ${first} --help\``,
    );
  return { cmd, rest: more };
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const out = new Output(json);
  try {
    const found = resolve(argv);
    if (!found) return EXIT.OK;
    const { values, positionals } = parseCommand(found.cmd, found.rest);
    if (values.help) {
      process.stdout.write(helpText(found.cmd));
      return EXIT.OK;
    }
    await found.cmd.run(values, positionals, { out, stdin: process.stdin });
    return EXIT.OK;
  } catch (err) {
    out.progressDone();
    const cliError = asCliError(err);
    out.error(cliError);
    if (process.env.REQUEUE_DEBUG && cliError !== err && err instanceof Error)
      process.stderr.write(`${err.stack}\n`);
    return cliError.exitCode;
  } finally {
    await closeAll();
  }
}

const code = await main(process.argv.slice(2));
// Flush stdout before exiting (a pipe may be slow); exit explicitly so no stray handle keeps us.
process.stdout.write("", () => process.exit(code));

/**
 * `requeue enqueue <queue> [payload|-]`: adds one job. The payload is JSON from the argument,
 * or from stdin with `-` (or when stdin is a pipe and no payload is given).
 */
import { hostname, userInfo } from "node:os";
import { type Command, str } from "../command.ts";
import { usageError } from "../errors.ts";
import { durationMs, intOpt, jsonPayload, queueName } from "../parse.ts";
import { openSession, readStdin } from "../session.ts";

export const enqueue: Command = {
  name: "enqueue",
  summary: "add a job to a queue",
  usage: "requeue enqueue <queue> [<json-payload> | -] [--id <id>] [--delay <duration>] [--max-attempts <n>]",
  help: [
    ["--id <id>", "the job's id (adding an id that exists changes nothing and says so)"],
    ["--delay <duration>", "run it later: 30s, 5m, 2h (a bare number is seconds)"],
    ["--max-attempts <n>", "attempts before it becomes a dead letter (default MAX_RETRY_ATTEMPTS)"],
  ],
  notes: [
    "Examples:",
    `  requeue enqueue documents '{"documentId": 42}'`,
    "  echo '{\"audioId\": 7}' | requeue enqueue audio - --delay 30s",
  ],
  options: {
    id: { type: "string" },
    delay: { type: "string" },
    "max-attempts": { type: "string" },
  },
  positionals: { min: 1, max: 2 },
  async run(values, [queueArg, payloadArg], { out, stdin }) {
    const queue = queueName(queueArg);
    const delayMs = durationMs(str(values.delay), "--delay");
    const maxAttempts = intOpt(str(values["max-attempts"]), "--max-attempts", 1, 1000);
    const id = str(values.id);
    if (id !== undefined && !/^[\w.:-]{1,128}$/.test(id)) {
      throw usageError(`--id must be 1-128 letters, digits, '_', '.', ':' or '-', got ${JSON.stringify(id)}`);
    }
    let text: string;
    let where = "argument";
    if (payloadArg === "-" || (payloadArg === undefined && !stdin.isTTY)) {
      text = await readStdin(stdin);
      where = "stdin";
      if (!text.trim()) throw usageError("no payload on stdin");
    } else if (payloadArg === undefined) {
      throw usageError("give a JSON payload, or - to read it from stdin", "see `requeue enqueue --help`");
    } else text = payloadArg;
    const payload = jsonPayload(text, where);

    const { backend } = await openSession(values);
    const metadata = { source: "cli", user: safeUser(), host: hostname() };
    const result = await backend.enqueue({ queue, payload, id, delayMs, maxAttempts, metadata });
    out.result({ queue, ...result, delayMs: delayMs ?? 0 }, () =>
      result.added
        ? `added job ${result.id} to ${queue}${delayMs ? ` (runs in ${Math.round(delayMs / 1000)}s)` : ""}`
        : `job ${result.id} already exists in ${queue}: nothing changed`,
    );
  },
};

function safeUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

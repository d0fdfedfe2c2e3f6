/**
 * What a command opens before it does anything: the configuration, a fail-fast Redis
 * connection (exit 4 when it does not answer) and the backend over the libraries.
 */
import type { Config } from "../../lib/config.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { Backend } from "./backend.ts";
import type { Values } from "./command.ts";
import { cliConfig, connect } from "./redis.ts";

export interface Session {
  config: Config;
  redis: RedisClient;
  backend: Backend;
}

export async function openSession(values: Values): Promise<Session> {
  const config = cliConfig(values);
  const redis = await connect(config);
  // Loaded here, not at the top: --help and bad arguments then never load the libraries (a
  // CLI start costs about a third of what it did).
  const { createBackend } = await import("./backend-impl.ts");
  return { config, redis, backend: await createBackend(redis) };
}

/** All of stdin as text (for `enqueue <queue> -` and piped passwords). */
export async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Asks a question on the terminal without echoing the answer (passwords). */
export async function promptHidden(question: string, stdin: NodeJS.ReadStream): Promise<string> {
  process.stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let answer = "";
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === "\r" || c === "\n") {
          finish();
          return resolve(answer);
        }
        if (c === "\u0003") {
          finish();
          return reject(new Error("cancelled"));
        }
        if (c === "\u007f") answer = answer.slice(0, -1);
        else answer += c;
      }
    };
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
export async function confirm(question: string, stdin: NodeJS.ReadStream): Promise<boolean> {
  process.stderr.write(`${question} [y/N] `);
  stdin.resume();
  stdin.setEncoding("utf8");
  const answer = await new Promise<string>((resolve) => stdin.once("data", (d) => resolve(String(d))));
  stdin.pause();
  return /^y(es)?$/i.test(answer.trim());
}

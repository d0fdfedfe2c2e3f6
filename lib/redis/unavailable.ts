/**
 * Where ioredis's "Redis cannot be reached" errors become one `RedisUnavailableError`, so the
 * console (503), the cache and the CLI (exit 4) test a class instead of matching error text.
 */
import type { Cluster, Redis } from "ioredis";
import { RedisUnavailableError } from "../errors.ts";

/** Socket errors Node gives a connection that cannot be made or was lost. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** ioredis's words for a command that never reached a working Redis. */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|enableOfflineQueue|MaxRetriesPerRequest|CLUSTERDOWN|LOADING|Reached the max retries|Command timed out|ClusterAllFailedError|Failed to refresh slots cache|None of startup nodes is available/i;

/** The error as a RedisUnavailableError when it says Redis could not be reached; else itself. */
export function classifyRedisError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof RedisUnavailableError) return err;
  const code = (err as { code?: unknown }).code;
  // ioredis's messages are short; the slice bounds the match whatever reached here
  const text = `${err.name} ${err.message}`.slice(0, 1000);
  if ((typeof code === "string" && SOCKET_CODES.has(code)) || UNREACHABLE.test(text))
    return new RedisUnavailableError(err.message, { cause: err });
  return err;
}

type Rejecting = { reject: (err: unknown) => void; [classified]?: true };
const classified = Symbol("requeue.classified");

/**
 * Every command the client sends rejects through `classifyRedisError`. ioredis has no hook for
 * command errors, so this wraps each command's `reject` on its way in (a command re-sent after a
 * reconnect is wrapped once). Cluster redirections still see the raw error: the cluster's own
 * wrapper runs inside this one.
 */
export function raiseUnavailable(client: Redis | Cluster): void {
  const send = client.sendCommand.bind(client) as (command: Rejecting, ...rest: unknown[]) => unknown;
  Object.assign(client, {
    sendCommand(command: Rejecting, ...rest: unknown[]) {
      if (!command[classified]) {
        const reject = command.reject;
        command.reject = (err) => reject(classifyRedisError(err));
        command[classified] = true;
      }
      return send(command, ...rest);
    },
  });
}

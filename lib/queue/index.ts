/**
 * Requeue's queue: the public entry. `createQueue(name)` gives a Queue with `add`, `addBatch`,
 * `process` and `close`; see docs/queue.md for the life of a job.
 *
 *   const q = createQueue("documents");
 *   await q.add({ docId: 42 }, { maxAttempts: 5, metadata: { by: "api" } });
 *   const consumer = q.process(async (job) => convert(job.data), { concurrency: 10 });
 *   await q.close(); // stops consumers gracefully, then closes the connection it opened
 */
import { type Config, getConfig } from "../config.ts";
import { createRedis, getRedis, type RedisClient } from "../redis/connection.ts";
import { globalKeys, queueKeys } from "../redis/keys.ts";
import { Consumer, type ConsumerOptions, type Handler } from "./consumer.ts";
import type { QueueContext } from "./context.ts";
import { NotReplicatedError, QueueError } from "./errors.ts";
import {
  type AddCallOptions,
  type AddResult,
  type JobOptions,
  type QueueSettings,
  queueSettings,
} from "./job.ts";
import { addJobs, addTimeout, boundAdd } from "./producer.ts";

export { Consumer, type ConsumerOptions, type Handler } from "./consumer.ts";
export {
  AddTimeoutError,
  JobTimeoutError,
  NotReplicatedError,
  QueueError,
  UnrecoverableError,
} from "./errors.ts";
export { fingerprint } from "./fingerprint.ts";
export type { AddCallOptions, AddResult, BackoffOptions, Job, JobOptions } from "./job.ts";
export { getJobLogs, type JobLogsPage } from "./logs.ts";
export { redact } from "./redact.ts";
export { retryDelay } from "./retry.ts";

export interface CreateQueueOptions {
  /** A client to use (not closed by the queue). Default: a connection of its own from `config`. */
  client?: RedisClient;
  /** Default: getConfig() (the environment). */
  config?: Config;
  /**
   * add() resolves only once `replicas` replicas have the jobs (Redis WAIT, at most `timeoutMs`),
   * else it throws NotReplicatedError. Default: JOB_ADD_REPLICAS / JOB_ADD_REPLICAS_TIMEOUT_MS.
   */
  durability?: { replicas: number; timeoutMs?: number };
}

/** Queue names registered by this process: one SADD per process and queue, not per job. */
const registered = new Set<string>();

export class Queue {
  readonly name: string;
  readonly ctx: QueueContext;
  private readonly ownsClient: boolean;
  private readonly consumers = new Set<Consumer>();
  /** this queue's name is in the registry (see register) */
  private registered = false;

  constructor(name: string, opts: CreateQueueOptions = {}) {
    const config = opts.config ?? getConfig();
    this.name = name;
    this.ownsClient = !opts.client && !!opts.config;
    const client =
      opts.client ?? (opts.config ? createRedis(config, { name: `requeue-queue` }) : getRedis("queue"));
    this.ctx = {
      name,
      client,
      keys: queueKeys(name, config.REDIS_KEY_PREFIX),
      settings: withDurability(queueSettings(config), opts.durability),
    };
  }

  /**
   * Adds one job. Resolves to its id and whether it was added (false: that id existed). Rejects
   * with AddTimeoutError (ADD_TIMEOUT) when Redis has not answered within `addTimeoutMs`
   * (default JOB_ADD_TIMEOUT_MS): add it again with the same jobId.
   */
  async add<T>(data: T, opts?: JobOptions & AddCallOptions): Promise<AddResult> {
    const [result] = await this.addBatch([{ data, opts }], opts);
    return result;
  }

  /** Adds many jobs in one round trip; all are validated before any is written. Bounded like add(). */
  async addBatch(jobs: { data: unknown; opts?: JobOptions }[], call?: AddCallOptions): Promise<AddResult[]> {
    const timeoutMs = addTimeout(this.ctx, call);
    return boundAdd(this.addAndRegister(jobs), timeoutMs, this.name, jobs.length);
  }

  private async addAndRegister(jobs: { data: unknown; opts?: JobOptions }[]): Promise<AddResult[]> {
    // Registered after the add, so a refused add leaves no trace; one SADD per process and queue.
    let results: AddResult[];
    try {
      results = await addJobs(this.ctx, jobs);
    } catch (err) {
      if (err instanceof NotReplicatedError) await this.register(); // the jobs are on the master
      throw err;
    }
    if (!this.registered) await this.register(); // no await per add once done (single adds are hot)
    return results;
  }

  /** Starts a consumer; stop it with `consumer.close()` or `queue.close()`. */
  process<T = unknown>(handler: Handler<T>, opts: ConsumerOptions = {}): Consumer {
    void this.register().catch(() => {});
    const consumer = new Consumer(this.ctx, handler as Handler, opts);
    this.consumers.add(consumer);
    return consumer;
  }

  /** Closes every consumer gracefully (see Consumer.close), then the connection if the queue opened it. */
  async close(timeoutMs?: number): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close(timeoutMs)));
    this.consumers.clear();
    if (this.ownsClient) await this.ctx.client.quit().catch(() => {});
  }

  private async register(): Promise<void> {
    const key = `${this.ctx.settings.prefix}\u0000${this.name}`;
    if (!registered.has(key)) {
      await this.ctx.client.sadd(globalKeys(this.ctx.settings.prefix).queues, this.name);
      registered.add(key);
    }
    this.registered = true;
  }
}

function withDurability(settings: QueueSettings, d: CreateQueueOptions["durability"]): QueueSettings {
  if (!d) return settings;
  if (!Number.isInteger(d.replicas) || d.replicas < 0)
    throw new QueueError("INVALID_OPTION", "durability.replicas must be an integer >= 0");
  const timeoutMs = d.timeoutMs ?? settings.addReplicasTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new QueueError("INVALID_OPTION", "durability.timeoutMs must be an integer >= 1");
  return { ...settings, addReplicas: d.replicas, addReplicasTimeoutMs: timeoutMs };
}

export function createQueue(name: string, opts?: CreateQueueOptions): Queue {
  return new Queue(name, opts);
}

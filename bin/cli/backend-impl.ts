/**
 * The backend over the libraries: lib/queue (enqueue, sizes), lib/dlq (dead letters),
 * lib/cache (statistics) and lib/auth (users, tokens, audit). The only file of the CLI that
 * knows their APIs (their errors' codes say the exit code: lib/errors.ts); every mutation is written to the audit log as done by `cli:<os user>`.
 */
import { userInfo } from "node:os";
import { type AuditActor, appendAudit } from "../../lib/auth/audit.ts";
import { createToken, describeToken, listTokens, revokeToken } from "../../lib/auth/tokens.ts";
import { AuthError } from "../../lib/auth/types.ts";
import { createUser, endSessions, listUsers } from "../../lib/auth/users.ts";
import { namespaceSummary } from "../../lib/cache/stats.ts";
import { getConfig } from "../../lib/config.ts";
import { countDeadLetters } from "../../lib/dlq/count.ts";
import { DlqError } from "../../lib/dlq/errors.ts";
import { listDeadLetters } from "../../lib/dlq/list.ts";
import { deleteDeadLetters, requeueDeadLetters } from "../../lib/dlq/mutate.ts";
import { getDeadLetter, listGroups } from "../../lib/dlq/read.ts";
import { viewDeadLetter, viewGroups, viewPage } from "../../lib/dlq/view.ts";
import { listJobs } from "../../lib/queue/browse.ts";
import { createQueue } from "../../lib/queue/index.ts";
import { queueSettings } from "../../lib/queue/job.ts";
import { jobAction } from "../../lib/queue/job-actions.ts";
import { findJob, getJob, viewJob } from "../../lib/queue/job-view.ts";
import { isPaused, pauseQueue, resumeQueue } from "../../lib/queue/pause.ts";
import { listQueues, oldestDeadAge, queueSizes } from "../../lib/queue/stats.ts";
import type { RedisClient } from "../../lib/redis/connection.ts";
import type { Backend, DlqFilter } from "./backend.ts";
import { bulk } from "./bulk.ts";
import { usageError } from "./errors.ts";

/** The CLI runs with the console's Redis, so with an admin's reach. */
const CLI_ROLE = "admin";

/** Who the audit log and token records name for CLI actions: "cli:<os user>". */
export function actor(): AuditActor {
  let name = "cli";
  try {
    name = `cli:${userInfo().username}`;
  } catch {
    // no user database entry (containers): "cli" it is
  }
  return { id: name, role: CLI_ROLE, via: "cli" };
}

export async function createBackend(redis: RedisClient): Promise<Backend> {
  const audit = (
    action: string,
    target: string,
    count?: number,
    outcome: "ok" | "partial" | "error" = "ok",
    detail?: string,
  ) => appendAudit(redis, actor(), action, { target, count, outcome, detail }).catch(() => undefined);

  return {
    enqueue: ({ queue, payload, id, ...opts }) =>
      createQueue(queue, { client: redis }).add(payload, { jobId: id, ...opts }),

    async dlqList(filter, page) {
      // Entries as the CLI's actor may see them (an admin: all), like every path (lib/dlq/view.ts).
      const r = await viewPage(redis, await listDeadLetters(redis, filter, page), CLI_ROLE);
      return { items: r.items, nextCursor: r.nextCursor, complete: r.complete };
    },
    dlqGroups: async (queue) => viewGroups(redis, await listGroups(redis, queue), CLI_ROLE),
    async dlqGet(queue, id) {
      try {
        return viewDeadLetter(await getDeadLetter(redis, queue, id), CLI_ROLE);
      } catch (err) {
        if (err instanceof DlqError && err.code === "NOT_FOUND") return null;
        throw err;
      }
    },
    dlqCount: (filter) => countDeadLetters(redis, filter),

    jobsList: (queue, state, page) => listJobs(redis, queue, { state, ...page }),
    async jobGet(queue, id) {
      const job = await getJob(redis, queue, id);
      return job && viewJob(job, CLI_ROLE);
    },
    jobFind: (id) => findJob(redis, id),
    async jobAction(queue, id, action) {
      const target = `${queue}/${id}`;
      try {
        const r = await jobAction(redis, queueSettings(getConfig()), queue, id, action, actor().id);
        await audit(`job.${action}`, target, r.changed ? 1 : 0);
        return r;
      } catch (err) {
        await audit(`job.${action}`, target, 0, "error", (err as Error).message);
        throw err;
      }
    },

    async dlqRequeue(scope, opts) {
      if ("id" in scope) {
        const r = await requeueDeadLetters(redis, scope.queue, [scope.id], {
          delayMs: opts.delayMs,
          by: actor().id,
        });
        if (r.done) await audit("dlq.requeue", `${scope.queue}/${scope.id}`, 1);
        return { matched: 1, done: r.done, missing: r.gone };
      }
      const r = await bulk(redis, "requeue", scope.filter, { ...opts, by: actor().id });
      const canary = r.canary
        ? `canary ${r.canary.verdict}: ${r.canary.succeeded}/${r.canary.watched} succeeded`
        : "";
      await audit(
        "dlq.requeue",
        describeFilter(scope.filter),
        r.done,
        r.cancelled || r.stopped ? "partial" : "ok",
        canary || undefined,
      );
      return r;
    },
    async dlqDelete(scope, opts) {
      if ("id" in scope) {
        const r = await deleteDeadLetters(redis, scope.queue, [scope.id]);
        if (r.done) await audit("dlq.delete", `${scope.queue}/${scope.id}`, 1);
        return { matched: 1, done: r.done, missing: r.gone };
      }
      const r = await bulk(redis, "delete", scope.filter, { ...opts, by: actor().id });
      await audit("dlq.delete", describeFilter(scope.filter), r.done, r.cancelled ? "partial" : "ok");
      return r;
    },

    async queueStats() {
      const now = Date.now();
      return Promise.all(
        (await listQueues(redis)).map(async (queue) => {
          const [sizes, age, paused] = await Promise.all([
            queueSizes(redis, queue),
            oldestDeadAge(redis, queue, now),
            isPaused(redis, queue),
          ]);
          return { queue, ...sizes, oldestDeadAt: age === null ? null : now - age, paused };
        }),
      );
    },
    async setPaused(queue, paused) {
      if (!(await listQueues(redis)).includes(queue)) return null;
      const r = paused ? await pauseQueue(redis, queue) : await resumeQueue(redis, queue);
      const unchanged = paused ? "already paused" : "was not paused";
      await audit(
        paused ? "queue.pause" : "queue.resume",
        queue,
        undefined,
        "ok",
        r.changed ? undefined : unchanged,
      );
      return r;
    },
    async cacheStats(windowMinutes) {
      const rows = await namespaceSummary(redis, { windowMs: windowMinutes * 60_000 });
      return rows.map((r) => ({
        namespace: r.namespace,
        hits: r.hits + r.staleHits,
        misses: r.misses,
        hitRate: r.hitRate,
      }));
    },

    async addUser({ email, role, password }) {
      const user = await createUser(redis, { email, role, password });
      await audit("user.create", user.email);
      return { email: user.email, role: user.role };
    },
    async listUsers() {
      return (await listUsers(redis)).map((u) => ({ email: u.email, role: u.role, createdAt: u.createdAt }));
    },
    async signOutUser(email) {
      await endSessions(redis, email);
      await audit("user.signout", email, undefined, "ok", "every session ended");
    },
    async createToken({ name, role, expiresInMs }) {
      const created = await createToken(redis, { name, role, expiresInMs, createdBy: actor().id });
      await audit(
        "token.create",
        `${created.info.name} (${created.info.id})`,
        undefined,
        "ok",
        describeToken(created.info),
      );
      return created;
    },
    listTokens: () => listTokens(redis),
    async revokeToken(idOrName) {
      const tokens = await listTokens(redis);
      const byId = tokens.find((t) => t.id === idOrName);
      const byName = tokens.filter((t) => t.name === idOrName);
      if (!byId && byName.length > 1) {
        throw usageError(
          `${byName.length} tokens are named ${JSON.stringify(idOrName)}: revoke one by its id`,
        );
      }
      const target = byId ?? byName[0];
      if (!target) return null;
      try {
        const info = await revokeToken(redis, target.id);
        await audit("token.revoke", `${info.name} (${info.id})`);
        return info;
      } catch (err) {
        if (err instanceof AuthError && err.code === "NOT_FOUND") return null;
        throw err;
      }
    },
  };
}

function describeFilter(f: DlqFilter): string {
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(" ") : "all";
}

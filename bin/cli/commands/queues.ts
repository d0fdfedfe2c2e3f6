/**
 * `requeue queues pause <queue>` and `requeue queues resume <queue>`: while a queue is paused its
 * consumers start nothing new from it (jobs running finish; adds and retry promotion go on). Both
 * are idempotent and audited; an unknown queue is "not found" (exit 3).
 */
import type { Command } from "../command.ts";
import { notFound } from "../errors.ts";
import { queueName } from "../parse.ts";
import { openSession } from "../session.ts";

function pauseCommand(paused: boolean): Command {
  const verb = paused ? "pause" : "resume";
  return {
    name: `queues ${verb}`,
    summary: paused
      ? "stop consumers from starting jobs of a queue"
      : "let consumers run a paused queue again",
    usage: `requeue queues ${verb} <queue>`,
    help: [],
    notes: paused
      ? [
          "Consumers lease nothing new within a second; jobs already running finish. Jobs can still be",
          "added, and due retries still move to ready. The pause lasts until `requeue queues resume`.",
        ]
      : ["Consumers pick the queue up again at their next poll (well within a second by default)."],
    options: {},
    positionals: { min: 1, max: 1 },
    async run(values, [queueArg], { out }) {
      const queue = queueName(queueArg);
      const { backend } = await openSession(values);
      const r = await backend.setPaused(queue, paused);
      if (!r) throw notFound(`no queue named ${JSON.stringify(queue)}`);
      out.result({ queue, ...r }, () =>
        r.changed
          ? `${paused ? "paused" : "resumed"} ${queue}`
          : `${queue} was already ${paused ? "paused" : "running"}: nothing changed`,
      );
    },
  };
}

export const queuesPause = pauseCommand(true);
export const queuesResume = pauseCommand(false);

"use server";
/** The queue page's mutations (admin): pause and resume — audited, checked on the server. */
import { z } from "zod";
import { action } from "#app/_lib/action.ts";
import { setPaused } from "#app/_lib/ops/queues.ts";
import { queueNameSchema } from "#lib/dlq/schemas.ts";

const queueInput = z.object({ queue: queueNameSchema });

export const pauseQueueAction = action(
  "admin",
  queueInput,
  ({ queue }, _principal, note) => setPaused(queue, true, note),
  { audit: { action: "queue.pause", target: ({ queue }) => queue } },
);

export const resumeQueueAction = action(
  "admin",
  queueInput,
  ({ queue }, _principal, note) => setPaused(queue, false, note),
  { audit: { action: "queue.resume", target: ({ queue }) => queue } },
);

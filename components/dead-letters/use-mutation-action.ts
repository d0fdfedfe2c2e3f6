"use client";
/**
 * Runs a server action, then invalidates what it may have changed (dead letters, queues, jobs,
 * bulk progress). Returns the action's result so the caller can say what happened, and
 * `blocked` while Redis is down so the caller can disable its controls.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState, useTransition } from "react";
import type { ActionResult } from "#app/_lib/action.ts";
import { qk } from "#components/query-keys.ts";
import { useRedisStatus } from "#components/shell/use-health.ts";

export function useMutationAction<I, T>(fn: (input: I) => Promise<ActionResult<T>>) {
  const client = useQueryClient();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  // While Redis (or the console server) is unreachable, mutation controls are disabled.
  const status = useRedisStatus().status;
  const blocked = status === "down" || status === "console-down";
  const run = useCallback(
    (input: I) =>
      new Promise<ActionResult<T>>((resolve) => {
        start(async () => {
          let r: ActionResult<T>;
          try {
            r = await fn(input);
          } catch {
            r = { ok: false, error: "The console server is unreachable; nothing was changed", status: 0 };
          }
          setResult(r);
          await Promise.all([
            client.invalidateQueries({ queryKey: qk.deadLetters.all }),
            client.invalidateQueries({ queryKey: qk.queues.all }),
            client.invalidateQueries({ queryKey: qk.jobs.all }),
          ]);
          resolve(r);
        });
      }),
    [fn, client],
  );
  return { run, pending, blocked, result, clear: () => setResult(null) };
}

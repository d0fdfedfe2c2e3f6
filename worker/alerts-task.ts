/**
 * The worker's periodic alert evaluation, registered in the task registry (worker/tasks.ts):
 * every ALERT_EVALUATE_INTERVAL_MS one replica measures the nine values, records state changes
 * and calls the webhook (lib/alerts). The registry's single-runner guard is the key
 * `sweepLock("alerts")` — the same one the console takes when it evaluates on a read because the
 * worker is late (lib/alerts/due.ts) — so worker and console together evaluate once per interval.
 * Even if two overlap, a change is announced once (lib/alerts compares-and-sets each state).
 *
 * worker/main.ts: `import { registerAlertsTask } from "./alerts-task.ts"; registerAlertsTask();`
 */
import { type EvaluationResult, evaluateAlerts } from "../lib/alerts/index.ts";
import { registerTask, type TaskContext } from "./tasks.ts";

const ALERTS_TASK = "alerts";

/** One evaluation, with a log line per state change. */
async function runAlertsTask(
  ctx: Pick<TaskContext, "client" | "config">,
  log: (line: string) => void = console.log,
): Promise<EvaluationResult> {
  const result = await evaluateAlerts(ctx.client, { config: ctx.config });
  for (const t of result.transitions) {
    const hook = t.webhook
      ? t.webhook.ok
        ? "webhook ok"
        : `webhook failed: ${t.webhook.error}`
      : "no webhook";
    log(
      `[alerts] ${t.label}: ${t.from} -> ${t.to} (${t.valueText}, threshold ${t.comparator} ${t.thresholdText}; ${hook})`,
    );
  }
  return result;
}

export function registerAlertsTask(): void {
  registerTask(
    ALERTS_TASK,
    (config) => config.ALERT_EVALUATE_INTERVAL_MS,
    async (ctx) => {
      const { transitions } = await runAlertsTask(ctx);
      return { changes: transitions.length };
    },
  );
}

/**
 * The webhook call made when an alert fires or resolves: one JSON POST with a deadline.
 * It never throws: the outcome (status or error) is returned and recorded in the alert
 * history, so a dead endpoint is visible in the console instead of crashing the worker.
 * The body carries a `text` line too, which Slack-style incoming webhooks display as is.
 */
import type { AlertTransition } from "./types.ts";

export interface WebhookOutcome {
  ok: boolean;
  status?: number;
  error?: string;
}

function webhookBody(t: AlertTransition) {
  const verb = t.to === "firing" ? "FIRING" : "RESOLVED";
  return {
    event: t.to === "firing" ? "alert.firing" : "alert.resolved",
    alert: t.id,
    label: t.label,
    state: t.to,
    value: t.value,
    threshold: t.threshold,
    comparator: t.comparator,
    at: new Date(t.at).toISOString(),
    text: `[Requeue] ${verb}: ${t.label} is ${t.valueText} (threshold ${t.comparator} ${t.thresholdText})`,
  };
}

export async function postWebhook(
  url: string,
  t: AlertTransition,
  timeoutMs: number,
): Promise<WebhookOutcome> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "requeue-alerts" },
      body: JSON.stringify(webhookBody(t)),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    // Drain the body so the connection is released; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    return res.ok
      ? { ok: true, status: res.status }
      : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason =
      e.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(err));
    return { ok: false, error: reason };
  }
}

/**
 * Alerts: the nine thresholds (the seed's eight and queue latency) with their current value, state and history. Admins edit
 * thresholds and the webhook here (server actions, checked again on the server); viewers read.
 */

import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { AlertsView } from "#components/alerts/alerts-view.tsx";
import { getWebhook, type WebhookSetting } from "#lib/alerts/index.ts";
import { resetThresholdAction, saveThresholdsAction, setWebhookAction } from "./actions.ts";

export const metadata = { title: "Alerts · Requeue" };
export const dynamic = "force-dynamic";

export default async function AlertsPage() {
  const principal = await requirePrincipal("viewer");
  let webhook: WebhookSetting = { url: null, source: "none" };
  if (principal.role === "admin") {
    // Redis down: the form starts empty; the table shows its own banner and recovers.
    webhook = await getWebhook(consoleRedis()).catch(() => webhook);
  }
  return (
    <>
      <h1>Alerts</h1>
      <AlertsView
        admin={
          principal.role === "admin"
            ? {
                saveThresholds: saveThresholdsAction,
                resetThreshold: resetThresholdAction,
                webhook: { initial: webhook, save: setWebhookAction },
              }
            : undefined
        }
      />
    </>
  );
}

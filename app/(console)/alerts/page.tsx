/**
 * Alerts: the seed's eight thresholds with their current value, state and history. Admins edit
 * thresholds and the webhook here (server actions, checked again on the server); viewers read.
 */

import { getWebhook, type WebhookSetting } from "#lib/alerts/index";
import { getRedis } from "#lib/redis/connection";
import { requirePrincipal } from "@/app/_lib/principal.ts";
import { AlertsView } from "@/components/alerts/alerts-view.tsx";
import { resetThresholdAction, setThresholdAction, setWebhookAction } from "./actions.ts";

export const metadata = { title: "Alerts · Requeue" };
export const dynamic = "force-dynamic";

export default async function AlertsPage() {
  const principal = await requirePrincipal("viewer");
  let webhook: WebhookSetting = { url: null, source: "none" };
  if (principal.role === "admin") {
    // Redis down: the form starts empty; the table shows its own banner and recovers.
    webhook = await getWebhook(getRedis("console", { failFast: true })).catch(() => webhook);
  }
  return (
    <>
      <h1>Alerts</h1>
      <AlertsView
        admin={
          principal.role === "admin"
            ? {
                setThreshold: setThresholdAction,
                resetThreshold: resetThresholdAction,
                webhook: { initial: webhook, save: setWebhookAction },
              }
            : undefined
        }
      />
    </>
  );
}

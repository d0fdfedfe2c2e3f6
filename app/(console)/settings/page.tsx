/**
 * /settings — your account for everyone (with "sign out everywhere"); users, API tokens and the
 * configuration in effect (secrets hidden) for admins. Viewers get no
 * mutation controls here (and the actions refuse them anyway: admin only, on the server).
 */

import { configInEffect } from "#app/_lib/ops/config-in-effect.ts";
import { consoleRedis } from "#app/_lib/ops/redis.ts";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { SignOutEverywhere } from "#components/auth-sign-out-everywhere.tsx";
import { AuthTokensPanel } from "#components/auth-tokens-panel.tsx";
import { AuthUsersPanel } from "#components/auth-users-panel.tsx";
import { ConfigTable } from "#components/settings/config-table.tsx";
import { listTokens, listUsers } from "#lib/auth/index.ts";
import { getConfig } from "#lib/config.ts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings · Requeue" };

export default async function SettingsPage() {
  const principal = await requirePrincipal("viewer");
  const isAdmin = principal.role === "admin";
  const redis = consoleRedis();
  const [users, tokens] = isAdmin ? await Promise.all([listUsers(redis), listTokens(redis)]) : [[], []];
  const hours = Math.round((getConfig().SESSION_MAX_AGE_SECONDS / 3600) * 10) / 10;
  return (
    <div data-testid="settings">
      <h1>Settings</h1>
      <section className="panel" aria-labelledby="account-h">
        <h2 id="account-h">Your account</h2>
        <p>
          Signed in as <strong>{principal.email ?? principal.name}</strong> with the role{" "}
          <span className={`role role-${principal.role}`}>{principal.role}</span>. Sessions last {hours} h.
        </p>
        <SignOutEverywhere />
        {isAdmin ? null : (
          <p className="muted" data-testid="viewer-note">
            Viewers may look but not change anything. Users and API tokens are managed by admins.
          </p>
        )}
      </section>
      {isAdmin ? (
        <>
          <AuthUsersPanel users={users} self={principal.email ?? ""} />
          <AuthTokensPanel tokens={tokens} />
          <ConfigTable settings={configInEffect()} />
        </>
      ) : null}
    </div>
  );
}

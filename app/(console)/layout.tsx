/**
 * The console's frame: every page under it is signed in (checked here and again by each page),
 * with the side navigation, the top bar (Redis, worker heartbeat, firing alerts, user), the
 * Redis-down banner and the firing-alerts strip (part B's components/alerts/firing-banner.tsx). Live data comes from React Query (components/providers.tsx).
 *
 * While Redis is unreachable the user record cannot be read: the frame still renders (without
 * the user) so the banner shows, and the page's own check fails into error.tsx inside it.
 *
 * The role an admin-only page needs is checked here too: the layout renders before the pages'
 * loading.tsx boundary, so a viewer gets a real 403 status instead of a 200 carrying the 403 UI.
 */
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { isRedisDown } from "#app/_lib/http.ts";
import { requirePrincipal, type SessionPrincipal } from "#app/_lib/principal.ts";
import { FiringAlertsBanner } from "#components/alerts/firing-banner.tsx";
import { roleFor } from "#components/nav.ts";
import { type ClientPrincipal, Providers } from "#components/providers.tsx";
import { RedisBanner } from "#components/shell/redis-banner.tsx";
import { SideNav } from "#components/shell/side-nav.tsx";
import { TopBar } from "#components/shell/top-bar.tsx";
import { SignOutButton } from "#components/sign-out-button.tsx";

export const dynamic = "force-dynamic";

async function signedIn(): Promise<ClientPrincipal | null> {
  const path = new URL((await headers()).get("x-requeue-path") ?? "/", "http://console").pathname;
  let principal: SessionPrincipal;
  try {
    principal = await requirePrincipal(roleFor(path));
  } catch (err) {
    // Redirects to /login and the 403 page are thrown too: only Redis being down is absorbed.
    if (isRedisDown(err)) return null;
    throw err;
  }
  return { name: principal.name, email: principal.email, role: principal.role };
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await signedIn();
  return (
    <Providers principal={user}>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <div className="shell">
        <SideNav />
        <div className="shell-main">
          <TopBar signOut={<SignOutButton />} />
          <RedisBanner />
          <FiringAlertsBanner />
          <main className="page" id="content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </div>
    </Providers>
  );
}

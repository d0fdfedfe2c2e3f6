/**
 * The console's frame: every page under it is signed in (checked here and again by each page),
 * with the side navigation, the top bar (Redis, worker heartbeat, firing alerts, user) and the
 * Redis-down banner. Live data comes from React Query (components/providers.tsx).
 */
import type { ReactNode } from "react";
import { requirePrincipal } from "@/app/_lib/principal.ts";
import { Providers } from "@/components/providers.tsx";
import { RedisBanner } from "@/components/shell/redis-banner.tsx";
import { SideNav } from "@/components/shell/side-nav.tsx";
import { TopBar } from "@/components/shell/top-bar.tsx";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const principal = await requirePrincipal("viewer");
  const user = { name: principal.name, email: principal.email, role: principal.role };
  return (
    <Providers principal={user}>
      <div className="shell">
        <SideNav />
        <div className="shell-main">
          <TopBar
            signOut={
              <a className="topbar-item btn btn-quiet" href="/api/auth/signout">
                Sign out
              </a>
            }
          />
          <RedisBanner />
          <main className="page">{children}</main>
        </div>
      </div>
    </Providers>
  );
}

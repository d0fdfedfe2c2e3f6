/**
 * Cache: hit rate per namespace over time (1 h / 24 h / 7 d, in the URL), hits and misses,
 * latency, Redis memory, evictions and ops/s, and a table per namespace. Admins may flush a
 * namespace or invalidate a tag (server actions, checked again on the server); viewers only look.
 */
import { Suspense } from "react";
import { requirePrincipal } from "#app/_lib/principal.ts";
import { CacheView } from "#components/cache/cache-view.tsx";
import { Loading } from "#components/ui/states.tsx";
import { flushNamespaceAction, invalidateTagAction } from "./actions.ts";

export const metadata = { title: "Cache · Requeue" };
export const dynamic = "force-dynamic";

export default async function CachePage() {
  const principal = await requirePrincipal("viewer");
  const admin =
    principal.role === "admin" ? { flush: flushNamespaceAction, invalidate: invalidateTagAction } : undefined;
  return (
    <>
      <h1>Cache</h1>
      <Suspense fallback={<Loading what="cache statistics" />}>
        <CacheView admin={admin} />
      </Suspense>
    </>
  );
}

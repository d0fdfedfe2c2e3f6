"use client";
/**
 * False while React hydrates server HTML (and on the server), true after. The console's pages
 * hydrate after its shell (they stream behind a Suspense boundary), and the shell's queries may
 * already have filled React Query's cache by then: a page component that renders that cached
 * data during its own hydration draws different HTML than the server did (React error #418).
 * Gate such data with this, and the component renders it one commit later.
 */
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

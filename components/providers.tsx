"use client";
/**
 * Client-side context of the console: one React Query client (live data, polling, last known
 * data kept on failure) and the signed-in principal, so components can leave out mutation
 * controls for viewers. The server checks the role again on every action and route.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { ApiError } from "./api-client.ts";
import { POLL_MS } from "./query-keys.ts";

export interface ClientPrincipal {
  name: string;
  email?: string;
  role: "viewer" | "admin";
}

const PrincipalContext = createContext<ClientPrincipal | null>(null);

export function usePrincipal(): ClientPrincipal | null {
  return useContext(PrincipalContext);
}

/** True only for admins: viewers see no Requeue, Delete or Edit controls. */
export function useCanMutate(): boolean {
  return usePrincipal()?.role === "admin";
}

function makeClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchInterval: POLL_MS,
        staleTime: 2_000,
        // Keep the last known data on failure; retry once except for answers that will not change.
        retry: (count, err) =>
          count < 1 && !(err instanceof ApiError && [400, 401, 403, 404].includes(err.status)),
        refetchOnWindowFocus: true,
      },
    },
  });
}

export function Providers({
  principal,
  children,
}: {
  principal: ClientPrincipal | null;
  children: ReactNode;
}) {
  const [client] = useState(makeClient);
  // Tests (and curious admins) can tell when the page is interactive: clicks before this are lost.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <QueryClientProvider client={client}>
      <PrincipalContext.Provider value={principal}>{children}</PrincipalContext.Provider>
    </QueryClientProvider>
  );
}

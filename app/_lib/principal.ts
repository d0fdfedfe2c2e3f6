/**
 * Who is calling: a signed-in user (next-auth session) or an API token. Every route handler,
 * server action and page asks here; the proxy is only a first gate.
 *
 * PLACEHOLDER until issue 6 lands: it admits nobody, so nothing is reachable by accident.
 */
export type Role = "viewer" | "admin";

export interface Principal {
  id: string;
  email?: string;
  name: string;
  role: Role;
  via: "session" | "token";
}

const rank: Record<Role, number> = { viewer: 1, admin: 2 };

export function hasRole(principal: Principal, needed: Role): boolean {
  return rank[principal.role] >= rank[needed];
}

export async function authenticateRequest(_request: Request): Promise<Principal | null> {
  return null;
}

/**
 * Who is calling: a signed-in user (next-auth session) or an API token. Every route handler,
 * server action and page asks here; the proxy is only a first gate.
 *
 * PLACEHOLDER until issue 6 lands: it admits nobody, so nothing is reachable by accident.
 * The signatures are the contract the console codes against.
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

/** Route handlers: the session cookie or `Authorization: Bearer <token>`; null when anonymous. */
export async function authenticateRequest(_request: Request): Promise<Principal | null> {
  return null;
}

/** Server components and server actions: the signed-in user, or null. */
export async function currentPrincipal(): Promise<Principal | null> {
  return null;
}

/**
 * Pages: the signed-in user with at least `role`. Anonymous → redirect to /login;
 * signed in without the role → the 403 page (Next's `forbidden()`).
 */
export async function requirePrincipal(_role: Role): Promise<Principal> {
  throw new Error("access control is not in place yet (issue 6)");
}

/** Who a caller is and what their role allows: plain data, imported by principal.ts and the audit helpers. */

/**
 * What a caller may be: a user's role (viewer < admin), or `producer`, which only API tokens
 * carry: it may add jobs and nothing else. It stands outside the viewer < admin rank, so a
 * producer never passes a check for "viewer" (or "admin"), and a route open to producers
 * (`role: "producer"`) is open to admins too.
 */
export type Role = "viewer" | "admin" | "producer";

export interface Principal {
  id: string;
  email?: string;
  name: string;
  role: Role;
  via: "session" | "token";
  /** the client's address, for the audit log */
  ip?: string;
}

/** The roles of users (sessions): what pages and server actions check. */
export type UserRole = Exclude<Role, "producer">;

/** A signed-in user: never a producer (only tokens are). */
export interface SessionPrincipal extends Principal {
  role: UserRole;
}

const rank: Record<UserRole, number> = { viewer: 1, admin: 2 };

export function hasRole(principal: Principal, needed: Role): boolean {
  const { role } = principal;
  if (needed === "producer") return role === "producer" || role === "admin";
  if (role === "producer") return false;
  return rank[role] >= rank[needed];
}

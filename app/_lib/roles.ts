/** Who a caller is and what their role allows: plain data, imported by principal.ts and the audit helpers. */
export type Role = "viewer" | "admin";

export interface Principal {
  id: string;
  email?: string;
  name: string;
  role: Role;
  via: "session" | "token";
  /** the client's address, for the audit log */
  ip?: string;
}

const rank: Record<Role, number> = { viewer: 1, admin: 2 };

export function hasRole(principal: Principal, needed: Role): boolean {
  return rank[principal.role] >= rank[needed];
}

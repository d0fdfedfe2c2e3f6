/**
 * The console's one navigation, kept as data: the side bar renders it, tests and breadcrumbs
 * read it. Add a page here and it appears everywhere.
 */
export interface NavItem {
  href: string;
  label: string;
  /**
   * Only admins may open it. Shown to viewers too; the console's layout refuses them with a 403
   * before the page streams (see `roleFor`), and the page checks again.
   */
  adminOnly?: boolean;
}

export const NAV: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/queues", label: "Queues" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/cache", label: "Cache" },
  { href: "/alerts", label: "Alerts" },
  { href: "/audit", label: "Audit", adminOnly: true },
  { href: "/settings", label: "Settings" },
];

/** The nav entry a path belongs to: the longest href that prefixes it. */
export function activeNav(pathname: string): NavItem | undefined {
  return [...NAV]
    .filter((n) =>
      n.href === "/" ? pathname === "/" : pathname === n.href || pathname.startsWith(`${n.href}/`),
    )
    .sort((a, b) => b.href.length - a.href.length)[0];
}

/** The role a console path needs: the layout checks it before the page starts streaming. */
export function roleFor(pathname: string): "admin" | "viewer" {
  return activeNav(pathname)?.adminOnly ? "admin" : "viewer";
}

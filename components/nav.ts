/**
 * The console's one navigation, kept as data: the side bar renders it, tests and breadcrumbs
 * read it. Add a page here and it appears everywhere.
 */
export interface NavItem {
  href: string;
  label: string;
  /** Shown to viewers too; every page checks the role on the server anyway. */
  adminOnly?: boolean;
}

export const NAV: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/queues", label: "Queues" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/cache", label: "Cache" },
  { href: "/alerts", label: "Alerts" },
  { href: "/audit", label: "Audit" },
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

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

/** A queue's job lists, one tab per state; dead jobs live on the dead-letter pages. */
export const JOB_TABS = [
  { state: "waiting", label: "Waiting" },
  { state: "active", label: "Active" },
  { state: "scheduled", label: "Scheduled" },
  { state: "completed", label: "Completed" },
  { state: "dead", label: "Dead" },
] as const;
export type JobTab = (typeof JOB_TABS)[number]["state"];

const seg = encodeURIComponent;

/** The list of a queue's jobs in one state (dead: the dead-letter list filtered to the queue). */
export function jobsHref(queue: string, state: JobTab): string {
  if (state === "dead") return `/dead-letters?queue=${seg(queue)}`;
  return `/queues/${seg(queue)}/jobs?state=${state}`;
}

/** One job's page, whatever its state. */
export function jobHref(queue: string, id: string): string {
  return `/queues/${seg(queue)}/jobs/${seg(id)}`;
}

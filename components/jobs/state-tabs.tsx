/** A queue's job lists as tabs (links), the current one marked; Dead opens the dead-letter list. */
import Link from "next/link";
import { JOB_TABS, type JobTab, jobsHref } from "#components/nav.ts";

export function JobStateTabs({ queue, current }: { queue: string; current?: JobTab }) {
  return (
    <nav className="tabs tabs-wrap" aria-label={`Jobs of ${queue} by state`} data-testid="job-tabs">
      {JOB_TABS.map((t) => (
        <Link
          key={t.state}
          href={jobsHref(queue, t.state)}
          className={t.state === current ? "tab tab-active" : "tab"}
          aria-current={t.state === current ? "page" : undefined}
          data-testid={`tab-${t.state}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

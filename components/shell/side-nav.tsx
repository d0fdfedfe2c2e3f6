"use client";
/** The side bar: the navigation data (components/nav.ts) rendered, with the current page marked. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import { activeNav, NAV } from "#components/nav.ts";

export function SideNav() {
  const pathname = usePathname() ?? "/";
  const active = activeNav(pathname);
  return (
    <nav className="side-nav" aria-label="Console">
      <Link href="/" className="brand">
        Requeue
      </Link>
      <ul>
        {NAV.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={item === active ? "page" : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { nonceOf } from "#app/_lib/security-headers.ts";
import { THEME_BOOT_SCRIPT } from "#components/shell/theme.ts";
import "./globals.css";

// Every page renders per request: Next.js marks its scripts with the request's CSP nonce
// (proxy.ts) only then. This covers the pages without a layout of their own (404, 403).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Requeue",
  description: "Dead letters, retries and cache statistics for Redis-backed jobs",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme script is inline, so it needs this request's nonce (proxy.ts puts the policy on the request).
  const nonce = nonceOf((await headers()).get("content-security-policy"));
  return (
    // The theme script sets data-theme on <html> before React hydrates: not a mismatch.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant string, no user input */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}

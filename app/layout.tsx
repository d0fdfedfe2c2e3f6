import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page renders per request: Next.js marks its scripts with the request's CSP nonce
// (proxy.ts) only then. This covers the pages without a layout of their own (404, 403).
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Requeue",
  description: "Dead letters, retries and cache statistics for Redis-backed jobs",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

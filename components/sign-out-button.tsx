"use client";
/**
 * Sign-out control for the console's top bar. Ends the next-auth session (POST with its CSRF
 * token, done by `signOut`) and returns to /login.
 */
import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton({ className = "topbar-item btn btn-quiet" }: { className?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={className}
      data-testid="sign-out"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/login" });
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}

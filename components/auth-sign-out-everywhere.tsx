"use client";
/**
 * Settings › Your account: "Sign out everywhere" ends every session of the signed-in user — on
 * every browser and device, this one included — then clears this browser's cookie and returns
 * to /login. For a lost laptop or a shared computer; API tokens are not affected.
 */
import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { signOutEverywhereAction } from "#app/(console)/settings/actions.ts";
import { useConfirm } from "#components/ui/use-confirm.tsx";

export function SignOutEverywhere() {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [dialog, ask] = useConfirm();

  async function onClick() {
    const ok = await ask({
      title: "Sign out everywhere?",
      text: "Every session of your account ends, on every browser and device, this one included. API tokens are not affected.",
      confirmLabel: "Sign out everywhere",
    });
    if (!ok) return;
    start(async () => {
      const res = await signOutEverywhereAction({});
      if (res.ok) await signOut({ callbackUrl: "/login" });
      else setError(res.error);
    });
  }

  return (
    <p className="actions">
      {dialog}
      <button
        type="button"
        className="btn btn-danger btn-small"
        data-testid="sign-out-everywhere"
        disabled={pending}
        onClick={onClick}
      >
        {pending ? "Signing out…" : "Sign out everywhere"}
      </button>
      {error ? (
        <span className="error-text" data-testid="sign-out-everywhere-error" aria-live="polite">
          {error}
        </span>
      ) : null}
    </p>
  );
}

"use client";
/** A console page failed to render: say so, keep the shell, offer a retry. No stack to the browser. */
import { ErrorState } from "@/components/ui/states.tsx";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const redis = /redis|ECONNREFUSED|unreachable/i.test(error.message);
  return (
    <ErrorState
      title={redis ? "Redis is unreachable" : "This page could not be shown"}
      message={
        redis
          ? "The page will work again as soon as Redis is back."
          : `Something went wrong${error.digest ? ` (reference ${error.digest})` : ""}. Try again, or go back.`
      }
      retry={reset}
    />
  );
}

"use client";
/**
 * A console page failed to render. Inside the shell (the banner and navigation stay); when the
 * cause is Redis being down, it says so and retries by itself as soon as Redis is back.
 * No stack or server message reaches the browser (production redacts them anyway).
 */
import { useRouter } from "next/navigation";
import { startTransition, useEffect, useRef } from "react";
import { useRedisStatus } from "#components/shell/use-health.ts";
import { ErrorState } from "#components/ui/states.tsx";

export default function ConsoleError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  const { status } = useRedisStatus();
  const redisDown = status === "down" || status === "console-down";

  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });

  // Recover by itself: when health goes from down to up, render the page anew (only then, so a
  // page that fails for another reason does not retry in a loop).
  const wasDown = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of status should retry
  useEffect(() => {
    if (redisDown) wasDown.current = true;
    else if (status === "up" && wasDown.current) {
      wasDown.current = false;
      retry();
    }
  }, [status]);

  return (
    <ErrorState
      title={redisDown ? "Redis is unreachable" : "This page could not be shown"}
      message={
        redisDown
          ? "This page loads again by itself as soon as Redis is back."
          : `Something went wrong${error.digest ? ` (reference ${error.digest})` : ""}. Try again, or go back.`
      }
      retry={retry}
    />
  );
}

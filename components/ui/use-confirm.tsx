"use client";
/**
 * `const [dialog, ask] = useConfirm()`: the one confirmation dialog (confirm-dialog.tsx) as a
 * promise, for a one-button action: `if (!(await ask({ … }))) return;`. Render `dialog` once in
 * the component. Resolves true on confirm, false on Cancel or Escape.
 */
import { type ReactNode, useCallback, useRef, useState } from "react";
import { ConfirmDialog } from "./confirm-dialog.tsx";

export interface ConfirmRequest {
  title: string;
  /** the full sentence of what will happen */
  text: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  /** where focus goes when the button that asked is gone */
  returnFocus?: () => HTMLElement | null | undefined;
}

export function useConfirm(): [ReactNode, (request: ConfirmRequest) => Promise<boolean>] {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const ask = useCallback((r: ConfirmRequest) => {
    resolver.current?.(false);
    setRequest(r);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);
  const answer = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setRequest(null);
  };
  const dialog = request ? (
    <ConfirmDialog
      open
      title={request.title}
      confirmLabel={request.confirmLabel}
      tone={request.tone ?? "danger"}
      onCancel={() => answer(false)}
      onConfirm={() => answer(true)}
      returnFocus={request.returnFocus}
    >
      <p>{request.text}</p>
    </ConfirmDialog>
  ) : null;
  return [dialog, ask];
}

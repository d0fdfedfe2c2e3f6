"use client";
/**
 * The console's one confirmation for a destructive or bulk action: a modal alert dialog with a
 * title, a sentence that says in full what will happen ("Requeue 81 dead letters of `documents`
 * in group 55ccc852…"), optional fields (a rate limit, a canary), then Cancel / confirm.
 *
 * Accessible by construction: a native <dialog> opened with showModal() — the rest of the page is
 * inert, so focus stays inside — with role="alertdialog", aria-modal, a label (the title) and a
 * description (the sentence). Escape cancels; Tab cycles within the dialog. Focus starts on
 * Cancel (the safe choice). When the dialog closes after Cancel or Escape, focus returns to the
 * control that opened it; after a confirmed action, to `returnFocus()` (what happened: the
 * outcome line) when given — and whenever the opener is gone (its row was requeued), to
 * `returnFocus()` or else the page's main heading.
 */
import { type ReactNode, useEffect, useId, useLayoutEffect, useRef } from "react";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** the full sentence (and any note) of what will happen */
  children: ReactNode;
  /** fields between the sentence and the buttons (rate limit, canary) */
  fields?: ReactNode;
  confirmLabel: string;
  /** danger for what cannot be undone (delete, flush), primary for the rest (requeue) */
  tone?: "danger" | "primary";
  pending?: boolean;
  /** the confirm button is off (the count is not known yet, a field is invalid) */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** where focus goes when the control that opened the dialog is gone */
  returnFocus?: () => HTMLElement | null | undefined;
  testId?: string;
  confirmTestId?: string;
}

const FOCUSABLE = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href]";

function focusAfterClose(
  opener: Element | null,
  fallback: (() => HTMLElement | null | undefined) | undefined,
  confirmed: boolean,
) {
  const outcome = confirmed ? fallback?.() : undefined;
  if (outcome) return focusElement(outcome);
  if (opener instanceof HTMLElement && opener.isConnected && !opener.closest("[inert]")) {
    // a disabled button cannot take focus: its row or panel can
    if (!(opener as HTMLButtonElement).disabled) return opener.focus();
  }
  const target = fallback?.() ?? document.querySelector<HTMLElement>("main h1, h1");
  if (target) focusElement(target);
}

function focusElement(target: HTMLElement) {
  if (!target.hasAttribute("tabindex") && !target.matches("a, button, input, select, textarea"))
    target.setAttribute("tabindex", "-1");
  target.focus();
}

export function ConfirmDialog({
  open,
  title,
  children,
  fields,
  confirmLabel,
  tone = "danger",
  pending = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
  returnFocus,
  testId = "confirm-dialog",
  confirmTestId = "confirm",
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const fallback = useRef(returnFocus);
  fallback.current = returnFocus;
  /** the dialog ends with its confirm button (not Cancel or Escape) */
  const confirmed = useRef(false);
  const id = useId();

  // Opened before paint, so the opener is still the focused element.
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      confirmed.current = false;
      d.showModal();
      cancelRef.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);

  // Unmounted while open (the caller rendered it conditionally): focus goes back all the same.
  useEffect(() => {
    const d = ref.current;
    return () => {
      if (d?.open || opener.current) {
        const o = opener.current;
        opener.current = null;
        // after React has committed the removal (the opener's row may be gone by then)
        setTimeout(() => focusAfterClose(o, fallback.current, confirmed.current), 0);
      }
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: the caller decides (it closes by setting open=false or unmounting)
        e.preventDefault();
        if (!pending) onCancel();
      }}
      onClose={() => {
        const o = opener.current;
        opener.current = null;
        if (o) setTimeout(() => focusAfterClose(o, fallback.current, confirmed.current), 0);
      }}
      onKeyDown={(e) => {
        // Tab cycles inside the dialog (the page behind is inert; this keeps focus off the browser's chrome too)
        if (e.key !== "Tab") return;
        const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (!items.length) return;
        const first = items[0];
        const last = items[items.length - 1];
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-text`} data-testid="confirm-text">
        {children}
      </div>
      {fields}
      <div className="actions">
        <button ref={cancelRef} type="button" className="btn" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button
          type="button"
          className={`btn ${tone === "danger" ? "btn-danger" : "btn-primary"}`}
          onClick={() => {
            confirmed.current = true;
            onConfirm();
          }}
          disabled={pending || confirmDisabled}
          data-testid={confirmTestId}
        >
          {pending ? "Working…" : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

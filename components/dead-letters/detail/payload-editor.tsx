"use client";
/**
 * Edit & requeue: the payload as JSON text, validated as you type (the error says where), sent to
 * the server action only when it parses. The library keeps the original in the entry's history.
 */
import { useState } from "react";
import { editRequeueAction } from "#app/(console)/dead-letters/actions.ts";
import { useMutationAction } from "#components/dead-letters/use-mutation-action.ts";

function validate(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export function PayloadEditor({
  queue,
  id,
  payload,
  onStart,
  onDone,
}: {
  queue: string;
  id: string;
  payload: unknown;
  /** the requeue starts: the entry may leave the dead letters */
  onStart?: () => void;
  /** it ended: with a message when it succeeded, null when it did not */
  onDone: (message: string | null) => void;
}) {
  const initial = JSON.stringify(payload, null, 2) ?? "null";
  const [text, setText] = useState(initial);
  const [open, setOpen] = useState(false);
  const edit = useMutationAction(editRequeueAction);
  const problem = validate(text);

  if (!open)
    return (
      <button type="button" className="btn" data-testid="edit-requeue" onClick={() => setOpen(true)}>
        Edit &amp; requeue…
      </button>
    );

  async function submit() {
    onStart?.();
    const r = await edit.run({ queue, id, payload: text });
    onDone(r.ok ? "Requeued with the edited payload; the original is kept in the entry's history" : null);
  }

  return (
    <div className="panel editor" data-testid="payload-editor">
      <label htmlFor="payload-json">Payload (JSON)</label>
      <textarea
        id="payload-json"
        className="json-input"
        data-testid="payload-input"
        spellCheck={false}
        rows={Math.min(24, Math.max(6, text.split("\n").length + 1))}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby="payload-status"
        onChange={(e) => setText(e.target.value)}
      />
      <p id="payload-status" className={problem ? "error-text" : "ok-text"} data-testid="payload-status">
        {problem ? `Not valid JSON: ${problem}` : "✓ Valid JSON"}
      </p>
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="edit-requeue-submit"
          disabled={!!problem || edit.pending || edit.blocked}
          onClick={submit}
        >
          Requeue with this payload
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          onClick={() => {
            setText(initial);
            setOpen(false);
          }}
        >
          Cancel
        </button>
        {edit.result && !edit.result.ok ? <span className="error-text">{edit.result.error}</span> : null}
      </div>
    </div>
  );
}

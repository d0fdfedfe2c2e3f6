/**
 * The requeue / delete pair every dead-letter view offers — on a row, a group, a selection and
 * one entry — with the test ids the end-to-end specs use. Only rendered for admins; the server
 * checks the role again.
 */
export type DeadLetterAction = "requeue" | "delete";

export function RequeueDeleteButtons({
  onAct,
  disabled,
  labels = ["Requeue", "Delete"],
  small = false,
  primary = false,
}: {
  onAct: (action: DeadLetterAction) => void;
  disabled: boolean;
  /** [requeue, delete] */
  labels?: [string, string];
  small?: boolean;
  /** requeue is the page's main action */
  primary?: boolean;
}) {
  const size = small ? " btn-small" : "";
  return (
    <>
      <button
        type="button"
        className={`btn${primary ? " btn-primary" : ""}${size}`}
        data-testid="requeue"
        disabled={disabled}
        onClick={() => onAct("requeue")}
      >
        {labels[0]}
      </button>
      <button
        type="button"
        className={`btn btn-danger${size}`}
        data-testid="delete"
        disabled={disabled}
        onClick={() => onAct("delete")}
      >
        {labels[1]}
      </button>
    </>
  );
}

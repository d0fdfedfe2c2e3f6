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
  rowName,
}: {
  onAct: (action: DeadLetterAction) => void;
  disabled: boolean;
  /** [requeue, delete] */
  labels?: [string, string];
  small?: boolean;
  /** requeue is the page's main action */
  primary?: boolean;
  /** on a row: what the row is ("493"), so each button's name says which row it acts on ("Requeue 493") */
  rowName?: string;
}) {
  const size = small ? " btn-small" : "";
  return (
    <>
      <button
        type="button"
        className={`btn${primary ? " btn-primary" : ""}${size}`}
        data-testid="requeue"
        aria-label={rowName ? `${labels[0]} ${rowName}` : undefined}
        disabled={disabled}
        onClick={() => onAct("requeue")}
      >
        {labels[0]}
      </button>
      <button
        type="button"
        className={`btn btn-danger${size}`}
        data-testid="delete"
        aria-label={rowName ? `${labels[1]} ${rowName}` : undefined}
        disabled={disabled}
        onClick={() => onAct("delete")}
      >
        {labels[1]}
      </button>
    </>
  );
}

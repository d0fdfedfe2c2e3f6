import styles from "./login/login.module.css";

/** The 403 page: rendered by `forbidden()` when a signed-in user lacks the role a page needs. */
export default function Forbidden() {
  return (
    <main className={styles.login} data-testid="forbidden">
      <div className={styles.panel}>
        <h1>403 — not allowed</h1>
        <p>Your role does not allow this page. Ask an admin if you need it.</p>
        <p>
          <a href="/">Back to the overview</a>
        </p>
      </div>
    </main>
  );
}

/** The error a handler throws to answer with a status other than 500 (app/_lib/http.ts turns it into JSON). */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

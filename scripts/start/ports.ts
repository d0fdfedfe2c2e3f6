/**
 * A port someone else holds, found before anything starts, so the message names the port and
 * the setting to change instead of a stack trace from deep inside Next.js or redis-server.
 */
import { createServer } from "node:net";
import { StartError } from "./processes.ts";

/** True when nothing listens on host:port (we could bind it, and let it go at once). */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws a StartError naming the port, what it is for and the setting that moves it. */
export async function claimPort(host: string, port: number, what: string, setting: string): Promise<void> {
  if (await portFree(host, port)) return;
  const next = port < 65535 ? port + 1 : port - 1;
  throw new StartError(
    `port ${port} on ${host} is already in use, and it is ${what}. ` +
      `Stop what uses it, or choose another port: ${setting}=${next} npm start`,
  );
}

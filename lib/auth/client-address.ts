/**
 * The client's address, for the per-address sign-in limit and the audit log.
 *
 * Only the socket is a fact; `X-Forwarded-For` is text the client (or a proxy) wrote. Next.js
 * (`next start`, the standalone server.js) sets `x-forwarded-for` to the socket address only when
 * the request has none (`??=` in next/dist/server/base-server.js), so a client that sends its own
 * header erases the socket address from everything the app can see. Hence
 * `stampSocketAddresses()`, installed by instrumentation.ts before the first request: it writes
 * the socket address into SOCKET_ADDRESS_HEADER of every incoming request, overwriting whatever a
 * client sent under that name.
 *
 * `clientAddress(socket, forwardedFor, hops)`: with hops = 0 (TRUST_PROXY_HOPS, the default) the
 * socket address, whatever the headers say. With hops = n the operator vouches for n proxies in
 * front of the console, each appending the address it received from to X-Forwarded-For: the
 * client is the right-most address that none of them wrote, i.e. n places left of the socket.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";

export const SOCKET_ADDRESS_HEADER = "x-requeue-socket-address";

/** A header longer than this is not a chain of addresses; the socket address is used instead. */
const MAX_FORWARDED_LENGTH = 2000;

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`. */
function normalize(address: string): string {
  const a = address.trim();
  return a.toLowerCase().startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export function clientAddress(
  socket: string | undefined,
  forwardedFor: string | undefined,
  hops: number,
): string {
  const self = normalize(socket ?? "");
  if (hops <= 0 || !forwardedFor || forwardedFor.length > MAX_FORWARDED_LENGTH) return self;
  const chain = [...forwardedFor.split(",").map(normalize), self];
  // Walk left from the socket over the trusted hops; stop early at anything that is not an
  // address (a trusted proxy never writes one), keeping the last address a trusted hop wrote.
  let at = chain.length - 1;
  for (let step = 0; step < hops && at > 0 && isIP(chain[at - 1]); step++) at--;
  return chain[at];
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** The client address of a request the console received (headers as Next.js passes them on). */
export function clientAddressOf(headers: HeaderBag, hops: number): string {
  return clientAddress(header(headers, SOCKET_ADDRESS_HEADER), header(headers, "x-forwarded-for"), hops);
}

const STAMPED = Symbol.for("requeue.socketAddressStamp");
type Stampable = { emit: (event: string | symbol, ...args: unknown[]) => boolean; [STAMPED]?: true };

/**
 * Every HTTP(S) server of this process writes the socket address into each request before any
 * listener sees it. Idempotent. (Patching the prototype, not one server: Next.js creates its
 * server before instrumentation runs and offers no hook on the raw request.)
 */
export function stampSocketAddresses(): void {
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Stampable[]) {
    if (proto[STAMPED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        req.headers[SOCKET_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "";
      }
      return emit.call(this, event, ...args);
    };
    proto[STAMPED] = true;
  }
}

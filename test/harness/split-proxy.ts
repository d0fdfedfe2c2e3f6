/**
 * A TCP proxy in front of a Redis that delivers each command of a pipeline on its own, a moment
 * after the previous one — as a real network may, where pipelined commands arrive in several
 * segments and other clients' commands run in between. On loopback they usually arrive in one
 * read, which hides reads that are not atomic; through this proxy they never do.
 */
import { connect, createServer, type Socket } from "node:net";

export interface SplitProxy {
  port: number;
  close(): Promise<void>;
}

/** Byte offsets where a new command starts ("*<n>\r\n" after a line end), first one excluded. */
function commandStarts(buf: Buffer): number[] {
  const starts: number[] = [];
  for (let i = buf.indexOf("\r\n*"); i >= 0; i = buf.indexOf("\r\n*", i + 3)) starts.push(i + 2);
  return starts;
}

export async function startSplitProxy(
  target: { host: string; port: number },
  gapMs = 1,
): Promise<SplitProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    let chain = Promise.resolve();
    client.on("data", (buf: Buffer) => {
      let from = 0;
      for (const at of [...commandStarts(buf), buf.length]) {
        const part = buf.subarray(from, at);
        from = at;
        chain = chain.then(async () => {
          upstream.write(part);
          await new Promise((r) => setTimeout(r, gapMs));
        });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy did not listen");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

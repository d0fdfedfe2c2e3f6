/**
 * The route frame's body reader and error mapping, without a server: a body past the limit is
 * refused with 413 as soon as it is known (Content-Length, or the bytes counted while reading a
 * stream), and library codes map to their status (CONFLICT 409, BUSY 429 with retry-after).
 */
import { describe, expect, it } from "vitest";
import { createRedisFromUrl } from "#lib/redis/connection.ts";
import { freePort } from "../../test/harness/index.ts";
import { errorResponse, HttpError, readBody } from "./http.ts";

/** A body of `chunks` pieces of `size` bytes, no Content-Length; counts the pieces pulled. */
function streamed(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled === chunks) return c.close();
      pulled++;
      c.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  const request = new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("readBody", () => {
  it("reads a body within the limit as text", async () => {
    const { request } = streamed(3, 100);
    expect(await readBody(request, 300)).toBe("a".repeat(300));
  });

  it("refuses a stream past the limit with 413 and stops reading there", async () => {
    const { request, pulled } = streamed(1000, 1024);
    const err = await readBody(request, 10 * 1024).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/larger than 10240 bytes \(API_BODY_MAX_BYTES\)/);
    expect(pulled()).toBeLessThan(20);
  });

  it("refuses an announced Content-Length past the limit before reading anything", async () => {
    const { request, pulled } = streamed(1000, 1024);
    const announced = new Request(request, { headers: { "content-length": String(1000 * 1024) } });
    expect((await readBody(announced, 8 * 1024).catch((e) => e)).status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(2); // the stream's own read-ahead, nothing read by readBody
  });
});

describe("errorResponse", () => {
  it("maps CONFLICT to 409 and BUSY to 429 with retry-after, with the library's message", async () => {
    const conflict = errorResponse(
      Object.assign(new Error("a user a@b.c already exists"), { code: "CONFLICT" }),
    );
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.message).toBe("a user a@b.c already exists");
    const busy = errorResponse(
      Object.assign(new Error("4 bulk operations are already running"), { code: "BUSY" }),
    );
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toEqual(expect.any(String));
  });

  it("answers 503 with retry-after for a command on a client that cannot reach Redis", async () => {
    const client = createRedisFromUrl(`redis://127.0.0.1:${await freePort()}`, { failFast: true });
    client.on("error", () => {});
    try {
      const res = errorResponse(await client.get("k").catch((e) => e));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect((await res.json()).error).toEqual({
        status: 503,
        message: "Redis is unreachable; try again when it is back",
      });
    } finally {
      client.disconnect();
    }
  });

  it("hides an unknown error's message behind 500", async () => {
    const res = errorResponse(new Error("secret detail"));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { status: 500, message: "Internal error" } });
  });
});

/**
 * What the demo's producers send: a payload per queue, shaped like the seed application's
 * messages. Now and then one has invalid input (the processor refuses it: unrecoverable) or is a
 * poison message (it trips a bug in the processor on every attempt).
 */
import { between, chance, hex, pick } from "./rand.ts";
import type { DemoQueue, DemoSettings } from "./settings.ts";

export interface DocumentPayload {
  jobId: number;
  documentId: number;
  userId: number;
  format: string;
  pages: number;
  /** the OCR layout hints; poison messages lack them */
  layout?: { columns: number };
}

export interface AudioPayload {
  jobId: number;
  audioId: number;
  documentId: number;
  durationSeconds: number;
  sampleRate: number;
  /** frames per packet as the uploader declared it; poison messages declare a negative one */
  frameSize: number;
}

export interface VideoPayload {
  jobId: number;
  videoId: number;
  documentId: number;
  durationSeconds: number;
  /** the container's manifest as uploaded (JSON text); poison messages have a truncated one */
  manifest: string;
}

export interface GraphPayload {
  jobId: number;
  documentId: number;
  edges: [number, number][];
  /** how deep the entity hierarchy goes; poison messages are self-referencing */
  depth: number;
}

export type Payload = DocumentPayload | AudioPayload | VideoPayload | GraphPayload;

type Kind = "ok" | "invalid" | "poison";

export function makePayload(queue: DemoQueue, s: DemoSettings): Payload {
  // Uploads with an unsupported format are the most common bad input: documents get 3x the rate.
  const invalidRate = queue === "documents" ? Math.min(1, 3 * s.DEMO_INVALID_RATE) : s.DEMO_INVALID_RATE;
  const kind: Kind = chance(s.DEMO_POISON_RATE) ? "poison" : chance(invalidRate) ? "invalid" : "ok";
  const jobId = between(1, s.DEMO_ENTITIES);
  const documentId = between(1, s.DEMO_ENTITIES);
  switch (queue) {
    case "documents":
      return {
        jobId,
        documentId,
        userId: between(1, s.DEMO_ENTITIES),
        format: kind === "invalid" ? "xlsb" : pick(["pdf", "docx", "txt", "md"]),
        pages: between(1, 400),
        layout: kind === "poison" ? undefined : { columns: between(1, 3) },
      };
    case "audio":
      return {
        jobId,
        audioId: between(1, 1_000_000),
        documentId,
        durationSeconds: between(10, 5400),
        sampleRate: kind === "invalid" ? 0 : pick([16000, 44100, 48000]),
        frameSize: kind === "poison" ? -between(1, 4096) : 1024,
      };
    case "video":
      return {
        jobId,
        videoId: between(1, 1_000_000),
        documentId,
        durationSeconds: kind === "invalid" ? between(14_401, 90_000) : between(30, 7200),
        manifest:
          kind === "poison"
            ? `{"codec":"h264","tracks":[{"id":${between(1, 9)},`
            : `{"codec":"h264","tracks":[]}`,
      };
    case "graph": {
      const n = between(3, 12);
      const edges: [number, number][] = Array.from({ length: n - 1 }, (_, i) => [i, i + 1]);
      if (kind === "invalid") edges.push([n - 1, between(0, n - 2)]);
      return { jobId, documentId, edges, depth: kind === "poison" ? -1 : between(1, 6) };
    }
  }
}

/** Who produced it, as the seed's API would record it. */
export const producerMeta = (queue: DemoQueue) => ({
  source: "demo-api",
  route: `/api/${queue}/process`,
  request: hex(6),
});

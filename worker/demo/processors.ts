/**
 * The seed's four processors — documents (OCR), audio (transcription), video (frames) and graph
 * (knowledge graph) — each a handler of one job. They call the simulated services (which time
 * out or answer 503 now and then: retried), refuse invalid input (unrecoverable: straight to the
 * DLQ) and carry a real bug a poison message trips on every attempt. Each finished job updates
 * the application's data, which invalidates the cache entries that depended on it.
 */
import { UnrecoverableError } from "../../lib/queue/errors.ts";
import type { AudioPayload, DocumentPayload, GraphPayload, Payload, VideoPayload } from "./payloads.ts";
import { between, sleep } from "./rand.ts";
import { call, SERVICES } from "./services.ts";
import type { DemoQueue } from "./settings.ts";

/** What a processor may do besides its work: report the job's status to the application. */
export interface ProcessorContext {
  transientRate: number;
  /** the job's key for the simulated services: the same on every attempt of one job */
  jobKey: string;
  status(jobId: number, status: "processing" | "completed", progress: number): Promise<void>;
  documentChanged(documentId: number): Promise<void>;
}

const FORMATS = new Set(["pdf", "docx", "txt", "md"]);

async function documents(p: DocumentPayload, ctx: ProcessorContext) {
  if (!FORMATS.has(p.format)) {
    throw new UnrecoverableError(`invalid document ${p.documentId}: unsupported format "${p.format}"`);
  }
  await ctx.status(p.jobId, "processing", 10);
  await call(SERVICES.storage, ctx.jobKey, ctx.transientRate);
  const columns = readLayout(p);
  await call(SERVICES.ocr, ctx.jobKey, ctx.transientRate);
  await ctx.documentChanged(p.documentId);
  return { pages: p.pages, columns };
}

/** The bug: old uploads have no layout hints. */
function readLayout(p: DocumentPayload): number {
  return (p.layout as { columns: number }).columns;
}

async function audio(p: AudioPayload, ctx: ProcessorContext) {
  if (p.sampleRate <= 0)
    throw new UnrecoverableError(`invalid audio ${p.audioId}: sample rate ${p.sampleRate} Hz`);
  await ctx.status(p.jobId, "processing", 10);
  const packets = decodePackets(p);
  await call(SERVICES.transcription, ctx.jobKey, ctx.transientRate);
  return { packets };
}

/** The bug: a declared frame size is trusted. */
function decodePackets(p: AudioPayload): number {
  const buffer = new Array(p.frameSize);
  return Math.ceil((p.durationSeconds * p.sampleRate) / buffer.length);
}

async function video(p: VideoPayload, ctx: ProcessorContext) {
  if (p.durationSeconds > 4 * 3600) {
    throw new UnrecoverableError(
      `invalid video ${p.videoId}: duration ${p.durationSeconds}s exceeds the 4 h limit`,
    );
  }
  await ctx.status(p.jobId, "processing", 10);
  const manifest = JSON.parse(p.manifest) as { tracks: unknown[] };
  await call(SERVICES.frames, ctx.jobKey, ctx.transientRate);
  await call(SERVICES.storage, ctx.jobKey, ctx.transientRate);
  return { tracks: manifest.tracks.length };
}

async function graph(p: GraphPayload, ctx: ProcessorContext) {
  const seen = new Set<number>();
  for (const [from, to] of p.edges) {
    if (to <= from)
      throw new UnrecoverableError(`invalid graph for job ${p.jobId}: cycle from n${from} back to n${to}`);
    seen.add(from).add(to);
  }
  await ctx.status(p.jobId, "processing", 10);
  const levels = walkHierarchy(p.depth);
  await call(SERVICES.graphdb, ctx.jobKey, ctx.transientRate);
  return { nodes: seen.size, levels };
}

/** The bug: a self-referencing hierarchy (depth -1) never ends. */
function walkHierarchy(depth: number): number {
  return depth === 0 ? 0 : 1 + walkHierarchy(depth - 1);
}

const HANDLERS = { documents, audio, video, graph } as Record<
  DemoQueue,
  (p: Payload, ctx: ProcessorContext) => Promise<Record<string, unknown>>
>;

/** Runs one job of a queue: the work, then its status. */
export async function processJob(queue: DemoQueue, payload: Payload, ctx: ProcessorContext) {
  await sleep(between(20, 120));
  const result = await HANDLERS[queue](payload, ctx);
  await ctx.status(payload.jobId, "completed", 100);
  return result;
}

/**
 * The outside services the seed's processors call — storage, OCR, transcription, a frame
 * extractor, the graph database — simulated: they take time and, for some jobs, fail the way
 * real ones do (timeouts, 503s). A job that hits a flaky replica fails about half its attempts,
 * so most succeed on a retry and a few run out of attempts. Ids, hosts and durations vary from
 * one error to the next: the DLQ's fingerprints must normalise them to group the failures.
 */
import { randomUUID } from "node:crypto";
import { between, chance, pick, sleep } from "./rand.ts";

export class NetworkTimeoutError extends Error {
  override name = "NetworkTimeoutError";
}

export class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";
}

export interface Service {
  name: string;
  host: string;
  /** typical latency in ms */
  latency: [number, number];
}

export const SERVICES = {
  storage: { name: "object storage", host: "storage.internal:9000", latency: [10, 60] },
  ocr: { name: "ocr-api", host: "ocr.internal:8080", latency: [40, 250] },
  transcription: { name: "transcription-api", host: "whisper.internal:8000", latency: [80, 300] },
  frames: { name: "frame-extractor", host: "ffmpeg.internal:7000", latency: [60, 300] },
  graphdb: { name: "neo4j", host: "neo4j.internal:7687", latency: [20, 150] },
} satisfies Record<string, Service>;

/** Stable per job: does this job's request land on a flaky replica? */
function flaky(jobKey: string, rate: number): boolean {
  let h = 2166136261;
  for (let i = 0; i < jobKey.length; i++) h = Math.imul(h ^ jobKey.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32 < rate;
}

/** Calls a simulated service for a job; throws a transient error now and then. */
export async function call(service: Service, jobKey: string, transientRate: number): Promise<void> {
  await sleep(between(...service.latency));
  // A flaky job has one flaky dependency, which fails half its calls.
  if (!flaky(`${jobKey}:${service.host}`, transientRate / 2) || !chance(0.5)) return;
  const ip = `10.0.${between(0, 9)}.${between(2, 250)}`;
  if (chance(0.5)) {
    const ms = pick([5000, 10000, 30000]);
    throw new NetworkTimeoutError(
      `timeout after ${ms}ms calling ${service.name} at ${ip} (request ${randomUUID()})`,
    );
  }
  throw new ServiceUnavailableError(
    `${service.name} answered 503 Service Unavailable after ${between(3, 900)}ms (upstream ${ip}, trace ${randomUUID()})`,
  );
}

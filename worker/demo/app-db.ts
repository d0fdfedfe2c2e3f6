/**
 * The seed application's database, simulated in memory with a realistic delay per query:
 * users, documents (with summaries and transcriptions), processing jobs and their knowledge
 * graphs. Every read costs DEMO_DB_LATENCY_MS (±50 %), which is what the cache saves.
 */
import { between, pick, sleep } from "./rand.ts";

export interface AppUser {
  id: number;
  email: string;
  name: string;
  role: "member" | "owner";
  tenant: string;
}

export interface AppDocument {
  id: number;
  ownerId: number;
  title: string;
  version: number;
  summary: string;
  transcription: string;
}

export type JobStatus = "queued" | "processing" | "completed" | "failed";

export interface AppJob {
  id: number;
  documentId: number;
  kind: "documents" | "audio" | "video" | "graph";
  status: JobStatus;
  progress: number;
  updatedAt: number;
}

const TOPICS = [
  "quarterly report",
  "board minutes",
  "support call",
  "onboarding video",
  "contract",
  "lecture",
];
const WORDS = [
  "revenue",
  "churn",
  "latency",
  "roadmap",
  "hiring",
  "pricing",
  "security",
  "migration",
  "audit",
];

export class AppDb {
  readonly users = new Map<number, AppUser>();
  readonly documents = new Map<number, AppDocument>();
  readonly jobs = new Map<number, AppJob>();
  queries = 0;

  constructor(
    readonly size: number,
    private readonly latencyMs: number,
  ) {
    for (let i = 1; i <= size; i++) {
      this.users.set(i, {
        id: i,
        email: `user${i}@example.com`,
        name: `User ${i}`,
        role: i % 10 === 0 ? "owner" : "member",
        tenant: `t${1 + (i % 7)}`,
      });
      const title = `${pick(TOPICS)} #${i}`;
      this.documents.set(i, {
        id: i,
        ownerId: 1 + (i % size),
        title,
        version: 1,
        summary: summarise(title, 1),
        transcription: "",
      });
      this.jobs.set(i, {
        id: i,
        documentId: i,
        kind: "documents",
        status: "completed",
        progress: 100,
        updatedAt: Date.now(),
      });
    }
  }

  /** One query's worth of waiting. */
  private async query(): Promise<void> {
    this.queries++;
    if (this.latencyMs > 0) await sleep(between(this.latencyMs * 0.5, this.latencyMs * 1.5));
  }

  async user(id: number) {
    await this.query();
    return this.users.get(id) ?? null;
  }

  async jobStatus(id: number) {
    await this.query();
    const j = this.jobs.get(id);
    return j ? { id: j.id, status: j.status, progress: j.progress, updatedAt: j.updatedAt } : null;
  }

  async documentSummary(id: number) {
    await this.query();
    const d = this.documents.get(id);
    return d ? { id: d.id, title: d.title, version: d.version, summary: d.summary } : null;
  }

  async transcription(id: number) {
    await this.query();
    await this.query(); // storage fetch on top of the row: transcriptions are the slow ones
    const d = this.documents.get(id);
    return d ? { id: d.id, version: d.version, text: d.transcription || `Transcript of ${d.title}.` } : null;
  }

  /** "Chat with documents": a vector search over a user's documents, then an answer. */
  async chat(userId: number, question: string) {
    await this.query();
    await this.query();
    const docs = [...this.documents.values()].filter((d) => d.ownerId === userId).slice(0, 3);
    return {
      question,
      sources: docs.map((d) => d.id),
      answer: `Found ${docs.length} documents about ${question}.`,
    };
  }

  async jobGraph(jobId: number) {
    await this.query();
    const n = 3 + (jobId % 9);
    const nodes = Array.from({ length: n }, (_, i) => ({
      id: `n${i}`,
      label: WORDS[(jobId + i) % WORDS.length],
    }));
    const edges = nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id }));
    return { jobId, nodes, edges };
  }

  /** Writes (no delay: the caller cares about what they invalidate). */
  updateDocument(id: number): AppDocument | undefined {
    const d = this.documents.get(id);
    if (!d) return undefined;
    d.version++;
    d.summary = summarise(d.title, d.version);
    return d;
  }

  setJobStatus(id: number, status: JobStatus, progress: number): AppJob {
    const j = this.jobs.get(id) ?? {
      id,
      documentId: id,
      kind: "documents" as const,
      status,
      progress,
      updatedAt: 0,
    };
    Object.assign(j, { status, progress, updatedAt: Date.now() });
    this.jobs.set(id, j);
    return j;
  }

  changeRole(id: number): AppUser | undefined {
    const u = this.users.get(id);
    if (u) u.role = u.role === "owner" ? "member" : "owner";
    return u;
  }
}

function summarise(title: string, version: number): string {
  const topics = [WORDS[version % WORDS.length], WORDS[(version * 3) % WORDS.length]];
  return `${title} (v${version}): discusses ${topics.join(" and ")}.`;
}

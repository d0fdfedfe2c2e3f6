/**
 * The seed application's cached calls — get_current_user, get_job_status,
 * get_document_summary, get_document_transcription, chat_with_documents and get_job_graph —
 * served from the simulated database through lib/cache, with the invalidation that keeps each
 * correct when the data changes:
 *   a document changes      → tag document:<id> (summary, transcription) and owner:<user> (chat)
 *   a job's status changes  → tag job:<id> (status; the graph too when a graph job completes)
 *   a user's role changes   → every entry of that user (cache.invalidateUser)
 */
import type { Cache } from "../../lib/cache/index.ts";
import type { AppDb } from "./app-db.ts";

export class Lookups {
  constructor(
    private readonly cache: Cache,
    private readonly db: AppDb,
  ) {}

  currentUser(userId: number) {
    return this.cache
      .namespace("user")
      .getOrSet("current", () => this.db.user(userId), { user: String(userId) });
  }

  jobStatus(jobId: number) {
    return this.cache
      .namespace("job_status")
      .getOrSet(`job:${jobId}`, () => this.db.jobStatus(jobId), { tags: [`job:${jobId}`] });
  }

  documentSummary(documentId: number) {
    return this.cache
      .namespace("document")
      .getOrSet(`summary:${documentId}`, () => this.db.documentSummary(documentId), {
        tags: [`document:${documentId}`],
      });
  }

  transcription(documentId: number) {
    return this.cache
      .namespace("document")
      .getOrSet(`transcription:${documentId}`, () => this.db.transcription(documentId), {
        tags: [`document:${documentId}`],
      });
  }

  chat(userId: number, question: string) {
    return this.cache
      .namespace("vector_search")
      .getOrSet(`chat:${question}`, () => this.db.chat(userId, question), {
        user: String(userId),
        tags: [`owner:${userId}`],
      });
  }

  jobGraph(jobId: number) {
    return this.cache
      .namespace("graph")
      .getOrSet(`job:${jobId}`, () => this.db.jobGraph(jobId), { tags: [`graph:${jobId}`] });
  }

  /** Preloads the hottest entries, as a deploy's warm-up would (writes, not lookups: no misses counted). */
  async warm(count: number) {
    const ids = Array.from({ length: Math.min(count, this.db.size) }, (_, i) => i + 1);
    await Promise.all(
      ids.map(async (id) => {
        const [user, summary, transcript, graph] = await Promise.all([
          this.db.user(id),
          this.db.documentSummary(id),
          this.db.transcription(id),
          this.db.jobGraph(id),
        ]);
        await Promise.all([
          this.cache.namespace("user").set("current", user, { user: String(id) }),
          this.cache.namespace("document").set(`summary:${id}`, summary, { tags: [`document:${id}`] }),
          this.cache
            .namespace("document")
            .set(`transcription:${id}`, transcript, { tags: [`document:${id}`] }),
          this.cache.namespace("graph").set(`job:${id}`, graph, { tags: [`graph:${id}`] }),
        ]);
      }),
    );
  }

  // Writes: change the data, then invalidate what depended on it.

  async documentChanged(documentId: number) {
    const doc = this.db.updateDocument(documentId);
    if (!doc) return;
    await this.cache.invalidateTag([`document:${documentId}`, `owner:${doc.ownerId}`], {
      namespaces: ["document", "vector_search"],
    });
  }

  /** A job moved on; a finished graph job also replaced that job's knowledge graph. */
  async jobStatusChanged(
    jobId: number,
    status: "processing" | "completed" | "failed",
    progress: number,
    graph = false,
  ) {
    this.db.setJobStatus(jobId, status, progress);
    const tags = graph && status === "completed" ? [`job:${jobId}`, `graph:${jobId}`] : [`job:${jobId}`];
    await this.cache.invalidateTag(tags, { namespaces: ["job_status", "graph"] });
  }

  async roleChanged(userId: number) {
    if (this.db.changeRole(userId)) await this.cache.invalidateUser(String(userId));
  }
}

/**
 * The seed application's cached calls as ready-made functions, each in its namespace with the
 * tags that keep it correct when the data changes:
 *
 *   currentUser(u)                       user           scoped to u          ← invalidateUser(u) (role change)
 *   jobStatus(j)                         job_status     tag job:<j>          ← invalidateJob(j)
 *   documentSummary(d)                   document       tag document:<d>     ← invalidateDocument(d)
 *   documentTranscription(d)             document       tag document:<d>     ← invalidateDocument(d)
 *   chatWithDocuments(u, docs, question) vector_search  scoped to u, tag document:<each doc>
 *                                                                           ← invalidateDocument(d), invalidateUser(u)
 *   jobGraph(j)                          graph          tags job:<j>, graph:<j> ← invalidateJob(j), invalidateGraph(j)
 *
 * The sources (database, storage, vector index) are passed in; this module only caches them.
 */
import { createHash } from "node:crypto";
import type { Cache, InvalidationResult } from "./cache.ts";

export interface SeedSources<
  User = unknown,
  Status = unknown,
  Doc = unknown,
  Answer = unknown,
  Graph = unknown,
> {
  currentUser(userId: string): Promise<User>;
  jobStatus(jobId: string): Promise<Status>;
  documentSummary(documentId: string): Promise<Doc>;
  documentTranscription(documentId: string): Promise<Doc>;
  chatWithDocuments(userId: string, documentIds: string[], question: string): Promise<Answer>;
  jobGraph(jobId: string): Promise<Graph>;
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

export function seedCalls<U, S, D, A, G>(cache: Cache, sources: SeedSources<U, S, D, A, G>) {
  const ns = (name: string) => cache.namespace(name);
  const docTag = (id: string) => `document:${id}`;
  return {
    currentUser: (userId: string) =>
      ns("user").getOrSet("current", () => sources.currentUser(userId), { user: userId }),

    jobStatus: (jobId: string) =>
      ns("job_status").getOrSet(`job:${jobId}`, () => sources.jobStatus(jobId), { tags: [`job:${jobId}`] }),

    documentSummary: (documentId: string) =>
      ns("document").getOrSet(`summary:${documentId}`, () => sources.documentSummary(documentId), {
        tags: [docTag(documentId)],
        lock: true, // summaries are expensive: one process computes, the others wait
      }),

    documentTranscription: (documentId: string) =>
      ns("document").getOrSet(
        `transcription:${documentId}`,
        () => sources.documentTranscription(documentId),
        {
          tags: [docTag(documentId)],
          lock: true,
        },
      ),

    chatWithDocuments: (userId: string, documentIds: string[], question: string) => {
      const docs = [...new Set(documentIds)].sort();
      // the question may be long or personal: only its digest appears in the key
      const key = `chat:${digest(`${docs.join(",")}\n${question}`)}`;
      return ns("vector_search").getOrSet(key, () => sources.chatWithDocuments(userId, docs, question), {
        user: userId,
        tags: docs.map(docTag),
      });
    },

    jobGraph: (jobId: string) =>
      ns("graph").getOrSet(`job:${jobId}`, () => sources.jobGraph(jobId), {
        tags: [`job:${jobId}`, `graph:${jobId}`],
      }),

    /** After a role or permission change: every entry of the user, in every namespace. */
    invalidateUser: (userId: string): Promise<InvalidationResult> => cache.invalidateUser(userId),

    /** After a job's state changes: its status and its graph. */
    invalidateJob: (jobId: string) =>
      cache.invalidateTag(`job:${jobId}`, { namespaces: ["job_status", "graph"] }),

    /** After a document changes: its summary, its transcription and every chat answer that used it. */
    invalidateDocument: (documentId: string) =>
      cache.invalidateTag(docTag(documentId), { namespaces: ["document", "vector_search"] }),

    invalidateGraph: (jobId: string) => cache.invalidateTag(`graph:${jobId}`, { namespaces: ["graph"] }),
  };
}

export type SeedCalls = ReturnType<typeof seedCalls>;

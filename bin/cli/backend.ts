/**
 * What the commands need from Requeue's libraries, in one narrow interface. The commands are
 * written against it; backend-impl.ts maps it onto lib/queue, lib/dlq, lib/cache and lib/auth,
 * so a change in one library's API touches one file here.
 */
import type { CanaryReport } from "../../lib/dlq/canary.ts";
import type { DeadLetterSummary } from "../../lib/dlq/read.ts";
import type { CanaryOptions } from "../../lib/dlq/schemas.ts";
import type { JobsPage, ListState } from "../../lib/queue/browse.ts";
import type { JobAction, JobActionResult } from "../../lib/queue/job-actions.ts";
import type { JobDetail, JobLocation } from "../../lib/queue/job-view.ts";
import type { DeadLetter, ErrorGroup } from "../../lib/queue/types.ts";
import type { Role, TokenRole } from "./parse.ts";

export interface EnqueueInput {
  queue: string;
  payload: unknown;
  id?: string;
  delayMs?: number;
  maxAttempts?: number;
  metadata: Record<string, unknown>;
}

export interface DlqFilter {
  queue?: string;
  group?: string;
  from?: number;
  to?: number;
  search?: string;
}

export interface DlqPage {
  items: DeadLetterSummary[];
  nextCursor: string | null;
  /** false when a text search stopped at its read budget: ask for the next page */
  complete: boolean;
}

/** A bulk or single operation's outcome: how many were touched, how many were already gone. */
export interface BulkOutcome {
  matched: number;
  done: number;
  missing: number;
  cancelled?: boolean;
  /** a canary redrive stopped (failed or undecided): the rest was left in the DLQ */
  stopped?: boolean;
  canary?: CanaryReport;
}

export interface QueueStats {
  queue: string;
  ready: number;
  active: number;
  retry: number;
  dead: number;
  completed?: number;
  oldestDeadAt?: number | null;
  paused?: boolean;
}

export interface CacheNamespaceStats {
  namespace: string;
  hits: number;
  misses: number;
  hitRate: number | null;
}

export interface TokenInfo {
  id: string;
  name: string;
  role: TokenRole;
  createdAt?: number;
  lastUsedAt?: number | null;
  /** when it stops working (ms epoch); null: never */
  expiresAt?: number | null;
}

export interface Backend {
  enqueue(input: EnqueueInput): Promise<{ id: string; added: boolean }>;
  dlqList(filter: DlqFilter, page: { limit: number; cursor?: string }): Promise<DlqPage>;
  dlqGroups(queue?: string): Promise<ErrorGroup[]>;
  dlqGet(queue: string, id: string): Promise<DeadLetter | null>;
  /** How many dead letters a scope covers (for confirmations and progress). */
  dlqCount(filter: DlqFilter): Promise<number>;
  dlqRequeue(
    scope: { queue: string; id: string } | { filter: DlqFilter },
    opts: {
      rate?: number;
      delayMs?: number;
      canary?: CanaryOptions;
      onProgress?: (p: BulkOutcome) => void;
    },
  ): Promise<BulkOutcome>;
  dlqDelete(
    scope: { queue: string; id: string } | { filter: DlqFilter },
    opts: { rate?: number; onProgress?: (p: BulkOutcome) => void },
  ): Promise<BulkOutcome>;
  queueStats(): Promise<QueueStats[]>;
  /** Pauses or resumes a queue; null when no queue has that name. `changed`: false when it already was. */
  setPaused(
    queue: string,
    paused: boolean,
  ): Promise<{ paused: boolean; pausedAt: number | null; changed: boolean } | null>;
  jobsList(queue: string, state: ListState, page: { limit: number; cursor?: string }): Promise<JobsPage>;
  /** One job wherever it is in `queue`; null when no state has it. */
  jobGet(queue: string, id: string): Promise<JobDetail | null>;
  /** Every queue that has a job with this id. */
  jobFind(id: string): Promise<JobLocation[]>;
  /** One action on one job (audited); lib/queue/job-actions.ts errors pass through. */
  jobAction(queue: string, id: string, action: JobAction): Promise<JobActionResult>;
  cacheStats(windowMinutes: number): Promise<CacheNamespaceStats[]>;
  addUser(input: { email: string; role: Role; password: string }): Promise<{ email: string; role: Role }>;
  listUsers(): Promise<{ email: string; role: Role; createdAt: number }[]>;
  /** Ends every session of the user; a not-found error when there is no such user. */
  signOutUser(email: string): Promise<void>;
  createToken(input: {
    name: string;
    role: TokenRole;
    expiresInMs?: number;
  }): Promise<{ token: string; info: TokenInfo }>;
  listTokens(): Promise<TokenInfo[]>;
  /** False when no token has that id or name. */
  revokeToken(idOrName: string): Promise<TokenInfo | null>;
}

/**
 * The dead letter queue's admin API: list, get, groups, requeue, delete, purge, bulk operations
 * and export. It is kept apart from the consumer's hot path (lib/queue): nothing here runs per
 * job, and every call is bounded (chunks of at most 250 entries, text searches in read budgets),
 * so an admin browsing a million dead letters never blocks the workers' Redis.
 * Every function takes a RedisClient first and validates its input (schemas.ts); failures are
 * DlqErrors with a stable code (NOT_FOUND, INVALID_INPUT, SCRIPT_FAILED). See docs/dlq.md.
 */
export {
  type BulkPhase,
  type BulkProgress,
  type BulkState,
  bulkProgress,
  cancelBulk,
  listBulkOps,
  purgeQueue,
  runBulk,
  startBulk,
} from "./bulk.ts";
export type { CanaryFailure, CanaryReport, CanaryVerdict } from "./canary.ts";
export { type CountResult, countDeadLetters, countMatches } from "./count.ts";
export { DlqError, type DlqErrorCode, isDlqError } from "./errors.ts";
export { type ExportFormat, exportDeadLetters } from "./export.ts";
export { GROUPS_PAGE_MAX, type GroupsPage, listGroupsPage } from "./groups.ts";
export { type DlqPage, listDeadLetters } from "./list.ts";
export {
  deleteDeadLetter,
  deleteDeadLetters,
  type MutationResult,
  requeueDeadLetter,
  requeueDeadLetters,
} from "./mutate.ts";
export { type DeadLetterSummary, getDeadLetter, listGroups, listQueues } from "./read.ts";
export {
  type BulkOp,
  type BulkOpInput,
  bulkOpSchema,
  CANARY_COUNT_MAX,
  type CanaryOptions,
  canarySchema,
  type DlqFilter,
  filterSchema,
  fingerprintSchema,
  idListSchema,
  jobIdSchema,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  type PageRequest,
  pageSchema,
  payloadJsonSchema,
  queueNameSchema,
  type RequeueOptions,
  requeueOptionsSchema,
} from "./schemas.ts";
export { viewDeadLetter, viewGroups, viewPage } from "./view.ts";

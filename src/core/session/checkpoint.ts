import { z } from 'zod';
import type { SessionEvent } from './events';
import type { SessionSnapshot } from './types';
import type { TranscriptRecord } from '../../shared/transcript';
import type { SessionCheckpoint } from '../store/types';
import { configPatchSchema } from './config';
import { applyEvent, initialData, toSnapshot, type SessionData } from './reducer';

/** What a session keeps in its store checkpoint: enough to show it without reading its log. */
export interface CheckpointData {
  /** 3: the one fold's snapshot, with the change ledger's rows (data of older checkpoints is ignored: the log is read instead). */
  format: typeof CHECKPOINT_FORMAT;
  /** The fold's snapshot at `lastSeq` (it says whether a turn was open and whether it was paused). */
  snapshot: SessionSnapshot;
}

const CHECKPOINT_FORMAT = 3;

/** The checkpoint of a session's state: O(snapshot), never O(history). Config never holds a key. */
export function checkpointOf(d: SessionData): SessionCheckpoint {
  const data: CheckpointData = { format: CHECKPOINT_FORMAT, snapshot: toSnapshot(d) };
  return { version: 1, sessionId: d.id, lastSeq: d.lastSeq, data };
}

const loose = z.looseObject({});
const imageSchema = z.union([
  z.object({ state: z.literal('absent') }).strict(),
  z.object({ state: z.literal('file'), hash: z.string(), size: z.number(), stored: z.boolean(), binary: z.literal(true).optional(), note: z.string().optional() }).strict(),
  z.object({ state: z.literal('unknown'), note: z.string() }).strict(),
]);
const changedFileSchema = z.object({
  path: z.string(), label: z.string(), kind: z.enum(['created', 'modified', 'deleted']), baseline: imageSchema, current: imageSchema,
  firstSeq: z.number().int(), lastSeq: z.number().int(), restorable: z.boolean(), note: z.string().optional(),
}).strict();
const configSchema = configPatchSchema.required({
  providerId: true, providerKind: true, model: true, autoCompact: true, autoCompactThreshold: true, mode: true, rules: true, maxToolRounds: true,
});
const turnSchema = z.object({
  turnId: z.string(), userMessageId: z.string(), rounds: z.number().int().min(0),
  streaming: z.object({ messageId: z.string() }).strict().optional(),
  openCalls: z.array(z.object({ id: z.string(), name: z.string(), phase: z.enum(['requested', 'started']).optional(), approved: z.literal(true).optional() }).strict()),
  config: configSchema, used: z.object({ tokens: z.number(), costUsd: z.number() }).strict(), cutMessageId: z.string().optional(),
}).strict();
const snapshotSchema = z.object({
  id: z.string(),
  title: z.string(),
  parentId: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  config: configSchema,
  state: z.enum(['idle', 'running', 'awaiting_approval', 'paused', 'error']),
  pausing: z.literal(true).optional(),
  paused: z.boolean(),
  outcome: z.enum(['done', 'error']).optional(),
  lastError: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).loose().optional(),
  lastSeq: z.number().int(),
  queue: z.array(z.object({ id: z.string(), text: z.string(), queuedAt: z.number() })),
  pendingApprovals: z.array(loose),
  tasks: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(['pending', 'in_progress', 'done', 'cancelled']) })),
  context: z.object({ tokens: z.number(), window: z.number(), fraction: z.number() }),
  meter: z.object({ base: z.number(), added: z.number() }).strict(),
  totals: z.object({
    inputTokens: z.number(), outputTokens: z.number(), cacheReadTokens: z.number(), cacheWriteTokens: z.number(), costUsd: z.number().nullable(),
  }),
  requests: z.number().int().min(0),
  messageCount: z.number().int().min(0),
  lastUsage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).loose().optional(),
  turn: turnSchema.optional(),
  knowledge: z.object({ rules: z.array(loose), skills: z.array(loose) }).optional(),
  children: z.array(z.object({ id: z.string(), title: z.string(), callId: z.string(), status: z.string() })),
  pendingRetry: z.object({ turnId: z.string(), attempt: z.number(), delayMs: z.number() }).loose().optional(),
  historySaving: z.object({ state: z.enum(['failing', 'recovered']), message: z.string(), since: z.number() }).strict().optional(),
  requestsSinceCompaction: z.number().int().min(0).optional(),
  changes: z.array(changedFileSchema),
  changeNotes: z.array(z.string()).optional(),
  restoring: z.object({ restoreId: z.string(), key: z.string(), scope: z.enum(['files', 'conversation', 'both']), redoOf: z.string().optional() }).strict().optional(),
  forkedFrom: z.object({ sessionId: z.string(), seq: z.number().int(), title: z.string() }).strict().optional(),
  worktree: z.object({ path: z.string(), branch: z.string(), repoRoot: z.string(), base: loose, state: z.string(), checkedAt: z.number() }).loose().optional(),
  pendingQuestions: z.array(z.object({ id: z.string(), server: z.string(), kind: z.enum(['elicitation', 'sampling']), message: z.string() }).loose()).optional(),
  attachedRules: z.array(z.object({ id: z.string(), relativePath: z.string(), reason: z.enum(['path', 'glob', 'requested']), trigger: z.string().optional() }).strict()).optional(),
  loadedTools: z.array(z.string()).optional(),
}).strict();
const dataSchema = z.object({ format: z.literal(CHECKPOINT_FORMAT), snapshot: snapshotSchema }).strict();

/**
 * The checkpoint's data when it is well-formed and agrees with its envelope; undefined otherwise
 * (the caller then reads the whole log). Returns the stored value itself, not zod's copy, so a
 * snapshot served from it is byte-for-byte what the live session had.
 */
export function readCheckpointData(checkpoint: SessionCheckpoint, sessionId: string): CheckpointData | undefined {
  if (checkpoint.sessionId !== sessionId || !dataSchema.safeParse(checkpoint.data).success) return undefined;
  const data = checkpoint.data as CheckpointData;
  if (data.snapshot.id !== sessionId || data.snapshot.lastSeq !== checkpoint.lastSeq) return undefined;
  return data;
}

/** The transcript's newest records rebuilt from a tail of the log (see {@link foldTranscriptTail}). */
export interface TranscriptTail {
  entries: TranscriptRecord[];
  /** `entries.slice(certainFrom)` is exactly the end of the whole transcript; what comes before may be incomplete. */
  certainFrom: number;
}

/**
 * Folds a tail of a session's log with the one fold, keeping the records. Records are created in
 * log order by the event that begins them, and an update of a record the tail does not hold
 * changes nothing, so every record of the tail is the whole log's record — except in a turn that
 * began before the tail, where a marker updated per attempt (a retry) may be created again. So
 * what follows the tail's first `turn.started` is certain, and with `complete` (the tail is the
 * whole log) everything is.
 */
export function foldTranscriptTail(sessionId: string, events: readonly SessionEvent[], complete: boolean): TranscriptTail {
  const d = initialData(sessionId);
  let certainFrom: number | undefined = complete ? 0 : undefined;
  for (const ev of events) {
    if (certainFrom === undefined && ev.type === 'turn.started') certainFrom = d.records.length;
    applyEvent(d, ev);
  }
  return { entries: d.records, certainFrom: certainFrom ?? d.records.length };
}

/** A transcript page size from a caller's limit: 1..1000, default 100. */
export function pageSize(limit: number | undefined): number {
  const n = Math.floor(Number(limit ?? 100));
  return Number.isFinite(n) ? Math.max(1, Math.min(n, 1_000)) : 100;
}

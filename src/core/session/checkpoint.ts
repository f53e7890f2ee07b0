import { z } from 'zod';
import type { SessionEvent } from './events';
import type { SessionSnapshot, TranscriptEntry } from './types';
import type { SessionCheckpoint } from '../store/types';
import { configPatchSchema } from './config';
import { applyEvent, initialData, toSnapshot, type SessionData } from './reducer';

/** What a session keeps in its store checkpoint: enough to show it without reading its log. */
export interface CheckpointData {
  snapshot: SessionSnapshot;
  /** A turn was open at `lastSeq` (restoring it needs the whole log). */
  turnOpen: boolean;
  paused: boolean;
}

/** The checkpoint of a session's state: O(snapshot), never O(history). Config never holds a key. */
export function checkpointOf(d: SessionData): SessionCheckpoint {
  const data: CheckpointData = { snapshot: toSnapshot(d), turnOpen: d.turn !== undefined, paused: d.paused };
  return { version: 1, sessionId: d.id, lastSeq: d.lastSeq, data };
}

const loose = z.looseObject({});
const configSchema = configPatchSchema.required({
  providerId: true, providerKind: true, model: true, autoCompact: true, autoCompactThreshold: true, mode: true, rules: true, maxToolRounds: true,
});
const snapshotSchema = z.object({
  id: z.string(),
  title: z.string(),
  parentId: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  config: configSchema,
  state: z.enum(['idle', 'running', 'awaiting_approval', 'paused', 'error']),
  lastError: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).loose().optional(),
  lastSeq: z.number().int(),
  queue: z.array(z.object({ id: z.string(), text: z.string(), queuedAt: z.number() })),
  pendingApprovals: z.array(loose),
  tasks: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(['pending', 'in_progress', 'done', 'cancelled']) })),
  context: z.object({ tokens: z.number(), window: z.number(), fraction: z.number() }),
  totals: z.object({
    inputTokens: z.number(), outputTokens: z.number(), cacheReadTokens: z.number(), cacheWriteTokens: z.number(), costUsd: z.number().nullable(),
  }),
  messageCount: z.number().int().min(0),
  lastUsage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).loose().optional(),
  knowledge: z.object({ rules: z.array(loose), skills: z.array(loose) }).optional(),
  children: z.array(z.object({ id: z.string(), title: z.string(), callId: z.string(), status: z.string() })).optional(),
  pendingRetry: z.object({ turnId: z.string(), attempt: z.number(), delayMs: z.number() }).loose().optional(),
}).strict();
const dataSchema = z.object({ snapshot: snapshotSchema, turnOpen: z.boolean(), paused: z.boolean() }).strict();

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

/** The transcript's newest entries rebuilt from a tail of the log (see {@link foldTranscriptTail}). */
export interface TranscriptTail {
  entries: TranscriptEntry[];
  /**
   * `entries.slice(certainFrom)` is exactly the end of the whole transcript. Entries before it may
   * be misplaced: a compaction summary goes after the last message it replaced, which may lie
   * before the tail.
   */
  certainFrom: number;
}

/**
 * Folds a tail of a session's log with the reducer's own `applyEvent`, keeping the transcript.
 * Messages are added by single events (turn.started, message.completed, tool.completed), so every
 * message of the tail is there, and so is every compaction that marked one of them (it comes
 * later). What the tail cannot place is a summary whose replaced messages all lie before it: in the
 * whole transcript it sits before every message of the tail, so only what follows it is certain.
 * `complete`: the tail is the whole log (everything is certain).
 */
export function foldTranscriptTail(sessionId: string, events: readonly SessionEvent[], complete: boolean): TranscriptTail {
  const d = initialData(sessionId);
  let certainFrom = 0;
  for (const ev of events) {
    if (ev.type !== 'context.compacted' || complete) { applyEvent(d, ev); continue; }
    const gone = new Set(ev.compactedMessageIds);
    let last = -1;
    for (let i = d.transcript.length - 1; i >= 0 && last < 0; i--) if (gone.has(d.transcript[i].id)) last = i;
    applyEvent(d, ev);
    if (last < 0 && gone.size > 0) certainFrom = d.transcript.length;
    else if (last >= 0 && last + 1 <= certainFrom) certainFrom++; // inserted before the certain part
  }
  return { entries: d.transcript, certainFrom };
}

/** A transcript page size from a caller's limit: 1..1000, default 100. */
export function pageSize(limit: number | undefined): number {
  const n = Math.floor(Number(limit ?? 100));
  return Number.isFinite(n) ? Math.max(1, Math.min(n, 1_000)) : 100;
}

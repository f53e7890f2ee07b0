import type { SessionEvent } from './events';
import type { SessionSnapshot } from './types';
import type { TranscriptPage } from './api';
import type { SessionStore } from '../store/types';
import { foldTranscriptTail, pageSize, readCheckpointData, type CheckpointData, type TranscriptTail } from './checkpoint';

/** Events read from the end of the log for a preview (≈ 250+ messages of a typical log). */
export const PREVIEW_TAIL_EVENTS = 1_000;
/** A page needing more than the preview holds widens it ×4 up to this; beyond, the full load serves it. */
const MAX_PREVIEW_TAIL_EVENTS = 16_000;

/**
 * A session shown from its checkpoint and the tail of its log while the whole log loads: the
 * snapshot is exactly what the full load gives, because nothing was appended after the checkpoint
 * (its lastSeq is the log's last seq) and a quiet session's load records nothing.
 */
export interface SessionPreview {
  snapshot: SessionSnapshot;
  /** The tail that was read, oldest first. */
  events: SessionEvent[];
  /** How many events were asked for. */
  asked: number;
  /** The tail is the whole log. */
  complete: boolean;
  transcript: TranscriptTail;
}

/**
 * Idle or failed with nothing open: no turn to close or restore, no approval to ask again, so
 * loading the log records nothing. Anything else takes the full load (correctness first).
 */
function quiet(d: CheckpointData): boolean {
  const s = d.snapshot;
  return !s.turn && !s.paused && (s.state === 'idle' || s.state === 'error') && s.pendingApprovals.length === 0;
}

/**
 * Reads the session's checkpoint and the tail of its log. Undefined — read the whole log — when
 * the store keeps no checkpoints, the checkpoint is missing, damaged, another session's or not
 * quiet, when events were appended after it (e.g. a crash between an append and the checkpoint),
 * or when the tail reports any damage or the log is read-only.
 */
export async function readPreview(store: SessionStore, sessionId: string, asked = PREVIEW_TAIL_EVENTS): Promise<SessionPreview | undefined> {
  if (!store.loadCheckpoint) return undefined;
  const checkpoint = await store.loadCheckpoint(sessionId);
  const data = checkpoint ? readCheckpointData(checkpoint, sessionId) : undefined;
  if (!data || !quiet(data)) return undefined;
  return readTail(store, data.snapshot, asked);
}

async function readTail(store: SessionStore, snapshot: SessionSnapshot, asked: number): Promise<SessionPreview | undefined> {
  const tail = await store.loadTail(snapshot.id, asked);
  const events = tail.events;
  const last = events.length > 0 ? events[events.length - 1] : undefined;
  if (tail.warnings.length > 0 || tail.readOnly || !last || last.seq !== snapshot.lastSeq) return undefined;
  const complete = events.length < asked && events[0].type === 'session.created';
  const transcript = foldTranscriptTail(snapshot.id, events, complete);
  const certain = transcript.entries.length - transcript.certainFrom;
  if (complete ? transcript.entries.length !== snapshot.messageCount : certain > snapshot.messageCount) return undefined;
  return { snapshot, events, asked, complete, transcript };
}

/** The same log's preview with a 4× longer tail; undefined when already whole or at the cap. */
export async function widenPreview(store: SessionStore, p: SessionPreview): Promise<SessionPreview | undefined> {
  if (p.complete || p.asked >= MAX_PREVIEW_TAIL_EVENTS) return undefined;
  return readTail(store, p.snapshot, Math.min(p.asked * 4, MAX_PREVIEW_TAIL_EVENTS));
}

/** The newest transcript page (as `Session.transcript(limit)` gives it), or undefined when the tail cannot tell. */
export function previewPage(p: SessionPreview, limit: number | undefined): TranscriptPage | undefined {
  const n = pageSize(limit);
  const { entries, certainFrom } = p.transcript;
  if (!p.complete && entries.length - certainFrom < n) return undefined;
  const page = entries.slice(Math.max(0, entries.length - n));
  return { entries: structuredClone(page), hasMore: p.snapshot.messageCount > page.length };
}

/** Events with seq > afterSeq when the tail holds all of them (as the store's full load would give them). */
export function previewEventsSince(p: SessionPreview, afterSeq: number): SessionEvent[] | undefined {
  if (!p.complete && !(p.events.length > 0 && p.events[0].seq <= afterSeq)) return undefined;
  return structuredClone(p.events.filter((e) => e.seq > afterSeq));
}

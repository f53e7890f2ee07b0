import type { SessionEvent } from '../session/events';
import { COALESCIBLE_TYPES } from '../session/events';
import type { SessionIndexEntry } from './types';
import { foldEvent, initialProjection } from '../../shared/fold';

/**
 * Merges `next` into `prev` when both are coalescible and target the same stream
 * (message.delta: same messageId and kind; tool.output: same callId). The result keeps the
 * later seq/ts and the concatenated text. Returns undefined when they must stay separate.
 * Never mutates its arguments.
 */
export function tryCoalesce(prev: SessionEvent, next: SessionEvent): SessionEvent | undefined {
  if (!COALESCIBLE_TYPES.has(next.type) || prev.type !== next.type || prev.sessionId !== next.sessionId) return undefined;
  if (prev.type === 'message.delta' && next.type === 'message.delta') {
    if (prev.messageId !== next.messageId || prev.kind !== next.kind) return undefined;
    return { ...prev, text: prev.text + next.text, seq: next.seq, ts: next.ts };
  }
  if (prev.type === 'tool.output' && next.type === 'tool.output') {
    if (prev.callId !== next.callId) return undefined;
    return { ...prev, chunk: prev.chunk + next.chunk, seq: next.seq, ts: next.ts };
  }
  return undefined;
}

/** Pushes `event` onto `list`, merging it with the last element when allowed. */
export function pushCoalesced(list: SessionEvent[], event: SessionEvent): void {
  const last = list.length > 0 ? list[list.length - 1] : undefined;
  const merged = last ? tryCoalesce(last, event) : undefined;
  if (merged) list[list.length - 1] = merged;
  else list.push(event);
}

/**
 * The minimum shape a stored line must have to be handed back as an event. Deeper validation
 * belongs to the reducer, which must tolerate unknown event types from newer versions anyway.
 */
export function isStoredEvent(value: unknown): value is SessionEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.seq === 'number' && Number.isFinite(v.seq) && typeof v.type === 'string' && v.type.length > 0;
}

/**
 * Rebuilds an index row from a session's events (used when the index is missing, damaged or
 * lacks a session) with the one fold (src/shared/fold.ts), so it says what opening the session
 * shows. Returns undefined when the log has no `session.created` event. An event the fold cannot
 * apply (a damaged line that parsed) is skipped. A turn cannot run on after a restart, so a log
 * ending in `running`/`awaiting_approval` lists as idle.
 */
export function indexEntryFromEvents(id: string, events: readonly SessionEvent[]): SessionIndexEntry | undefined {
  const start = events.findIndex((e) => e.type === 'session.created');
  if (start < 0) return undefined;
  const p = initialProjection(id);
  let updatedAt = 0;
  let eventCount = 0;
  for (let i = start; i < events.length; i++) {
    const e = events[i];
    try {
      foldEvent(p, e);
    } catch {
      continue; // malformed beyond what the fold can read: the row is rebuilt from the rest
    }
    eventCount++;
    updatedAt = Math.max(updatedAt, typeof e.ts === 'number' ? e.ts : 0);
  }
  const state = p.state === 'running' || p.state === 'awaiting_approval' ? 'idle' : p.state;
  return {
    id, title: p.title, createdAt: p.createdAt, updatedAt, lastSeq: p.lastSeq, eventCount, messageCount: p.messageCount,
    state, ...(p.outcome ? { outcome: p.outcome } : {}), providerId: p.config.providerId, model: p.config.model, ...(p.parentId !== undefined ? { parentId: p.parentId } : {}),
  };
}

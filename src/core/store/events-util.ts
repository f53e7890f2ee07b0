import type { SessionEvent } from '../session/events';
import { COALESCIBLE_TYPES } from '../session/events';
import type { SessionIndexEntry } from './types';

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
 * lacks a session). Returns undefined when the log has no `session.created` event.
 * A turn cannot survive a restart, so a log ending in `running`/`awaiting_approval` lists as idle.
 */
export function indexEntryFromEvents(id: string, events: readonly SessionEvent[]): SessionIndexEntry | undefined {
  let entry: SessionIndexEntry | undefined;
  for (const e of events) {
    if (e.type === 'session.created') {
      entry = {
        id, title: e.title, createdAt: e.ts, updatedAt: e.ts, lastSeq: e.seq, eventCount: 0, messageCount: 0,
        state: 'idle', providerId: e.config?.providerId ?? '', model: e.config?.model ?? '',
        ...(e.parentId !== undefined ? { parentId: e.parentId } : {}),
      };
    }
    if (!entry) continue;
    entry.eventCount++;
    entry.lastSeq = Math.max(entry.lastSeq, e.seq);
    entry.updatedAt = Math.max(entry.updatedAt, typeof e.ts === 'number' ? e.ts : 0);
    switch (e.type) {
      case 'session.renamed': entry.title = e.title; break;
      case 'session.config_changed':
        if (typeof e.patch?.model === 'string') entry.model = e.patch.model;
        if (typeof e.patch?.providerId === 'string') entry.providerId = e.patch.providerId;
        break;
      case 'session.state': entry.state = e.state === 'running' || e.state === 'awaiting_approval' ? 'idle' : e.state; break;
      case 'turn.started': case 'message.completed': case 'tool.completed': entry.messageCount++; break;
      default: break;
    }
  }
  return entry;
}

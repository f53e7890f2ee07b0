/**
 * The transcript-record half of the one fold (fold.ts): how events create and update records.
 * Records are created only by the events that begin them (a prompt, an answer, a tool call, a
 * marker); an update whose record is not held (the webview holds a tail) changes nothing, so a
 * tail folded on its own gives exactly the records the whole log gives for that tail.
 */
import type { SessionEvent } from './events';
import { formatWait } from './durations';
import type { MarkerRecord, MarkerVariant, ToolRecord, TranscriptRecord } from './transcript';
import { toolKey } from './transcript';

/** Where the records live and how many were ever created. */
export interface RecordsHolder {
  records: TranscriptRecord[];
  messageCount: number;
}

/**
 * Key → position of each records array, built on first use: lookups stay O(1) however long the
 * session (a scan per event made a 10,000-message restore quadratic). Kept beside the array, not
 * in it, so the projection stays plain JSON; a new array (the webview copies it) gets its own.
 */
const positions = new WeakMap<TranscriptRecord[], Map<string, number>>();

function positionsOf(records: TranscriptRecord[]): Map<string, number> {
  let map = positions.get(records);
  if (!map) {
    map = new Map();
    for (let i = 0; i < records.length; i++) map.set(records[i].key, i);
    positions.set(records, map);
  }
  return map;
}

/** Index of the record with `key`, or -1. */
export function recordIndex(h: RecordsHolder, key: string): number {
  let i = positionsOf(h.records).get(key);
  if (i !== undefined && h.records[i]?.key !== key) {
    positions.delete(h.records); // the array was changed behind the fold's back: look again
    i = positionsOf(h.records).get(key);
  }
  return i ?? -1;
}

export function pushRecord(h: RecordsHolder, record: TranscriptRecord): void {
  h.records.push(record);
  positions.get(h.records)?.set(record.key, h.records.length - 1);
  h.messageCount++;
}

/** Replaces the record at `i` with a new object (so keyed views re-render just that row). */
export function replaceRecord(h: RecordsHolder, i: number, record: TranscriptRecord): void {
  h.records[i] = record;
}

/** Removes a record that turned out empty (an answer with no text); it never counted as shown. */
export function dropRecord(h: RecordsHolder, i: number): void {
  h.records.splice(i, 1);
  positions.delete(h.records); // later positions moved
  h.messageCount--;
}

/** Applies `patch` to the tool call's record, when held. */
export function updateTool(h: RecordsHolder, callId: string, patch: (r: ToolRecord) => ToolRecord): boolean {
  const i = recordIndex(h, toolKey(callId));
  const r = i >= 0 ? h.records[i] : undefined;
  if (r?.kind !== 'tool') return false;
  replaceRecord(h, i, patch(r));
  return true;
}

export function pushMarker(h: RecordsHolder, ev: SessionEvent, variant: MarkerVariant, text: string, extra: Partial<MarkerRecord> = {}): void {
  pushRecord(h, { kind: 'marker', key: `m:${ev.seq}`, seq: ev.seq, variant, text, ...extra });
}

/** Marks records compacted: messages by id, tool calls by the id of their result message. */
export function markCompacted(h: RecordsHolder, ids: ReadonlySet<string>): void {
  for (let i = 0; i < h.records.length; i++) {
    const r = h.records[i];
    if (r.compacted) continue;
    if (ids.has(r.key) || (r.kind === 'tool' && r.resultId !== undefined && ids.has(r.resultId))) replaceRecord(h, i, { ...r, compacted: true });
  }
}

/** An answer cut off by a cancel or by the editor closing is marked, when held. */
export function markInterrupted(h: RecordsHolder, messageId: string | undefined): void {
  if (!messageId) return;
  const i = recordIndex(h, messageId);
  const r = i >= 0 ? h.records[i] : undefined;
  if (r?.kind === 'assistant') replaceRecord(h, i, { ...r, streaming: false, interrupted: true });
}

/** The streaming answer, if held, is no longer streaming. */
export function finishStreaming(h: RecordsHolder, messageId: string | undefined): void {
  if (!messageId) return;
  const i = recordIndex(h, messageId);
  const r = i >= 0 ? h.records[i] : undefined;
  if (r?.kind === 'assistant' && r.streaming) replaceRecord(h, i, { ...r, streaming: false });
}

/** The marker's words for a compaction. */
export function compactionText(ev: Extract<SessionEvent, { type: 'context.compacted' }>): string {
  const why = ev.trigger === 'overflow' ? 'the request did not fit' : ev.trigger;
  return `Context compacted (${why}, ${ev.method}): ${ev.before.messages} messages / ${ev.before.tokens} tokens → ${ev.after.messages} / ${ev.after.tokens}${ev.note ? ` — ${ev.note}` : ''}`;
}

/** The marker's words for a retry (the card beside it counts down). */
export function retryText(ev: Extract<SessionEvent, { type: 'provider.retry' }>): string {
  if (ev.ask === 'after_output') return `The answer broke off (attempt ${ev.attempt}): ${ev.error.message}`;
  if (ev.ask === 'long_wait') return `The provider asks to wait ${formatWait(ev.delayMs)} before retrying (attempt ${ev.attempt}): ${ev.error.message}`;
  return `Retrying (attempt ${ev.attempt}) in ${formatWait(ev.delayMs)}: ${ev.error.message}`;
}

/** The marker for a turn that stopped at a limit (max rounds, tokens, cost), if it did. */
export function limitText(ev: Extract<SessionEvent, { type: 'turn.completed' }>): string | undefined {
  if (ev.stopReason === 'max_rounds') return `Turn stopped after ${ev.rounds} model requests (the session's maximum).`;
  if (ev.stopReason !== 'limit' || !ev.limit) return undefined;
  const { kind, used, max } = ev.limit;
  return kind === 'tokens'
    ? `Turn stopped at its token limit (${used} of ${max} tokens).`
    : `Turn stopped at its cost limit ($${used.toFixed(4)} of $${max.toFixed(4)}).`;
}

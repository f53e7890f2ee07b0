import type { SessionEvent, SessionEventBody } from '../../../src/core/session/events';
import type { SessionConfig } from '../../../src/core/session/types';
import type { SessionIndexEntry } from '../../../src/core/store/types';

export const config: SessionConfig = {
  providerId: 'openai', providerKind: 'openai', model: 'gpt-test', autoCompact: true, autoCompactThreshold: 0.8,
  mode: 'ask', rules: [], maxToolRounds: 50,
};

/** Makes numbered events for one session: `ev.next({ type: ... })`. */
export class EventMaker {
  seq = 0;
  constructor(readonly sessionId: string, private ts = 1_700_000_000_000) {}
  next(body: SessionEventBody): SessionEvent {
    this.seq++;
    this.ts += 1;
    return { ...body, seq: this.seq, ts: this.ts, sessionId: this.sessionId } as SessionEvent;
  }
  created(title = 'A session'): SessionEvent {
    return this.next({ type: 'session.created', title, config });
  }
}

/** A realistic turn: created, user prompt, streamed reply in `chunks` deltas, completion. */
export function sampleTurn(ev: EventMaker, chunks = 5, turnId = 't1'): SessionEvent[] {
  const msg = `m-${turnId}`;
  const out: SessionEvent[] = [];
  if (ev.seq === 0) out.push(ev.created());
  out.push(ev.next({ type: 'turn.started', turnId, promptId: `p-${turnId}`, messageId: `u-${turnId}`, text: 'hello' }));
  out.push(ev.next({ type: 'message.started', turnId, messageId: msg, round: 1 }));
  for (let i = 0; i < chunks; i++) out.push(ev.next({ type: 'message.delta', messageId: msg, kind: 'text', text: `w${i} ` }));
  out.push(ev.next({ type: 'message.completed', turnId, messageId: msg, content: [{ type: 'text', text: 'done' }], stopReason: 'end_turn' }));
  out.push(ev.next({ type: 'turn.completed', turnId, stopReason: 'end_turn', rounds: 1 }));
  return out;
}

export function indexRow(id: string, patch: Partial<SessionIndexEntry> = {}): SessionIndexEntry {
  return {
    id, title: `Title ${id}`, createdAt: 1, updatedAt: 2, lastSeq: 3, eventCount: 3, messageCount: 1,
    state: 'idle', providerId: 'openai', model: 'gpt-test', ...patch,
  };
}

/** Concatenated delta text per messageId (what the UI shows), regardless of coalescing. */
export function deltaText(events: readonly SessionEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) if (e.type === 'message.delta') out.set(e.messageId, (out.get(e.messageId) ?? '') + e.text);
  return out;
}

export const HOSTILE_IDS = ['..', '.', '../x', 'a/b', 'a\\b', '.hidden', '', 'a\u0000b', 'a\nb', 'a\u001fb', '/etc/passwd', 'x'.repeat(129), 'C:\\x', 'a b'];

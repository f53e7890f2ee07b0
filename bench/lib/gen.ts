/**
 * Realistic synthetic session logs for the storage benchmarks: the event sequence the engine
 * emits for a tool-using agent (user prompt, streamed assistant text with a tool call, tool
 * result, streamed answer, usage), with text sizes chosen so 10k messages ≈ 20 MB on disk.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEvent, SessionEventBody } from '../../src/core/session/events';
import { BUILTIN_DEFAULTS } from '../../src/core/session/config';
import { pushLine } from '../../src/core/store/record';

export interface GenOptions {
  /** Bytes of a user prompt / assistant text / tool result. */
  userBytes?: number;
  assistantBytes?: number;
  toolBytes?: number;
}

const LOREM = 'The quick brown fox jumps over the lazy dog; agents read files, run tests and edit code. ';
function text(n: number, salt: number): string {
  const head = `#${salt} `;
  return (head + LOREM.repeat(Math.ceil(n / LOREM.length))).slice(0, Math.max(head.length, n));
}

/** Messages (transcript entries) produced per turn by {@link turnBodies}. */
export const MESSAGES_PER_TURN = 4;

/** One tool-using turn: 4 transcript messages, 14 events. */
export function turnBodies(turn: number, o: GenOptions = {}): SessionEventBody[] {
  const u = o.userBytes ?? 400;
  const a = o.assistantBytes ?? 1100;
  const t = o.toolBytes ?? 1500;
  const turnId = `t${turn}`;
  const m = (k: string): string => `m${turn}${k}`;
  const callId = `call_${turn}`;
  const a1 = text(a, turn * 10 + 1);
  const a2 = text(a, turn * 10 + 2);
  return [
    { type: 'turn.started', turnId, promptId: `p${turn}`, messageId: m('u'), text: text(u, turn) },
    { type: 'session.state', state: 'running' },
    { type: 'message.started', turnId, messageId: m('a1'), round: 1 },
    { type: 'message.delta', messageId: m('a1'), kind: 'text', text: a1 },
    { type: 'message.completed', turnId, messageId: m('a1'), stopReason: 'tool_use', content: [{ type: 'text', text: a1 }, { type: 'tool_call', id: callId, name: 'read_file', args: { path: `src/file${turn}.ts` } }] },
    { type: 'tool.requested', turnId, callId, name: 'read_file', args: { path: `src/file${turn}.ts` } },
    { type: 'tool.started', callId, permission: { decision: 'allow', source: 'mode ask' } },
    { type: 'tool.completed', turnId, callId, messageId: m('t'), name: 'read_file', content: text(t, turn * 10 + 3), isError: false, durationMs: 3 },
    { type: 'message.started', turnId, messageId: m('a2'), round: 2 },
    { type: 'message.delta', messageId: m('a2'), kind: 'text', text: a2 },
    { type: 'message.completed', turnId, messageId: m('a2'), stopReason: 'end_turn', content: [{ type: 'text', text: a2 }] },
    {
      type: 'usage.updated', usage: { inputTokens: 1000 + turn, outputTokens: 400, cacheReadTokens: 900 },
      context: { tokens: 1400 + turn, window: 128_000, fraction: (1400 + turn) / 128_000 },
      totals: { inputTokens: turn * 1000, outputTokens: turn * 400, cacheReadTokens: turn * 900, cacheWriteTokens: 0, costUsd: turn * 0.01 },
      requestCostUsd: 0.01,
    },
    { type: 'turn.completed', turnId, stopReason: 'end_turn', rounds: 2 },
    { type: 'session.state', state: 'idle' },
  ];
}

/** An endless, valid event sequence of one session (session.created, then turns). */
export function* sessionEvents(sessionId: string, o: GenOptions = {}, startTs = 1_700_000_000_000): Generator<SessionEvent> {
  let seq = 0;
  const stamp = (b: SessionEventBody): SessionEvent => ({ ...b, seq: ++seq, ts: startTs + seq, sessionId }) as SessionEvent;
  yield stamp({ type: 'session.created', title: `Bench ${sessionId}`, config: { ...BUILTIN_DEFAULTS } });
  for (let turn = 1; ; turn++) for (const b of turnBodies(turn, o)) yield stamp(b);
}

/** The first `n` events of {@link sessionEvents}. */
export function takeEvents(sessionId: string, n: number, o: GenOptions = {}): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (const e of sessionEvents(sessionId, o)) {
    if (out.length >= n) break;
    out.push(e);
  }
  return out;
}

/** Events of a session with `messages` transcript messages (whole turns). */
export function eventsForMessages(sessionId: string, messages: number, o: GenOptions = {}): SessionEvent[] {
  const turns = Math.ceil(messages / MESSAGES_PER_TURN);
  return takeEvents(sessionId, 1 + turns * turnBodies(1, o).length, o);
}

/**
 * Writes a store log directly, the way a long-lived session would have left it: the store's own
 * lines (record.ts: JSON + CRC-32 suffix), or plain JSON lines (a log from before checksums) when
 * `checksums` is false. Returns its size.
 */
export async function seedLog(directory: string, sessionId: string, events: readonly SessionEvent[], o: { checksums?: boolean } = {}): Promise<number> {
  const dir = join(directory, 'sessions');
  await mkdir(dir, { recursive: true });
  const parts: Buffer[] = [];
  if (o.checksums === false) for (const e of events) parts.push(Buffer.from(`${JSON.stringify(e)}\n`));
  else for (const e of events) pushLine(parts, e);
  const body = Buffer.concat(parts);
  await writeFile(join(dir, `${sessionId}.jsonl`), body);
  return body.length;
}

/** The transcript messages of `events` (what a whole-file peer would store as its history array). */
export function messagesOf(events: readonly SessionEvent[]): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    if (e.type === 'turn.started') out.push({ role: 'user', content: e.text, id: e.messageId, ts: e.ts });
    else if (e.type === 'message.completed') out.push({ role: 'assistant', content: e.content, id: e.messageId, ts: e.ts });
    else if (e.type === 'tool.completed') out.push({ role: 'tool', toolCallId: e.callId, content: e.content, id: e.messageId, ts: e.ts });
  }
  return out;
}

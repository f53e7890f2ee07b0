/**
 * Many sessions streaming at once (B6, B13): the script the fake LLM server streams, and a run
 * that sends one prompt to each session and collects every session's deltas as they arrive.
 */
import { script, type Script } from '../../test/fake-llm';
import type { SessionEvent } from '../../src/core/session/events';
import type { SessionManager } from '../../src/core/session/manager';
import { nextEvent } from './engine';

export function expectedText(chunks: number): string[] {
  return Array.from({ length: chunks }, (_, i) => `chunk ${i};`);
}

export function streamScript(chunks: number, paceMs: number): Script {
  return script.paced({ steps: expectedText(chunks).map((text) => ({ type: 'text' as const, text, chunks: 1 })) }, paceMs);
}

export interface Received { deltas: number; text: string; first: number; last: number }

export async function streamAll(manager: SessionManager, ids: string[], chunks: number): Promise<Map<string, Received>> {
  const got = new Map<string, Received>(ids.map((id) => [id, { deltas: 0, text: '', first: 0, last: 0 }]));
  const sub = manager.onEvent((e: SessionEvent) => {
    if (e.type !== 'message.delta') return;
    const r = got.get(e.sessionId);
    if (!r) return;
    const now = performance.now();
    if (r.deltas === 0) r.first = now;
    r.last = now;
    r.deltas++;
    r.text += e.text;
  });
  const done = ids.map((id) => nextEvent(manager, 'turn.completed', (e) => e.sessionId === id, 120_000));
  await Promise.all(ids.map((id) => manager.send(id, `stream ${chunks} chunks`)));
  await Promise.all(done);
  sub.dispose();
  return got;
}


/** Chunks per second from a session's first delta to its last. */
export function rate(r: Received): number {
  return (r.deltas - 1) / ((r.last - r.first) / 1000);
}

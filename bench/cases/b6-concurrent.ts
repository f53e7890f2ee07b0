/**
 * B6: 20 sessions streaming at once from the fake LLM server (its own process; real OpenAI SDK over loopback)
 * through the real SessionManager and JSONL store. Every session's deltas are compared with what
 * the server sent (count and text): events lost must be 0. Per-session throughput (chunks/s from
 * first to last delta) with 20 at once vs one session alone, at one chunk every 5 ms (200
 * chunks/s per session, above a real model's rate), and as a stress figure at one every 2 ms.
 */
import { script, type Script } from '../../test/fake-llm';
import { startFakeLlmProcess } from '../lib/fake-llm-process';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import type { SessionEvent } from '../../src/core/session/events';
import type { SessionManager } from '../../src/core/session/manager';
import { makeManager, nextEvent } from '../lib/engine';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';


function expectedText(chunks: number): string[] {
  return Array.from({ length: chunks }, (_, i) => `chunk ${i};`);
}

function streamScript(chunks: number, paceMs: number): Script {
  return script.paced({ steps: expectedText(chunks).map((text) => ({ type: 'text' as const, text, chunks: 1 })) }, paceMs);
}

interface Received { deltas: number; text: string; first: number; last: number }

async function streamAll(manager: SessionManager, ids: string[], chunks: number): Promise<Map<string, Received>> {
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

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const sessions = 20;
  const chunks = ctx.quick ? 200 : 1_000;
  const fake = await startFakeLlmProcess();
  const dir = await ctx.tempDir('b6');
  const manager = await makeManager({ store: new JsonlSessionStore({ directory: dir }), openaiBaseUrl: fake.openaiBaseUrl });
  try {
    const ids: string[] = [];
    for (let i = 0; i < sessions; i++) ids.push((await manager.create({ title: `B6 ${i}` })).id);
    const rate = (r: Received): number => (r.deltas - 1) / ((r.last - r.first) / 1000);
    const rows: BenchRow[] = [];
    for (const pace of [5, 2]) {
      await fake.enqueue([streamScript(chunks, pace)]);
      const single = rate((await streamAll(manager, [ids[0]!], chunks)).get(ids[0]!)!);
      await fake.enqueue(ids.map(() => streamScript(chunks, pace)));
      const all = await streamAll(manager, ids, chunks);
      let lost = 0;
      let wrong = 0;
      const expected = expectedText(chunks);
      for (const id of ids) {
        const r = all.get(id)!;
        lost += Math.max(0, expected.length - r.deltas);
        if (r.text !== expected.join('')) wrong++;
      }
      const perSession = median(ids.map((id) => rate(all.get(id)!)));
      const worst = Math.min(...ids.map((id) => rate(all.get(id)!)));
      const share = perSession / single;
      rows.push(
        { id: 'B6', what: `events lost, ${sessions} sessions × ${chunks} chunks at once, 1 chunk / ${pace} ms`, unit: 'events', ours: lost, target: '0', met: lost === 0 && wrong === 0, note: `${wrong} session(s) whose text differs from what was sent` },
        {
          id: 'B6', what: `per-session throughput, ${sessions} at once (median), 1 chunk / ${pace} ms`, unit: 'chunks/s', ours: perSession,
          ...(pace === 5 ? { target: 'within 10 % of alone', met: share >= 0.9 } : { target: 'stress: no target' }),
          baseline: single, baselineWhat: 'one session alone', note: `${(share * 100).toFixed(0)} % of alone; slowest ${worst.toFixed(0)}/s; ${(perSession * sessions).toFixed(0)} chunks/s in all`,
        },
      );
    }
    return rows;
  } finally {
    await manager.dispose();
    await fake.close();
  }
}

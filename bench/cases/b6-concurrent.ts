/**
 * B6: 20 sessions streaming at once from the fake LLM server (its own process; real OpenAI SDK over loopback)
 * through the real SessionManager and JSONL store. Every session's deltas are compared with what
 * the server sent (count and text): events lost must be 0. Per-session throughput (chunks/s from
 * first to last delta) with 20 at once vs one session alone, at one chunk every 5 ms (200
 * chunks/s per session, above a real model's rate), and as a stress figure at one every 2 ms.
 */
import { startFakeLlmProcess } from '../lib/fake-llm-process';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import { makeManager } from '../lib/engine';
import { expectedText, rate, streamAll, streamScript } from '../lib/stream-all';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';


export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const sessions = 20;
  const chunks = ctx.quick ? 200 : 1_000;
  const fake = await startFakeLlmProcess();
  const dir = await ctx.tempDir('b6');
  const manager = await makeManager({ store: new JsonlSessionStore({ directory: dir }), openaiBaseUrl: fake.openaiBaseUrl });
  try {
    const ids: string[] = [];
    for (let i = 0; i < sessions; i++) ids.push((await manager.create({ title: `B6 ${i}` })).id);
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

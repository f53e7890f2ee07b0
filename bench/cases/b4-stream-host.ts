/**
 * B4: host cost per streamed chunk through the real engine to the real webview router. An
 * in-process provider streams 10k text chunks as fast as it can → SessionManager (real JSONL
 * store) → WebviewRouter → a counting webview port. Host CPU (user+system) and JSON bytes posted
 * per chunk, against sinks that re-send the whole message / the whole transcript per chunk, as
 * the peers do. Also: a hidden session's events are not posted until the webview opens it.
 */
import type { ModelProvider, StreamEvent } from '../../src/core/providers/types';
import { JsonlSessionStore } from '../../src/core/store/jsonl-store';
import type { SessionManager } from '../../src/core/session/manager';
import type { SessionEvent } from '../../src/core/session/events';
import { eventsForMessages, seedLog } from '../lib/gen';
import { makeManager, nextEvent } from '../lib/engine';
import { attachCountingWebview } from '../lib/router-sink';
import { median, type BenchRow } from '../lib/stats';
import type { CaseContext } from '../lib/case';

const CHUNK = 'token-ish chunk '; // 16 characters, a few tokens

function floodProvider(chunks: number): ModelProvider {
  return {
    kind: 'openai',
    async *stream(): AsyncIterable<StreamEvent> {
      for (let i = 0; i < chunks; i++) yield { type: 'text_delta', text: CHUNK };
      yield { type: 'usage', usage: { inputTokens: 1000, outputTokens: chunks } };
      yield { type: 'stop', reason: 'end_turn' };
    },
  };
}

/** Host CPU µs per chunk of one turn streaming `chunks` deltas in session `id`. */
async function turnCost(manager: SessionManager, id: string, chunks: number): Promise<number> {
  const done = nextEvent(manager, 'turn.completed', (e) => e.sessionId === id);
  const cpu0 = process.cpuUsage();
  await manager.send(id, 'stream please');
  await done;
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / chunks;
}

/** The peers' sinks: on every delta, post the whole message or the whole transcript again. */
function peerSink(manager: SessionManager, id: string, what: 'message' | 'transcript', history: unknown[]): { bytes: () => number; dispose(): void } {
  let bytes = 0;
  let text = '';
  const sub = manager.onEvent((e: SessionEvent) => {
    if (e.sessionId !== id) return;
    if (e.type === 'message.started') text = '';
    if (e.type === 'message.delta') {
      text += e.text;
      const current = { id: e.messageId, role: 'assistant', text };
      bytes += Buffer.byteLength(JSON.stringify(what === 'message' ? { type: 'partialMessage', message: current } : { type: 'state', messages: [...history, current] }));
    }
  });
  return { bytes: () => bytes, dispose: () => sub.dispose() };
}

export async function run(ctx: CaseContext): Promise<BenchRow[]> {
  const chunks = ctx.quick ? 2_000 : 10_000;
  const runs = ctx.quick ? 1 : 3;
  const dir = await ctx.tempDir('b4');
  // Two sessions with 200 messages of history each: A is shown in the webview, B is a hidden tab.
  for (const id of ['a', 'b']) await seedLog(dir, id, eventsForMessages(id, 200));
  const manager = await makeManager({ store: new JsonlSessionStore({ directory: dir }), deps: { createProvider: () => floodProvider(chunks) } });
  const view = attachCountingWebview(manager);
  try {
    view.send({ kind: 'ready', protocolVersion: 1 });
    const opened = view.reply('o1');
    view.send({ kind: 'request', id: 'o1', method: 'sessions.open', params: { sessionId: 'a', limit: 100 } });
    await opened;
    await manager.open('b');

    const ours: number[] = [];
    const oursBytes: number[] = [];
    let hiddenPosted = 0;
    for (let r = 0; r < runs; r++) {
      view.reset();
      ours.push(await turnCost(manager, 'a', chunks));
      oursBytes.push(view.eventsBySession.get('a')!.bytes / view.eventsBySession.get('a')!.count);
      await turnCost(manager, 'b', chunks); // hidden tab streams too
      hiddenPosted += view.eventsBySession.get('b')?.count ?? 0;
    }
    // Showing B: the webview opens it, then B's live events flow.
    const shown = view.reply('o2');
    view.send({ kind: 'request', id: 'o2', method: 'sessions.open', params: { sessionId: 'b', limit: 100 } });
    await shown;
    view.reset();
    await turnCost(manager, 'b', chunks);
    const afterShown = view.eventsBySession.get('b')?.count ?? 0;
    view.dispose();

    const history = (await manager.transcript('a', { limit: 10_000 })).entries;
    const base: Record<'message' | 'transcript', { cpu: number; bytes: number }> = { message: { cpu: 0, bytes: 0 }, transcript: { cpu: 0, bytes: 0 } };
    for (const what of ['message', 'transcript'] as const) {
      const cpus: number[] = [];
      const bytes: number[] = [];
      for (let r = 0; r < Math.min(runs, 1); r++) { // one run: the baselines are quadratic in the message length
        const sink = peerSink(manager, 'a', what, history);
        cpus.push(await turnCost(manager, 'a', chunks));
        bytes.push(sink.bytes() / chunks);
        sink.dispose();
      }
      base[what] = { cpu: median(cpus), bytes: median(bytes) };
    }
    const cpu = median(ours);
    const perChunk = median(oursBytes);
    const msgKb = (CHUNK.length * chunks / 1024).toFixed(0);
    return [
      { id: 'B4', what: `host CPU per streamed chunk (${chunks} chunks → engine → JSONL store → router)`, unit: 'µs', ours: cpu, target: '< 20 µs', met: cpu < 20, baseline: base.message.cpu, baselineWhat: 're-send whole message per chunk' },
      { id: 'B4', what: 'host CPU per chunk vs re-sending the whole transcript', unit: 'µs', ours: cpu, target: '< 20 µs', met: cpu < 20, baseline: base.transcript.cpu, baselineWhat: `re-send transcript (${history.length} msgs) per chunk` },
      { id: 'B4', what: `bytes posted per chunk (chunk = ${CHUNK.length} chars)`, unit: 'B', ours: perChunk, target: '≈ chunk size + envelope', note: 'envelope: type, ids, seq, ts', baseline: base.message.bytes, baselineWhat: `whole message (grows to ${msgKb} KiB)` },
      { id: 'B4', what: 'bytes posted per chunk vs re-sending the whole transcript', unit: 'B', ours: perChunk, baseline: base.transcript.bytes, baselineWhat: `transcript of ${history.length} msgs` },
      { id: 'B4', what: 'events posted for a hidden tab while it streams', unit: 'events', ours: hiddenPosted, target: '0 until shown', met: hiddenPosted === 0 && afterShown > 0, note: `after it is shown: ${afterShown} events posted for its next turn` },
    ];
  } finally {
    await manager.dispose();
  }
}

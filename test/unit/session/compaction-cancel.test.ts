// Cancel (and dispose) during a compaction: the summary request is aborted, nothing is applied,
// the session stays usable and says the compaction was cancelled.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastUserText, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { createProvider } from '../../../src/core/providers/factory';
import type { ModelProvider, ProviderEndpoint } from '../../../src/core/providers/types';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const isSummaryRequest = (req: RecordedRequest): boolean => JSON.stringify(req.body ?? {}).includes('You compress the middle part');
const userTexts = (req: RecordedRequest): string[] => ((req.body?.messages ?? []) as { role: string; content: unknown }[])
  .filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

/** A harness whose providers record the abort signal of every request. Summary requests stall. */
async function harness(): Promise<{ h: Harness; signals: AbortSignal[] }> {
  fake.reset();
  fake.setResponder((req) => (isSummaryRequest(req)
    ? script.stall()
    : script.of(script.text(`reply to ${lastUserText(req)}`), script.usage(userTexts(req).length * 2_000, 50))));
  const signals: AbortSignal[] = [];
  const recording = (endpoint: ProviderEndpoint): ModelProvider => {
    const real = createProvider(endpoint);
    return { kind: real.kind, stream: (request, options) => { signals.push(request.signal); return real.stream(request, options); } };
  };
  return { h: await startHarness({ fake, deps: { createProvider: recording } }), signals };
}

async function conversation(h: Harness, id: string, prompts: string[]): Promise<void> {
  for (const p of prompts) {
    await h.manager.send(id, p);
    await h.manager.whenIdle(id);
  }
}

/** Resolves when the fake server has received the summary request. */
async function summaryRequested(): Promise<void> {
  for (let n = fake.requests.length + 1; !fake.requests.some(isSummaryRequest); n++) await fake.waitForRequests(n);
}

void describe('cancelling a compaction', () => {
  void test('manual: cancel aborts the stalled summary request, nothing is applied, the session stays usable', async () => {
    const { h, signals } = await harness();
    const s = await h.manager.create({ config: { autoCompact: false } });
    await conversation(h, s.id, ['ORIGINAL', 'second', 'third', 'fourth']);
    const before = h.manager.get(s.id)!;
    const compacting = h.manager.compact(s.id);
    await summaryRequested();
    const t0 = Date.now();
    await h.manager.cancel(s.id);
    await compacting; // resolves: the warning tells what happened
    assert.ok(Date.now() - t0 < 2_000, 'the compaction stopped at once, not after its 120 s timeout');
    assert.equal(signals.at(-1)?.aborted, true, 'the summary request was aborted');

    assert.ok(!h.of(s.id).some((e) => e.type === 'context.compacted'), 'nothing applied');
    const warning = await h.waitFor('warning', (e) => e.sessionId === s.id && e.code === 'compaction_cancelled');
    assert.match(warning.message, /cancelled; the history is unchanged/);
    const after = h.manager.get(s.id)!;
    assert.equal(after.state, 'idle');
    assert.deepEqual(after.context, before.context);
    assert.equal(after.messageCount, before.messageCount + 1, 'only the warning\'s marker joined the transcript');
    assert.ok(!(await h.manager.transcript(s.id)).entries.some((e) => e.compacted));

    // Usable: a new turn runs with the whole history, and a new compaction may start.
    await conversation(h, s.id, ['fifth']);
    assert.deepEqual(userTexts(fake.requests.at(-1)!), ['ORIGINAL', 'second', 'third', 'fourth', 'fifth']);
    assert.ok(h.of(s.id).some((e) => e.type === 'turn.completed' && e.seq > warning.seq));
    fake.setResponder((req) => (isSummaryRequest(req) ? script.text('SUMMARY-TEXT') : script.text('ok')));
    await h.manager.compact(s.id);
    assert.ok(h.of(s.id).some((e) => e.type === 'context.compacted'));
    await h.close();
  });

  void test('automatic: cancel after the turn stops the compaction; the queued prompt waits for resume', async () => {
    const { h, signals } = await harness();
    const s = await h.manager.create({ config: { contextWindow: 10_000, autoCompactThreshold: 0.5 } });
    await conversation(h, s.id, ['ORIGINAL', 'two']);
    await h.manager.send(s.id, 'three'); // 6 050 / 10 000 ≥ 0.5: compacts after this turn
    await summaryRequested();
    const queued = await h.manager.send(s.id, 'four');
    assert.equal(queued.queued, true);
    await h.manager.cancel(s.id);
    await h.manager.whenIdle(s.id);
    assert.equal(signals.at(-1)?.aborted, true);
    assert.ok(!h.of(s.id).some((e) => e.type === 'context.compacted'));
    assert.ok(h.of(s.id).some((e) => e.type === 'warning' && e.code === 'compaction_cancelled' && /automatic/.test(e.message)));
    assert.ok(!h.of(s.id).some((e) => e.type === 'warning' && e.code === 'auto_compact_failed'));
    assert.deepEqual(h.manager.get(s.id)?.queue.map((q) => q.text), ['four'], 'the queued prompt was not started');
    await h.manager.resume(s.id);
    const four = await h.waitFor('turn.started', (e) => e.sessionId === s.id && e.text === 'four');
    await h.waitFor('turn.completed', (e) => e.turnId === four.turnId);
    await h.manager.cancel(s.id); // its own auto compaction may follow; stop it too
    await h.close();
  });

  void test('dispose during a compaction aborts it and records nothing for it', async () => {
    const { h, signals } = await harness();
    const s = await h.manager.create({ config: { autoCompact: false } });
    await conversation(h, s.id, ['ORIGINAL', 'second', 'third', 'fourth']);
    const seq = h.manager.get(s.id)!.lastSeq;
    const compacting = h.manager.compact(s.id);
    await summaryRequested();
    await h.manager.dispose();
    await compacting;
    assert.equal(signals.at(-1)?.aborted, true);
    assert.ok(!h.of(s.id).some((e) => e.seq > seq), 'no event after the dispose');
    const loaded = await h.store.load(s.id).catch(() => undefined); // the memory store may be closed
    if (loaded) assert.ok(!loaded.events.some((e) => e.type === 'context.compacted'));
    await h.close();
  });
});

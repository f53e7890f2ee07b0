import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastUserText, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const isSummaryRequest = (req: RecordedRequest): boolean => JSON.stringify(req.body ?? {}).includes('You compress the middle part');
const userTexts = (req: RecordedRequest): string[] => ((req.body?.messages ?? []) as { role: string; content: unknown }[])
  .filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

/** Replies to turns with text and usage growing with the conversation; summary requests get SUMMARY-TEXT. */
function respond(summary: 'ok' | 'fail', inputPerTurn = 2_000): void {
  fake.setResponder((req) => {
    if (isSummaryRequest(req)) return summary === 'ok' ? script.text('SUMMARY-TEXT') : script.error(401);
    const turns = userTexts(req).length;
    return script.of(script.text(`reply to ${lastUserText(req)}`), script.usage(turns * inputPerTurn, 50));
  });
}

async function conversation(h: Harness, id: string, prompts: string[]): Promise<void> {
  for (const p of prompts) {
    await h.manager.send(id, p);
    await h.manager.whenIdle(id);
  }
}

void describe('compaction', () => {
  void test('manual: original request kept verbatim, recent turns kept, meter drops, compacted messages marked', async () => {
    fake.reset();
    respond('ok');
    const h = await startHarness({ fake });
    const s = await h.manager.create({ config: { autoCompact: false } });
    await conversation(h, s.id, ['ORIGINAL: build the thing', 'second', 'third', 'fourth']);
    const before = h.manager.get(s.id)!.context.tokens;
    assert.equal(before, 4 * 2_000 + 50);
    await h.manager.compact(s.id);
    const ev = await h.waitFor('context.compacted', (e) => e.sessionId === s.id);
    assert.equal(ev.method, 'llm');
    assert.equal(ev.trigger, 'manual');
    assert.equal(ev.before.tokens, before);
    assert.ok(ev.after.tokens < ev.before.tokens / 4, `${ev.after.tokens} vs ${ev.before.tokens}`);
    assert.ok(ev.after.messages < ev.before.messages);
    assert.ok(ev.summary.includes('SUMMARY-TEXT'));
    assert.equal(h.manager.get(s.id)!.context.tokens, ev.after.tokens, 'the meter dropped');
    const summaryReq = fake.requests.find(isSummaryRequest);
    assert.ok(summaryReq && JSON.stringify(summaryReq.body).includes('reply to second'), 'the middle went to the summariser');
    // Next request: original first and verbatim, then the summary, then the recent turns.
    await h.manager.send(s.id, 'fifth');
    await h.manager.whenIdle(s.id);
    const users = userTexts(fake.requests.at(-1)!);
    assert.equal(users[0], 'ORIGINAL: build the thing');
    assert.ok(users[1].includes('SUMMARY-TEXT'));
    assert.deepEqual(users.slice(2), ['third', 'fourth', 'fifth']);
    assert.ok(!users.includes('second'));
    // The transcript keeps everything, marked.
    const page = await h.manager.transcript(s.id);
    const marked = page.entries.filter((e) => e.compacted).map((e) => (e.kind === 'tool' ? e.resultId : e.key));
    assert.deepEqual(marked.sort(), [...ev.compactedMessageIds].sort());
    assert.ok(page.entries.some((e) => e.kind === 'user' && e.text === 'second' && e.compacted));
    await h.close();
  });

  void test('no model reachable: plain truncation, and the event says so', async () => {
    fake.reset();
    respond('fail');
    const h = await startHarness({ fake });
    const s = await h.manager.create({ config: { autoCompact: false } });
    await conversation(h, s.id, ['ORIGINAL', 'b', 'c', 'd']);
    await h.manager.compact(s.id);
    const ev = await h.waitFor('context.compacted', (e) => e.sessionId === s.id);
    assert.equal(ev.method, 'truncate');
    assert.match(ev.note ?? '', /truncated instead/);
    await h.manager.send(s.id, 'e');
    await h.manager.whenIdle(s.id);
    assert.equal(userTexts(fake.requests.at(-1)!)[0], 'ORIGINAL');
    await h.close();
  });

  void test('refused while a turn runs', async () => {
    fake.reset();
    fake.enqueue(script.stall());
    const h = await startHarness({ fake });
    const s = await h.manager.create();
    await h.manager.send(s.id, 'busy');
    await assert.rejects(h.manager.compact(s.id), (e: unknown) => e instanceof AgentError && e.code === 'invalid_state');
    await h.manager.cancel(s.id);
    await h.close();
  });

  void test('automatic after a turn once usage reaches the threshold; open tasks survive', async () => {
    fake.reset();
    respond('ok', 2_000);
    const h = await startHarness({ fake });
    const s = await h.manager.create({ config: { contextWindow: 10_000, autoCompactThreshold: 0.5 } });
    fake.enqueue(script.toolCall('update_tasks', { tasks: [{ id: '1', title: 'OPEN-TASK-X', status: 'in_progress' }, { id: '2', title: 'FINISHED-TASK', status: 'done' }] }));
    await conversation(h, s.id, ['ORIGINAL', 'two']);
    assert.equal(h.manager.get(s.id)!.tasks.length, 2);
    assert.ok(!h.of(s.id).some((e) => e.type === 'context.compacted'), 'below the threshold: no compaction');
    await conversation(h, s.id, ['three']); // 6 050 / 10 000 ≥ 0.5
    const ev = h.of(s.id).find((e) => e.type === 'context.compacted');
    assert.ok(ev?.type === 'context.compacted');
    assert.equal(ev.trigger, 'auto');
    const snap = h.manager.get(s.id)!;
    assert.ok(snap.context.fraction < 0.5, `${snap.context.fraction}`);
    assert.equal(snap.state, 'idle');
    assert.ok(ev.summary.includes('OPEN-TASK-X') && !ev.summary.includes('FINISHED-TASK'), ev.summary);
    await conversation(h, s.id, ['four']);
    assert.equal(userTexts(fake.requests.filter((r) => !isSummaryRequest(r)).at(-1)!)[0], 'ORIGINAL');
    await h.close();
  });
});

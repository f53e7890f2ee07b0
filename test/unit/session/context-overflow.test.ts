/**
 * A request that does not fit the context window: the turn compacts once and sends it again;
 * when that does not help (the retry overflows too, or the context refills right after a
 * compaction) it stops with a message that says what the window is, what filled it and what
 * the user can do — never a loop of compactions.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { planTightCompaction } from '../../../src/core/context/compaction';
import type { HistoryMessage } from '../../../src/shared/model';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const SUMMARY = script.text('SUMMARY-TEXT');
const isSummaryRequest = (req: RecordedRequest): boolean => JSON.stringify(req.body ?? {}).includes('You compress the middle part');
const userTexts = (req: RecordedRequest): string[] => ((req.body?.messages ?? []) as { role: string; content: unknown }[])
  .filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

async function harness(): Promise<Harness> {
  fake.reset();
  return startHarness({ fake });
}

async function conversation(h: Harness, id: string, prompts: string[]): Promise<void> {
  for (const p of prompts) {
    await h.manager.send(id, p);
    await h.manager.whenIdle(id);
  }
}

void describe('the tightest compaction plan', () => {
  const call = (id: string, callId: string): HistoryMessage => ({ id, role: 'assistant', content: [{ type: 'tool_call', id: callId, name: 'echo', args: {} }] });
  const result = (id: string, callId: string): HistoryMessage => ({ id, role: 'tool', toolCallId: callId, toolName: 'echo', content: 'x' });
  const history: HistoryMessage[] = [
    { id: 'o', role: 'user', content: 'ORIGINAL' }, { id: 'a1', role: 'assistant', content: [{ type: 'text', text: 'done' }] },
    { id: 'u2', role: 'user', content: 'now this' }, call('a2', 'X'), result('r2', 'X'), call('a3', 'Y'), result('r3', 'Y'),
  ];

  void test('keeps the original, the current request and its last round; a call never loses its result', () => {
    const plan = planTightCompaction(history, 'u2');
    assert.deepEqual(plan?.original?.id, 'o');
    assert.deepEqual(plan?.summarise.map((m) => m.id), ['a1', 'a2', 'r2']);
    assert.deepEqual(plan?.keep.map((m) => m.id), ['u2', 'a3', 'r3']);
  });

  void test('the first request of a turn: everything between the original and it; nothing to do when nothing is between', () => {
    assert.deepEqual(planTightCompaction(history.slice(0, 3), 'u2')?.summarise.map((m) => m.id), ['a1']);
    assert.equal(planTightCompaction(history.slice(0, 1), 'o'), undefined);
    assert.equal(planTightCompaction([history[0], call('a2', 'X'), result('r2', 'X')], 'o'), undefined, 'one round only: nothing to summarise');
  });
});

void describe('context overflow', () => {
  void test('overflow → compaction → the same request again, in the same turn', async () => {
    const h = await harness();
    fake.setResponder((req) => (isSummaryRequest(req) ? SUMMARY : script.of(script.text(`reply to ${userTexts(req).at(-1)}`), script.usage(1_000, 20))));
    const s = await h.manager.create({ config: { autoCompact: false } });
    await conversation(h, s.id, ['ORIGINAL', 'b', 'c', 'd']);
    const before = fake.requests.length;
    const from = h.events.length;
    fake.enqueue(script.contextOverflow());
    await h.manager.send(s.id, 'e');
    const compacted = await h.waitFor('context.compacted', (e) => e.sessionId === s.id);
    assert.equal(compacted.trigger, 'overflow');
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id, from);
    assert.equal(done.rounds, 1);
    assert.ok(!h.of(s.id).some((e) => e.type === 'turn.failed'));
    const mine = fake.requests.slice(before);
    assert.equal(mine.length, 3, 'overflow, summary, retry');
    assert.ok(isSummaryRequest(mine[1]!));
    const retried = userTexts(mine[2]!);
    assert.equal(retried[0], 'ORIGINAL', 'the original request stays first');
    assert.ok(retried[1]!.includes('SUMMARY-TEXT'));
    assert.equal(retried.at(-1), 'e', 'the current request stays verbatim');
    assert.ok(!retried.includes('b') && !retried.includes('d'));
    // The failed attempt leaves no empty assistant message behind.
    const page = await h.manager.transcript(s.id);
    assert.ok(!page.entries.some((e) => e.kind === 'assistant' && !e.text && !e.thinking));
    assert.equal(page.entries.at(-1)?.kind, 'assistant');
    await h.close();
  });

  void test('the retry overflows again: the breaker stops with what the window is, what filled it, what to do', async () => {
    const h = await harness();
    fake.setResponder((req) => (isSummaryRequest(req) ? SUMMARY : script.of(script.text('ok'), script.usage(1_000, 20))));
    const s = await h.manager.create({ config: { autoCompact: false, contextWindow: 50_000 } });
    await conversation(h, s.id, ['ORIGINAL', 'b', 'c']);
    const before = fake.requests.length;
    fake.enqueue(script.contextOverflow(), SUMMARY, script.contextOverflow(), script.text('must not be asked'));
    await h.manager.send(s.id, 'd');
    const failed = await h.waitFor('turn.failed', (e) => e.sessionId === s.id);
    await h.manager.whenIdle(s.id);
    assert.equal(failed.error.code, 'context_overflow');
    assert.match(failed.error.message, /after compacting/i);
    assert.match(failed.error.message, /50,000 tokens/);
    assert.match(failed.error.message, /system prompt/i);
    assert.match(failed.error.message, /tool definitions/i);
    assert.match(failed.error.message, /conversation/i);
    assert.match(failed.error.hint ?? '', /larger context window/i);
    assert.match(failed.error.hint ?? '', /rules files|tools/i);
    assert.equal(h.of(s.id).filter((e) => e.type === 'context.compacted').length, 1, 'compacted once');
    assert.equal(fake.requests.length - before, 3, 'overflow, summary, overflow: then it stopped');
    await h.close();
  });

  void test('thrash in a turn: the context refills right after compacting → stop, no second compaction', async () => {
    const h = await harness();
    fake.setResponder((req) => (isSummaryRequest(req) ? SUMMARY : script.of(script.text('ok'), script.usage(1_000, 20))));
    const s = await h.manager.create({ config: { autoCompact: false, contextWindow: 50_000 } });
    await conversation(h, s.id, ['ORIGINAL', 'b', 'c']);
    const before = fake.requests.length;
    fake.enqueue(
      script.contextOverflow(), SUMMARY,
      script.of(script.toolCall('echo', { text: 'big' }), script.usage(49_000, 20)),
      script.contextOverflow(),
      script.text('must not be asked'),
    );
    await h.manager.send(s.id, 'd');
    const failed = await h.waitFor('turn.failed', (e) => e.sessionId === s.id);
    await h.manager.whenIdle(s.id);
    assert.equal(failed.error.code, 'context_overflow');
    assert.match(failed.error.message, /right after/i);
    assert.equal(h.of(s.id).filter((e) => e.type === 'context.compacted').length, 1);
    assert.equal(fake.requests.length - before, 4);
    await h.close();
  });

  void test('compacting again right after a compaction keeps the least: the original, the latest request and its last round', async () => {
    const h = await harness();
    fake.setResponder((req) => (isSummaryRequest(req) ? SUMMARY : script.of(script.text(`reply to ${userTexts(req).at(-1)}`), script.usage(1_000, 20))));
    const s = await h.manager.create({ config: { autoCompact: false } });
    await conversation(h, s.id, ['ORIGINAL', 'b', 'c', 'd']);
    await h.manager.compact(s.id);
    await h.manager.compact(s.id);
    assert.equal(h.of(s.id).filter((e) => e.type === 'context.compacted').length, 2);
    await conversation(h, s.id, ['e']);
    const users = userTexts(fake.requests.at(-1)!);
    assert.equal(users[0], 'ORIGINAL');
    assert.ok(users[1]!.includes('SUMMARY-TEXT'));
    assert.deepEqual(users.slice(2), ['d', 'e'], 'c went into the summary this time');
    await h.close();
  });

  void test('thrash after turns: an auto compaction followed at once by a refill to the threshold warns instead of compacting again', async () => {
    const h = await harness();
    const s = await h.manager.create({ config: { autoCompact: true, autoCompactThreshold: 0.8, contextWindow: 10_000 } });
    const turn = (input: number) => script.of(script.text('ok'), script.usage(input, 50));
    fake.enqueue(turn(2_000), turn(3_000), turn(8_500), SUMMARY, turn(8_500));
    await conversation(h, s.id, ['ORIGINAL', 'b', 'c']);
    assert.equal(h.of(s.id).filter((e) => e.type === 'context.compacted').length, 1, 'the first auto compaction happens');
    await conversation(h, s.id, ['d']);
    assert.equal(h.of(s.id).filter((e) => e.type === 'context.compacted').length, 1, 'no second compaction right after the first');
    const warning = h.of(s.id).find((e) => e.type === 'warning' && e.code === 'compaction_thrash');
    assert.ok(warning?.type === 'warning');
    assert.match(warning.message, /10,000 tokens/);
    assert.match(warning.message, /right after/i);
    assert.match(warning.message, /larger context window|Compact/);
    assert.equal(fake.requests.filter(isSummaryRequest).length, 1);
    await h.close();
  });
});

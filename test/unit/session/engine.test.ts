import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, lastUserText, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';

const isCode = (code: string) => (e: unknown): boolean => e instanceof AgentError && e.code === code;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(deps = {}): Promise<Harness> {
  fake.reset();
  return startHarness({ fake, deps });
}

void describe('session engine: turns', () => {
  void test('two sessions stream at once on different providers (OpenAI and Anthropic formats)', async () => {
    const h = await harness();
    fake.setResponder((req) => script.paced(script.text(req.format === 'openai' ? 'alpha beta gamma delta' : 'uno dos tres cuatro', 8), 25));
    const a = await h.manager.create({ title: 'A' });
    const b = await h.manager.create({ title: 'B', config: { providerId: 'anthropic', model: 'claude-sonnet-4-5' } });
    assert.equal(b.config.providerKind, 'anthropic');
    await h.manager.send(a.id, 'hello A');
    await h.manager.send(b.id, 'hello B');
    const doneA = await h.waitFor('turn.completed', (e) => e.sessionId === a.id);
    const doneB = await h.waitFor('turn.completed', (e) => e.sessionId === b.id);
    const firstDelta = (id: string): number => h.events.findIndex((e) => e.sessionId === id && e.type === 'message.delta');
    // Each session was streaming before the other finished: they ran at the same time.
    assert.ok(firstDelta(b.id) < h.events.indexOf(doneA));
    assert.ok(firstDelta(a.id) < h.events.indexOf(doneB));
    const msg = (id: string): string => {
      const m = h.of(id).find((e) => e.type === 'message.completed');
      return m?.type === 'message.completed' && m.content[0]?.type === 'text' ? m.content[0].text : '';
    };
    assert.equal(msg(a.id), 'alpha beta gamma delta');
    assert.equal(msg(b.id), 'uno dos tres cuatro');
    assert.deepEqual(fake.requests.map((r) => r.format).sort(), ['anthropic', 'openai']);
    // seq is per session, 1-based and gap-free
    for (const id of [a.id, b.id]) assert.deepEqual(h.of(id).map((e) => e.seq), h.of(id).map((_, i) => i + 1));
    assert.equal(h.manager.get(a.id)?.state, 'idle');
    await h.close();
  });

  void test('tool round trip; a model change mid-turn applies to the next turn', async () => {
    const h = await harness();
    fake.enqueue(script.of(script.text('Let me check.'), script.toolCall('echo', { text: 'ping' }, { chunks: 3 }), script.usage(120, 10)));
    fake.setResponder((req) => script.text(`Tool result: ${lastToolResult(req)?.content ?? 'none'}`));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'use the echo tool');
    await h.manager.updateConfig(s.id, { model: 'gpt-next' });
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.rounds, 2);
    const tool = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(tool?.type === 'tool.completed');
    assert.equal(tool.content, 'echo:ping');
    assert.equal(tool.permission?.source, 'mode ask');
    const [r1, r2] = fake.requests;
    assert.equal(lastToolResult(r2)?.content, 'echo:ping');
    assert.equal(r1.body?.model, 'gpt-4o-mini');
    assert.equal(r2.body?.model, 'gpt-4o-mini', 'same turn keeps its model');
    assert.equal(r1.headers.authorization, 'Bearer sk-test-SECRET123');
    const final = h.of(s.id).filter((e) => e.type === 'message.completed').at(-1);
    assert.ok(final?.type === 'message.completed');
    assert.deepEqual(final.content, [{ type: 'text', text: 'Tool result: echo:ping' }]);
    await h.manager.send(s.id, 'again');
    await h.manager.whenIdle(s.id);
    assert.equal(fake.requests[2].body?.model, 'gpt-next', 'the next turn uses the new model');
    // the system prompt is byte-identical across requests (prompt caching)
    const sys = (i: number): unknown => (fake.requests[i].body?.messages as { content: unknown }[])[0].content;
    assert.equal(sys(0), sys(2));
    await h.close();
  });

  void test('a prompt sent during a turn is queued, removable, and started in order', async () => {
    const h = await harness();
    fake.setResponder((req) => script.paced(script.text(`answer to ${lastUserText(req)}`, 4), 30));
    const s = await h.manager.create();
    assert.deepEqual((await h.manager.send(s.id, 'first')).queued, false);
    const second = await h.manager.send(s.id, 'second');
    const third = await h.manager.send(s.id, 'third');
    assert.equal(second.queued, true);
    assert.equal(third.queued, true);
    assert.deepEqual(h.manager.get(s.id)?.queue.map((q) => q.text), ['second', 'third']);
    assert.equal(await h.manager.removeQueued(s.id, third.promptId), true);
    assert.equal(await h.manager.removeQueued(s.id, third.promptId), false);
    await h.waitFor('turn.started', (e) => e.sessionId === s.id && e.promptId === second.promptId);
    await h.manager.whenIdle(s.id);
    const started = h.of(s.id).filter((e) => e.type === 'turn.started').map((e) => (e.type === 'turn.started' ? e.text : ''));
    assert.deepEqual(started, ['first', 'second']);
    assert.deepEqual(fake.requests.map(lastUserText), ['first', 'second']);
    const page = await h.manager.transcript(s.id);
    assert.deepEqual(page.entries.map((e) => e.kind), ['user', 'assistant', 'user', 'assistant'], 'never interleaved');
    assert.equal(h.manager.get(s.id)?.queue.length, 0);
    await h.close();
  });

  void test('cancel mid-stream: nothing after turn.cancelled, partial text kept, session usable', async () => {
    const h = await harness();
    fake.enqueue(script.of(script.text('partial answer'), script.stall()));
    const s = await h.manager.create();
    const before = h.of(s.id).length;
    await h.manager.cancel(s.id); // idle: a no-op
    assert.equal(h.of(s.id).length, before);
    await h.manager.send(s.id, 'long task');
    await h.waitFor('message.delta', (e) => e.sessionId === s.id);
    await h.manager.cancel(s.id);
    const cancelled = await h.waitFor('turn.cancelled', (e) => e.sessionId === s.id);
    assert.ok(cancelled.partialMessageId);
    await delay(100);
    const afterCancel = h.of(s.id).filter((e) => e.seq > cancelled.seq);
    assert.deepEqual(afterCancel.map((e) => e.type), [], 'the state is derived: nothing follows turn.cancelled');
    assert.equal(h.manager.get(s.id)?.state, 'idle');
    await h.manager.send(s.id, 'next');
    await h.manager.whenIdle(s.id);
    const msgs = fake.requests[1].body?.messages as { role: string; content: unknown }[];
    assert.ok(msgs.some((m) => m.role === 'assistant' && JSON.stringify(m.content).includes('partial answer')));
    assert.equal(h.manager.get(s.id)?.state, 'idle');
    await h.close();
  });

  void test('cancel during a running tool aborts it and records an interrupted result', async () => {
    const h = await harness();
    fake.enqueue(script.toolCall('slow', { ms: 10_000 }, { id: 'call_slow' }));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'run slow');
    await h.waitFor('tool.output', (e) => e.sessionId === s.id);
    const t0 = Date.now();
    await h.manager.cancel(s.id);
    const c = await h.waitFor('turn.cancelled', (e) => e.sessionId === s.id);
    assert.ok(Date.now() - t0 < 1_000);
    assert.deepEqual(c.interruptedCallIds, ['call_slow']);
    const tc = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(tc?.type === 'tool.completed' && tc.interrupted === true && tc.seq < c.seq);
    await h.manager.send(s.id, 'continue');
    await h.manager.whenIdle(s.id);
    const msgs = fake.requests[1].body?.messages as { role: string; tool_call_id?: string }[];
    assert.ok(msgs.some((m) => m.role === 'tool' && m.tool_call_id === 'call_slow'), 'history stays valid for the provider');
    await h.close();
  });

  void test('pause holds at the tool boundary; resume continues the same turn', async () => {
    const h = await harness();
    fake.enqueue(script.toolCall('slow', { ms: 150 }));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'go');
    await h.waitFor('tool.started', (e) => e.sessionId === s.id);
    await h.manager.pause(s.id);
    assert.equal(h.manager.get(s.id)?.state, 'paused');
    await h.waitFor('tool.completed', (e) => e.sessionId === s.id);
    await delay(150);
    assert.equal(fake.requests.length, 1, 'no new model request while paused');
    assert.equal(h.manager.get(s.id)?.state, 'paused');
    await h.manager.resume(s.id);
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.rounds, 2);
    const turnIds = new Set(h.of(s.id).filter((e) => e.type === 'turn.started').map((e) => (e.type === 'turn.started' ? e.turnId : '')));
    assert.equal(turnIds.size, 1, 'the same turn');
    await h.close();
  });

  void test('a provider error fails the turn (error state with hint) and the session stays usable', async () => {
    const h = await harness();
    fake.enqueue(script.error(401));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hi');
    const failed = await h.waitFor('turn.failed', (e) => e.sessionId === s.id);
    assert.equal(failed.error.code, 'auth');
    await h.manager.whenIdle(s.id);
    assert.equal(h.manager.get(s.id)?.state, 'error');
    assert.equal(h.manager.get(s.id)?.lastError?.code, 'auth');
    await h.manager.send(s.id, 'hi again');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(h.manager.get(s.id)?.state, 'idle');
    await h.close();
  });

  void test('retryable errors show as provider.retry events', async () => {
    const h = await harness();
    fake.enqueue(script.rateLimited(0));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hi');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    const retry = h.of(s.id).find((e) => e.type === 'provider.retry');
    assert.ok(retry?.type === 'provider.retry' && retry.error.code === 'rate_limited');
    await h.close();
  });

  void test('capacity_exceeded when one more session would exceed maxRunningSessions', async () => {
    const h = await harness({ maxRunningSessions: 1 });
    fake.enqueue(script.stall());
    const a = await h.manager.create();
    const b = await h.manager.create();
    await h.manager.send(a.id, 'busy');
    await fake.waitForRequests(1); // A holds the stalled stream
    await assert.rejects(h.manager.send(b.id, 'me too'), isCode('capacity_exceeded'));
    await h.manager.send(a.id, 'queued in the same session is fine');
    await h.manager.cancel(a.id);
    await h.manager.send(b.id, 'now');
    await h.waitFor('turn.completed', (e) => e.sessionId === b.id);
    assert.ok(!h.of(b.id).some((e) => e.type === 'provider.retry'));
    await h.close();
  });

  void test('hostile session ids are rejected; unknown ids are not_found; empty prompts refused', async () => {
    const h = await harness();
    for (const id of ['../x', 'a/b', '', '.hidden', '..', 'a\\b', 'x\u0000y', '/etc/passwd']) {
      await assert.rejects(h.manager.open(id), isCode('invalid_id'), JSON.stringify(id));
      await assert.rejects(h.manager.send(id, 'x'), isCode('invalid_id'));
      assert.throws(() => h.manager.get(id), isCode('invalid_id'));
    }
    await assert.rejects(h.manager.create({ parentId: '../p' }), isCode('invalid_id'));
    await assert.rejects(h.manager.open('s_unknown'), isCode('not_found'));
    const s = await h.manager.create();
    await assert.rejects(h.manager.send(s.id, '   '), isCode('bad_request'));
    await assert.rejects(h.manager.updateConfig(s.id, { maxToolRounds: -1 }), isCode('bad_request'));
    await h.close();
  });

  void test('maxToolRounds ends a looping turn', async () => {
    const h = await harness();
    fake.setResponder(() => script.toolCall('echo', { text: 'again' }));
    const s = await h.manager.create({ config: { maxToolRounds: 3 } });
    await h.manager.send(s.id, 'loop');
    const done = await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(done.stopReason, 'max_rounds');
    assert.equal(fake.requests.length, 3);
    await h.close();
  });

  void test('hot-swapped defaults apply to new sessions only; transcript pages and replay', async () => {
    const h = await harness();
    fake.setResponder(() => script.text('ok'));
    const old = await h.manager.create();
    h.manager.setDefaults({ model: 'gpt-swapped' });
    const fresh = await h.manager.create();
    assert.equal(fresh.config.model, 'gpt-swapped');
    assert.equal(h.manager.get(old.id)?.config.model, 'gpt-4o-mini');
    for (const p of ['one', 'two', 'three']) { await h.manager.send(fresh.id, p); await h.manager.whenIdle(fresh.id); }
    const last = await h.manager.transcript(fresh.id, { limit: 2 });
    assert.deepEqual(last.entries.map((e) => (e.kind === 'user' || e.kind === 'assistant' ? e.text : e.kind)), ['three', 'ok']);
    assert.equal(last.hasMore, true);
    const older = await h.manager.transcript(fresh.id, { limit: 10, beforeSeq: last.entries[0].seq });
    assert.deepEqual(older.entries.map((e) => e.kind), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(older.hasMore, false);
    const all = h.of(fresh.id);
    const replay = await h.manager.eventsSince(fresh.id, all[4].seq);
    assert.deepEqual(replay, all.slice(5));
    assert.ok(h.manager.list().some((r) => r.id === fresh.id && r.model === 'gpt-swapped'));
    await h.close();
  });
});

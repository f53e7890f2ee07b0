/**
 * Retries the user can see and steer: a countdown (provider.retry with retryAt) that "retry now"
 * skips; a wait longer than the cap is asked for; a stream that broke after output keeps its
 * partial text (marked, not sent to the model) and is re-sent with one click. The reopened
 * session folds to the same state as the live one.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { AgentError } from '../../../src/core/base/errors';
import { foldEvents, toSnapshot } from '../../../src/core/session/reducer';
import { parseWebviewMessage } from '../../../src/shared/protocol-schema';
import { MemorySessionStore } from '../../../src/core/store/memory-store';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const isCode = (code: string) => (e: unknown): boolean => e instanceof AgentError && e.code === code;

async function harness(maxRetryWaitMs?: number): Promise<Harness> {
  fake.reset();
  return startHarness({ fake, deps: maxRetryWaitMs === undefined ? {} : { maxRetryWaitMs: () => maxRetryWaitMs } });
}

/** The reopened view: the log folded from scratch. */
async function reopened(h: Harness, id: string) {
  await h.manager.whenIdle(id).catch(() => undefined);
  return foldEvents(id, (await h.store.load(id)).events);
}

void describe('retries: countdown, retry now, long waits', () => {
  void test('a Retry-After under the cap counts down; "retry now" sends at once', async () => {
    const h = await harness();
    fake.enqueue(script.rateLimited(30), script.text('answer'));
    const s = await h.manager.create();
    await assert.rejects(h.manager.retry(s.id, 'now'), isCode('invalid_state'), 'nothing to retry yet');
    await h.manager.send(s.id, 'hi');
    const retry = await h.waitFor('provider.retry', (e) => e.sessionId === s.id);
    assert.equal(retry.delayMs, 30_000, 'the whole Retry-After, not cut');
    assert.equal(retry.ask, undefined);
    assert.ok(retry.retryAt !== undefined && Math.abs(retry.retryAt - (retry.ts + 30_000)) < 1_000, `retryAt ${retry.retryAt} vs ts ${retry.ts}`);
    assert.deepEqual(h.manager.get(s.id)?.pendingRetry?.retryAt, retry.retryAt, 'the snapshot shows the countdown');
    await assert.rejects(h.manager.retry(s.id, 'wait'), isCode('invalid_state'), '"wait" only answers a long-wait question');
    await h.manager.retry(s.id, 'now');
    const went = await h.waitFor('provider.retrying', (e) => e.sessionId === s.id);
    assert.equal(went.by, 'user');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(fake.requests.length, 2);
    assert.ok(fake.requests[1]!.receivedAt < retry.retryAt, 'sent before the countdown ended');
    assert.equal(h.manager.get(s.id)?.pendingRetry, undefined);
    assert.equal((await reopened(h, s.id)).pendingRetry, undefined);
    await h.close();
  });

  void test('cancel during the countdown ends the turn and clears it', async () => {
    const h = await harness();
    fake.enqueue(script.rateLimited(30));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hi');
    await h.waitFor('provider.retry', (e) => e.sessionId === s.id);
    await h.manager.cancel(s.id);
    await h.waitFor('turn.cancelled', (e) => e.sessionId === s.id);
    assert.equal(h.manager.get(s.id)?.pendingRetry, undefined);
    assert.equal(fake.requests.length, 1);
    await h.close();
  });

  void test('a Retry-After over the cap asks: nothing is sent until the user answers; "wait" starts the countdown', async () => {
    const h = await harness(60_000);
    fake.enqueue(script.rateLimited(90), script.text('after waiting'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hi');
    const asked = await h.waitFor('provider.retry', (e) => e.sessionId === s.id);
    assert.equal(asked.ask, 'long_wait');
    assert.equal(asked.delayMs, 90_000);
    assert.equal(asked.retryAt, undefined, 'no timer until the user agrees');
    assert.equal(h.manager.get(s.id)?.pendingRetry?.ask, 'long_wait');
    // The log folds to the same question (a reopened view shows the same card).
    assert.deepEqual(toSnapshot(await reopenedNow(h, s.id)).pendingRetry, h.manager.get(s.id)?.pendingRetry);
    const seen = h.events.length;
    await h.manager.retry(s.id, 'wait');
    const countdown = await h.waitFor('provider.retry', (e) => e.sessionId === s.id && e.retryAt !== undefined, seen);
    assert.equal(countdown.ask, undefined);
    assert.equal(countdown.attempt, asked.attempt);
    assert.ok(Math.abs(countdown.retryAt! - (asked.ts + 90_000)) < 1_000, 'counts down to the time the provider named');
    assert.equal(fake.requests.length, 1);
    await h.manager.retry(s.id, 'now');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(fake.requests.length, 2);
    await h.close();
  });

  void test('after "wait" the timer sends it by itself', async () => {
    const h = await harness(100);
    fake.enqueue(script.rateLimited(0.5), script.text('later'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'hi');
    const asked = await h.waitFor('provider.retry', (e) => e.sessionId === s.id);
    assert.equal(asked.ask, 'long_wait');
    await h.manager.retry(s.id, 'wait');
    const went = await h.waitFor('provider.retrying', (e) => e.sessionId === s.id);
    assert.equal(went.by, 'timer');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    await h.close();
  });
});

/** Folds the log while the turn is still open (flushes first). */
async function reopenedNow(h: Harness, id: string) {
  await h.store.flush(id);
  return foldEvents(id, (await h.store.load(id)).events);
}

void describe('retries after output', () => {
  void test('the stream broke after output: partial text kept and marked, one click re-sends the same request', async () => {
    const h = await harness();
    fake.enqueue(script.of(script.text('partial answer', 3), script.disconnect()), script.text('the full answer'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'explain');
    const asked = await h.waitFor('provider.retry', (e) => e.sessionId === s.id);
    assert.equal(asked.ask, 'after_output');
    assert.equal(asked.error.code, 'network');
    assert.ok(asked.partialMessageId);
    assert.ok(!h.of(s.id).some((e) => e.type === 'turn.failed'), 'the turn did not fail');
    const partial = h.of(s.id).find((e) => e.type === 'message.completed' && e.messageId === asked.partialMessageId);
    assert.ok(partial?.type === 'message.completed' && partial.partial === true);
    // The transcript keeps it, marked; the model's history does not have it.
    const live = await h.manager.transcript(s.id);
    const entry = live.entries.find((e) => e.key === asked.partialMessageId);
    assert.ok(entry?.kind === 'assistant' && entry.partial === true);
    assert.equal(entry.text, 'partial answer');
    const folded = await reopenedNow(h, s.id);
    assert.ok(!folded.history.some((m) => m.id === asked.partialMessageId));
    assert.deepEqual(toSnapshot(folded).pendingRetry, h.manager.get(s.id)?.pendingRetry, 'reopened = live while waiting');
    assert.equal(fake.requests.length, 1, 'nothing re-sent without the click');
    await h.manager.retry(s.id, 'now');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(fake.requests.length, 2);
    assert.deepEqual(fake.requests[1]!.body!.messages, fake.requests[0]!.body!.messages, 'the same request again');
    const page = await h.manager.transcript(s.id);
    const assistants = page.entries.filter((e) => e.kind === 'assistant');
    assert.equal(assistants.length, 2);
    assert.equal(assistants[0].partial, true);
    assert.equal(assistants[1].text, 'the full answer');
    assert.equal(assistants[1].partial, undefined);
    const after = await reopened(h, s.id);
    assert.deepEqual(after.records, (await h.manager.transcript(s.id)).entries);
    assert.deepEqual(after.history.map((m) => m.role), ['user', 'assistant']);
    await h.close();
  });

  void test('cancel instead of retry: the turn is cancelled, the partial text stays', async () => {
    const h = await harness();
    fake.enqueue(script.of(script.text('half'), script.disconnect()));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'explain');
    await h.waitFor('provider.retry', (e) => e.sessionId === s.id && e.ask === 'after_output');
    await h.manager.cancel(s.id);
    await h.waitFor('turn.cancelled', (e) => e.sessionId === s.id);
    const page = await h.manager.transcript(s.id);
    assert.ok(page.entries.some((e) => e.kind === 'assistant' && e.partial === true));
    assert.equal(h.manager.get(s.id)?.pendingRetry, undefined);
    assert.equal(h.manager.get(s.id)?.state, 'idle');
    await h.close();
  });
});

void describe('retries across a window reload', () => {
  void test('paused while a broken stream waits for "retry": the turn comes back paused without the stale question; resume sends it again', async () => {
    fake.reset();
    const store = new MemorySessionStore();
    fake.enqueue(script.toolCall('echo', { text: 'one' }), script.of(script.text('half an answer'), script.disconnect()), script.text('whole answer'));
    const h1 = await startHarness({ fake, store });
    const s = await h1.manager.create();
    await h1.manager.send(s.id, 'go');
    await h1.waitFor('provider.retry', (e) => e.sessionId === s.id && e.ask === 'after_output');
    await h1.manager.pause(s.id);
    await h1.close();
    const h2 = await startHarness({ fake, store });
    const back = await h2.manager.open(s.id);
    assert.equal(back.state, 'paused');
    assert.equal(back.pendingRetry, undefined, 'nothing waits for that answer any more');
    await assert.rejects(h2.manager.retry(s.id, 'now'), isCode('invalid_state'));
    await h2.manager.resume(s.id);
    await h2.waitFor('turn.completed', (e) => e.sessionId === s.id);
    assert.equal(fake.requests.length, 3);
    const page = await h2.manager.transcript(s.id);
    assert.deepEqual(page.entries.filter((e) => e.kind === 'assistant' || e.kind === 'tool').map((e) => (e.kind === 'assistant' ? [e.partial === true, e.text] : [e.kind, e.name])),
      [['tool', 'echo'], [true, 'half an answer'], [false, 'whole answer']]);
    await h2.close();
  });
});

void describe('sessions.retry on the wire', () => {
  void test('validated: "now" or "wait" for a session id; anything else is bad_request', () => {
    const req = (params: unknown): unknown => ({ kind: 'request', id: 'r1', method: 'sessions.retry', params });
    for (const action of ['now', 'wait']) assert.ok(parseWebviewMessage(req({ sessionId: 's-1', action })).ok, action);
    for (const bad of [{ sessionId: 's-1', action: 'later' }, { sessionId: 's-1' }, { sessionId: '../x', action: 'now' }, { sessionId: 's-1', action: 'now', delayMs: 0 }]) {
      const r = parseWebviewMessage(req(bad));
      assert.ok(!r.ok && r.error.code === 'bad_request', JSON.stringify(bad));
    }
  });
});

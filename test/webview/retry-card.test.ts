/**
 * The retry card in the transcript: a live countdown with "Retry now" / "Cancel", the question
 * for a long wait ("Wait" / "Retry now" / "Cancel"), and "Retry" after a broken stream whose
 * partial text stays marked. A reopened view (snapshot + records) shows the same as the live one.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import type { PendingRetry } from '../../src/shared/session';
import type { TranscriptRecord } from '../../src/shared/transcript';
import { launch, openWebview, opened, snapshot, snapshotMessage, withState, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

function ev(seq: number, body: SessionEventBody): SessionEvent {
  return { ...body, seq, ts: seq, sessionId: 'a' } as SessionEvent;
}

const rateLimited = { code: 'rate_limited' as const, message: 'Rate limited: slow down', retryable: true, retryAfterMs: 30_000, status: 429 };
const broken = { code: 'network' as const, message: 'Connection failed: terminated', retryable: true };

async function openRunning(entries: TranscriptRecord[] = [], pendingRetry?: PendingRetry): Promise<WebviewPage> {
  const w = await openWebview(browser);
  const s = withState(snapshot('a', { lastSeq: 10, ...(pendingRetry ? { pendingRetry } : {}) }), 'running');
  await w.push(snapshotMessage([s], [opened(s, entries)], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  return w;
}

const card = (w: WebviewPage) => w.page.getByRole('group', { name: 'Retry pending' });

void describe('retry card', () => {
  void test('countdown: counts down live; Retry now and Cancel post their requests; gone once the request goes', async () => {
    const w = await openRunning();
    await w.push({ kind: 'event', event: ev(11, { type: 'provider.retry', turnId: 't1', attempt: 1, delayMs: 30_000, error: rateLimited, retryAt: Date.now() + 8_000 }) });
    const timer = card(w).getByRole('timer');
    await timer.waitFor();
    const first = (await timer.textContent()) ?? '';
    assert.match(first, /^0:0[78]$/);
    // Live: the clock moves without any new event.
    await w.page.waitForFunction((start) => {
      const host = document.querySelector('as-app')?.shadowRoot?.querySelector('as-transcript')?.shadowRoot?.querySelector('as-retry-card');
      const text = host?.shadowRoot?.querySelector('[role="timer"]')?.textContent ?? start;
      return text !== start;
    }, first, { timeout: 3_000 });
    assert.match(await card(w).textContent() ?? '', /Rate limited: slow down/);
    await card(w).getByRole('button', { name: 'Retry now' }).click();
    const now = await w.waitForRequest('sessions.retry');
    assert.deepEqual(now.params, { sessionId: 'a', action: 'now' });
    await w.reply(now.id, {});
    await card(w).getByRole('button', { name: 'Cancel' }).click();
    const cancel = await w.waitForRequest('sessions.cancel');
    assert.deepEqual(cancel.params, { sessionId: 'a' });
    await w.push({ kind: 'event', event: ev(12, { type: 'provider.retrying', turnId: 't1', attempt: 1, by: 'user' }) });
    await card(w).waitFor({ state: 'detached' });
    await w.page.close();
  });

  void test('a long wait is a question: Wait posts "wait", then the same attempt counts down', async () => {
    const w = await openRunning();
    await w.push({ kind: 'event', event: ev(11, { type: 'provider.retry', turnId: 't1', attempt: 1, delayMs: 300_000, error: rateLimited, ask: 'long_wait' }) });
    await card(w).getByText('The provider asks to wait 5 min before the next try').waitFor();
    assert.equal(await card(w).getByRole('timer').count(), 0, 'no countdown before the user agrees');
    await card(w).getByRole('button', { name: 'Retry now' }).waitFor();
    await card(w).getByRole('button', { name: 'Wait 5 min' }).click();
    const wait = await w.waitForRequest('sessions.retry');
    assert.deepEqual(wait.params, { sessionId: 'a', action: 'wait' });
    await w.reply(wait.id, {});
    await w.push({ kind: 'event', event: ev(12, { type: 'provider.retry', turnId: 't1', attempt: 1, delayMs: 300_000, error: rateLimited, retryAt: Date.now() + 299_000 }) });
    await card(w).getByRole('timer').waitFor();
    assert.match((await card(w).getByRole('timer').textContent()) ?? '', /^(5:00|4:5\d)$/);
    assert.equal(await w.page.locator('.marker[data-variant="retry"]').count(), 1, 'one marker per attempt');
    await w.page.close();
  });

  void test('after a broken stream: the partial answer is marked, Retry posts "now"; the reopened view shows the same', async () => {
    const w = await openRunning([{ kind: 'user', key: 'u1', text: 'explain', seq: 9 }]);
    let seq = 10;
    await w.push({ kind: 'event', event: ev(++seq, { type: 'message.started', turnId: 't1', messageId: 'm1', round: 1 }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'message.delta', messageId: 'm1', kind: 'text', text: 'partial answer' }) });
    await w.push({ kind: 'event', event: ev(++seq, { type: 'message.completed', turnId: 't1', messageId: 'm1', content: [{ type: 'text', text: 'partial answer' }], stopReason: 'other', partial: true }) });
    const pending: PendingRetry = { turnId: 't1', attempt: 1, error: broken, delayMs: 0, ask: 'after_output', partialMessageId: 'm1' };
    await w.push({ kind: 'event', event: ev(++seq, { type: 'provider.retry', ...pending }) });
    const partial = w.page.locator('[data-message-id="m1"][data-partial]');
    await partial.waitFor();
    assert.match((await partial.getByRole('note').textContent()) ?? '', /Partial answer/);
    assert.match((await partial.textContent()) ?? '', /partial answer/);
    const liveCard = (await card(w).textContent())?.replace(/\s+/g, ' ').trim();
    assert.match(liveCard ?? '', /The answer broke off/);
    await card(w).getByRole('button', { name: 'Retry', exact: true }).click();
    const retry = await w.waitForRequest('sessions.retry');
    assert.deepEqual(retry.params, { sessionId: 'a', action: 'now' });
    // The same session reopened from its snapshot and transcript entries.
    const again = await openRunning([
      { kind: 'user', key: 'u1', text: 'explain', seq: 9 },
      { kind: 'assistant', key: 'm1', text: 'partial answer', thinking: '', streaming: false, seq: 13, partial: true },
      { kind: 'marker', key: 'retry:t1:1', variant: 'retry', text: 'The answer broke off (attempt 1): Connection failed: terminated', error: broken, seq: 14 },
    ], pending);
    await again.page.locator('[data-message-id="m1"][data-partial]').waitFor();
    assert.equal((await card(again).textContent())?.replace(/\s+/g, ' ').trim(), liveCard, 'reopened card = live card');
    await again.page.close();
    await w.page.close();
  });

  void test('the turn ending clears the card', async () => {
    const w = await openRunning([], { turnId: 't1', attempt: 2, error: rateLimited, delayMs: 30_000, retryAt: Date.now() + 30_000 });
    await card(w).waitFor();
    await w.push({ kind: 'event', event: ev(11, { type: 'turn.cancelled', turnId: 't1', interruptedCallIds: [] }) });
    await card(w).waitFor({ state: 'detached' });
    await w.page.close();
  });
});

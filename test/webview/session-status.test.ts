// What the session tab says about its state, in headless Chromium with the real webview bundle.
// Sessions are built as the host sends them: a log folded with the shared fold (src/shared/fold.ts),
// opened at some seq, and the rest of the log pushed as live events.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import { foldAll, toSnapshot } from '../../src/shared/fold';
import type { OpenedSession } from '../../src/shared/protocol';
import type { SessionConfig } from '../../src/shared/session';
import { config, launch, openWebview, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

/** A log of session `a`: seq 1… in order. */
function log(bodies: SessionEventBody[]): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, ts: i + 1, sessionId: 'a' }) as SessionEvent);
}

/** The session as the host opens it after the first `n` events (core folds with the same function). */
function openAt(events: SessionEvent[], n: number): OpenedSession {
  const p = foldAll('a', events.slice(0, n));
  return { snapshot: toSnapshot(p), entries: p.records, hasMore: false, lastSeq: p.lastSeq };
}

/** Opens the webview on session `a` at event `n`; returns the page and a pusher for the rest. */
async function openLive(events: SessionEvent[], n: number): Promise<{ w: WebviewPage; next: (upTo: number) => Promise<void> }> {
  const w = await openWebview(browser);
  const o = openAt(events, n);
  await w.push(snapshotMessage([o.snapshot], [o], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  let at = n;
  const next = async (upTo: number): Promise<void> => {
    for (; at < upTo; at++) await w.push({ kind: 'event', event: events[at] });
  };
  return { w, next };
}

const created = (model = config.model): SessionEventBody => ({ type: 'session.created', title: 'Alpha', config: { ...config, model } satisfies SessionConfig });
const turn: SessionEventBody = { type: 'turn.started', turnId: 't1', promptId: 'p1', messageId: 'u1', text: 'fix the tests' };
const started: SessionEventBody = { type: 'message.started', turnId: 't1', messageId: 'm1', round: 1 };
const toolCall: SessionEventBody = {
  type: 'message.completed', turnId: 't1', messageId: 'm1', stopReason: 'tool_use',
  content: [{ type: 'text', text: 'Running them.' }, { type: 'tool_call', id: 'c1', name: 'run_command', args: { command: 'npm test' } }],
};

const composerStatus = (w: WebviewPage): Promise<string> => w.page.locator('as-composer .status').innerText();
const headerStatus = (w: WebviewPage) => w.page.locator('as-session-header').getByRole('status', { name: 'Session state' });

void describe('session status', () => {
  void test('the composer says what the session does: running, waiting for approval, pausing, paused', async () => {
    const approval = {
      id: 'ap1', sessionId: 'a', callId: 'c1', toolName: 'run_command', summary: 'npm test', args: { command: 'npm test' },
      reason: 'mode ask: commands ask', requestedAt: 5,
    };
    const events = log([
      created(), turn, started,
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: 'Running' },
      { type: 'session.paused' }, // 5: the answer still streams → pausing
      toolCall, // 6: the stream ended → paused, holding
      { type: 'session.resumed' }, // 7: running again
      { type: 'tool.requested', turnId: 't1', callId: 'c1', name: 'run_command', args: { command: 'npm test' } },
      { type: 'approval.requested', approval }, // 9: waiting for approval
    ]);
    const { w, next } = await openLive(events, 4);
    assert.match(await composerStatus(w), /^Running — new prompts are queued/);
    await next(5);
    await w.page.locator('as-composer .status', { hasText: 'Pausing' }).waitFor();
    assert.match(await composerStatus(w), /^Pausing at the next step — new prompts are queued/);
    await next(6);
    await w.page.locator('as-composer .status', { hasText: 'Paused' }).waitFor();
    assert.match(await composerStatus(w), /^Paused — resume to continue; new prompts are queued/);
    await next(7);
    await w.page.locator('as-composer .status', { hasText: 'Running' }).waitFor();
    await next(9);
    await w.page.locator('as-composer .status', { hasText: 'approval' }).waitFor();
    assert.match(await composerStatus(w), /^Waiting for your approval — new prompts are queued/);
    await w.page.close();
  });

  void test('a pause requested mid-stream shows "Pausing…" in the header until it holds, then "Paused"', async () => {
    const events = log([
      created(), turn, started,
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: 'Run' },
      { type: 'session.paused' },
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: 'ning them.' },
      toolCall,
    ]);
    const { w, next } = await openLive(events, 4);
    assert.equal(await headerStatus(w).count(), 0, 'nothing to say while it runs');
    await next(6);
    await headerStatus(w).getByText('Pausing…').waitFor();
    assert.equal(await w.page.locator('as-transcript as-streaming-text[data-kind="text"]').textContent(), 'Running them.', 'the answer keeps streaming while it pauses');
    const badge = w.page.locator('[data-session-id="a"] .badge');
    assert.equal(await badge.getAttribute('data-activity'), 'pausing', 'the tab says it is pausing');
    await next(7);
    await headerStatus(w).getByText('Paused', { exact: true }).waitFor();
    // The tab follows: its state stays "paused" throughout, only the hold changes.
    await w.page.locator('[data-session-id="a"] .badge[data-activity="paused"]').waitFor();
    // A reopen at the same point shows the same.
    const again = await openLive(events, 5);
    await headerStatus(again.w).getByText('Pausing…').waitFor();
    assert.match(await composerStatus(again.w), /^Pausing at the next step/);
    await again.w.page.close();
    await w.page.close();
  });

  void test('cost: an unpriced model shows — before and after replies; a priced one $0.00, then what it spent', async () => {
    const usage = (cost: number | null): SessionEventBody => ({ type: 'usage.updated', usage: { inputTokens: 1000, outputTokens: 50 }, requestCostUsd: cost });
    const cost = (w: WebviewPage): Promise<string | null> => w.page.locator('as-session-header .cost').textContent();
    const unpriced = log([created('my-local-model'), turn, usage(null)]);
    const u = await openLive(unpriced, 2);
    assert.equal(await cost(u.w), '—', 'before the first reply');
    await u.next(3);
    await u.w.page.locator('as-session-header .cost').getByText('—').waitFor();
    await u.w.page.close();

    const priced = log([created('gpt-4o'), turn, usage(0.0031), usage(0.012)]);
    const p = await openLive(priced, 2);
    assert.equal(await cost(p.w), '$0.00', 'nothing spent yet, and the price is known');
    await p.next(3);
    await p.w.page.locator('as-session-header .cost').getByText('$0.0031').waitFor();
    await p.next(4);
    await p.w.page.locator('as-session-header .cost').getByText('$0.02').waitFor();
    await p.w.page.close();
  });

  void test('a denied tool call reads "Denied by: …", live and reopened', async () => {
    const approval = {
      id: 'ap1', sessionId: 'a', callId: 'c1', toolName: 'run_command', summary: 'npm test', args: { command: 'npm test' },
      reason: 'mode ask: commands ask', requestedAt: 5,
    };
    const events = log([
      created(), turn, started, toolCall,
      { type: 'tool.requested', turnId: 't1', callId: 'c1', name: 'run_command', args: { command: 'npm test' } },
      { type: 'approval.requested', approval },
      { type: 'approval.resolved', approvalId: 'ap1', callId: 'c1', resolution: { decision: 'deny', by: 'user' } },
      {
        type: 'tool.completed', turnId: 't1', callId: 'c1', messageId: 'tm1', name: 'run_command', content: 'The user denied this call.',
        isError: true, durationMs: 3, permission: { decision: 'deny', source: 'denied by user' },
      },
    ]);
    const cardText = async (w: WebviewPage): Promise<string> => {
      const card = w.page.locator('as-tool-card');
      await card.locator('summary').click();
      return card.evaluate((el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '');
    };
    const { w, next } = await openLive(events, 6);
    await next(events.length);
    await w.page.locator('as-tool-card .status[data-status="denied"]').waitFor();
    const live = await cardText(w);
    assert.match(live, /Denied by: user/);
    assert.doesNotMatch(live, /Allowed by/);
    assert.doesNotMatch(live, /denied by user/i, 'not "Denied by: denied by user"');
    const reopened = await openLive(events, events.length);
    assert.equal(await cardText(reopened.w), live, 'reopened reads the same');
    await reopened.w.page.close();
    await w.page.close();
  });

  void test('opened while it streams: the answer so far is shown, and the next deltas follow it', async () => {
    const events = log([
      created(), turn, started,
      { type: 'message.delta', messageId: 'm1', kind: 'thinking', text: 'Tests first. ' },
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: 'Hello' },
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: ', wor' },
      { type: 'message.delta', messageId: 'm1', kind: 'thinking', text: 'Then the fix.' },
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: 'ld' },
      { type: 'warning', code: 'x', message: 'a row below re-renders the transcript' },
      { type: 'message.delta', messageId: 'm1', kind: 'text', text: '!' },
    ]);
    const { w, next } = await openLive(events, 5);
    const text = w.page.locator('as-transcript [data-message-id="m1"] as-streaming-text[data-kind="text"]');
    const thinking = w.page.locator('as-transcript [data-message-id="m1"] as-streaming-text[data-kind="thinking"]');
    assert.equal(await text.textContent(), 'Hello', 'the text so far, not only what comes after the open');
    assert.equal(await thinking.textContent(), 'Tests first. ');
    await next(events.length);
    await w.page.getByText('a row below re-renders the transcript').waitFor();
    assert.equal(await text.textContent(), 'Hello, world!');
    assert.equal(await thinking.textContent(), 'Tests first. Then the fix.');
    await w.page.close();
  });
});

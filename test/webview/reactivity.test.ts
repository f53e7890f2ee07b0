// Which elements a store change re-renders, in headless Chromium with the real webview bundle.
// Elements take the store from the context and re-render for the changes that concern them:
// a hidden session's event re-renders the tab strip only, a visible session's meta event its
// header only, a delta nothing at all (the streaming element appends it).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import { launch, openWebview, opened, snapshot, snapshotMessage, withState, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const ELEMENTS = ['as-app', 'as-tab-strip', 'as-session-header', 'as-transcript', 'as-composer', 'as-knowledge-panel', 'as-history-banner'] as const;
type Counts = Record<(typeof ELEMENTS)[number], number>;

/** Counts Lit updates (renders) per element type from now on. */
async function countRenders(w: WebviewPage): Promise<void> {
  await w.page.evaluate(`(() => {
    window.__renders = {};
    for (const tag of ${JSON.stringify(ELEMENTS)}) {
      window.__renders[tag] = 0;
      const proto = customElements.get(tag).prototype;
      const update = proto.update;
      proto.update = function (changed) { window.__renders[tag]++; return update.call(this, changed); };
    }
  })()`);
}

const renders = (w: WebviewPage): Promise<Counts> => w.page.evaluate(() => ({ ...(window as unknown as { __renders: Counts }).__renders }));

/** Store changes are handled synchronously; Lit renders in a microtask: wait for a frame. */
const settle = (w: WebviewPage): Promise<void> => w.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));

function ev(sessionId: string, seq: number, body: SessionEventBody): SessionEvent {
  return { ...body, seq, ts: seq, sessionId } as SessionEvent;
}

/** Session a (visible, running, its answer streaming) and b (a hidden tab, not opened here). */
async function twoSessions(): Promise<WebviewPage> {
  const w = await openWebview(browser);
  const a = withState(snapshot('a', { title: 'Alpha', lastSeq: 10 }), 'running');
  a.turn!.streaming = { messageId: 'm1' };
  const b = snapshot('b', { title: 'Beta', lastSeq: 3 });
  await w.push(snapshotMessage([a, b], [opened(a, [
    { kind: 'user', key: 'u1', text: 'go', seq: 9 },
    { kind: 'assistant', key: 'm1', text: 'Work', thinking: '', streaming: true, seq: 10 },
  ])], 'a'));
  await w.page.locator('as-transcript [data-message-id="m1"]').waitFor();
  await settle(w);
  await countRenders(w);
  return w;
}

const diff = (after: Counts, before: Counts): Partial<Counts> =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof Counts]]).filter(([, d]) => d !== 0));

void describe('reactivity', () => {
  void test('an event of a hidden session re-renders its tab, not the visible session', async () => {
    const w = await twoSessions();
    const before = await renders(w);
    await w.push({ kind: 'event', event: ev('b', 4, { type: 'turn.completed', turnId: 't', stopReason: 'end_turn', rounds: 1 }) });
    await w.page.locator('[data-session-id="b"] [data-unread]').waitFor();
    await settle(w);
    assert.deepEqual(diff(await renders(w), before), { 'as-app': 1, 'as-tab-strip': 1 });
    await w.page.close();
  });

  void test('a meta event of the visible session re-renders its header only', async () => {
    const w = await twoSessions();
    const before = await renders(w);
    await w.push({ kind: 'event', event: ev('a', 11, { type: 'usage.updated', usage: { inputTokens: 64_000, outputTokens: 10 }, requestCostUsd: null }) });
    await w.page.getByRole('meter', { name: 'Context used' }).getByText(/^64\.0k \//).waitFor();
    await settle(w);
    const d = diff(await renders(w), before);
    assert.equal(d['as-session-header'], 1);
    for (const tag of ['as-app', 'as-tab-strip', 'as-transcript'] as const) assert.equal(d[tag], undefined, `${tag} not re-rendered`);
    await w.page.close();
  });

  void test('a new row re-renders the transcript, not the app or the tab strip', async () => {
    const w = await twoSessions();
    const before = await renders(w);
    await w.push({ kind: 'event', event: ev('a', 11, { type: 'warning', code: 'x', message: 'a new row' }) });
    await w.page.getByText('a new row').waitFor();
    await settle(w);
    const d = diff(await renders(w), before);
    assert.ok((d['as-transcript'] ?? 0) >= 1, 'the transcript renders the row (and may measure it in a second pass)');
    assert.equal(d['as-app'], undefined);
    assert.equal(d['as-tab-strip'], undefined);
    await w.page.close();
  });

  void test('a delta re-renders nothing: the streaming element appends it', async () => {
    const w = await twoSessions();
    const before = await renders(w);
    for (let i = 0; i < 5; i++) await w.push({ kind: 'event', event: ev('a', 11 + i, { type: 'message.delta', messageId: 'm1', kind: 'text', text: ` ${i}` }) });
    await settle(w);
    assert.equal(await w.page.locator('as-streaming-text[data-kind="text"]').textContent(), 'Work 0 1 2 3 4');
    assert.deepEqual(diff(await renders(w), before), {});
    await w.page.close();
  });

  void test('elements unsubscribe from the store when they leave', async () => {
    const w = await twoSessions();
    const listeners = (): Promise<number> => w.page.evaluate(() => {
      const app = document.querySelector('as-app') as unknown as { store: { listeners: Set<unknown> } };
      return app.store.listeners.size;
    });
    const start = await listeners();
    const context = w.page.locator('as-session-header').getByRole('button', { name: 'Context', exact: true });
    await context.click();
    await w.page.locator('as-knowledge-panel').getByRole('region').waitFor();
    assert.equal(await listeners(), start + 1, 'the open panel listens');
    await context.click();
    await w.page.locator('as-knowledge-panel').waitFor({ state: 'detached' });
    assert.equal(await listeners(), start, 'the closed panel does not');
    // The streaming element stops listening once its answer completes.
    await w.push({ kind: 'event', event: ev('a', 11, { type: 'message.completed', turnId: 't1', messageId: 'm1', content: [{ type: 'text', text: 'Work' }], stopReason: 'end_turn' }) });
    await w.page.locator('as-streaming-text').first().waitFor({ state: 'detached' });
    assert.equal(await listeners(), start - 2);
    await w.page.close();
  });
});

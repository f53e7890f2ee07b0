import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { PersistedState } from '../../webview-ui/src/host-client';
import { ev, knowledge } from './fixtures';
import { launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const sessions = () => [snapshot('a', { title: 'Alpha' }), snapshot('b', { title: 'Beta' }), snapshot('c', { title: 'Gamma' })];

async function tabIds(w: WebviewPage): Promise<string[]> {
  return w.page.locator('[role="tab"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sessionId ?? ''));
}

async function waitForTabs(w: WebviewPage, ids: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (JSON.stringify(await tabIds(w)) === JSON.stringify(ids)) return;
    await w.page.waitForTimeout(20);
  }
  assert.deepEqual(await tabIds(w), ids);
}

async function closeTab(w: WebviewPage, title: string): Promise<void> {
  const tab = w.page.getByRole('tab', { name: new RegExp(`^${title}`) });
  await tab.hover(); // the close button shows on hover (and on the selected tab)
  await tab.getByRole('button', { name: `Close tab ${title}` }).click();
}

void describe('tabs', () => {
  void test('knowledge.loaded is folded: the Context button counts the rules files and skills in use; switches update it', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([snapshot('a')], [opened(snapshot('a'))], 'a'));
    const context = w.page.locator('as-session-header').getByRole('button', { name: 'Context', exact: true });
    await context.waitFor();
    assert.equal(await context.locator('[data-knowledge-count]').count(), 0, 'no count before anything was loaded');
    await w.push({ kind: 'event', event: ev('a', 11, { type: 'knowledge.loaded', knowledge }) });
    await context.locator('[data-knowledge-count]', { hasText: '3' }).waitFor();
    assert.match((await context.getAttribute('title')) ?? '', /2 rules files and 1 skill in use/, 'the shadowed skill does not count');
    await w.push({ kind: 'event', event: ev('a', 12, { type: 'session.config_changed', patch: { disabledRuleIds: ['agents:AGENTS.md'] } }) });
    await context.locator('[data-knowledge-count]', { hasText: '2' }).waitFor();
    assert.equal(await w.page.getByRole('button', { name: 'Context', exact: true }).count(), 1, 'the accessible name stays "Context"');
    await w.page.close();
  });

  void test('closed tabs stay closed across a reload until their session has new activity', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage(sessions(), [opened(sessions()[0])], 'a'));
    await waitForTabs(w, ['a', 'b', 'c']);
    await closeTab(w, 'Beta');
    await waitForTabs(w, ['a', 'c']);
    assert.deepEqual(((await w.state()) as PersistedState).closedTabs, { b: 10 });
    // Closing the visible tab shows the next open one.
    await closeTab(w, 'Alpha');
    const open = await w.waitForRequest('sessions.open');
    assert.deepEqual(open.params, { sessionId: 'c', limit: 100 });
    await w.reply(open.id, opened(sessions()[2]));
    await waitForTabs(w, ['c']);
    const saved = (await w.state()) as PersistedState;
    assert.deepEqual(saved.closedTabs, { b: 10, a: 10 });
    assert.equal(saved.visibleSessionId, 'c');
    await w.page.close();

    // Reload: the host's snapshot shows nothing new, so both stay closed.
    const r = await openWebview(browser, saved);
    await r.push(snapshotMessage(sessions(), [opened(sessions()[2])], 'c'));
    await waitForTabs(r, ['c']);
    const showClosed = r.page.getByRole('button', { name: 'Show closed tabs' });
    assert.equal(await showClosed.getAttribute('title'), 'Show 2 closed tabs');
    // A state change is not activity the user has to see; a finished turn is.
    await r.push({ kind: 'event', event: ev('b', 11, { type: 'session.state', state: 'running' }) });
    await r.page.waitForTimeout(100);
    assert.deepEqual(await tabIds(r), ['c']);
    assert.deepEqual(((await r.state()) as PersistedState).closedTabs, { b: 11, a: 10 }, 'the mark follows what was seen while closed');
    await r.push({ kind: 'event', event: ev('b', 12, { type: 'turn.completed', turnId: 't', stopReason: 'end_turn', rounds: 1 }) });
    await waitForTabs(r, ['b', 'c']);
    await r.page.locator('[data-session-id="b"] [data-unread]').waitFor();
    assert.deepEqual(((await r.state()) as PersistedState).closedTabs, { a: 10 });
    await showClosed.click();
    await waitForTabs(r, ['a', 'b', 'c']);
    assert.equal('closedTabs' in ((await r.state()) as object), false, 'nothing closed: the key is gone');
    await r.page.close();
  });

  void test('after a reload a closed session whose log moved on comes back; deleted sessions are forgotten; reveal reopens', async () => {
    const w = await openWebview(browser, { closedTabs: { a: 10, b: 5, gone: 3 } });
    await w.push(snapshotMessage(sessions(), [], undefined));
    await waitForTabs(w, ['b', 'c']);
    const open = await w.waitForRequest('sessions.open');
    assert.deepEqual(open.params, { sessionId: 'b', limit: 100 }, 'the first open tab is shown, not a closed one');
    assert.deepEqual(((await w.state()) as PersistedState).closedTabs, { a: 10 });
    await w.push({ kind: 'reveal', sessionId: 'a' });
    await w.page.locator('[role="tab"][aria-selected="true"][data-session-id="a"]').waitFor();
    await waitForTabs(w, ['a', 'b', 'c']);
    assert.equal('closedTabs' in ((await w.state()) as object), false);
    await w.page.close();
  });
});

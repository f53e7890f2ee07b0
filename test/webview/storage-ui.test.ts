/**
 * Storage problems in the webview, with fabricated host data: a session another window writes
 * (read-only composer, "Open in the other window", "Take over here"), history that is not being
 * saved (banner, recovery note, same after a reopen) and damaged sessions (badge, export, delete
 * with confirmation, "open what can be read").
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HostMessage } from '../../src/shared/protocol';
import type { SessionWriterInfo } from '../../src/shared/session';
import { ev } from './fixtures';
import { launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const windowA: SessionWriterInfo = { pid: 4242, host: 'devbox', windowId: 'w-a', label: 'VS Code window opened 14:02', since: 1 };

async function requestsOf(w: WebviewPage, method: string): Promise<unknown[]> {
  return (await w.posted()).filter((m) => m.kind === 'request' && m.method === method).map((m) => (m as { params: unknown }).params);
}

const composer = (w: WebviewPage) => w.page.locator('as-composer');
const prompt = (w: WebviewPage) => composer(w).getByRole('textbox', { name: 'Prompt' });

void describe('storage problems in the webview', () => {
  void test('a session another window writes: the composer is disabled, says which window has it, and offers both ways out', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([snapshot('a', { title: 'Alpha' })], [{ ...opened(snapshot('a', { title: 'Alpha' })), readOnlyBy: windowA }], 'a'));
    const notice = composer(w).locator('[data-read-only]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Read-only here: VS Code window opened 14:02 \(pid 4242 on devbox\) is writing this session/);
    assert.equal(await prompt(w).isDisabled(), true);
    assert.equal(await composer(w).getByRole('button', { name: 'Send' }).isDisabled(), true);

    await composer(w).getByRole('button', { name: 'Open in the other window' }).click();
    const action = await w.waitForRequest('host.runAction');
    assert.deepEqual(action.params, { action: 'switchWindow', sessionId: 'a' });

    await composer(w).getByRole('button', { name: 'Take over here' }).click();
    const take = await w.waitForRequest('sessions.takeOver');
    assert.deepEqual(take.params, { sessionId: 'a' });
    await composer(w).getByRole('button', { name: 'Taking over…' }).waitFor();
    await w.reply(take.id, opened(snapshot('a', { title: 'Alpha', lastSeq: 30 })));
    await notice.waitFor({ state: 'detached' });
    assert.equal(await prompt(w).isDisabled(), false, 'writable here after the take-over');

    // The other window takes it back: read-only again, with the same notice.
    await w.push({ kind: 'writer', sessionId: 'a', readOnlyBy: { ...windowA, pid: 777, label: 'window B' } });
    await notice.waitFor();
    assert.match(await notice.innerText(), /window B \(pid 777 on devbox\)/);
    assert.equal(await prompt(w).isDisabled(), true);
    await w.page.close();
  });

  void test('history not being saved: a banner while retrying, one note when it recovered, and a reopened view says the same', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([snapshot('a')], [opened(snapshot('a'))], 'a'));
    await prompt(w).waitFor();
    const banner = w.page.locator('as-history-banner');
    await w.push({ kind: 'event', event: ev('a', 11, { type: 'warning', code: 'history_not_saved', message: 'Could not write the session log (ENOSPC); the session keeps working in memory and writing is retried.' }) });
    const failing = banner.locator('[data-history="failing"]');
    await failing.waitFor();
    assert.equal(await failing.getAttribute('role'), 'alert');
    assert.match(await failing.innerText(), /History is not being saved — retrying\.\s+Could not write the session log \(ENOSPC\)/);

    await w.push({ kind: 'event', event: ev('a', 12, { type: 'warning', code: 'history_saved_again', message: 'Everything kept in memory is on disk again.' }) });
    const recovered = banner.locator('[data-history="recovered"]');
    await recovered.waitFor();
    await failing.waitFor({ state: 'detached' });
    assert.match(await recovered.innerText(), /History is being saved again/);
    // Said once: the next turn clears it.
    await w.push({ kind: 'event', event: ev('a', 13, { type: 'turn.started', turnId: 't', promptId: 'p', messageId: 'u', text: 'next' }) });
    await recovered.waitFor({ state: 'detached' });

    // Failing again, then the view is reopened from the host's snapshot (core's fold): same banner.
    await w.push({ kind: 'event', event: ev('a', 14, { type: 'warning', code: 'history_not_saved', message: 'Could not write the session log (EROFS).' }) });
    await failing.waitFor();
    await w.page.close();
    const again = await openWebview(browser);
    const snap = snapshot('a', { lastSeq: 14, historySaving: { state: 'failing', message: 'Could not write the session log (EROFS).', since: 14 } });
    await again.push(snapshotMessage([snap], [opened(snap)], 'a'));
    const reopened = again.page.locator('as-history-banner [data-history="failing"]');
    await reopened.waitFor();
    assert.match(await reopened.innerText(), /History is not being saved — retrying\.\s+Could not write the session log \(EROFS\)/);
    await again.page.close();
  });

  void test('a damaged session: badge and reason in its tab; export, delete only after confirming, and open what can be read', async () => {
    const w = await openWebview(browser);
    const good = snapshot('a', { title: 'Alpha' });
    const bad = snapshot('d', { title: 'Broken' });
    const message = snapshotMessage([good, bad], [opened(good)], 'a') as Extract<HostMessage, { kind: 'snapshot' }>;
    message.sessions = message.sessions.map((s) => (s.id === 'd'
      ? { ...s, damaged: { reason: 'The log is empty (zero bytes): the data was lost before it reached the disk', unreadableRecords: 3, copy: 'd.jsonl.corrupt-1700000000000' } }
      : s));
    await w.push(message);
    const tab = w.page.getByRole('tab', { name: /^Broken/ });
    await tab.waitFor();
    assert.match((await tab.getAttribute('aria-label')) ?? '', /damaged: The log is empty \(zero bytes\)/);
    const badge = tab.locator('[data-damaged]');
    assert.equal(await badge.innerText(), 'damaged');
    assert.match((await badge.getAttribute('title')) ?? '', /The log is empty/);
    assert.equal(await w.page.getByRole('tab', { name: /^Alpha/ }).locator('[data-damaged]').count(), 0);

    await tab.click();
    const panel = w.page.locator('as-damaged-session');
    await panel.locator('[data-damaged]').waitFor();
    const text = await panel.locator('[data-damaged]').innerText();
    assert.match(text, /This session's log is damaged\.\s+The log is empty \(zero bytes\): the data was lost before it reached the disk\. 3 records could not be read\. A copy was kept: d\.jsonl\.corrupt-1700000000000\. The log stays on disk as it is\./);
    await w.page.waitForTimeout(100);
    assert.deepEqual(await requestsOf(w, 'sessions.open'), [], 'a damaged session is not opened by itself');

    await panel.getByRole('button', { name: 'Export as Markdown' }).click();
    await panel.getByRole('button', { name: 'Export the raw log' }).click();
    for (let i = 0; i < 50 && (await requestsOf(w, 'host.runAction')).length < 2; i++) await w.page.waitForTimeout(20);
    assert.deepEqual(await requestsOf(w, 'host.runAction'), [{ action: 'exportMarkdown', sessionId: 'd' }, { action: 'exportLog', sessionId: 'd' }]);

    await panel.getByRole('button', { name: 'Delete…' }).click();
    const confirm = panel.getByRole('alertdialog', { name: 'Confirm delete' });
    await confirm.waitFor();
    assert.deepEqual(await requestsOf(w, 'sessions.delete'), [], 'nothing deleted before it is confirmed');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'detached' });
    await panel.getByRole('button', { name: 'Delete…' }).click();
    await panel.getByRole('button', { name: 'Delete the log' }).click();
    const del = await w.waitForRequest('sessions.delete');
    assert.deepEqual(del.params, { sessionId: 'd' });

    await panel.getByRole('button', { name: 'Open what can be read' }).click();
    const open = await w.waitForRequest('sessions.open');
    assert.deepEqual(open.params, { sessionId: 'd', limit: 100 });
    await w.reply(open.id, opened(snapshot('d', { title: 'Broken', messageCount: 1 }), [{ kind: 'user', key: 'u1', text: 'what survived', seq: 2 }]));
    await w.page.locator('as-transcript').getByText('what survived').waitFor();
    await panel.getByRole('button', { name: 'Open what can be read' }).waitFor({ state: 'detached' });
    assert.equal(await panel.locator('[data-damaged]').count(), 1, 'still said to be damaged once opened');
    assert.equal(await w.page.getByRole('tab', { name: /^Broken/ }).locator('[data-damaged]').count(), 1);
    await w.page.close();
  });
});

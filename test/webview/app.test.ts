import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionEvent } from '../../src/shared/events';
import type { PendingApprovalInfo } from '../../src/shared/session';
import { launch, openWebview, opened, snapshot, snapshotMessage, withState } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const approval: PendingApprovalInfo = {
  id: 'ap1', sessionId: 'a', callId: 'c1', toolName: 'run_command', summary: 'npm test', args: { command: 'npm test' },
  suggestedRule: 'run_command(npm test:*)', reason: 'mode ask: commands ask', requestedAt: 5, diff: '--- a\n+++ b\n',
};

void describe('webview app', () => {
  void test('handshake: ready with protocol version, then tabs from the snapshot with badges and nesting', async () => {
    const w = await openWebview(browser);
    const ready = await w.waitForPosted((m): m is Extract<typeof m, { kind: 'ready' }> => m.kind === 'ready');
    assert.equal(ready.protocolVersion, 1);
    const a = snapshot('a', { title: 'Alpha' });
    const b = withState(snapshot('b', { title: 'Beta' }), 'running');
    const c = withState(snapshot('c', { title: 'Child of alpha', parentId: 'a' }), 'awaiting_approval');
    const d = withState(snapshot('d', { title: 'Delta' }), 'paused');
    await w.push(snapshotMessage([a, b, c, d], [opened(a)], 'a'));
    const tabs = w.page.getByRole('tab');
    await assert.doesNotReject(tabs.first().waitFor());
    assert.deepEqual(await tabs.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sessionId)), ['a', 'c', 'b', 'd'], 'child right after its parent');
    assert.equal(await w.page.getByRole('tab', { name: /Alpha/ }).getAttribute('aria-selected'), 'true');
    assert.match((await w.page.getByRole('tab', { name: /Beta/ }).getAttribute('aria-label')) ?? '', /streaming/);
    assert.match((await w.page.getByRole('tab', { name: /Child of alpha/ }).getAttribute('aria-label')) ?? '', /waiting for approval/);
    assert.match((await w.page.getByRole('tab', { name: /Delta/ }).getAttribute('aria-label')) ?? '', /paused/);
    assert.ok(await w.page.locator('.tab.child[data-session-id="c"]').count() === 1);
    await w.page.close();
  });

  void test('a hidden session gets an unread mark; showing it opens it and clears the mark', async () => {
    const w = await openWebview(browser);
    const a = snapshot('a');
    const b = snapshot('b', { title: 'Beta', lastSeq: 3 });
    await w.push(snapshotMessage([a, b], [opened(a)], 'a'));
    await w.page.getByRole('tab', { name: /Beta/ }).waitFor();
    const done: SessionEvent = { type: 'turn.completed', turnId: 't', stopReason: 'end_turn', rounds: 1, seq: 4, ts: 1, sessionId: 'b' };
    await w.push({ kind: 'event', event: done });
    await w.page.locator('[data-session-id="b"] [data-unread]').waitFor();
    await w.page.getByRole('tab', { name: /Beta/ }).click();
    const open = await w.waitForRequest('sessions.open');
    assert.deepEqual(open.params, { sessionId: 'b', limit: 100 });
    await w.reply(open.id, opened(snapshot('b', { title: 'Beta', lastSeq: 4 })));
    await w.page.locator('[data-session-id="b"] [data-unread]').waitFor({ state: 'detached' });
    assert.ok((await w.posted()).some((m) => m.kind === 'visible' && m.sessionId === 'b'));
    assert.deepEqual(await w.state(), { visibleSessionId: 'b' }, 'the visible tab persisted, and nothing else');
    await w.page.close();
  });

  void test('no seq bookkeeping: ready names the visible tab only, and events write no webview state', async () => {
    // A state persisted by an older version still carries lastSeqs: it is read as nothing.
    const w = await openWebview(browser, { lastSeqs: { a: 3 }, visibleSessionId: 'a' });
    const ready = await w.waitForPosted((m): m is Extract<typeof m, { kind: 'ready' }> => m.kind === 'ready');
    assert.deepEqual(ready, { kind: 'ready', protocolVersion: 1, visibleSessionId: 'a' });
    const a = withState(snapshot('a', { lastSeq: 10 }), 'running');
    await w.push(snapshotMessage([a], [opened(a)], 'a'));
    await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
    const writes = await w.stateWrites();
    await w.push({ kind: 'event', event: { type: 'message.started', turnId: 't1', messageId: 'm1', round: 1, seq: 11, ts: 1, sessionId: 'a' } });
    for (let i = 0; i < 20; i++) await w.push({ kind: 'event', event: { type: 'message.delta', messageId: 'm1', kind: 'text', text: `${i} `, seq: 12 + i, ts: 1, sessionId: 'a' } });
    await w.page.locator('as-streaming-text[data-kind="text"]').getByText(/19 $/).waitFor();
    assert.equal(await w.stateWrites(), writes, 'streaming writes no webview state');
    assert.equal('lastSeqs' in ((await w.state()) as object), false);
    await w.page.close();
  });

  void test('header buttons are enabled only when they apply to the state; cost unknown shows —', async () => {
    const w = await openWebview(browser);
    const expectations: Array<[Parameters<typeof withState>[1], Record<string, boolean>]> = [
      ['idle', { Compact: true, Pause: false, Cancel: false }],
      ['running', { Compact: false, Pause: true, Cancel: true }],
      ['awaiting_approval', { Compact: false, Pause: true, Cancel: true }],
      ['paused', { Compact: false, Resume: true, Cancel: true }],
      ['error', { Compact: true, Pause: false, Cancel: false }],
    ];
    await w.push(snapshotMessage([snapshot('a')], [opened(snapshot('a'))], 'a'));
    await w.page.getByRole('button', { name: 'Compact', exact: true }).waitFor();
    assert.equal(await w.page.locator('.cost').textContent(), '—');
    assert.match((await w.page.getByRole('meter', { name: 'Context used' }).textContent()) ?? '', /12\.3k \/ 128k \(10%\)/);
    const show = async (state: Parameters<typeof withState>[1]): Promise<void> => {
      const s = withState(snapshot('a'), state);
      await w.push(snapshotMessage([s], [opened(s)], 'a'));
    };
    for (const [state, buttons] of expectations) {
      await show(state);
      for (const [name, enabled] of Object.entries(buttons)) {
        const button = w.page.getByRole('button', { name, exact: true });
        await button.waitFor();
        assert.equal(await button.isEnabled(), enabled, `${name} in ${state}`);
      }
    }
    // paused → Resume posts sessions.resume; resumed, the turn runs on
    await show('paused');
    await w.page.getByRole('button', { name: 'Resume', exact: true }).click();
    await w.push({ kind: 'event', event: { type: 'session.resumed', seq: 11, ts: 1, sessionId: 'a' } });
    const resume = await w.waitForRequest('sessions.resume');
    assert.deepEqual(resume.params, { sessionId: 'a' });
    await w.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    assert.deepEqual((await w.waitForRequest('sessions.cancel')).params, { sessionId: 'a' });
    assert.deepEqual(await w.cspViolations(), [], 'works under a strict CSP (no inline style attributes)');
    await w.page.close();
  });

  void test('approval card: approve, deny with reason, always allow with edited rule and scope, view diff', async () => {
    const w = await openWebview(browser);
    const s = withState(snapshot('a', { pendingApprovals: [approval] }), 'awaiting_approval');
    await w.push(snapshotMessage([s], [opened(s)], 'a'));
    const card = w.page.getByRole('group', { name: /Approval needed: run_command/ });
    await card.waitFor();
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    let req = await w.waitForRequest('approvals.resolve');
    assert.deepEqual(req.params, { sessionId: 'a', approvalId: 'ap1', decision: 'approve' });

    await card.getByRole('button', { name: 'View diff' }).click();
    assert.deepEqual((await w.waitForRequest('approvals.viewDiff')).params, { sessionId: 'a', approvalId: 'ap1' });

    await card.getByRole('button', { name: 'Deny', exact: true }).click();
    await card.getByRole('textbox', { name: /Reason for denying/ }).fill('use pnpm instead');
    await card.getByRole('textbox', { name: /Reason for denying/ }).press('Enter');
    req = await w.waitForPosted((m): m is typeof req => m.kind === 'request' && m.method === 'approvals.resolve' && (m.params as { decision: string }).decision === 'deny');
    assert.deepEqual(req.params, { sessionId: 'a', approvalId: 'ap1', decision: 'deny', reason: 'use pnpm instead' });

    await card.getByRole('button', { name: 'Always allow' }).click();
    const rule = card.getByRole('textbox', { name: 'Rule to always allow' });
    assert.equal(await rule.inputValue(), 'run_command(npm test:*)', 'suggested rule shown');
    await rule.fill('run_command(npm run test:*)');
    await card.getByRole('combobox', { name: 'Rule scope' }).selectOption('session');
    await card.getByRole('button', { name: 'Save rule and approve' }).click();
    req = await w.waitForPosted((m): m is typeof req => m.kind === 'request' && m.method === 'approvals.resolve' && 'alwaysAllow' in (m.params as object));
    assert.deepEqual(req.params, { sessionId: 'a', approvalId: 'ap1', decision: 'approve', alwaysAllow: { pattern: 'run_command(npm run test:*)', scope: 'session' } });
    await w.page.close();
  });

  void test('approval card is keyboard reachable: Tab to Approve, Enter resolves', async () => {
    const w = await openWebview(browser);
    const s = withState(snapshot('a', { pendingApprovals: [approval] }), 'awaiting_approval');
    await w.push(snapshotMessage([s], [opened(s)], 'a'));
    await w.page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await w.page.keyboard.press('Tab');
      reached = await w.page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent?.trim() === 'Approve';
      });
    }
    assert.ok(reached, 'Approve reachable with Tab');
    await w.page.keyboard.press('Enter');
    assert.equal((await w.waitForRequest('approvals.resolve')).params.decision, 'approve');
    await w.page.close();
  });

  void test('composer: Enter sends, Shift+Enter makes a new line; queued prompts show with remove', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([snapshot('a')], [opened(snapshot('a'))], 'a'));
    const box = w.page.getByRole('textbox', { name: 'Prompt' });
    await box.click();
    await box.pressSequentially('line one');
    await w.page.keyboard.press('Shift+Enter');
    await box.pressSequentially('line two');
    assert.equal(await box.inputValue(), 'line one\nline two');
    assert.equal((await w.posted()).filter((m) => m.kind === 'request' && m.method === 'sessions.send').length, 0, 'Shift+Enter did not send');
    await w.page.keyboard.press('Enter');
    const send = await w.waitForRequest('sessions.send');
    assert.deepEqual(send.params, { sessionId: 'a', text: 'line one\nline two' });
    assert.equal(await box.inputValue(), '');
    await w.reply(send.id, { promptId: 'p1', queued: true });
    await w.push({ kind: 'event', event: { type: 'session.state', state: 'running', seq: 11, ts: 1, sessionId: 'a' } });
    await w.push({ kind: 'event', event: { type: 'prompt.queued', promptId: 'p1', text: 'line one\nline two', seq: 12, ts: 1, sessionId: 'a' } });
    const queued = w.page.getByRole('list', { name: 'Queued prompts' });
    await queued.waitFor();
    await queued.getByRole('button', { name: 'Remove queued prompt' }).click();
    assert.deepEqual((await w.waitForRequest('sessions.removeQueued')).params, { sessionId: 'a', promptId: 'p1' });
    await w.page.close();
  });

  void test('banner: untrusted workspace and missing key, with actions', async () => {
    const w = await openWebview(browser);
    const msg = snapshotMessage([snapshot('a')], [opened(snapshot('a'))], 'a', false);
    if (msg.kind !== 'snapshot') throw new Error('fixture');
    msg.host.notices = [{ id: 'no-key:anthropic', severity: 'error', message: 'No API key for provider Anthropic', action: { label: 'Set key', action: 'setApiKey', providerId: 'anthropic' } }];
    await w.push(msg);
    await w.page.getByText(/Workspace not trusted/).waitFor();
    await w.page.getByRole('button', { name: 'Trust workspace…' }).click();
    assert.deepEqual((await w.waitForRequest('host.runAction')).params, { action: 'trustWorkspace' });
    await w.page.getByRole('button', { name: 'Set key' }).click();
    await w.waitForPosted((m): m is Extract<typeof m, { kind: 'request' }> => m.kind === 'request' && m.method === 'host.runAction' && (m.params as { action: string }).action === 'setApiKey');
    await w.page.close();
  });

  void test('new session form and delete with confirmation post the right requests', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([snapshot('a')], [opened(snapshot('a'))], 'a'));
    await w.page.getByRole('button', { name: 'New session' }).click();
    const form = w.page.getByRole('form', { name: 'New session' });
    await form.getByRole('combobox', { name: 'Model', exact: true }).click();
    await form.getByRole('option', { name: 'gpt-other' }).click();
    await form.getByRole('combobox', { name: 'Mode', exact: true }).selectOption('plan');
    await form.getByRole('textbox', { name: 'Title' }).fill('Refactor');
    await form.getByRole('button', { name: 'Create session' }).click();
    assert.deepEqual((await w.waitForRequest('sessions.create')).params, { providerId: 'openai', model: 'gpt-other', mode: 'plan', title: 'Refactor' });
    await w.page.getByRole('button', { name: 'Delete session' }).click();
    assert.equal((await w.posted()).filter((m) => m.kind === 'request' && m.method === 'sessions.delete').length, 0, 'not without confirmation');
    await w.page.getByRole('alertdialog', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete', exact: true }).click();
    assert.deepEqual((await w.waitForRequest('sessions.delete')).params, { sessionId: 'a' });
    await w.page.close();
  });
});

// The approval card in headless Chromium with the real webview bundle: approvals that cannot be
// remembered, no pre-filled rule without a suggestion, the broad-rule confirmation round trip
// (through the host client, so the host's error reply reaches the card), "Run unsandboxed once",
// and the tool card's sandbox line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator } from 'playwright-core';
import type { WebviewMessage } from '../../src/shared/protocol';
import type { PendingApprovalInfo } from '../../src/shared/session';
import { launch, openWebview, opened, snapshot, snapshotMessage, withState, type WebviewPage } from './harness';
import { ev } from './fixtures';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

type Request = Extract<WebviewMessage, { kind: 'request' }>;
const resolves = (w: WebviewPage): Promise<Request[]> =>
  w.posted().then((all) => all.filter((m): m is Request => m.kind === 'request' && m.method === 'approvals.resolve'));

const base: PendingApprovalInfo = {
  id: 'ap1', sessionId: 'a', callId: 'c1', toolName: 'run_command', summary: 'run npm test', args: { command: 'npm test' },
  reason: 'mode ask: commands ask', requestedAt: 5,
};

/** Opens session `a` waiting on `approval`; returns the page and the card. */
async function withApproval(approval: PendingApprovalInfo): Promise<{ w: WebviewPage; card: Locator }> {
  const w = await openWebview(browser);
  const s = withState(snapshot('a', { pendingApprovals: [approval] }), 'awaiting_approval');
  await w.push(snapshotMessage([s], [opened(s)], 'a'));
  const card = w.page.getByRole('group', { name: `Approval needed: ${approval.toolName}` });
  await card.waitFor();
  return { w, card };
}

void describe('approval card', () => {
  void test('rememberable: false → no "Always allow"; a note says it cannot be remembered', async () => {
    const { w, card } = await withApproval({ ...base, rememberable: false, reason: 'mode ask: the command cannot be fully analysed' });
    await card.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await card.getByRole('button', { name: 'Deny', exact: true }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Always allow' }).count(), 0, 'no Always allow');
    assert.match(await card.getByRole('note').innerText(), /cannot be remembered as a rule; approve it once or deny it/);
    // The ordinary approval still offers it (the same card, rememberable left out).
    const other = await withApproval({ ...base, suggestedRule: 'run_command(npm test:*)' });
    await other.card.getByRole('button', { name: 'Always allow' }).waitFor();
    assert.equal(await other.card.getByRole('note').count(), 0, 'no note on a rememberable approval');
    await other.w.page.close();
    await w.page.close();
  });

  void test('without suggestedRule the rule input is empty (never the tool name)', async () => {
    for (const toolName of ['write_file', 'run_command']) {
      const { w, card } = await withApproval({ ...base, toolName, summary: `${toolName} call`, args: { path: 'notes/a.txt' } });
      await card.getByRole('button', { name: 'Always allow' }).click();
      const rule = card.getByRole('textbox', { name: 'Rule to always allow' });
      await rule.waitFor();
      assert.equal(await rule.inputValue(), '', `${toolName}: nothing pre-filled`);
      // Saving an empty rule sends nothing.
      await card.getByRole('button', { name: 'Save rule and approve' }).click();
      assert.deepEqual(await resolves(w), [], `${toolName}: no approvals.resolve for an empty rule`);
      await w.page.close();
    }
  });

  void test('a broader rule: the host answers needs_confirmation; the card shows it and confirming resends with confirmBroad', async () => {
    const { w, card } = await withApproval({ ...base, suggestedRule: 'run_command(npm test:*)' });
    await card.getByRole('button', { name: 'Always allow' }).click();
    const rule = card.getByRole('textbox', { name: 'Rule to always allow' });
    assert.equal(await rule.inputValue(), 'run_command(npm test:*)', 'the suggestion is pre-filled');
    await rule.fill('run_command(*)');
    await card.getByRole('combobox', { name: 'Rule scope' }).selectOption('user');
    await card.getByRole('button', { name: 'Save rule and approve' }).click();
    const first = await w.waitForRequest('approvals.resolve');
    assert.deepEqual(first.params, { sessionId: 'a', approvalId: 'ap1', decision: 'approve', alwaysAllow: { pattern: 'run_command(*)', scope: 'user' } });
    const message = 'The rule "run_command(*)" allows every command — more than the call you are approving. Confirm to save it anyway.';
    await w.push({ kind: 'reply', id: first.id, ok: false, error: { code: 'needs_confirmation', message, retryable: false } });
    const alert = card.getByRole('alert');
    await alert.getByText(message).waitFor();
    const confirm = alert.getByRole('button', { name: 'Save this broader rule and approve' });
    await confirm.waitFor();
    await alert.getByRole('button', { name: 'Back' }).waitFor();
    assert.equal((await resolves(w)).length, 1, 'sent once, through the host client (not also as an as-approve event)');

    // Back hides the confirmation; saving again asks again.
    await alert.getByRole('button', { name: 'Back' }).click();
    await alert.waitFor({ state: 'detached' });
    await card.getByRole('button', { name: 'Save rule and approve' }).click();
    const again = (await waitForCount(w, 2))[1]!;
    assert.equal((again.params as { alwaysAllow: { confirmBroad?: boolean } }).alwaysAllow.confirmBroad, undefined);
    await w.push({ kind: 'reply', id: again.id, ok: false, error: { code: 'needs_confirmation', message, retryable: false } });
    await confirm.click();
    const confirmed = (await waitForCount(w, 3))[2]!;
    assert.deepEqual(confirmed.params, {
      sessionId: 'a', approvalId: 'ap1', decision: 'approve', alwaysAllow: { pattern: 'run_command(*)', scope: 'user', confirmBroad: true },
    });
    await w.reply(confirmed.id, null);
    await alert.waitFor({ state: 'detached' });
    await w.page.close();
  });

  void test('another host error is shown without the confirm button', async () => {
    const { w, card } = await withApproval({ ...base, suggestedRule: 'run_command(npm test:*)' });
    await card.getByRole('button', { name: 'Always allow' }).click();
    await card.getByRole('button', { name: 'Save rule and approve' }).click();
    const req = await w.waitForRequest('approvals.resolve');
    await w.push({ kind: 'reply', id: req.id, ok: false, error: { code: 'bad_request', message: 'The rule could not be saved: settings are read-only.', retryable: false } });
    await card.getByRole('alert').getByText('The rule could not be saved: settings are read-only.').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Save this broader rule and approve' }).count(), 0);
    await w.page.close();
  });

  void test('unsandboxed: "Run without the sandbox?" with "Run unsandboxed once", which approves once', async () => {
    const refusal = 'read-only: .vscode/settings.json is inside .vscode, which the sandbox protects; the write did not happen. Ask the user if it is needed';
    const { w, card } = await withApproval({
      ...base, id: 'ap2', unsandboxed: true, rememberable: false,
      summary: 'run without the sandbox: python3 -c "open(\'.vscode/settings.json\',\'w\').write(\'x\')"',
      reason: `The sandbox refused it: ${refusal}. Approving runs the whole command once more without the sandbox.`,
    });
    const text = await card.innerText();
    assert.match(text, /Run without the sandbox\?/);
    assert.doesNotMatch(text, /Allow run_command\?/);
    assert.match(text, /\.vscode\/settings\.json is inside \.vscode/);
    assert.equal(await card.getByRole('button', { name: 'Approve', exact: true }).count(), 0, 'the approve button says what it does');
    assert.equal(await card.getByRole('button', { name: 'Always allow' }).count(), 0);
    await card.getByRole('button', { name: 'Run unsandboxed once' }).click();
    const req = await w.waitForRequest('approvals.resolve');
    assert.deepEqual(req.params, { sessionId: 'a', approvalId: 'ap2', decision: 'approve' });
    await w.page.close();
  });

  void test('a tool card shows its sandbox line: sandboxed (lock), refused, or not sandboxed (unlock)', async () => {
    const w = await openWebview(browser);
    const s = snapshot('a');
    await w.push(snapshotMessage([s], [opened(s)], 'a'));
    await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
    const note = 'sandboxed (bubblewrap): writes only inside the workspace, protected files read-only, credentials hidden, network off';
    const refused = `${note} — refused: read-only: .vscode/settings.json is inside .vscode, which the sandbox protects; the write did not happen. Ask the user if it is needed.`;
    const command = (id: string) => ({ type: 'tool_call' as const, id, name: 'run_command', args: { command: id } });
    let seq = 10;
    await w.push({ kind: 'event', event: ev('a', ++seq, { type: 'turn.started', turnId: 't1', promptId: 'p1', messageId: 'u1', text: 'go' }) });
    await w.push({ kind: 'event', event: ev('a', ++seq, { type: 'message.completed', turnId: 't1', messageId: 'm1', content: [command('c1'), command('c2')], stopReason: 'tool_use' }) });
    await w.push({ kind: 'event', event: ev('a', ++seq, { type: 'tool.started', callId: 'c1', permission: { decision: 'allow', source: 'mode full (sandboxed: not fully analysable)', sandbox: note } }) });
    await w.push({ kind: 'event', event: ev('a', ++seq, { type: 'tool.started', callId: 'c2', permission: { decision: 'allow', source: 'approved by user', sandbox: 'not sandboxed: bubblewrap is not installed (apt install bubblewrap, or dnf install bubblewrap)' } }) });
    const cards = w.page.locator('as-tool-card');
    const line = (i: number) => cards.nth(i).locator('.sandbox');
    await line(0).waitFor({ state: 'attached' });
    assert.equal(await line(0).textContent(), note);
    assert.equal(await line(0).getAttribute('data-sandboxed'), 'true');
    assert.equal(await line(0).locator('.codicon-lock').count(), 1, 'a lock for sandboxed');
    assert.match((await line(1).textContent()) ?? '', /^not sandboxed: bubblewrap is not installed/);
    assert.equal(await line(1).getAttribute('data-sandboxed'), 'false');
    assert.equal(await line(1).locator('.codicon-unlock').count(), 1, 'an unlock for not sandboxed');

    // Completion brings the refusal; the failed call's card is open, so the line is visible.
    await w.push({ kind: 'event', event: ev('a', ++seq, {
      type: 'tool.completed', turnId: 't1', callId: 'c1', messageId: 'r1', name: 'run_command', isError: true, durationMs: 40,
      content: 'Exit code 1 (0.0s).\nOSError: [Errno 30] Read-only file system: \'.vscode/settings.json\'',
      permission: { decision: 'allow', source: 'mode full (sandboxed: not fully analysable)', sandbox: refused },
    }) });
    await cards.nth(0).getByText(/— refused: read-only: \.vscode\/settings\.json/).waitFor();
    assert.equal(await line(0).textContent(), refused);
    assert.ok(await line(0).isVisible(), 'visible in the open card');
    assert.equal(await line(0).getAttribute('data-sandboxed'), 'true');
    await w.page.close();
  });
});

/** Waits until at least `n` approvals.resolve requests were posted. */
async function waitForCount(w: WebviewPage, n: number): Promise<Request[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const all = await resolves(w);
    if (all.length >= n) return all;
    if (Date.now() > deadline) throw new Error(`expected ${n} approvals.resolve, got ${all.length}`);
    await w.page.waitForTimeout(20);
  }
}

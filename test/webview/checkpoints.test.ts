// Checkpoint actions in the transcript, in headless Chromium with the real webview bundle: the
// restore preview dialog, edit and resend, redo, fork, and rewound records. The session is built
// from a log folded with the shared fold; the test answers the webview's requests as the host would.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RestorePreview, RestoreResult } from '../../src/shared/changes';
import { launch, opened, snapshot } from './harness';
import { baseLog, conflictPreview, countRequests, openLive, type LivePage } from './checkpoint-fixtures';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const row = (l: LivePage, key: string) => l.w.page.locator(`as-transcript .row[data-key="${key}"]`);
const dialog = (l: LivePage, name: string | RegExp = 'Restore checkpoint') => l.w.page.getByRole('dialog', { name });

const cleanPreview: RestorePreview = { key: 'u2', scope: 'both', seq: 12, rewoundRecords: 3, files: [{ path: '/ws/src/greet.js', label: 'src/greet.js', action: 'revert', added: 2, removed: 5 }] };
const result = (over: Partial<RestoreResult> = {}): { result: RestoreResult } => ({ result: { restoreId: 'r1', restored: ['/ws/src/greet.js'], skipped: [], rewound: true, ...over } });

async function openPreview(l: LivePage, n: number): Promise<string> {
  await row(l, 'u2').hover();
  await row(l, 'u2').getByRole('button', { name: 'Restore checkpoint…' }).click();
  const preview = await l.request('changes.preview', n);
  assert.deepEqual(preview.params, { sessionId: 'a', key: 'u2', scope: 'both' }, 'scope both by default');
  await l.w.reply(preview.id, { preview: conflictPreview });
  await dialog(l).getByRole('checkbox', { name: 'Overwrite src/fr.js' }).waitFor();
  return preview.id;
}

void describe('checkpoints', () => {
  void test('restore preview: every file with its action and counts, the conflict unchecked, the unrestorable reason; restore sends overwrite as chosen', async () => {
    const l = await openLive(browser);
    await openPreview(l, 0);
    const d = dialog(l);
    const text = (await d.innerText()).replace(/\s+/g, ' ');
    for (const part of ['your message “Now say hello in French and run the tests”', 'revert', 'src/greet.js', '+2', '−5', 'delete', 'notes.txt', 'recreate',
      'Changed since by someone else: changed on disk after this session wrote it', 'their edit stays',
      'Cannot be put back: binary file over 2 MiB: its content was not kept', '3 messages are rewound']) assert.ok(text.includes(part), `dialog shows ${part}: ${text}`);
    assert.equal(await d.getByRole('checkbox', { name: 'Overwrite src/fr.js' }).isChecked(), false, "the other person's edit survives by default");
    assert.equal(await d.getByRole('checkbox').count(), 1, 'only the conflict offers an overwrite');
    assert.equal(await d.getByRole('radio', { name: 'Files and conversation' }).isChecked(), true);

    // Unchecked: nothing is overwritten.
    await d.getByRole('button', { name: 'Restore', exact: true }).click();
    const first = await l.request('changes.restore', 0);
    assert.deepEqual(first.params, { sessionId: 'a', key: 'u2', scope: 'both', overwrite: [] });
    await l.w.reply(first.id, result({ skipped: [{ path: '/ws/src/fr.js', reason: 'changed since' }] }));
    await d.waitFor({ state: 'detached' });

    // Checked: that path is sent.
    await openPreview(l, 1);
    await d.getByRole('checkbox', { name: 'Overwrite src/fr.js' }).check();
    assert.match(await d.innerText(), /their edit is replaced/);
    await d.getByRole('button', { name: 'Restore', exact: true }).click();
    const second = await l.request('changes.restore', 1);
    assert.deepEqual(second.params, { sessionId: 'a', key: 'u2', scope: 'both', overwrite: ['/ws/src/fr.js'] });
    await l.w.reply(second.id, result());
    await d.waitFor({ state: 'detached' });
    assert.deepEqual(await l.w.cspViolations(), []);
    await l.w.page.close();
  });

  void test('restore preview: another scope previews again; the host\'s error shows in the dialog, which stays; Escape cancels', async () => {
    const l = await openLive(browser);
    await openPreview(l, 0);
    const d = dialog(l);
    await d.getByRole('radio', { name: 'Files only' }).check();
    const files = await l.request('changes.preview', 1);
    assert.deepEqual(files.params, { sessionId: 'a', key: 'u2', scope: 'files' });
    await l.w.reply(files.id, { preview: { ...cleanPreview, scope: 'files', rewoundRecords: 0 } });
    await d.getByText('The conversation stays as it is.').waitFor();
    await d.getByRole('button', { name: 'Restore', exact: true }).click();
    const restore = await l.request('changes.restore', 0);
    assert.deepEqual(restore.params, { sessionId: 'a', key: 'u2', scope: 'files', overwrite: [] });
    await l.fail(restore.id, 'invalid_state', 'A turn is running: restore when it ends.');
    await d.getByRole('alert').getByText('A turn is running: restore when it ends.').waitFor();
    assert.ok(await d.isVisible(), 'the dialog stays open to try again');
    await l.w.page.keyboard.press('Escape');
    await d.waitFor({ state: 'detached' });
    assert.equal(await countRequests(l.w, 'changes.restore'), 1, 'cancel restores nothing');
    await l.w.page.close();
  });

  void test('edit and resend: without conflicts it restores both directly, then the text is in the composer, focused', async () => {
    const l = await openLive(browser);
    const textarea = l.w.page.getByRole('textbox', { name: 'Prompt' });
    await row(l, 'u2').getByRole('button', { name: 'Edit and resend' }).click();
    const preview = await l.request('changes.preview', 0);
    assert.deepEqual(preview.params, { sessionId: 'a', key: 'u2', scope: 'both' });
    await l.w.reply(preview.id, { preview: cleanPreview });
    const restore = await l.request('changes.restore', 0);
    assert.deepEqual(restore.params, { sessionId: 'a', key: 'u2', scope: 'both', overwrite: [] });
    assert.equal(await dialog(l, /./).count(), 0, 'no dialog when nothing needs a decision');
    assert.equal(await textarea.inputValue(), '', 'nothing in the composer before the restore answered');
    await l.w.reply(restore.id, result());
    await l.w.page.waitForFunction(() => {
      const composer = document.querySelector('as-app')?.shadowRoot?.querySelector('as-composer');
      return composer?.shadowRoot?.querySelector('textarea')?.value === 'Now say hello in French\nand run the tests';
    });
    assert.equal(await textarea.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'the composer is focused');
    await l.w.page.close();
  });

  void test('edit and resend with a conflict: the dialog (scope fixed to both) decides, then the text is in the composer', async () => {
    const l = await openLive(browser);
    await row(l, 'u2').getByRole('button', { name: 'Edit and resend' }).click();
    await l.w.reply((await l.request('changes.preview', 0)).id, { preview: conflictPreview });
    const d = dialog(l, 'Edit and resend');
    await d.waitFor();
    assert.equal(await d.getByRole('radio').count(), 0, 'edit and resend always restores both');
    assert.equal(await countRequests(l.w, 'changes.restore'), 0, 'nothing restored before the user decides');
    await d.getByRole('button', { name: 'Restore and edit' }).click();
    const restore = await l.request('changes.restore', 0);
    assert.deepEqual(restore.params, { sessionId: 'a', key: 'u2', scope: 'both', overwrite: [] });
    await l.w.reply(restore.id, result());
    await d.waitFor({ state: 'detached' });
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-composer')?.shadowRoot?.querySelector('textarea')?.value.startsWith('Now say hello'));
    await l.w.page.close();
  });

  void test('actions: user messages restore, fork and edit; answers fork; keyboard reachable; none while a turn runs or another window writes', async () => {
    const l = await openLive(browser);
    const names = (key: string) => row(l, key).getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(await names('u1'), ['Restore checkpoint…', 'Fork from here', 'Edit and resend']);
    assert.deepEqual(await names('m2'), ['Fork from here']);
    assert.deepEqual(await names('tool:c1'), []);
    const toolbar = row(l, 'u1').getByRole('toolbar', { name: 'Message actions' });
    assert.equal(await toolbar.evaluate((el) => getComputedStyle(el).opacity), '0', 'hidden until hovered');
    await row(l, 'u1').getByRole('button', { name: 'Fork from here' }).focus();
    assert.equal(await toolbar.evaluate((el) => getComputedStyle(el).opacity), '1', 'shown when a button has the keyboard focus');
    await l.push({ type: 'turn.started', turnId: 't3', promptId: 'p3', messageId: 'u3', text: 'and German' });
    await row(l, 'u3').waitFor();
    assert.deepEqual(await names('u3'), [], 'the running turn offers nothing');
    assert.deepEqual(await names('u1'), ['Fork from here'], 'no restore while a turn runs; an earlier turn can still be forked');
    await l.push({ type: 'turn.completed', turnId: 't3', stopReason: 'end_turn', rounds: 1 });
    await row(l, 'u3').getByRole('button', { name: 'Restore checkpoint…' }).waitFor();
    // Another window takes the session (no rows change): read-only here, nothing is offered.
    await l.w.push({ kind: 'writer', sessionId: 'a', readOnlyBy: { pid: 4242, host: 'box', since: 1 } });
    await row(l, 'u3').getByRole('button').first().waitFor({ state: 'detached' });
    assert.deepEqual(await names('u1'), []);
    await l.w.page.close();
  });

  void test('a compaction between turns is a checkpoint; one inside a turn is not', async () => {
    const compaction = (trigger: 'manual' | 'overflow') => ({
      type: 'context.compacted' as const, method: 'llm' as const, compactedMessageIds: [], summaryMessageId: `s-${trigger}`, summary: 'Summary',
      before: { tokens: 100, messages: 4 }, after: { tokens: 10, messages: 1 }, trigger,
    });
    const l = await openLive(browser, [...baseLog(), compaction('manual'),
      { type: 'turn.started', turnId: 't3', promptId: 'p3', messageId: 'u3', text: 'more' }, compaction('overflow'),
      { type: 'message.started', turnId: 't3', messageId: 'm4', round: 1 },
      { type: 'message.completed', turnId: 't3', messageId: 'm4', stopReason: 'end_turn', content: [{ type: 'text', text: 'ok' }] },
      { type: 'turn.completed', turnId: 't3', stopReason: 'end_turn', rounds: 1 }]);
    const between = row(l, 'm:16');
    assert.equal(await between.getByRole('button', { name: 'Restore checkpoint…' }).count(), 1);
    assert.equal(await row(l, 'm:18').getByRole('button').count(), 0);
    await between.getByRole('button', { name: 'Restore checkpoint…' }).click();
    assert.deepEqual((await l.request('changes.preview', 0)).params, { sessionId: 'a', key: 'm:16', scope: 'both' });
    await dialog(l).getByText('Back to just before this compaction.').waitFor();
    await l.w.page.close();
  });

  void test('rewound records are dimmed and labelled, fold into "N messages rewound", and come back after conversation.unrewound', async () => {
    const l = await openLive(browser);
    await l.push({ type: 'conversation.rewound', restoreId: 'r1', fromSeq: 12, meter: { base: 10, added: 0 } });
    await row(l, 'u2').and(l.w.page.locator('[data-rewound]')).waitFor();
    for (const key of ['u2', 'm3']) {
      assert.equal(await row(l, key).getAttribute('data-rewound'), '', `${key} rewound`);
      assert.equal(await row(l, key).locator('.content').evaluate((el) => getComputedStyle(el).opacity), '0.5', `${key} dimmed`);
      assert.match(await row(l, key).innerText(), /^rewound/);
    }
    assert.equal(await row(l, 'u1').getAttribute('data-rewound'), null);
    assert.deepEqual(await row(l, 'u2').getByRole('button').count(), 0, 'a rewound message offers no actions');
    const heading = l.w.page.locator('as-transcript .rewound-run');
    assert.match(await heading.innerText(), /2 messages rewound/);
    await heading.getByRole('button', { name: 'Hide 2 rewound messages' }).click();
    await row(l, 'u2').waitFor({ state: 'detached' });
    assert.equal(await row(l, 'm3').count(), 0);
    await heading.getByRole('button', { name: 'Show 2 rewound messages' }).click();
    await row(l, 'u2').waitFor();
    await l.push({ type: 'conversation.unrewound', restoreId: 'r1', meter: { base: 10, added: 0 } });
    await heading.waitFor({ state: 'detached' });
    assert.equal(await row(l, 'u2').getAttribute('data-rewound'), null);
    assert.equal(await row(l, 'u2').locator('.content').evaluate((el) => getComputedStyle(el).opacity), '1');
    await row(l, 'u2').getByRole('button', { name: 'Restore checkpoint…' }).waitFor();
    await l.w.page.close();
  });

  void test('redo: the latest restore\'s marker sends changes.redo and lists the files it skipped; a redo is not redone', async () => {
    const l = await openLive(browser);
    await l.push(
      { type: 'restore.started', restoreId: 'r1', key: 'u2', checkpointSeq: 12, scope: 'both', files: [] },
      { type: 'conversation.rewound', restoreId: 'r1', fromSeq: 12, meter: { base: 10, added: 0 } },
      { type: 'restore.completed', restoreId: 'r1', restored: 1, skipped: 0 },
    );
    const redo = l.w.page.getByRole('button', { name: 'Redo (undo this restore)' });
    await redo.click();
    const req = await l.request('changes.redo', 0);
    assert.deepEqual(req.params, { sessionId: 'a', restoreId: 'r1', overwrite: [] });
    await l.w.reply(req.id, result({ restoreId: 'r2', skipped: [{ path: '/ws/src/fr.js', reason: 'changed on disk after the restore' }] }));
    const d = dialog(l, /Redo left 1 file as it was/);
    await d.getByText('changed on disk after the restore').waitFor();
    assert.match(await d.innerText(), /\/ws\/src\/fr\.js/);
    await d.getByRole('button', { name: 'Show changes' }).click();
    assert.deepEqual((await l.request('changes.show', 0)).params, { sessionId: 'a' });
    await d.getByRole('button', { name: 'Close' }).click();
    await d.waitFor({ state: 'detached' });
    await l.push(
      { type: 'restore.started', restoreId: 'r2', key: 'u2', checkpointSeq: 12, scope: 'both', files: [], redoOf: 'r1' },
      { type: 'conversation.unrewound', restoreId: 'r1', meter: { base: 10, added: 0 } },
      { type: 'restore.completed', restoreId: 'r2', restored: 0, skipped: 1 },
    );
    await l.w.page.getByText('Redo: undid the restore').waitFor();
    assert.equal(await redo.count(), 0, 'neither the redone restore nor the redo offers a redo');
    await l.w.page.close();
  });

  void test('fork from here: sessions.fork, then the new session opens in a new, selected tab that says where it came from', async () => {
    const l = await openLive(browser);
    await row(l, 'm2').hover();
    await row(l, 'm2').getByRole('button', { name: 'Fork from here' }).click();
    const fork = await l.request('sessions.fork', 0);
    assert.deepEqual(fork.params, { sessionId: 'a', key: 'm2' });
    const f = snapshot('f', { title: 'Fork of Alpha', forkedFrom: { sessionId: 'a', seq: 11, title: 'Alpha' } });
    await l.w.reply(fork.id, { snapshot: f });
    const open = await l.request('sessions.open', 0);
    assert.deepEqual(open.params, { sessionId: 'f', limit: 100 });
    await l.w.reply(open.id, opened(f));
    const tab = l.w.page.getByRole('tab', { name: /Fork of Alpha/ });
    await tab.waitFor();
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-tab-strip')?.shadowRoot?.querySelector('[data-session-id="f"]')?.getAttribute('aria-selected') === 'true');
    assert.equal(await l.w.page.getByRole('tab', { name: /^Alpha/ }).getAttribute('aria-selected'), 'false');
    const from = l.w.page.locator('as-session-header [data-forked-from]');
    assert.match((await from.innerText()).replace(/\s+/g, ' '), /Forked from Alpha/);
    await from.getByRole('button', { name: 'Alpha' }).click();
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-tab-strip')?.shadowRoot?.querySelector('[data-session-id="a"]')?.getAttribute('aria-selected') === 'true');
    await l.w.page.close();
  });
});

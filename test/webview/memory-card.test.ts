// The memory writes of a remember / forget call on its tool card, in headless Chromium with the real
// webview bundle: what was written and where, Undo sends memory.undo for that call and entry and
// then says "undone"; a refusal from the host (changed since) is shown; the Context panel's memory line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { ToolRecord } from '../../src/shared/transcript';
import { launch, openWebview, opened, snapshot, snapshotMessage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const path = '/home/me/.config/Code/User/workspaceStorage/abc/agent-sessions/memory.md';
const row = (entryId: string, text: string): ToolRecord => ({
  kind: 'tool', key: `tool:c-${entryId}`, seq: 3, callId: `c-${entryId}`, name: 'remember', args: { text }, status: 'done', output: '',
  result: `Remembered (id ${entryId}): ${text}`, memory: [{ entryId, action: 'added', text, memoryPath: path }],
});

void describe('memory writes on the tool card', () => {
  void test('Undo sends memory.undo for the call and entry, then shows "undone"; a refusal is shown', async () => {
    const w = await openWebview(browser);
    const s = snapshot('a');
    await w.push(snapshotMessage([s], [opened(s, [row('e1', 'Releases use make rc'), row('e2', 'Tabs in Go files')])], 'a'));
    const writes = w.page.getByRole('list', { name: 'Memory writes' });
    await writes.first().waitFor();
    await w.page.getByText('Releases use make rc', { exact: true }).waitFor();
    await w.page.getByText('memory.md').first().waitFor();

    await w.page.getByRole('button', { name: 'Undo memory write: Releases use make rc' }).click();
    const req = await w.waitForRequest('memory.undo');
    assert.deepEqual(req.params, { sessionId: 'a', callId: 'c-e1', entryId: 'e1' });
    await w.reply(req.id, {});
    await w.page.locator('[data-memory-entry="e1"]').getByRole('status').filter({ hasText: 'undone' }).waitFor();
    assert.equal(await w.page.getByRole('button', { name: 'Undo memory write: Releases use make rc' }).count(), 0);

    await w.page.getByRole('button', { name: 'Undo memory write: Tabs in Go files' }).click();
    const second = (await w.posted()).filter((m) => m.kind === 'request' && m.method === 'memory.undo');
    const last = second.at(-1);
    assert.ok(last?.kind === 'request');
    const message = 'The memory entry was changed since this write (edited, removed or added again), so it was left as it is.';
    await w.push({ kind: 'reply', id: last.id, ok: false, error: { code: 'not_found', message, retryable: false } });
    await w.page.locator('[data-memory-entry="e2"]').getByRole('alert').filter({ hasText: 'changed since' }).waitFor();
    await w.page.getByRole('button', { name: 'Undo memory write: Tabs in Go files' }).waitFor();

    await w.page.getByRole('button', { name: 'Open the memory file' }).first().click();
    await w.waitForRequest('memory.open');
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });
  void test('the Context panel shows the memory line (path, included of entries) with Open', async () => {
    const w = await openWebview(browser);
    const s = snapshot('a', { title: 'Alpha' });
    await w.push(snapshotMessage([s], [opened(s, [{ kind: 'user', key: 'u1', text: 'hi', seq: 2 }])], 'a'));
    await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
    await w.page.getByRole('button', { name: 'Context', exact: true }).click();
    const kreq = await w.waitForRequest('knowledge.get');
    const mreq = await w.waitForRequest('mcp.list');
    await w.reply(kreq.id, { knowledge: { rules: [], skills: [], memory: { path, entries: 12, included: 5, chars: 800 } }, diagnostics: [] });
    await w.reply(mreq.id, { servers: [], problems: [] });
    const line = w.page.locator('[data-memory]');
    await line.getByText(path).waitFor();
    await line.getByText('5 of 12 entries in the context').waitFor();
    const before = (await w.posted()).length;
    await line.getByRole('button', { name: 'Open' }).click();
    await w.waitForRequest('memory.open');
    assert.ok((await w.posted()).length > before);
    await w.page.close();
  });
});

// What the webview says about a session's changed files, in headless Chromium with the real
// bundle: the header's and the tab's count (following file.changed and changes.kept), the tool
// card's files and capture note, and the README screenshot of the restore preview.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launch } from './harness';
import { baseLog, changed, conflictPreview, img, openLive, type LivePage } from './checkpoint-fixtures';
import { applyTheme } from './themes';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const count = (l: LivePage) => l.w.page.locator('as-session-header [data-changes-count]');
const tabCount = (l: LivePage) => l.w.page.locator('as-tab-strip [data-session-id="a"] [data-changes]');

void describe('changes in the webview', () => {
  void test('the header counts changed files as file.changed events arrive, opens the Changes view, and hides the count once all are kept', async () => {
    // Opened before any change: no count at all.
    const l = await openLive(browser, baseLog().filter((b) => b.type !== 'file.changed'));
    await l.w.page.locator('as-session-header').getByRole('toolbar').waitFor();
    assert.equal(await count(l).count(), 0, 'hidden at 0');
    assert.equal(await tabCount(l).count(), 0);
    await l.push(changed('/ws/src/a.ts', 'src/a.ts', img('a0'), img('a1')));
    await count(l).getByText('1 file changed').waitFor();
    await l.push(changed('/ws/src/b.ts', 'src/b.ts', { state: 'absent' }, img('b1')), changed('/ws/src/a.ts', 'src/a.ts', img('a1'), img('a2')));
    await count(l).getByText('2 files changed').waitFor();
    assert.equal((await tabCount(l).innerText()).trim(), '2', 'the tab shows the count too');
    assert.match((await l.w.page.getByRole('tab', { name: /Alpha/ }).getAttribute('aria-label')) ?? '', /2 files changed/);

    await l.push({ type: 'changes.incomplete', message: 'the workspace scan stopped at 20,000 files' });
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-session-header')?.shadowRoot
      ?.querySelector('[data-changes-count]')?.getAttribute('title')?.includes('Not all changes captured: the workspace scan stopped at 20,000 files'));

    await count(l).click();
    assert.deepEqual((await l.request('changes.show', 0)).params, { sessionId: 'a' });

    await l.push({ type: 'changes.kept', path: '/ws/src/a.ts', baseline: img('a2') });
    await count(l).getByText('1 file changed').waitFor();
    await l.push({ type: 'changes.kept', path: '/ws/src/b.ts', baseline: img('b1') });
    await count(l).waitFor({ state: 'detached' });
    await tabCount(l).waitFor({ state: 'detached' });
    await l.w.page.close();
  });

  void test('a tool card lists the files its call changed and says what could not be captured', async () => {
    const l = await openLive(browser);
    const card = l.w.page.locator('as-tool-card').first();
    assert.match((await card.locator('[data-files]').innerText()).replace(/\s+/g, ' '), /Changed: src\/greet\.js/);
    assert.equal(await card.locator('[data-change-note]').count(), 0);
    await l.push(
      { type: 'turn.started', turnId: 't3', promptId: 'p3', messageId: 'u3', text: 'run the generator' },
      { type: 'message.started', turnId: 't3', messageId: 'm9', round: 1 },
      { type: 'message.completed', turnId: 't3', messageId: 'm9', stopReason: 'tool_use', content: [{ type: 'tool_call', id: 'c2', name: 'run_command', args: { command: 'npm run gen' } }] },
      { type: 'tool.requested', turnId: 't3', callId: 'c2', name: 'run_command', args: { command: 'npm run gen' } },
      changed('/ws/gen/a.ts', 'gen/a.ts', { state: 'absent' }, img('g1'), 'c2'),
      changed('/ws/gen/b.ts', 'gen/b.ts', img('b0'), img('b1'), 'c2'),
      { type: 'changes.incomplete', callId: 'c2', message: 'the scan stopped at 20,000 files' },
    );
    const second = l.w.page.locator('as-tool-card').nth(1);
    await second.locator('[data-change-note]').waitFor();
    assert.deepEqual(await second.getByRole('list', { name: 'Files changed by run_command' }).getByRole('listitem').allInnerTexts(), ['gen/a.ts', 'gen/b.ts']);
    assert.equal((await second.getByRole('note').innerText()).trim(), 'Not all changes captured: the scan stopped at 20,000 files');
    await l.w.page.close();
  });

  void test('README screenshot: the restore preview with a conflict (media/screenshots/restore-preview.png)', async () => {
    const l = await openLive(browser);
    await l.w.page.setViewportSize({ width: 620, height: 560 });
    await applyTheme(l.w.page, 'dark');
    const u2 = l.w.page.locator('as-transcript .row[data-key="u2"]');
    await u2.hover();
    await u2.getByRole('button', { name: 'Restore checkpoint…' }).click();
    await l.w.reply((await l.request('changes.preview', 0)).id, { preview: conflictPreview });
    const d = l.w.page.getByRole('dialog', { name: 'Restore checkpoint' });
    await d.getByRole('checkbox', { name: 'Overwrite src/fr.js' }).waitFor();
    await l.w.page.mouse.move(0, 0);
    const dir = join(process.cwd(), 'media/screenshots');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'restore-preview.png');
    await l.w.page.screenshot({ path: file });
    console.log(`# screenshot: ${file}`);
    assert.deepEqual(await l.w.cspViolations(), []);
    await l.w.page.close();
  });
});

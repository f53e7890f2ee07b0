import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CODICONS } from '../../webview-ui/src/codicons';
import { ev, richSnapshot } from './fixtures';
import { launch, openWebview, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

/** Every element in the page, shadow roots included. */
const DEEP_ALL = `(() => {
  const out = [];
  const walk = (root) => { for (const el of root.querySelectorAll('*')) { out.push(el); if (el.shadowRoot) walk(el.shadowRoot); } };
  walk(document);
  return out;
})()`;

async function openRich(): Promise<WebviewPage> {
  const w = await openWebview(browser);
  await w.push(richSnapshot());
  await w.page.getByRole('group', { name: 'Approval needed: edit_file' }).waitFor();
  // Echo finished a turn while hidden: its tab shows "done".
  await w.push({ kind: 'event', event: ev('e', 4, { type: 'turn.completed', turnId: 't', stopReason: 'end_turn', rounds: 1 }) });
  // A tool still running in Alpha.
  await w.push({ kind: 'event', event: ev('a', 11, { type: 'message.completed', turnId: 't1', messageId: 'm4', content: [{ type: 'tool_call', id: 'c4', name: 'list_files', args: { path: 'src' } }], stopReason: 'tool_use' }) });
  await w.push({ kind: 'event', event: ev('a', 12, { type: 'tool.requested', turnId: 't1', callId: 'c4', name: 'list_files', args: { path: 'src' } }) });
  await w.push({ kind: 'event', event: ev('a', 13, { type: 'tool.started', callId: 'c4', permission: { decision: 'allow', source: 'mode ask: reads are allowed' } }) });
  return w;
}

void describe('codicons', () => {
  void test('every code point we use is the one the installed @vscode/codicons declares', () => {
    const css = readFileSync(join(process.cwd(), 'node_modules/@vscode/codicons/dist/codicon.css'), 'utf8');
    for (const [name, cp] of Object.entries(CODICONS)) {
      const m = new RegExp(`\\.codicon-${name}:before \\{ content: "\\\\([0-9a-f]+)" \\}`).exec(css);
      assert.ok(m, `codicon.css declares ${name}`);
      assert.equal(parseInt(m[1], 16), cp, `code point of ${name}`);
    }
  });

  void test('icons render in shadow roots with the codicon font, loaded under the page CSP (font-src)', async () => {
    const w = await openRich();
    const result = await w.page.evaluate(`(async () => {
      await document.fonts.ready;
      const icons = ${DEEP_ALL}.filter((el) => el.classList.contains('codicon'));
      const sample = icons.map((el) => ({
        cls: el.className,
        family: getComputedStyle(el).fontFamily,
        glyph: getComputedStyle(el, '::before').content,
        hidden: el.getAttribute('aria-hidden'),
      }));
      const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'codicon').map((f) => f.status);
      return { sample, faces };
    })()`) as { sample: Array<{ cls: string; family: string; glyph: string; hidden: string | null }>; faces: string[] };
    assert.ok(result.sample.length >= 20, `icons rendered: ${result.sample.length}`);
    for (const s of result.sample) {
      assert.match(s.family, /codicon/, `${s.cls} uses the codicon font`);
      assert.match(s.glyph, /^"[\ue000-\uf8ff]"$/u, `${s.cls} draws a private-use glyph, got ${s.glyph}`);
      assert.equal(s.hidden, 'true', `${s.cls} is hidden from assistive technology`);
    }
    const names = new Set(result.sample.map((s) => /codicon-([\w-]+)/.exec(s.cls)?.[1]));
    for (const n of ['add', 'close', 'edit', 'trash', 'debug-pause', 'debug-stop', 'fold', 'book', 'comment-discussion', 'loading', 'check', 'error', 'shield', 'lightbulb']) {
      assert.ok(names.has(n), `${n} shown somewhere`);
    }
    assert.deepEqual(result.faces, ['loaded'], 'the codicon font face loaded');
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.external, [], 'nothing fetched from elsewhere');
    await w.page.close();
  });

  void test('every icon-only button has an accessible name (aria-label) and a title', async () => {
    const w = await openRich();
    const bad = await w.page.evaluate(`${DEEP_ALL}
      .filter((el) => el.tagName === 'BUTTON' && el.textContent.trim() === '')
      .filter((el) => !el.getAttribute('aria-label') || !el.getAttribute('title'))
      .map((el) => el.outerHTML.slice(0, 160))`) as string[];
    assert.deepEqual(bad, []);
    const iconButtons = await w.page.evaluate(`${DEEP_ALL}.filter((el) => el.tagName === 'BUTTON' && el.textContent.trim() === '').length`) as number;
    assert.ok(iconButtons >= 10, `icon-only buttons checked: ${iconButtons}`);
    // Names the end-to-end flows select by are unchanged.
    const header = w.page.locator('as-session-header');
    for (const name of ['Rename', 'Context', 'Side question (btw)', 'Compact', 'Pause', 'Cancel', 'Delete session']) {
      assert.equal(await header.getByRole('button', { name, exact: true }).count(), 1, `header button ${name}`);
    }
    assert.equal(await w.page.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).count(), 1);
    const card = w.page.getByRole('group', { name: 'Approval needed: edit_file' });
    for (const name of ['Approve', 'Deny', 'Always allow', 'View diff']) assert.equal(await card.getByRole('button', { name, exact: true }).count(), 1, name);
    assert.equal(await w.page.getByRole('button', { name: 'Copy code' }).count(), 1);
    await w.page.close();
  });

  void test('tab badges: a progress ring while streaming, codicons for the other states; the label says the state', async () => {
    const w = await openRich();
    await w.page.locator('[data-session-id="e"] .badge[data-activity="done"]').waitFor();
    const badges = await w.page.locator('[role="tab"]').evaluateAll((tabs) => tabs.map((t) => {
      const b = t.querySelector('.badge');
      return [(t as HTMLElement).dataset.sessionId, b?.getAttribute('data-activity'), b?.querySelector('vscode-progress-ring') ? 'ring' : /codicon-([\w-]+)/.exec(b?.querySelector('.codicon')?.className ?? '')?.[1]];
    }));
    assert.deepEqual(badges, [
      ['a', 'waiting', 'shield'], ['c', 'paused', 'debug-pause'], ['b', 'streaming', 'ring'], ['d', 'error', 'error'], ['e', 'done', 'check'],
    ]);
    assert.match((await w.page.getByRole('tab', { name: /^Beta/ }).getAttribute('aria-label')) ?? '', /streaming/);
    // The ring is decoration: no role="alert" announcing every streaming tab.
    assert.equal(await w.page.getByRole('alert').count(), 0);
    // Tool states: failed command, waiting edit, finished read.
    const states = await w.page.locator('as-tool-card').evaluateAll((cards) => cards.map((c) => /codicon-([\w-]+)/.exec(c.shadowRoot?.querySelector('.status .codicon')?.className ?? '')?.[1]));
    assert.deepEqual(states, ['check', 'error', 'shield', 'loading']);
    await w.page.close();
  });
});

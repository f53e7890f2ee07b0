/**
 * Trusted Types (issue 11): the real webview CSP (src/vscode/webview/html.ts) requires trusted
 * types for every script sink. A string assigned to innerHTML by page script throws; the app
 * still renders sanitised Markdown, through the allowed policies only.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { contentSecurityPolicy } from '../../src/vscode/webview/html';
import { launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

/** The CSP the host sends, for the harness's origin and nonce. */
const REAL_CSP = contentSecurityPolicy('http://webview.test', 't3st');

const MARKDOWN = [
  'Some **bold** and `code`, a [link](https://example.com/docs).',
  '<img src=x onerror="window.__pwned = true">',
  '```js\nconst x = 1;\n```',
].join('\n\n');

async function openTranscript(): Promise<WebviewPage> {
  const w = await openWebview(browser, undefined, { csp: REAL_CSP });
  const s = snapshot('a', { lastSeq: 10 });
  await w.push(snapshotMessage([s], [opened(s, [{ kind: 'assistant', key: 'm1', text: MARKDOWN, thinking: '', streaming: false, seq: 10 }])], 'a'));
  await w.page.locator('[data-message-id="m1"] strong').waitFor();
  return w;
}

void describe('Trusted Types', () => {
  void test('the CSP requires trusted types and names the only policies the app needs', () => {
    assert.match(REAL_CSP, /(^|; )require-trusted-types-for 'script'(;|$)/);
    const directive = /(?:^|; )trusted-types ([^;]+)/.exec(REAL_CSP)?.[1].split(' ');
    assert.deepEqual(directive?.sort(), ['dompurify', 'lit-html']);
  });

  void test('the transcript renders Markdown under the real CSP', async () => {
    const w = await openTranscript();
    try {
      const msg = w.page.locator('[data-message-id="m1"]');
      assert.equal(await msg.locator('strong').textContent(), 'bold');
      assert.equal(await msg.locator('pre code').textContent(), 'const x = 1;');
      assert.equal(await msg.getByRole('link', { name: 'link' }).count(), 1);
      assert.equal(await msg.locator('img').count(), 0, 'raw HTML stays text');
      assert.equal(await w.page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
      assert.deepEqual(await w.cspViolations(), [], 'the app itself assigns no plain string to a sink');
    } finally {
      await w.page.close();
    }
  });

  void test('a string assigned to a script sink by page script throws', async () => {
    const w = await openTranscript();
    try {
      // A string, not a function: tsx would inject its `__name` helper into a function's source.
      const results = await w.page.evaluate(`(() => {
        const attempt = (f) => { try { f(); return 'allowed'; } catch (e) { return e.name; } };
        const el = document.createElement('div');
        document.body.append(el);
        return {
          innerHTML: attempt(() => { el.innerHTML = '<img src=x onerror="window.__pwned = true">'; }),
          insertAdjacentHTML: attempt(() => { el.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__pwned = true">'); }),
          scriptText: attempt(() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = true'; document.body.append(s); }),
          newPolicy: attempt(() => { trustedTypes.createPolicy('attacker', { createHTML: (s) => s }); }),
          imgCount: el.querySelectorAll('img').length,
        };
      })()`);
      assert.deepEqual(results, { innerHTML: 'TypeError', insertAdjacentHTML: 'TypeError', scriptText: 'TypeError', newPolicy: 'TypeError', imgCount: 0 });
      assert.equal(await w.page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
      const violations = await w.cspViolations();
      assert.ok(violations.some((v) => v.startsWith('require-trusted-types-for')), violations.join('\n'));
    } finally {
      await w.page.close();
    }
  });
});

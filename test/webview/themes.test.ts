import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ev, richSnapshot } from './fixtures';
import { launch, openWebview } from './harness';
import { THEMES, applyTheme, type ThemeName } from './themes';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

/** Screenshots for people to look at (gitignored). */
const SHOTS = join(process.cwd(), 'test-results/webview');

/** Colour of `prop` on the first element matching `selector` inside `host`'s shadow root, as rgb(). */
const shadowStyle = `(host, selector, prop, pseudo) => {
  const el = document.querySelector('as-app').shadowRoot.querySelector(host).shadowRoot.querySelector(selector);
  return el ? getComputedStyle(el, pseudo ?? null)[prop] : 'missing';
}`;

/** '#rrggbb' or 'rgba(…)' → what getComputedStyle reports. */
function rgb(color: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return m ? `rgb(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)})` : color;
}

void describe('themes', () => {
  void test('light, dark and high contrast: colours come from the --vscode-* variables; screenshots of each', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const w = await openWebview(browser);
    await w.page.setViewportSize({ width: 460, height: 900 });
    await w.push(richSnapshot());
    await w.push({ kind: 'event', event: ev('e', 4, { type: 'turn.completed', turnId: 't', stopReason: 'end_turn', rounds: 1 }) });
    await w.push({ kind: 'event', event: ev('a', 11, { type: 'tool.requested', turnId: 't', callId: 'c4', name: 'list_files', args: { path: 'src' } }) });
    await w.push({ kind: 'event', event: ev('a', 12, { type: 'tool.started', callId: 'c4', permission: { decision: 'allow', source: 'mode ask: reads are allowed' } }) });
    await w.page.getByRole('group', { name: 'Approval needed: edit_file' }).waitFor();
    await w.page.locator('as-transcript details.thinking summary').first().click();
    const style = (host: string, selector: string, prop: string, pseudo?: string): Promise<string> =>
      w.page.evaluate(`(${shadowStyle})(${JSON.stringify(host)}, ${JSON.stringify(selector)}, ${JSON.stringify(prop)}, ${JSON.stringify(pseudo ?? null)})`) as Promise<string>;
    for (const name of Object.keys(THEMES) as ThemeName[]) {
      await applyTheme(w.page, name);
      const v = THEMES[name].vars;
      assert.equal(await w.page.evaluate(() => document.body.className), THEMES[name].bodyClass);
      assert.equal(await w.page.locator('as-app').evaluate((el) => getComputedStyle(el).backgroundColor), rgb(v['--vscode-sideBar-background']), `${name}: background`);
      assert.equal(await style('as-session-header', 'button[aria-label="Pause"]', 'color'), rgb(v['--vscode-icon-foreground']), `${name}: icon colour`);
      assert.equal(await style('as-session-header', 'button[aria-label="Pause"] .codicon', 'fontFamily'), 'codicon', `${name}: icon font`);
      assert.equal(await style('as-composer', 'textarea', 'backgroundColor'), rgb(v['--vscode-input-background']), `${name}: input`);
      assert.equal(await style('as-composer', 'button:not(.icon)', 'backgroundColor'), rgb(v['--vscode-button-background']), `${name}: primary button`);
      assert.equal(await style('as-tab-strip', '[role="tab"][aria-selected="true"]', 'borderBottomColor'), rgb(v['--vscode-focusBorder']), `${name}: selected tab`);
      // High contrast draws borders where the other themes have none.
      if (name === 'high-contrast') {
        assert.equal(await style('as-session-header', 'select', 'borderTopColor'), rgb(v['--vscode-dropdown-border']));
      }
      await w.page.screenshot({ path: join(SHOTS, `theme-${name}.png`) });
    }
    assert.deepEqual(await w.cspViolations(), []);
    console.log(`# screenshots: ${['light', 'dark', 'high-contrast'].map((n) => join(SHOTS, `theme-${n}.png`)).join(', ')}`);
    await w.page.close();
  });
});

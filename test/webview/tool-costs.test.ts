import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionKnowledge } from '../../src/shared/session';
import type { ToolBudgetInfo } from '../../src/shared/knowledge-types';
import { config, launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

/** 2 built-ins, a small server sent whole, a large one deferred (one tool loaded), one tool switched off. */
function budget(loadedTokens: number): ToolBudgetInfo {
  return {
    sentTokens: 1200 + 300 + 250 + loadedTokens, allTokens: 1200 + 300 + 9000, budget: 8000, onDemand: true,
    tools: [
      { name: 'read_file', tokens: 700, disabled: false },
      { name: 'run_command', tokens: 500, disabled: false },
      { name: 'mcp__notion__page', tokens: 300, disabled: false, server: 'notion' },
      { name: 'search_tools', tokens: 250, disabled: false },
      { name: 'mcp__github__create_pull_request', tokens: loadedTokens, disabled: false, server: 'github', deferred: true, loaded: true },
      { name: 'mcp__github__list_issues', tokens: 9000 - loadedTokens, disabled: false, server: 'github', deferred: true,
        schemaProblem: "can't resolve reference #/$defs/Issue from id #" },
      { name: 'mcp__notion__search', tokens: 400, disabled: true, server: 'notion' },
    ],
  };
}

async function openContext(w: WebviewPage, tools: ToolBudgetInfo, disabledTools: string[]): Promise<void> {
  const a = snapshot('a', { title: 'Alpha', config: { ...config, disabledTools } });
  await w.push(snapshotMessage([a], [opened(a)], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  await w.page.getByRole('button', { name: 'Context', exact: true }).click();
  const kreq = await w.waitForRequest('knowledge.get');
  const mreq = await w.waitForRequest('mcp.list');
  const knowledge: SessionKnowledge = { rules: [], skills: [], tools };
  await w.reply(kreq.id, { knowledge, diagnostics: [] });
  await w.reply(mreq.id, { servers: [], problems: [] });
  await w.page.getByRole('table', { name: 'Tool definitions' }).waitFor();
}

async function nextConfig(w: WebviewPage, from: number): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    const m = (await w.posted()).slice(from).find((x) => x.kind === 'request' && x.method === 'sessions.updateConfig');
    if (m && m.kind === 'request') return m.params;
    await w.page.waitForTimeout(20);
  }
  throw new Error('no sessions.updateConfig posted');
}

void describe('Context panel: tool definitions and the budget', () => {
  void test('costs per server and tool, sent vs all, on-demand marks, a broken schema; switches post disabledTools', async () => {
    const w = await openWebview(browser);
    await openContext(w, budget(600), ['mcp__notion__search']);
    const table = w.page.getByRole('table', { name: 'Tool definitions' });
    assert.match(await w.page.locator('[data-tool-totals]').innerText(), /Sent with every request: 2,350 tokens of 10,500 tokens · budget for MCP tools 8,000 tokens/);
    assert.equal(await w.page.locator('[data-tool-warning]').count(), 0, 'MCP sent (300 + 600) is under the budget');
    assert.match(await w.page.locator('[data-on-demand]').innerText(), /loaded on demand/);
    assert.match(await table.locator('[data-group="github"] [data-group-tokens]').innerText(), /9,000 tokens/);
    assert.match(await table.locator('[data-group="notion"] [data-group-tokens]').innerText(), /300 tokens/, 'a switched-off tool does not count');
    assert.match(await table.locator('[data-group=""]').innerText(), /Built-in and engine tools[\s\S]*read_file[\s\S]*700/);
    assert.equal(await table.locator('[data-tool="mcp__github__list_issues"] [data-mark="deferred"]').innerText(), 'loaded on demand');
    assert.match(await table.locator('[data-tool="mcp__github__create_pull_request"] [data-mark="loaded"]').innerText(), /loaded/);
    assert.match(await table.locator('[data-tool="mcp__github__list_issues"]').innerText(), /Invalid input schema: can't resolve reference #\/\$defs\/Issue/);
    const off = w.page.getByRole('switch', { name: 'Use tool mcp__notion__search in this session' });
    assert.equal(await off.isChecked(), false);

    let from = (await w.posted()).length;
    await w.page.getByRole('switch', { name: 'Use tool mcp__github__list_issues in this session' }).click();
    assert.deepEqual(await nextConfig(w, from), { sessionId: 'a', patch: { disabledTools: ['mcp__notion__search', 'mcp__github__list_issues'] } });
    from = (await w.posted()).length;
    await off.press('Space');
    assert.deepEqual(await nextConfig(w, from), { sessionId: 'a', patch: { disabledTools: [] } }, 'switching back on removes it');
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  void test('past the budget: a warning', async () => {
    const w = await openWebview(browser);
    const over = budget(600);
    over.onDemand = false;
    over.tools = over.tools.map((t) => ({ ...t, deferred: false, loaded: false }));
    await openContext(w, over, []);
    const warning = w.page.locator('[data-tool-warning]');
    assert.match(await warning.innerText(), /MCP tool definitions sent \(9,700 tokens\) are over the budget of 8,000 tokens/);
    await w.page.close();
  });
});

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { McpOverview } from '../../src/shared/protocol';
import type { SessionKnowledge } from '../../src/shared/session';
import { config, launch, openWebview, opened, snapshot, snapshotMessage, withState } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const knowledge: SessionKnowledge = {
  rules: [],
  skills: [
    { name: 'pdf', description: 'PDF work', source: 'workspace', path: '/ws/.claude/skills/document-skills-pdf/SKILL.md', enabled: true, shadowed: false, folder: 'document-skills-pdf', linked: true },
    { name: 'zeta', description: 'Late in the order', source: 'user', path: '/home/u/.claude/skills/zeta/SKILL.md', enabled: true, shadowed: false, notIndexed: true },
  ],
  skillsIndex: { chars: 2_480, budget: 2_560, omitted: ['zeta'] },
};
const mcp: McpOverview = { servers: [], problems: [] };

void describe('Context panel: skills as shipped', () => {
  void test('a linked skill, its folder, a skill left out of the index and the index budget are shown', async () => {
    const w = await openWebview(browser);
    const a = withState(snapshot('a', { title: 'Alpha', config }), 'idle');
    await w.push(snapshotMessage([a], [opened(a, [])], 'a'));
    await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
    await w.page.getByRole('button', { name: 'Context', exact: true }).click();
    const kreq = await w.waitForRequest('knowledge.get');
    const mreq = await w.waitForRequest('mcp.list');
    await w.reply(kreq.id, { knowledge, diagnostics: [] });
    await w.reply(mreq.id, mcp);
    const panel = w.page.locator('as-knowledge-panel');
    await panel.getByRole('list', { name: 'Skills' }).waitFor();
    assert.match(await panel.locator('[data-skill="pdf"]').innerText(), /workspace · linked · folder document-skills-pdf/);
    assert.match(await panel.locator('[data-skill="zeta"]').innerText(), /Not in the skills index \(over its budget\); the model can still load it by name\./);
    assert.doesNotMatch(await panel.locator('[data-skill="pdf"]').innerText(), /Not in the skills index/);
    assert.equal(await panel.locator('[data-skills-index]').innerText(), 'Skills index: 2480 of 2560 characters, 1 left out.');
    await w.page.close();
  });
});

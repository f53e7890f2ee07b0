import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SessionKnowledge } from '../../src/shared/session';
import { config, launch, openWebview, opened, snapshot, snapshotMessage, withState } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const base = { size: 100, truncated: false, enabled: true } as const;
const knowledge: SessionKnowledge = {
  rules: [
    { ...base, id: 'agents:AGENTS.md', kind: 'agents', relativePath: 'AGENTS.md', scope: '', chars: 100, activation: 'always', active: true },
    { ...base, id: 'claude:CLAUDE.md', kind: 'claude', relativePath: 'CLAUDE.md', scope: '', chars: 100, activation: 'always', active: true, linkTarget: 'AGENTS.md' },
    { ...base, id: 'agents:packages/a/AGENTS.md', kind: 'agents', relativePath: 'packages/a/AGENTS.md', scope: 'packages/a', chars: 100, activation: 'path', active: true },
    { ...base, id: 'agents:packages/b/AGENTS.md', kind: 'agents', relativePath: 'packages/b/AGENTS.md', scope: 'packages/b', chars: 0, activation: 'path', active: false },
    { ...base, id: 'cursor:.cursor/rules/ts.mdc', kind: 'cursor', relativePath: '.cursor/rules/ts.mdc', scope: '', chars: 0, activation: 'glob', globs: ['*.ts'], active: false },
    { ...base, id: 'cursor:.cursor/rules/db.mdc', kind: 'cursor', relativePath: '.cursor/rules/db.mdc', scope: '', chars: 0, activation: 'requested', description: 'Database migrations', active: false },
    { ...base, id: 'cursor:.cursor/rules/release.mdc', kind: 'cursor', relativePath: '.cursor/rules/release.mdc', scope: '', chars: 0, activation: 'manual', active: false },
    { ...base, id: 'gemini:GEMINI.md', kind: 'gemini', relativePath: 'GEMINI.md', scope: '', chars: 0, activation: 'always', active: false, omitted: true },
  ],
  skills: [],
  rulesBudget: { chars: 300, budget: 60_000 },
};

void describe('Context panel: rules files by activation', () => {
  void test('says when each file is sent, what is in the context now, what was left out, and the budget', async () => {
    const w = await openWebview(browser);
    const a = withState(snapshot('a', { title: 'Alpha', config }), 'idle');
    await w.push(snapshotMessage([a], [opened(a, [{ kind: 'user', key: 'u1', text: 'hi', seq: 9 }])], 'a'));
    await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
    await w.page.getByRole('button', { name: 'Context', exact: true }).click();
    const kreq = await w.waitForRequest('knowledge.get');
    const mreq = await w.waitForRequest('mcp.list');
    await w.reply(kreq.id, { knowledge, diagnostics: [] });
    await w.reply(mreq.id, { servers: [], problems: [] });
    const panel = w.page.locator('as-knowledge-panel');
    await panel.getByRole('list', { name: 'Rules files' }).waitFor();
    const when = async (id: string): Promise<string> => panel.locator(`[data-rule-id="${id}"] [data-rule-when]`).innerText();
    assert.equal(await when('agents:AGENTS.md'), 'in the context');
    assert.equal(await when('claude:CLAUDE.md'), 'in the context · link to AGENTS.md');
    assert.equal(await when('agents:packages/a/AGENTS.md'), 'in the context (attached on the way)');
    assert.equal(await when('agents:packages/b/AGENTS.md'), 'joins when the session works in packages/b/');
    assert.equal(await when('cursor:.cursor/rules/ts.mdc'), 'joins for files matching *.ts');
    assert.equal(await when('cursor:.cursor/rules/db.mdc'), 'the model reads it when relevant: Database migrations');
    assert.match(await when('cursor:.cursor/rules/release.mdc'), /^manual: not sent/);
    assert.match(await when('gemini:GEMINI.md'), /^left out for space/);
    assert.equal(await panel.locator('[data-rules-budget]').innerText(), '300 of 60,000 characters of rules sent');
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });
});

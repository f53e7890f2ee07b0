/**
 * Custom agents in the webview: the new-session form offers "Default" and each agent
 * ("name — description") from `agents.list` and sends the chosen one as `agent`; the session
 * header shows the agent's name next to the model.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { CustomAgentInfo } from '../../src/shared/knowledge-types';
import { launch, openWebview, opened, snapshot, snapshotMessage, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const AGENTS: CustomAgentInfo[] = [
  { name: 'Reviewer', description: 'Review changes without editing files', source: '.github/agents/reviewer.agent.md', scope: 'workspace', tools: ['find_files', 'list_dir', 'read_file', 'search_text'] },
  { name: 'web-researcher', description: 'Looks things up on the web', source: '.claude/agents/web-researcher.md', scope: 'workspace', tools: [], unknownTools: ['WebFetch', 'WebSearch'] },
];

async function openForm(w: WebviewPage, agents: CustomAgentInfo[]) {
  await w.push(snapshotMessage([snapshot('a', { title: 'Alpha' })], [opened(snapshot('a', { title: 'Alpha' }))], 'a'));
  await w.page.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
  await w.reply((await w.waitForRequest('agents.list')).id, { agents, problems: [] });
  await w.reply((await w.waitForRequest('worktrees.support')).id, { support: { available: false, reason: 'not a git repository' } });
  return w.page.getByRole('form', { name: 'New session' });
}

void describe('custom agents in the webview', () => {
  void test('the form offers Default and each agent; the chosen one is sent as `agent`', async () => {
    const w = await openWebview(browser);
    const form = await openForm(w, AGENTS);
    const picker = form.getByRole('combobox', { name: 'Agent' });
    await picker.waitFor();
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['Default', 'Reviewer — Review changes without editing files', 'web-researcher — Looks things up on the web']);
    assert.equal(await picker.inputValue(), '', 'Default first');
    await picker.selectOption('web-researcher');
    await form.getByText('not available here: WebFetch, WebSearch').waitFor();
    await form.getByRole('button', { name: 'Create session' }).click();
    const create = await w.waitForRequest('sessions.create');
    assert.equal((create.params as { agent?: string }).agent, 'web-researcher');
    await w.page.close();
  });

  void test('Default sends no agent; without agents there is no picker', async () => {
    const w = await openWebview(browser);
    const form = await openForm(w, []);
    await form.getByRole('button', { name: 'Create session' }).waitFor();
    assert.equal(await form.getByRole('combobox', { name: 'Agent' }).count(), 0);
    await form.getByRole('button', { name: 'Create session' }).click();
    const create = await w.waitForRequest('sessions.create');
    assert.equal('agent' in (create.params as object), false);
    await w.page.close();
  });

  void test('the session header shows the agent next to the model', async () => {
    const w = await openWebview(browser);
    const s = snapshot('a', { title: 'Alpha' });
    const withAgent = snapshot('a', { title: 'Alpha', config: { ...s.config, agent: { name: 'Reviewer', source: '.github/agents/reviewer.agent.md', prompt: 'Review.' } } });
    await w.push(snapshotMessage([withAgent], [opened(withAgent)], 'a'));
    const tag = w.page.locator('as-session-header .agent');
    await tag.waitFor();
    assert.equal((await tag.innerText()).trim(), 'Reviewer');
    assert.match(await tag.getAttribute('title') ?? '', /custom agent Reviewer \(\.github\/agents\/reviewer\.agent\.md\)/);
    await w.page.close();
  });
});

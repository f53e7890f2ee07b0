import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { McpOverview, SkillDiagnosticInfo, WebviewMessage, WorkspaceRulesInfo } from '../../src/shared/protocol';
import type { PendingApprovalInfo, SessionKnowledge } from '../../src/shared/session';
import { config, launch, openWebview, opened, snapshot, snapshotMessage, withState, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const knowledge: SessionKnowledge = {
  rules: [
    { id: 'agents:AGENTS.md', kind: 'agents', relativePath: 'AGENTS.md', scope: '', size: 2048, chars: 2048, truncated: false, enabled: true },
    { id: 'agents:src/AGENTS.md', kind: 'agents', relativePath: 'src/AGENTS.md', scope: 'src', size: 90_000, chars: 32_000, truncated: true, enabled: true },
  ],
  skills: [
    { name: 'review', description: 'Reviews a diff for bugs', source: 'workspace', path: '/ws/.agents/skills/review/SKILL.md', enabled: true, shadowed: false },
    { name: 'review', description: 'My own review', source: 'user', path: '/home/u/skills/review/SKILL.md', enabled: false, shadowed: true },
  ],
};
const diagnostics: SkillDiagnosticInfo[] = [
  { severity: 'warning', path: '/ws/.agents/skills/review/SKILL.md', message: 'description is very long' },
  { severity: 'error', path: '/ws/.claude/skills/broken/SKILL.md', message: 'front matter: missing "name"' },
];
const mcp: McpOverview = {
  servers: [
    { name: 'github', type: 'stdio', source: { kind: 'vscode-mcp-json', scope: 'workspace', path: '/ws/.vscode/mcp.json' }, sourceLabel: '.vscode/mcp.json',
      status: { state: 'connected', toolCount: 2 }, tools: ['mcp__github__issues', 'mcp__github__prs'] },
    { name: 'crashy', type: 'stdio', source: { kind: 'mcp-json', scope: 'workspace', path: '/ws/.mcp.json' }, sourceLabel: '.mcp.json',
      status: { state: 'failed', error: { code: 'network', message: 'process exited with code 1', retryable: true }, stderrTail: ['Error: cannot find module x', 'at boot'], attempts: 3 }, tools: [] },
    { name: 'newone', type: 'http', source: { kind: 'mcp-json', scope: 'workspace', path: '/ws/.mcp.json' }, sourceLabel: '.mcp.json',
      status: { state: 'blocked', reason: 'not_approved', message: 'You chose not to start it.' }, tools: [] },
  ],
  problems: [{ source: '.vscode/mcp.json', server: 'bad', message: 'missing "command"' }],
};

async function openSession(w: WebviewPage, state: Parameters<typeof withState>[1] = 'idle') {
  const a = withState(snapshot('a', { title: 'Alpha', config: { ...config, disabledMcpServers: ['crashy'] } }), state);
  await w.push(snapshotMessage([a], [opened(a, [{ kind: 'user', key: 'u1', text: 'fix the tests', seq: 9 }])], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
}

async function openContext(w: WebviewPage): Promise<void> {
  await w.page.getByRole('button', { name: 'Context', exact: true }).click();
  const kreq = await w.waitForRequest('knowledge.get');
  assert.deepEqual(kreq.params, { sessionId: 'a' });
  const mreq = await w.waitForRequest('mcp.list');
  await w.reply(kreq.id, { knowledge, diagnostics });
  await w.reply(mreq.id, mcp);
  await w.page.getByRole('list', { name: 'MCP servers' }).waitFor();
}

/** The last updateConfig request posted after `from` messages. */
async function nextConfig(w: WebviewPage, from: number): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    const m = (await w.posted()).slice(from).find((x) => x.kind === 'request' && x.method === 'sessions.updateConfig');
    if (m && m.kind === 'request') return m.params;
    await w.page.waitForTimeout(20);
  }
  throw new Error('no sessions.updateConfig posted');
}

void describe('Context panel', () => {
  void test('lists rules files, skills and MCP servers with their status, notes and diagnostics', async () => {
    const w = await openWebview(browser);
    await openSession(w);
    await openContext(w);
    const panel = w.page.locator('as-knowledge-panel');
    const rules = panel.getByRole('list', { name: 'Rules files' });
    assert.match(await rules.locator('[data-rule-id="agents:AGENTS.md"]').innerText(), /AGENTS\.md[\s\S]*2\.0 kB/);
    assert.match(await rules.locator('[data-rule-id="agents:src/AGENTS.md"]').innerText(), /applies to src\/[\s\S]*Truncated: only the first 32,000 characters/);
    const winner = panel.locator('[data-skill="review"][data-source="workspace"]');
    assert.match(await winner.innerText(), /Reviews a diff for bugs[\s\S]*description is very long/);
    const shadowed = panel.locator('[data-skill="review"][data-source="user"]');
    assert.match(await shadowed.innerText(), /Shadowed by the workspace skill of the same name \(\/ws\/\.agents\/skills\/review\/SKILL\.md\)/);
    assert.equal(await shadowed.getByRole('switch').count(), 0, 'a shadowed skill has no switch (it is never used)');
    assert.match(await panel.getByRole('list', { name: 'Skill problems' }).innerText(), /error: front matter: missing "name"/);
    assert.match(await panel.locator('[data-server="github"]').innerText(), /connected \(2 tools\)[\s\S]*\.vscode\/mcp\.json/);
    const crashy = panel.locator('[data-server="crashy"]');
    assert.match(await crashy.innerText(), /failed[\s\S]*process exited with code 1[\s\S]*cannot find module x/);
    assert.equal(await crashy.getByRole('switch').isChecked(), false, 'switched off for this session (disabledMcpServers)');
    const blocked = panel.locator('[data-server="newone"]');
    assert.match(await blocked.innerText(), /blocked: not allowed[\s\S]*You chose not to start it\./);
    assert.equal(await blocked.getByRole('button', { name: 'Allow MCP server newone' }).count(), 1);
    assert.match(await panel.getByRole('list', { name: 'MCP configuration problems' }).innerText(), /missing "command"/);
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  void test('each switch posts the right updateConfig patch; a global action posts mcp.action; pushes update status', async () => {
    const w = await openWebview(browser);
    await openSession(w);
    await openContext(w);
    const panel = w.page.locator('as-knowledge-panel');

    let from = (await w.posted()).length;
    await panel.getByRole('switch', { name: 'Use rules file src/AGENTS.md in this session' }).click();
    assert.deepEqual(await nextConfig(w, from), { sessionId: 'a', patch: { disabledRuleIds: ['agents:src/AGENTS.md'] } });

    from = (await w.posted()).length;
    await panel.getByRole('switch', { name: 'Use skill review in this session' }).press('Space'); // keyboard works too
    assert.deepEqual(await nextConfig(w, from), { sessionId: 'a', patch: { skillOverrides: { review: false } } });

    from = (await w.posted()).length;
    await panel.getByRole('switch', { name: 'Use MCP server crashy in this session' }).click();
    assert.deepEqual(await nextConfig(w, from), { sessionId: 'a', patch: { disabledMcpServers: [] } }, 'switching it back on removes it from the list');

    await panel.getByRole('button', { name: 'Restart MCP server crashy' }).click();
    const action = await w.waitForRequest('mcp.action');
    assert.deepEqual(action.params, { name: 'crashy', action: 'restart' });
    await w.reply(action.id, {});

    await w.push({ kind: 'mcp', servers: [{ ...mcp.servers[1]!, status: { state: 'starting', attempt: 1 } }], problems: [] });
    await panel.locator('[data-server="crashy"] .status', { hasText: 'starting' }).waitFor();
    assert.equal(await panel.locator('[data-server="github"]').count(), 0, 'the pushed overview replaces the list');
    // The config change folds in: the rule switch shows off.
    await w.push({ kind: 'event', event: { type: 'session.config_changed', patch: { disabledRuleIds: ['agents:src/AGENTS.md'] }, seq: 11, ts: 1, sessionId: 'a' } });
    await panel.locator('[data-rule-id="agents:src/AGENTS.md"].off').waitFor();
    assert.equal(await panel.getByRole('switch', { name: 'Use rules file src/AGENTS.md in this session' }).isChecked(), false);
    await w.page.close();
  });
});

/** The first request for `method` posted after `from` messages. */
async function nextRequest(w: WebviewPage, method: string, from: number): Promise<Extract<WebviewMessage, { kind: 'request' }>> {
  for (let i = 0; i < 100; i++) {
    const m = (await w.posted()).slice(from).find((x) => x.kind === 'request' && x.method === method);
    if (m && m.kind === 'request') return m;
    await w.page.waitForTimeout(20);
  }
  throw new Error(`no ${method} posted`);
}

const HASH = 'a'.repeat(64);
const pendingRules: WorkspaceRulesInfo = {
  suggested: ['run_command(*)', 'network'], hash: HASH, state: 'pending',
  restricting: [{ action: 'deny', pattern: 'run_command(rm:*)' }],
  saved: [{ action: 'allow', pattern: 'run_command(npm test:*)' }],
  workspaceTrusted: true,
};

void describe('Context panel: workspace permission rules', () => {
  void test('allow rules from workspace settings wait for the user: Allow these rules / Ignore, then the confirmed state; a host change re-reads them', async () => {
    const w = await openWebview(browser);
    await openSession(w);
    await openContext(w);
    const req = await w.waitForRequest('workspaceRules.get');
    await w.reply(req.id, pendingRules);
    const section = w.page.locator('as-knowledge-panel').getByRole('region', { name: 'Workspace permission rules' });
    await section.waitFor();
    const text = await section.innerText();
    assert.match(text, /run_command\(\*\)[\s\S]*network/);
    assert.match(text, /allow nothing until you allow them/);
    assert.match(text, /deny run_command\(rm:\*\)/, 'the restricting rules are listed as applying');
    assert.match(text, /run_command\(npm test:\*\)/, 'rules saved with "always allow" for this workspace');

    let from = (await w.posted()).length;
    await section.getByRole('button', { name: 'Allow these rules' }).click();
    const decide = await nextRequest(w, 'workspaceRules.decide', from);
    assert.deepEqual(decide.params, { hash: HASH, decision: 'allow' });
    await w.reply(decide.id, { ...pendingRules, state: 'allowed' });
    await section.getByText('Allowed by you').waitFor();
    assert.equal(await section.getByRole('button', { name: 'Allow these rules' }).count(), 0);

    from = (await w.posted()).length;
    await section.getByRole('button', { name: 'Stop allowing' }).click();
    const stop = await nextRequest(w, 'workspaceRules.decide', from);
    assert.deepEqual(stop.params, { hash: HASH, decision: 'ignore' });
    await w.reply(stop.id, { ...pendingRules, state: 'ignored' });
    await section.getByText('Ignored').waitFor();

    from = (await w.posted()).length;
    await section.getByRole('button', { name: 'Remove saved rule allow run_command(npm test:*)' }).click();
    const forget = await nextRequest(w, 'workspaceRules.forget', from);
    assert.deepEqual(forget.params, { action: 'allow', pattern: 'run_command(npm test:*)' });
    await w.reply(forget.id, { ...pendingRules, state: 'ignored', saved: [] });
    await section.getByText('run_command(npm test:*)').waitFor({ state: 'detached' });

    // Settings changed on the host (a pull brought a new list): the panel asks again.
    from = (await w.posted()).length;
    await w.push({ kind: 'host', host: { protocolVersion: 1, workspaceTrusted: true, notices: [] } });
    const again = await nextRequest(w, 'workspaceRules.get', from);
    await w.reply(again.id, { ...pendingRules, suggested: ['edit_file(**)'], hash: 'b'.repeat(64) });
    await section.getByText('edit_file(**)').waitFor();
    from = (await w.posted()).length;
    await section.getByRole('button', { name: 'Ignore' }).click();
    assert.deepEqual((await nextRequest(w, 'workspaceRules.decide', from)).params, { hash: 'b'.repeat(64), decision: 'ignore' });
    await w.page.close();
  });

  void test('Restricted Mode: the panel says workspace rules and rules files are off', async () => {
    const w = await openWebview(browser);
    await openSession(w);
    await openContext(w);
    const req = await w.waitForRequest('workspaceRules.get');
    await w.reply(req.id, { suggested: [], hash: '', state: 'none', restricting: [], saved: [], workspaceTrusted: false } satisfies WorkspaceRulesInfo);
    const section = w.page.locator('as-knowledge-panel').getByRole('region', { name: 'Workspace permission rules' });
    assert.match(await section.innerText(), /Restricted Mode[\s\S]*rules files/);
    await w.page.close();
  });

  void test('nothing to show: no section', async () => {
    const w = await openWebview(browser);
    await openSession(w);
    await openContext(w);
    const req = await w.waitForRequest('workspaceRules.get');
    await w.reply(req.id, { suggested: [], hash: '', state: 'none', restricting: [], saved: [], workspaceTrusted: true } satisfies WorkspaceRulesInfo);
    await w.page.waitForTimeout(50);
    assert.equal(await w.page.locator('as-knowledge-panel').getByRole('region', { name: 'Workspace permission rules' }).count(), 0);
    await w.page.close();
  });
});

void describe('side question (btw)', () => {
  void test('asks sessions.ask while the session runs and shows the answer in the side panel, not the transcript', async () => {
    const w = await openWebview(browser);
    await openSession(w, 'running');
    const transcript = w.page.getByRole('log', { name: 'Transcript' });
    const rowsBefore = await transcript.locator('.row').count();
    assert.ok(rowsBefore >= 1);
    await w.page.getByRole('button', { name: 'Side question (btw)' }).click();
    const input = w.page.getByRole('textbox', { name: 'Side question (not added to the session)' });
    await input.fill('What is it doing right now?');
    await input.press('Enter');
    const ask = await w.waitForRequest('sessions.ask');
    assert.deepEqual(ask.params, { sessionId: 'a', question: 'What is it doing right now?' });
    await w.page.getByText('Thinking about “What is it doing right now?”…').waitFor();
    await w.reply(ask.id, { answer: 'It is running npm test after editing src/app.ts.' });
    const answer = w.page.locator('[data-side-answer]');
    await answer.waitFor();
    assert.equal(await answer.innerText(), 'It is running npm test after editing src/app.ts.');
    assert.equal(await transcript.locator('.row').count(), rowsBefore, 'no transcript row was added');
    assert.doesNotMatch(await transcript.innerText(), /npm test after editing/);
    assert.equal((await w.posted()).filter((m) => m.kind === 'request' && m.method === 'sessions.send').length, 0);
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  void test('an empty question is refused with a clear message and nothing is sent', async () => {
    const w = await openWebview(browser);
    await openSession(w);
    await w.page.getByRole('button', { name: 'Side question (btw)' }).click();
    const input = w.page.getByRole('textbox', { name: 'Side question (not added to the session)' });
    await input.fill('   ');
    await w.page.getByRole('button', { name: 'Ask', exact: true }).click();
    await w.page.getByText('The side question is empty. Type a question about this session.').waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await w.page.waitForTimeout(100);
    assert.equal((await w.posted()).filter((m) => m.kind === 'request' && m.method === 'sessions.ask').length, 0);
    // A host-side refusal shows its message the same way.
    await input.fill('why?');
    await input.press('Enter');
    const ask = await w.waitForRequest('sessions.ask');
    await w.page.evaluate((id) => { (window as unknown as { __push(m: unknown): void }).__push({ kind: 'reply', id, ok: false, error: { code: 'auth', message: 'No API key for OpenAI.', retryable: false } }); }, ask.id);
    await w.page.locator('[data-side-error]', { hasText: 'No API key for OpenAI.' }).waitFor();
    await w.page.close();
  });
});

void describe('child sessions', () => {
  const parent = snapshot('p', { title: 'Parent' });
  const approval: PendingApprovalInfo = {
    id: 'ap1', sessionId: 'k', callId: 'c1', toolName: 'run_command', summary: 'npm test', args: { command: 'npm test' },
    reason: 'mode ask: commands ask', requestedAt: 5, label: 'child “Tests” of “Parent”',
  };
  const child = withState(snapshot('k', { title: 'Tests', parentId: 'p', pendingApprovals: [approval] }), 'awaiting_approval');
  const other = snapshot('o', { title: 'Other' });

  void test('child tabs nest under their parent and are described as its child; the child approval card carries its label', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([parent, other, child], [opened(child)], 'k'));
    const tab = w.page.getByRole('tab', { name: /^Tests/ });
    await tab.waitFor();
    assert.deepEqual(await w.page.getByRole('tab').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sessionId)), ['p', 'k', 'o']);
    assert.match((await tab.getAttribute('class')) ?? '', /child depth-1|depth-1 child/);
    const description = await tab.evaluate((el) => {
      const id = el.getAttribute('aria-describedby');
      return id ? el.querySelector(`#${CSS.escape(id)}`)?.textContent ?? '' : '';
    });
    assert.equal(description, 'child of Parent');
    assert.equal(await w.page.getByRole('tab', { name: /^Parent/ }).getAttribute('aria-describedby'), null);
    const card = w.page.getByRole('group', { name: 'Approval needed: run_command' });
    assert.match(await card.innerText(), /child “Tests” of “Parent”: Allow run_command\?/);
    await w.page.close();
  });

  void test('deleting a parent asks what to do with its children; a session without children just confirms', async () => {
    const w = await openWebview(browser);
    await w.push(snapshotMessage([parent, other, child], [opened(parent)], 'p'));
    await w.page.getByRole('button', { name: 'Delete session' }).click();
    const dialog = w.page.getByRole('alertdialog', { name: 'Confirm delete' });
    assert.match(await dialog.innerText(), /It has 1 child session/);
    await dialog.getByRole('button', { name: 'Keep children' }).click();
    const del = await w.waitForRequest('sessions.delete');
    assert.deepEqual(del.params, { sessionId: 'p', children: 'keep' });
    await w.reply(del.id, {});

    await w.page.getByRole('button', { name: 'Delete session' }).click();
    await dialog.getByRole('button', { name: 'Delete children too' }).click();
    await w.waitForPosted((m): m is Extract<typeof m, { kind: 'request' }> => m.kind === 'request' && m.method === 'sessions.delete' && (m.params as { children?: string }).children === 'delete');

    await w.page.getByRole('tab', { name: /^Other/ }).click();
    const open = await w.waitForRequest('sessions.open');
    await w.reply(open.id, opened(other));
    await w.page.getByRole('toolbar', { name: 'Session Other' }).waitFor();
    await w.page.getByRole('button', { name: 'Delete session' }).click();
    assert.equal(await dialog.getByRole('button', { name: 'Keep children' }).count(), 0);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await w.waitForPosted((m): m is Extract<typeof m, { kind: 'request' }> => m.kind === 'request' && m.method === 'sessions.delete' && (m.params as { sessionId: string }).sessionId === 'o');
    const last = (await w.posted()).filter((m) => m.kind === 'request' && m.method === 'sessions.delete').at(-1);
    assert.deepEqual(last?.kind === 'request' && last.params, { sessionId: 'o' });
    await w.page.close();
  });
});

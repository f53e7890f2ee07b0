import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { APPROVALS_KEY, McpStartApprovals } from '../../../../src/vscode/knowledge/mcp-approval';
import { PromptingMcpInputResolver } from '../../../../src/vscode/knowledge/mcp-inputs';
import { SecretRegistry, redact } from '../../../../src/vscode/logger';
import { FakeMemento, FakeSecretStorage, statusOf, tempWorkspace, until } from './fakes';
import { mcpJson, setup } from './setup';

async function startAll(s: ReturnType<typeof setup>): Promise<void> {
  const started = s.knowledge.start();
  await started.skills;
  await started.mcp;
}

void describe('MCP start approval (modal dialog, remembered in workspaceState)', () => {
  void test('asks once per workspace server, remembers across windows, asks again when the arguments change', async () => {
    const root = tempWorkspace({ '.mcp.json': mcpJson() });
    const memento = new FakeMemento();
    const first = setup(root, { memento });
    await startAll(first);
    assert.equal(first.asked.length, 1);
    assert.match(first.asked[0]!, /^Start MCP server "srv" from \.mcp\.json\? It runs: /);
    assert.equal(statusOf(first.knowledge.mcp, 'srv'), 'connected');
    await first.knowledge.shutdown();

    // Next window, same workspaceState: no dialog.
    const second = setup(root, { memento });
    await startAll(second);
    assert.equal(second.asked.length, 0);
    assert.equal(statusOf(second.knowledge.mcp, 'srv'), 'connected');

    // The config file changes what would run: asked again, with the new arguments shown.
    writeFileSync(join(root, '.mcp.json'), mcpJson(['--stderr=changed']));
    second.watchers.fire('change', join(root, '.mcp.json'));
    await until(second.knowledge.onDidChange, () => second.asked.length === 1 && statusOf(second.knowledge.mcp, 'srv') === 'connected', 'restart after re-approval');
    assert.match(second.asked[0]!, /--stderr=changed/);
    const stored = memento.get<Record<string, boolean>>(APPROVALS_KEY)!;
    assert.equal(Object.values(stored).filter((v) => v).length, 2, 'both configurations remembered as allowed');
    await second.knowledge.shutdown();
  });

  void test('"Don\'t allow" is remembered and blocks; dismissing only holds for this window; forget() asks again', async () => {
    const root = tempWorkspace({ '.mcp.json': mcpJson() });
    const memento = new FakeMemento();
    const denied = setup(root, { memento, answer: "Don't allow" });
    await startAll(denied);
    const st = denied.knowledge.mcp.status('srv');
    assert.ok(st?.state === 'blocked' && st.reason === 'not_approved');
    assert.deepEqual(Object.values(memento.get<Record<string, boolean>>(APPROVALS_KEY)!), [false]);
    // "Allow and start" from Show MCP Servers: forget, restart → asked again.
    await denied.approvals.forget('srv');
    assert.deepEqual(memento.get<Record<string, boolean>>(APPROVALS_KEY), {});
    await denied.knowledge.mcp.restart('srv');
    assert.equal(denied.asked.length, 2);
    await denied.knowledge.shutdown();

    const fresh = new FakeMemento();
    const dismissed = setup(root, { memento: fresh, answer: undefined });
    await startAll(dismissed);
    assert.equal(statusOf(dismissed.knowledge.mcp, 'srv'), 'blocked');
    assert.equal(fresh.get(APPROVALS_KEY), undefined, 'a dismissed dialog is not persisted');
    await dismissed.knowledge.mcp.restart('srv');
    assert.equal(dismissed.asked.length, 1, 'but it holds for this window');
    await dismissed.knowledge.shutdown();
  });

  void test('user-settings servers start without a dialog', async () => {
    const s = setup(tempWorkspace(), { settings: { globalValue: JSON.parse(mcpJson()).mcpServers } });
    await startAll(s);
    assert.equal(statusOf(s.knowledge.mcp, 'srv'), 'connected');
    assert.equal(s.asked.length, 0);
    await s.knowledge.shutdown();
  });

  void test('the dialog item answers map to booleans, unrelated keys are kept', async () => {
    const memento = new FakeMemento();
    await memento.update(APPROVALS_KEY, { 'mcp-approval:other:abc': true });
    const a = new McpStartApprovals(async () => 'Allow', memento, '/ws');
    assert.equal(await a.confirmStart({ name: 'x', source: { kind: 'mcp-json', scope: 'workspace', path: '/ws/.mcp.json' }, summary: 'node s.js' }), true);
    await a.set('mcp-approval:x:123', true);
    await a.forget('x');
    assert.deepEqual(memento.get(APPROVALS_KEY), { 'mcp-approval:other:abc': true });
  });
});

void describe('MCP ${input:…} values', () => {
  function resolver(answers: Array<string | undefined>) {
    const secrets = new FakeSecretStorage();
    const memento = new FakeMemento();
    const redactor = new SecretRegistry();
    const prompts: Array<{ password: boolean; title: string }> = [];
    const r = new PromptingMcpInputResolver({
      showInputBox: async (o) => { prompts.push({ password: o.password, title: o.title }); await new Promise((res) => setTimeout(res, 10)); return answers.shift(); },
      secrets, memento, redactor, workspaceRoot: '/ws/a',
    });
    return { r, secrets, memento, redactor, prompts };
  }

  void test('password inputs go to SecretStorage (workspace-scoped key) and the log redactor; asked once even for two servers', async () => {
    const { r, secrets, memento, redactor, prompts } = resolver(['tok-SECRET-123']);
    const def = { id: 'token', type: 'promptString', password: true };
    const [a, b] = await Promise.all([r.resolve('gh', def, 'token'), r.resolve('gh2', def, 'token')]);
    assert.equal(a, 'tok-SECRET-123');
    assert.equal(b, 'tok-SECRET-123');
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0]!.password, true);
    assert.equal(secrets.data.get(r.keyFor('token')), 'tok-SECRET-123');
    assert.equal(memento.data.size, 0, 'never in workspaceState');
    assert.equal(redact('env GH=tok-SECRET-123', redactor), 'env GH=[redacted]');
    assert.equal(await r.resolve('gh', def, 'token'), 'tok-SECRET-123');
    assert.equal(prompts.length, 1, 'stored: not asked again');
    const other = new PromptingMcpInputResolver({ showInputBox: async () => undefined, secrets, memento, redactor, workspaceRoot: '/ws/b' });
    assert.notEqual(other.keyFor('token'), r.keyFor('token'), 'another workspace cannot read it');
  });

  void test('plain inputs are remembered in workspaceState; a cancelled prompt stores nothing', async () => {
    const { r, secrets, memento, prompts } = resolver([undefined, 'eu-west']);
    const def = { id: 'region', type: 'promptString', default: 'us' };
    assert.equal(await r.resolve('s', def, 'region'), undefined);
    assert.equal(memento.data.size, 0);
    assert.equal(await r.resolve('s', def, 'region'), 'eu-west');
    assert.equal(memento.get(r.keyFor('region')), 'eu-west');
    assert.equal(secrets.data.size, 0);
    assert.equal(prompts.length, 2);
  });
});

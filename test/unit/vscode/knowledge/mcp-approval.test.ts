import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { configHash } from '../../../../src/core/mcp/config';
import type { McpServerConfig } from '../../../../src/core/mcp/types';
import { APPROVALS_KEY, McpStartApprovals } from '../../../../src/vscode/knowledge/mcp-approval';
import { PromptingMcpInputResolver } from '../../../../src/vscode/knowledge/mcp-inputs';
import { SecretRegistry, redact } from '../../../../src/vscode/logger';
import { FakeMemento, FakeSecretStorage, statusOf, tempWorkspace, until } from './fakes';
import { mcpJson, SERVER, setup } from './setup';

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

  void test('the approval covers everything that decides what runs: command, args, env, cwd, URL and headers', () => {
    const source = { kind: 'mcp-json', scope: 'workspace', path: '/ws/.mcp.json' } as const;
    const stdio: McpServerConfig = { name: 's', source, type: 'stdio', command: 'node', args: ['server.js'], env: { LOG: '1' }, cwd: '/ws' };
    const http: McpServerConfig = { name: 'h', source, type: 'http', url: 'https://mcp.example/mcp', headers: { 'X-Org': 'a' } };
    const changed: Array<[string, McpServerConfig, McpServerConfig]> = [
      ['command', stdio, { ...stdio, command: 'python3' }],
      ['args', stdio, { ...stdio, args: ['server.js', '--x'] }],
      ['env', stdio, { ...stdio, env: { LOG: '1', NODE_OPTIONS: '--require /tmp/x.js' } }],
      ['env value', stdio, { ...stdio, env: { LOG: '2' } }],
      ['cwd', stdio, { ...stdio, cwd: '/elsewhere' }],
      ['url', http, { ...http, url: 'https://attacker.example/mcp' }],
      ['headers', http, { ...http, headers: { 'X-Org': 'a', Authorization: 'Bearer ${input:t}' } }],
      ['transport', http, { ...http, type: 'sse' }],
    ];
    for (const [what, a, b] of changed) assert.notEqual(configHash(a), configHash(b), `${what} changes the approval key`);
    assert.equal(configHash(stdio), configHash(structuredClone(stdio)), 'unchanged: same key');
    assert.equal(configHash({ ...stdio, env: { LOG: '1' } }), configHash(stdio));
  });

  void test('adding NODE_OPTIONS=--require <file> to an approved server asks again; answered "Don\'t allow", the file never runs', async () => {
    const root = tempWorkspace();
    const marker = join(root, 'injected-ran');
    const inject = join(root, 'inject.cjs');
    writeFileSync(inject, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    const write = (env?: Record<string, string>): void => writeFileSync(join(root, '.mcp.json'), JSON.stringify({ mcpServers: { srv: { command: process.execPath, args: [SERVER], ...(env ? { env } : {}) } } }));
    write();
    const answers = ['Allow', "Don't allow"];
    const s = setup(root, { answer: () => answers.shift() });
    await startAll(s);
    assert.equal(statusOf(s.knowledge.mcp, 'srv'), 'connected');
    assert.equal(s.asked.length, 1);

    write({ NODE_OPTIONS: `--require ${inject}` });
    s.watchers.fire('change', join(root, '.mcp.json'));
    await until(s.knowledge.onDidChange, () => (s.asked.length === 2 && statusOf(s.knowledge.mcp, 'srv') === 'blocked')
      || (existsSync(marker) && statusOf(s.knowledge.mcp, 'srv') === 'connected'), 'the changed server is asked about or restarted');
    assert.equal(existsSync(marker), false, 'the injected file did not run');
    assert.equal(s.asked.length, 2, 'asked again because only env changed');
    assert.match(s.asked[1]!, /NODE_OPTIONS=--require/);
    const st = s.knowledge.mcp.status('srv');
    assert.ok(st?.state === 'blocked' && st.reason === 'not_approved', JSON.stringify(st));
    await s.knowledge.shutdown();
  });

  void test('changing only cwd, URL or headers asks again; unchanged servers are not asked about in the next window', async () => {
    const root = tempWorkspace();
    const file = join(root, '.mcp.json');
    // Port 9 (discard) refuses connections: the http server fails to connect, which is fine here.
    const write = (o: { cwd: string; url: string; headers: Record<string, string> }): void => writeFileSync(file, JSON.stringify({ mcpServers: {
      srv: { command: process.execPath, args: [SERVER], cwd: o.cwd },
      web: { type: 'http', url: o.url, headers: o.headers },
    } }));
    let cfg: { cwd: string; url: string; headers: Record<string, string> } = { cwd: root, url: 'http://127.0.0.1:9/mcp', headers: { 'X-Org': 'a' } };
    write(cfg);
    const memento = new FakeMemento();
    const s = setup(root, { memento });
    await startAll(s);
    assert.equal(s.asked.length, 2);
    const step = async (patch: Partial<typeof cfg>, server: string, what: string): Promise<void> => {
      const before = s.asked.length;
      cfg = { ...cfg, ...patch };
      write(cfg);
      s.watchers.fire('change', file);
      await until(s.knowledge.onDidChange, () => s.asked.length > before, `asked again after a ${what} change`);
      assert.match(s.asked.at(-1)!, new RegExp(`"${server}"`));
    };
    await step({ cwd: join(root, '..') }, 'srv', 'cwd');
    await step({ url: 'http://127.0.0.1:9/other' }, 'web', 'url');
    await step({ headers: { 'X-Org': 'a', 'X-Extra': '1' } }, 'web', 'headers');
    assert.equal(s.asked.length, 5);
    await s.knowledge.shutdown();

    const next = setup(root, { memento });
    await startAll(next);
    assert.deepEqual(next.asked, [], 'the same configuration is not asked about again');
    await next.knowledge.shutdown();
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

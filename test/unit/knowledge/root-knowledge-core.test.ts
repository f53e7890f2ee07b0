/** The core pieces a worktree's knowledge needs: which servers depend on the folder, shared approvals. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dependsOnWorkspaceFolder, parseServerEntry } from '../../../src/core/mcp/config';
import { McpManager } from '../../../src/core/mcp/manager';
import { MemoryApprovalStore, type McpConfigSource, type McpServerConfig } from '../../../src/core/mcp/types';
import { nullLogger } from '../../../src/core/ports';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { waitGone, waitStatus } from '../mcp/helpers';

const WHERE = join(import.meta.dirname, 'servers', 'where-server.mjs');
const source: McpConfigSource = { kind: 'mcp-json', scope: 'workspace', path: '/ws/.mcp.json' };

function entry(raw: unknown): McpServerConfig {
  const c = parseServerEntry('s', raw, source);
  assert.ok(typeof c !== 'string', String(c));
  return c;
}

void describe('dependsOnWorkspaceFolder', () => {
  void test('a folder variable anywhere in command, args, env or cwd, or in an HTTP URL or header, makes a server depend on the folder', () => {
    for (const raw of [
      { command: '${workspaceFolder}/bin/srv' },
      { command: 'node', args: ['--root', '${workspaceFolder}'] },
      { command: 'node', args: ['--name=${workspaceFolderBasename}'] },
      { command: 'node', args: ['${workspaceRoot}/x.js'] },
      { command: 'node', env: { ROOT: '${workspaceFolder}' } },
      { command: 'node', cwd: '${workspaceFolder}/tools' },
      { url: 'http://localhost:1/${workspaceFolderBasename}' },
      { url: 'http://localhost:1/', headers: { 'X-Root': '${workspaceFolder}' } },
    ]) assert.equal(dependsOnWorkspaceFolder(entry(raw)), true, JSON.stringify(raw));
  });

  void test('a relative cwd depends on the folder; an absolute one (also through ${userHome} or ${env:X}) does not', () => {
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: '.' })), true);
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: 'tools/mcp' })), true);
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: '/opt/mcp' })), false);
    assert.ok(homedir().startsWith('/'));
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: '${userHome}/mcp' })), false);
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: '${env:MCP_HOME}/x' }), { MCP_HOME: '/srv' }), false);
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: '${env:MCP_DIR}' }), { MCP_DIR: 'tools' }), true, 'relative once resolved: taken from the folder');
    assert.equal(dependsOnWorkspaceFolder(entry({ command: 'node', cwd: '${env:MCP_DIR}' }), {}), true, 'unset: empty, the folder itself');
  });

  void test('servers without folder variables or cwd run wherever the host runs: they do not depend on the folder', () => {
    for (const raw of [
      { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { HOME: '${userHome}', TOKEN: '${input:token}' } },
      { url: 'https://mcp.example.com/sse', headers: { Authorization: 'Bearer ${input:token}' } },
      { command: 'node', args: ['${workspaceFolderX}'] },
    ]) assert.equal(dependsOnWorkspaceFolder(entry(raw)), false, JSON.stringify(raw));
  });
});

void describe('McpManager: approvals shared between managers', () => {
  const server = (path: string): McpServerConfig => ({ name: 'srv', type: 'stdio', command: process.execPath, args: [WHERE], env: {}, cwd: '.', source: { kind: 'mcp-json', scope: 'workspace', path } });

  void test('approvalSource maps a worktree\'s file to the workspace\'s: the workspace\'s answer holds; an unmapped manager asks again', async () => {
    const store = new MemoryApprovalStore();
    const asked: string[] = [];
    const approval = { confirmStart: async (r: { source: McpConfigSource }) => { asked.push(r.source.path ?? ''); return true; } };
    const common = { trust: staticTrust(true), approval, approvalStore: store, logger: nullLogger };
    const ws = new McpManager({ ...common, workspaceRoot: '/tmp' });
    const mapped = new McpManager({ ...common, workspaceRoot: '/tmp', approvalSource: (s) => ({ ...s, path: '/ws/.mcp.json' }) });
    const unmapped = new McpManager({ ...common, workspaceRoot: '/tmp' });
    try {
      await ws.add(server('/ws/.mcp.json'));
      assert.deepEqual(asked, ['/ws/.mcp.json']);
      await mapped.add(server('/wt/.mcp.json'));
      assert.equal(mapped.status('srv')?.state, 'connected');
      assert.deepEqual(asked, ['/ws/.mcp.json'], 'no second dialog for the same server in a worktree');
      await unmapped.add(server('/wt/.mcp.json'));
      assert.deepEqual(asked, ['/ws/.mcp.json', '/wt/.mcp.json'], 'the dialog shows the real file');
      // A "Don't allow" holds through the mapping too.
      await store.set([...store.values.keys()][0]!, false);
      await mapped.restart('srv');
      const st = mapped.status('srv');
      assert.ok(st?.state === 'blocked' && st.reason === 'not_approved', JSON.stringify(st));
    } finally {
      await Promise.all([ws.shutdown(), mapped.shutdown(), unmapped.shutdown()]);
    }
  });

  void test('managers sharing approvalsInFlight show one dialog for a server both start at once', async () => {
    const store = new MemoryApprovalStore();
    let calls = 0;
    let answer!: (ok: boolean) => void;
    const decided = new Promise<boolean>((r) => { answer = r; });
    const approval = { confirmStart: async () => { calls++; return decided; } };
    const approvalsInFlight = new Map<string, Promise<boolean>>();
    const common = { trust: staticTrust(true), approval, approvalStore: store, logger: nullLogger, approvalsInFlight, workspaceRoot: '/tmp' };
    const a = new McpManager(common);
    const b = new McpManager(common);
    try {
      const started = [a.add(server('/ws/.mcp.json')), b.add(server('/ws/.mcp.json'))];
      await new Promise((r) => setTimeout(r, 50));
      answer(true);
      await Promise.all(started);
      assert.equal(calls, 1);
      assert.equal(a.status('srv')?.state, 'connected');
      assert.equal(b.status('srv')?.state, 'connected');
    } finally {
      await Promise.all([a.shutdown(), b.shutdown()]);
    }
  });

  void test('a disposed manager starts nothing, even when a start was waiting for its dialog', async () => {
    let answer!: (ok: boolean) => void;
    const decided = new Promise<boolean>((r) => { answer = r; });
    const m = new McpManager({ trust: staticTrust(true), approval: { confirmStart: () => decided }, approvalStore: new MemoryApprovalStore(), logger: nullLogger, workspaceRoot: '/tmp' });
    const started = m.add(server('/ws/.mcp.json'));
    await new Promise((r) => setTimeout(r, 20));
    m.dispose();
    answer(true);
    await started;
    assert.equal(m.pid('srv'), undefined);
    assert.notEqual(m.status('srv')?.state, 'connected');
    await m.add(server('/ws/.mcp.json'));
    assert.equal(m.pid('srv'), undefined, 'nothing starts after dispose');
  });

  void test('config(name) returns the server as configured (unresolved)', async () => {
    const m = new McpManager({ trust: staticTrust(true), approval: { confirmStart: async () => true }, approvalStore: new MemoryApprovalStore(), logger: nullLogger, workspaceRoot: '/tmp' });
    try {
      await m.add(server('/ws/.mcp.json'));
      await waitStatus(m, 'srv', (s) => s.state === 'connected');
      const c = m.config('srv');
      assert.equal(c?.type === 'stdio' ? c.cwd : undefined, '.');
      assert.equal(m.config('nope'), undefined);
      const pid = m.pid('srv')!;
      await m.shutdown();
      assert.ok(await waitGone(pid));
    } finally {
      await m.shutdown();
    }
  });
});

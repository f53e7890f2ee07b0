import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/base/emitter';
import { nullLogger } from '../../../src/core/ports';
import type { McpServerInfo as CoreMcpServerInfo } from '../../../src/core/mcp/types';
import { LazyKnowledgePort, type KnowledgeParts } from '../../../src/vscode/webview/knowledge-port';

function fakeParts() {
  const changed = new Emitter<void>();
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const servers: CoreMcpServerInfo[] = [
    { name: 'github', type: 'stdio', source: { kind: 'vscode-mcp-json', scope: 'workspace', path: '/ws/.vscode/mcp.json' }, status: { state: 'blocked', reason: 'not_approved', message: 'Not allowed' }, tools: [] },
    { name: 'remote', type: 'http', source: { kind: 'settings', scope: 'user' }, status: { state: 'connected', toolCount: 1 }, tools: ['mcp__remote__x'] },
    { name: 'outside', type: 'stdio', source: { kind: 'mcp-json', scope: 'workspace', path: '/elsewhere/.mcp.json' }, status: { state: 'disabled' }, tools: [] },
  ];
  const parts: KnowledgeParts = {
    knowledge: {
      onDidChange: changed.event,
      mcp: {
        list: () => servers,
        // A restart may wait on a modal dialog: it only settles when the test says so.
        restart: (n) => { calls.push(`restart:${n}`); return new Promise<void>((r) => { release = r; }); },
        enable: async (n) => { calls.push(`enable:${n}`); },
        disable: async (n) => { calls.push(`disable:${n}`); },
      },
      skills: { diagnostics: () => [{ severity: 'warning', code: 'duplicate', path: '/ws/.claude/skills/a/SKILL.md', message: 'shadowed by .agents/skills/a' }] as never },
      configDiagnostics: () => [{ path: '/ws/.mcp.json', server: 'bad', message: 'missing "command"' }, { path: 'settings', message: 'bad url' }],
    },
    approvals: { forget: async (n) => { calls.push(`forget:${n}`); } },
  };
  return { parts, changed, calls, release: () => release() };
}

void describe('LazyKnowledgePort', () => {
  void test('loads on first use only, then forwards change events', async () => {
    const f = fakeParts();
    let loads = 0;
    const port = new LazyKnowledgePort({ load: async () => { loads++; return f.parts; }, logger: nullLogger, workspaceRoot: '/ws' });
    let fired = 0;
    port.onDidChange(() => fired++);
    f.changed.fire();
    assert.equal(loads, 0);
    assert.equal(fired, 0, 'not bound before first use');
    await port.mcpOverview();
    await port.skillDiagnostics();
    assert.equal(loads, 1);
    f.changed.fire();
    assert.equal(fired, 1);
    port.dispose();
    f.changed.fire();
    assert.equal(fired, 1, 'unbound on dispose');
  });

  void test('overview: workspace-relative source labels, settings labels, problems', async () => {
    const f = fakeParts();
    const port = new LazyKnowledgePort({ load: async () => f.parts, logger: nullLogger, workspaceRoot: '/ws' });
    const o = await port.mcpOverview();
    assert.deepEqual(o.servers.map((s) => [s.name, s.sourceLabel, s.status.state]), [
      ['github', '.vscode/mcp.json', 'blocked'], ['remote', 'user settings', 'connected'], ['outside', '/elsewhere/.mcp.json', 'disabled'],
    ]);
    assert.deepEqual(o.problems, [{ source: '.mcp.json', server: 'bad', message: 'missing "command"' }, { source: 'settings', message: 'bad url' }]);
    assert.deepEqual(await port.skillDiagnostics(), [{ severity: 'warning', path: '/ws/.claude/skills/a/SKILL.md', message: 'shadowed by .agents/skills/a' }]);
  });

  void test('actions: unknown name refused at once; a restart that waits does not hold the reply; allow forgets then restarts', async () => {
    const f = fakeParts();
    const port = new LazyKnowledgePort({ load: async () => f.parts, logger: nullLogger });
    await assert.rejects(port.mcpAction('nope', 'restart'), (e: { code?: string }) => e.code === 'not_found');
    await port.mcpAction('github', 'restart'); // resolves although restart() is still pending
    assert.deepEqual(f.calls, ['restart:github']);
    f.release();
    await port.mcpAction('github', 'allow');
    await new Promise((r) => setImmediate(r));
    await port.mcpAction('remote', 'disable');
    await port.mcpAction('outside', 'enable');
    assert.deepEqual(f.calls, ['restart:github', 'forget:github', 'restart:github', 'disable:remote', 'enable:outside']);
  });

  void test('no knowledge (no manager parts): empty overview; a failed load is retried', async () => {
    let attempt = 0;
    const port = new LazyKnowledgePort({ load: async () => { if (attempt++ === 0) throw new Error('storage broken'); return undefined; }, logger: nullLogger });
    await assert.rejects(port.mcpOverview(), /storage broken/);
    assert.deepEqual(await port.mcpOverview(), { servers: [], problems: [] });
    assert.deepEqual(await port.skillDiagnostics(), []);
  });
});

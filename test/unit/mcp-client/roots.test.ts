/** roots/list: the folders of the session whose call is in flight, else the manager's workspace roots. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { McpManager } from '../../../src/core/mcp/manager';
import { MemoryApprovalStore } from '../../../src/core/mcp/types';
import { nullLogger } from '../../../src/core/ports';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { waitStatus } from '../mcp/helpers';
import { startEverything } from './everything';
import { script, startFakeLlm } from '../../fake-llm';
import { startHarness } from '../session/harness';

const ROOTS_SERVER = join(import.meta.dirname, 'servers', 'roots-server.mjs');

function rootsManager(roots: string[]): McpManager {
  return new McpManager({
    workspaceRoot: roots[0], roots, trust: staticTrust(true), approvalStore: new MemoryApprovalStore(), logger: nullLogger,
    approval: { confirmStart: async () => true },
  });
}

void describe('MCP roots', () => {
  void test('server-everything learns the workspace roots at connect (get-roots-list)', async () => {
    const mgr = await startEverything({ roots: ['/tmp/ws-one', '/tmp/ws-two'], workspaceRoot: '/tmp/ws-one', tools: ['mcp__everything__get-roots-list'] });
    try {
      const tool = mgr.tools().find((t) => t.name === 'mcp__everything__get-roots-list')!;
      // It asks 350 ms after initialize; the tool asks itself when it has not heard yet.
      const out = await tool.execute({}, { sessionId: 's', callId: 'c', workspaceRoots: [], signal: new AbortController().signal, onOutput: () => undefined, tasks: { get: () => [], set: () => undefined }, logger: nullLogger });
      assert.match(out.content, new RegExp(pathToFileURL('/tmp/ws-one').href));
      assert.match(out.content, new RegExp(pathToFileURL('/tmp/ws-two').href));
    } finally { await mgr.shutdown(); }
  });

  void test('a call in flight answers its session\'s folders (through a real session), not the workspace\'s', async () => {
    const mgr = rootsManager(['/tmp/workspace-root']);
    const fake = await startFakeLlm();
    const h = await startHarness({ fake, deps: { mcp: mgr, workspaceRoots: ['/tmp/agent-sessions-session-root'] } });
    try {
      await mgr.add({ name: 'rooted', type: 'stdio', command: process.execPath, args: [ROOTS_SERVER], env: {}, source: { kind: 'settings', scope: 'user' } });
      await waitStatus(mgr, 'rooted', (s) => s.state === 'connected');
      fake.enqueue(script.toolCall('mcp__rooted__where', {}));
      fake.setResponder(() => script.text('done'));
      const s = await h.manager.create({ config: { mode: 'full' } });
      await h.manager.send(s.id, 'where am I');
      await h.manager.whenIdle(s.id);
      const done = h.of(s.id).find((e) => e.type === 'tool.completed');
      assert.ok(done?.type === 'tool.completed');
      assert.deepEqual(JSON.parse(done.content), [{ uri: pathToFileURL('/tmp/agent-sessions-session-root').href, name: 'agent-sessions-session-root' }]);
    } finally { await h.close(); await fake.close(); await mgr.shutdown(); }
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, manager, SERVER, waitGone } from './helpers';

/** Writes .vscode/mcp.json with stdio test servers: name → extra args (and optional env). */
function writeConfig(root: string, servers: Record<string, { args?: string[]; env?: Record<string, string> }>): void {
  const entries = Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, { type: 'stdio', command: process.execPath, args: [SERVER, ...(s.args ?? [])], env: s.env ?? {} }]));
  writeFileSync(join(root, '.vscode', 'mcp.json'), JSON.stringify({ servers: entries }));
}

void describe('MCP: re-applying the workspace config (the host calls loadWorkspaceConfig when mcp.json changes)', () => {
  void test('a changed command restarts only that server and asks approval again; unchanged servers keep running', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mcpreload-'));
    mkdirSync(join(root, '.vscode'));
    const answers = [true, true, true, true, false];
    const asked: string[] = [];
    const { mgr } = manager({ workspaceRoot: root, approval: { confirmStart: async (r) => { asked.push(`${r.name}: ${r.summary}`); return answers.shift() ?? false; } } });
    const changes: string[] = [];
    const d = mgr.onDidChangeStatus((e) => changes.push(`${e.name}:${e.status.state}`));
    try {
      writeConfig(root, { a: {}, b: {} });
      await mgr.loadWorkspaceConfig();
      assert.equal(asked.length, 2);
      const [a1, b1] = [mgr.pid('a')!, mgr.pid('b')!];
      assert.ok(alive(a1) && alive(b1));

      // Same file again: nothing restarts, nobody is asked.
      changes.length = 0;
      await mgr.loadWorkspaceConfig();
      assert.equal(changes.length, 0, changes.join(", "));
      assert.equal(mgr.pid('a'), a1);

      // a's arguments change: a restarts after a new approval; b is not touched.
      changes.length = 0;
      writeConfig(root, { a: { args: ['--stderr=v2'] }, b: {} });
      await mgr.loadWorkspaceConfig();
      assert.equal(asked.length, 3);
      assert.match(asked[2]!, /^a: .*test-server\.mjs --stderr=v2$/);
      assert.equal(mgr.status('a')!.state, 'connected');
      const a2 = mgr.pid('a')!;
      assert.notEqual(a2, a1);
      assert.ok(await waitGone(a1), 'the old a process is gone');
      assert.equal(mgr.pid('b'), b1, 'b kept its process');
      assert.ok(changes.every((c) => c.startsWith('a:')), `only a changed: ${changes.join(', ')}`);

      // Only a's env changes: asked again (env decides what runs, e.g. NODE_OPTIONS), shown in the question.
      writeConfig(root, { a: { args: ['--stderr=v2'], env: { TOKEN: 'sk-test-rotated' } }, b: {} });
      await mgr.loadWorkspaceConfig();
      assert.equal(asked.length, 4);
      assert.match(asked[3]!, /^a: TOKEN=sk-test-rotated .*test-server\.mjs --stderr=v2$/);
      const a3 = mgr.pid('a')!;
      assert.notEqual(a3, a2);
      assert.equal(mgr.pid('b'), b1);

      // Back to the first command: already approved for that hash, so no question.
      writeConfig(root, { a: {}, b: {} });
      await mgr.loadWorkspaceConfig();
      assert.equal(asked.length, 4);
      assert.equal(mgr.status('a')!.state, 'connected');

      // b's command changes and the user says no: b is blocked and its old process gone; a untouched.
      const a4 = mgr.pid('a')!;
      writeConfig(root, { a: {}, b: { args: ['--stderr=evil'] } });
      await mgr.loadWorkspaceConfig();
      assert.equal(asked.length, 5);
      assert.equal(mgr.status('b')!.state, 'blocked');
      assert.ok(await waitGone(b1));
      assert.equal(mgr.pid('a'), a4);

      // A server removed from the file stops.
      writeConfig(root, { b: { args: ['--stderr=evil'] } });
      await mgr.loadWorkspaceConfig();
      assert.deepEqual(mgr.list().map((s) => s.name), ['b']);
      assert.ok(await waitGone(a4));
    } finally {
      d.dispose();
      await mgr.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { WorkspaceAgents } from '../../../../src/vscode/agents/workspace-agents';
import type { FsWatcherLike } from '../../../../src/vscode/knowledge/file-watcher';
import { agentHandlers } from '../../../../src/vscode/webview/handlers/agents';
import type { HandlerContext } from '../../../../src/vscode/webview/handlers/types';
import { agentTree, type AgentTree } from '../../agents/fixtures';

/** A watcher factory whose watchers the test fires by hand. */
function fakeWatchers() {
  const made: Array<{ base: string; pattern: string; change: (uri: { fsPath: string }) => void }> = [];
  const create = (base: string, pattern: string): FsWatcherLike => {
    const listeners: Array<(uri: { fsPath: string }) => void> = [];
    const on = (l: (uri: { fsPath: string }) => void) => { listeners.push(l); return { dispose: () => undefined }; };
    made.push({ base, pattern, change: (uri) => { for (const l of listeners) l(uri); } });
    return { onDidCreate: on, onDidChange: on, onDidDelete: on, dispose: () => undefined };
  };
  return { made, create };
}

let tree: AgentTree;
before(async () => { tree = await agentTree(); });
after(async () => { await tree.dispose(); });

void describe('WorkspaceAgents (host)', () => {
  void test('watches both workspace folders and ~/.claude/agents; a changed file is read again', async () => {
    const w = fakeWatchers();
    const agents = new WorkspaceAgents({ workspaceRoots: [tree.workspace], homeDir: tree.home, createWatcher: w.create });
    assert.deepEqual(w.made.map((m) => [m.base, m.pattern]), [
      [tree.workspace, '.github/agents/*.agent.md'], [tree.workspace, '.claude/agents/*.md'], [tree.home, '.claude/agents/*.md'],
    ]);
    const before = await agents.overview();
    assert.equal(before.agents.find((a) => a.name === 'helper')?.description, 'A user agent');
    const file = path.join(tree.home, '.claude', 'agents', 'helper.md');
    await writeFile(file, '---\nname: helper\ndescription: Changed on disk\n---\nHelp more.\n');
    assert.equal((await agents.overview()).agents.find((a) => a.name === 'helper')?.description, 'A user agent', 'cached until a watcher fires');
    let fired = 0;
    agents.onDidChange(() => fired++);
    w.made[2]!.change({ fsPath: file });
    await new Promise((r) => setTimeout(r, 120)); // the watcher coalesces bursts
    assert.equal(fired, 1);
    assert.equal((await agents.overview()).agents.find((a) => a.name === 'helper')?.description, 'Changed on disk');
    agents.dispose();
  });

  void test('Restricted Mode: only the user\'s agents are offered and found; the listing says why the workspace\'s are not', async () => {
    let trusted = false;
    const agents = new WorkspaceAgents({ workspaceRoots: [tree.workspace], homeDir: tree.home, createWatcher: fakeWatchers().create, isTrusted: () => trusted });
    const restricted = await agents.overview();
    assert.ok(restricted.agents.length > 0 && restricted.agents.every((a) => a.scope === 'user'), JSON.stringify(restricted.agents));
    assert.ok(restricted.problems.some((p) => /off in Restricted Mode/.test(p.message)));
    const workspaceAgent = (await new WorkspaceAgents({ workspaceRoots: [tree.workspace], homeDir: tree.home, createWatcher: fakeWatchers().create }).overview())
      .agents.find((a) => a.scope === 'workspace');
    assert.ok(workspaceAgent, 'the fixture has a workspace agent');
    assert.equal(await agents.find(workspaceAgent.name), undefined, 'a session cannot be created as it');
    trusted = true;
    assert.ok((await agents.find(workspaceAgent.name))?.info.scope === 'workspace');
    agents.dispose();
  });

  void test('agents.list answers from the port (agents and problems with their paths)', async () => {
    const agents = new WorkspaceAgents({ workspaceRoots: [tree.workspace], homeDir: tree.home, createWatcher: fakeWatchers().create });
    const ctx = { knowledge: { agents } } as unknown as HandlerContext;
    const r = await agentHandlers['agents.list']({}, ctx);
    assert.ok(r.agents.some((a) => a.name === 'Reviewer' && a.source === '.github/agents/reviewer.agent.md'));
    assert.ok(r.problems.some((p) => p.source === '.claude/agents/broken.md' && /invalid YAML/.test(p.message)));
    assert.deepEqual(await agentHandlers['agents.list']({}, { knowledge: undefined } as unknown as HandlerContext), { agents: [], problems: [] });
    agents.dispose();
  });
});

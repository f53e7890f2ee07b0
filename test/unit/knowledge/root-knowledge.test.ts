/**
 * A worktree session's knowledge (src/vscode/knowledge/root-knowledge.ts), through the host's own
 * composition (compose.ts over fakes): rules and skills come from the worktree folder, MCP
 * servers whose launch depends on the folder are started there (real stdio servers), the others
 * are the workspace's, shared; the last release stops the folder's servers and watchers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAgentError } from '../../../src/core/base/errors';
import { KnowledgeWiring } from '../../../src/core/session/knowledge';
import { ToolRegistry } from '../../../src/core/tools/registry';
import type { AnyTool } from '../../../src/core/tools/types';
import { nullLogger } from '../../../src/core/ports';
import { alive, ctx, waitGone } from '../mcp/helpers';
import { baseConfig } from '../vscode/fakes';
import { skillMd, tempWorkspace, until, writeFiles } from '../vscode/knowledge/fakes';
import { setup, type Setup } from '../vscode/knowledge/setup';

const WHERE = join(import.meta.dirname, 'servers', 'where-server.mjs');

/** A where-server entry; `cwd: '.'` makes it depend on the folder. */
function server(tag: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [WHERE, tag], ...extra };
}
const mcpJson = (servers: Record<string, unknown>): string => JSON.stringify({ mcpServers: servers });

/** A workspace and a "worktree" folder (a checkout of the same files), real paths. */
function folders(ws: Record<string, string>, wt: Record<string, string>): { ws: string; wt: string } {
  return { ws: realpathSync(tempWorkspace(ws)), wt: realpathSync(tempWorkspace(wt)) };
}

async function where(tools: readonly AnyTool[], name: string): Promise<{ cwd: string; pid: number; args: string[] }> {
  const tool = tools.find((t) => t.name === name);
  assert.ok(tool, `${name} in ${tools.map((t) => t.name).join(', ')}`);
  const r = await tool.execute({}, ctx());
  assert.notEqual(r.isError, true, r.content);
  return JSON.parse(r.content) as { cwd: string; pid: number; args: string[] };
}

async function started(s: Setup): Promise<void> {
  const st = s.knowledge.start();
  await st.skills;
  await st.mcp;
}

const liveAt = (s: Setup, base: string): number => s.watchers.created.filter((w) => !w.disposed && w.base === base).length;

void describe('root knowledge: rules files and skills of a worktree', () => {
  void test('rules and skills come from the worktree folder, user skills are shared; the session wiring takes them on the first turn', async () => {
    const user = realpathSync(tempWorkspace({ 'mine/SKILL.md': skillMd('mine', 'A user skill') }));
    const { ws, wt } = folders(
      { 'AGENTS.md': 'WS-RULE: the main tree.', '.agents/skills/ws-only/SKILL.md': skillMd('ws-only', 'Only in the workspace') },
      { 'AGENTS.md': 'WT-RULE: the worktree.', 'CLAUDE.md': 'WT-CLAUDE.', '.agents/skills/wt-only/SKILL.md': skillMd('wt-only', 'Only in the worktree') },
    );
    const s = setup(ws, { userSkillsFolder: user });
    await started(s);
    const rk = s.knowledge.roots.get(wt);
    assert.ok(rk?.rules && rk.skills && rk.mcp);
    // Straight away (the skills scan still running): the engine loads rules first, then reads skills.
    const wiring = new KnowledgeWiring({ tools: new ToolRegistry([]), engineTools: [], isWorkspaceTrusted: () => true, logger: nullLogger, ...rk });
    const { sections, knowledge } = await wiring.prepare(baseConfig);
    const prompt = sections.join('\n');
    assert.match(prompt, /WT-RULE/);
    assert.match(prompt, /WT-CLAUDE/);
    assert.doesNotMatch(prompt, /WS-RULE/);
    assert.deepEqual(knowledge.rules.map((r) => r.relativePath), ['AGENTS.md', 'CLAUDE.md']);
    assert.deepEqual(knowledge.skills.map((k) => [k.name, k.source]).sort(), [['mine', 'user'], ['wt-only', 'workspace']]);
    assert.equal(rk.skills.get('wt-only')?.skillFile, join(wt, '.agents/skills/wt-only/SKILL.md'));
    assert.equal(rk.skills.workspaceSkillsDir, join(wt, '.agents', 'skills'), 'manage_skill writes into the worktree');
    // The workspace's own knowledge is untouched.
    assert.deepEqual((await s.knowledge.listRules()).map((r) => r.text), ['WS-RULE: the main tree.']);
    assert.deepEqual(s.knowledge.skills!.list().map((k) => k.name).sort(), ['mine', 'ws-only']);
    await s.knowledge.shutdown();
  });

  void test('the worktree\'s skills and rules files are watched like the workspace\'s; the last release disposes the watchers', async () => {
    const { ws, wt } = folders({ 'AGENTS.md': 'WS.' }, { 'AGENTS.md': 'WT.' });
    const s = setup(ws);
    await started(s);
    const before = liveAt(s, wt);
    assert.equal(before, 0);
    const rk = s.knowledge.roots.acquire(wt)!;
    await s.knowledge.roots.loaded(wt);
    assert.ok(liveAt(s, wt) > 0, 'watchers on the worktree folder');
    const changes: string[] = [];
    s.knowledge.roots.onDidChange((root) => changes.push(root));
    writeFiles(wt, { '.claude/skills/fresh/SKILL.md': skillMd('fresh', 'Added on disk') });
    assert.ok(s.watchers.fire('create', join(wt, '.claude/skills/fresh/SKILL.md')) > 0);
    await until(rk.skills!.onDidChange, () => rk.skills!.get('fresh') !== undefined, 'the new skill');
    assert.equal(s.knowledge.skills!.get('fresh'), undefined, 'not in the workspace');
    writeFiles(wt, { 'src/AGENTS.md': 'NESTED.' });
    assert.ok(s.watchers.fire('create', join(wt, 'src/AGENTS.md')) > 0);
    await until((l) => s.knowledge.roots.onDidChange(l), () => changes.length >= 2, 'a change for the rules file');
    assert.ok(changes.every((c) => c === wt));
    assert.deepEqual((await rk.rules!.load()).map((r) => r.relativePath), ['AGENTS.md', 'src/AGENTS.md']);
    await s.knowledge.roots.release(wt);
    assert.equal(liveAt(s, wt), 0, 'every watcher of the worktree is disposed');
    assert.ok(liveAt(s, ws) > 0, 'the workspace keeps its own');
    assert.deepEqual(s.knowledge.roots.roots(), []);
    await s.knowledge.shutdown();
  });

  void test('the workspace folder itself has no root knowledge; a relative folder is refused; get then acquire/release count', async () => {
    const { ws, wt } = folders({}, {});
    const s = setup(ws);
    const roots = s.knowledge.roots;
    assert.equal(roots.get(ws), undefined);
    assert.equal(roots.get(`${ws}/`), undefined);
    assert.equal(s.knowledge.managerDeps().rootKnowledge(ws), undefined);
    assert.throws(() => roots.get('wt'), (e) => isAgentError(e) && e.code === 'bad_request' && /absolute path/.test(e.message));
    // get() makes it; the first acquire takes over that hold; two holds need two releases.
    const k = roots.get(wt);
    assert.equal(roots.acquire(wt), k);
    assert.equal(roots.acquire(`${wt}/.`), k, 'the same folder, spelled differently');
    await roots.release(wt);
    assert.deepEqual(roots.roots(), [wt]);
    await roots.release(wt);
    assert.deepEqual(roots.roots(), []);
    // get() alone: one release lets it go; a later get makes a fresh one.
    const k2 = s.knowledge.managerDeps().rootKnowledge(wt);
    assert.ok(k2 && k2 !== k);
    await roots.release(wt);
    assert.deepEqual(roots.roots(), []);
    await roots.release(wt); // unknown: nothing
    await s.knowledge.shutdown();
  });
});

void describe('root knowledge: MCP servers of a worktree', () => {
  void test('a folder-dependent server is started in the worktree; a folder-independent one is the workspace\'s (not started twice); release stops only the worktree\'s', async () => {
    const config = mcpJson({ shared: server('shared'), local: server('local', { cwd: '.' }) });
    const { ws, wt } = folders({ '.mcp.json': config }, { '.mcp.json': config });
    const s = setup(ws);
    await started(s);
    assert.equal(s.asked.length, 2, 'the workspace asked for both');
    const rk = s.knowledge.roots.acquire(wt)!;
    await s.knowledge.roots.loaded(wt);
    const own = s.knowledge.roots.ownServers(wt)!;
    assert.deepEqual(own.list().map((x) => [x.name, x.status.state]), [['local', 'connected']], 'only the folder-dependent server runs for the worktree');
    assert.equal(s.asked.length, 2, 'the workspace\'s approval holds in its worktree: no new dialog');

    const tools = rk.mcp!.tools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['mcp__local__where', 'mcp__shared__where']);
    const local = await where(tools, 'mcp__local__where');
    assert.equal(local.cwd, wt, 'started with its cwd in the worktree');
    assert.equal(local.pid, own.pid('local'));
    const shared = await where(tools, 'mcp__shared__where');
    assert.equal(shared.pid, s.knowledge.mcp.pid('shared'), 'the workspace\'s process answers');
    assert.equal((await where(s.knowledge.mcp.tools(), 'mcp__local__where')).cwd, ws, 'the workspace keeps its own, in the main tree');
    // Switched off for a session: gone from its view, whichever manager runs it.
    assert.deepEqual(rk.mcp!.tools(new Set(['local', 'shared'])), []);

    await s.knowledge.roots.release(wt);
    assert.ok(await waitGone(local.pid), 'the worktree\'s server process is gone');
    assert.ok(alive(shared.pid) && alive(s.knowledge.mcp.pid('local')!), 'the workspace\'s servers keep running');
    await s.knowledge.shutdown();
    assert.ok(await waitGone(shared.pid));
  });

  void test('${workspaceFolder} in args starts the server for the worktree; the window closing stops the worktrees\' servers too', async () => {
    const config = mcpJson({ named: server('${workspaceFolder}') });
    const { ws, wt } = folders({ '.mcp.json': config }, { '.mcp.json': config });
    const s = setup(ws);
    await started(s);
    const rk = s.knowledge.roots.get(wt)!;
    await s.knowledge.roots.loaded(wt);
    const mine = await where(rk.mcp!.tools(), 'mcp__named__where');
    assert.deepEqual(mine.args, [wt]);
    assert.notEqual(mine.pid, s.knowledge.mcp.pid('named'));
    await s.knowledge.shutdown();
    assert.ok(await waitGone(mine.pid), 'stopped with the workspace knowledge');
  });

  void test('"Don\'t allow" in the workspace holds in the worktree: not started, no dialog', async () => {
    const config = mcpJson({ local: server('local', { cwd: '.' }) });
    const { ws, wt } = folders({ '.mcp.json': config }, { '.mcp.json': config });
    const s = setup(ws, { answer: "Don't allow" });
    await started(s);
    assert.equal(s.asked.length, 1);
    const rk = s.knowledge.roots.acquire(wt)!;
    await s.knowledge.roots.loaded(wt);
    const st = s.knowledge.roots.ownServers(wt)!.status('local');
    assert.ok(st?.state === 'blocked' && st.reason === 'not_approved', JSON.stringify(st));
    assert.equal(s.asked.length, 1, 'not asked again');
    assert.deepEqual(rk.mcp!.tools(), []);
    await s.knowledge.shutdown();
  });

  void test('the worktree\'s own config decides: a changed server runs there (asked, naming the worktree\'s file) and wins; a folder-dependent workspace server it lacks is hidden; edits on disk reload', async () => {
    const { ws, wt } = folders(
      { '.mcp.json': mcpJson({ shared: server('v1'), wsonly: server('wsonly'), wslocal: server('wslocal', { cwd: '.' }) }) },
      { '.mcp.json': mcpJson({ shared: server('v2') }) },
    );
    const s = setup(ws);
    await started(s);
    assert.equal(s.asked.length, 3);
    const rk = s.knowledge.roots.acquire(wt)!;
    await s.knowledge.roots.loaded(wt);
    assert.equal(s.asked.length, 4, 'a different command: asked');
    assert.ok(s.asked[3]!.includes(join(wt, '.mcp.json')), s.asked[3]);
    const own = s.knowledge.roots.ownServers(wt)!;
    assert.deepEqual(own.list().map((x) => x.name), ['shared']);
    const tools = rk.mcp!.tools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['mcp__shared__where', 'mcp__wsonly__where'], 'wslocal acts on the main tree: not offered');
    assert.deepEqual((await where(tools, 'mcp__shared__where')).args, ['v2'], 'the worktree\'s own wins the name');

    // The session edits the worktree's .mcp.json: the watcher reloads it.
    writeFileSync(join(wt, '.mcp.json'), mcpJson({ shared: server('v1'), extra: server('extra', { cwd: '.' }) }));
    assert.ok(s.watchers.fire('change', join(wt, '.mcp.json')) > 0);
    await until((l) => own.onDidChangeStatus(l), () => own.status('extra')?.state === 'connected' && own.status('shared') === undefined, 'the reloaded config');
    assert.equal(s.asked.length, 5, 'the new server was asked for; v1 is the workspace\'s again, shared');
    assert.equal((await where(rk.mcp!.tools(), 'mcp__shared__where')).pid, s.knowledge.mcp.pid('shared'));
    assert.equal((await where(rk.mcp!.tools(), 'mcp__extra__where')).cwd, wt);
    await s.knowledge.shutdown();
  });

  void test('opened with the workspace still starting: each server is asked for once, the shared one is not started twice', async () => {
    const config = mcpJson({ shared: server('shared'), local: server('local', { cwd: '.' }) });
    const { ws, wt } = folders({ '.mcp.json': config }, { '.mcp.json': config });
    const s = setup(ws);
    const st = s.knowledge.start();
    s.knowledge.roots.acquire(wt);
    await st.mcp;
    await s.knowledge.roots.loaded(wt);
    assert.equal(s.asked.length, 2);
    assert.deepEqual(s.knowledge.roots.ownServers(wt)!.list().map((x) => x.name), ['local']);
    await s.knowledge.shutdown();
  });
});

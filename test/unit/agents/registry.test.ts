import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AgentRegistry } from '../../../src/core/agents/registry';
import { parseAgentFile } from '../../../src/core/agents/parse';
import { intersectAllowlists, mapAgentTools, splitToolList } from '../../../src/core/agents/tool-map';
import { agentTree, type AgentTree } from './fixtures';

let tree: AgentTree;
before(async () => { tree = await agentTree(); });
after(async () => { await tree.dispose(); });

void describe('custom agents: registry over both published formats', () => {
  void test('loads .github/agents/*.agent.md and .claude/agents/*.md; a bad file is reported with its path, the rest load', async () => {
    const reg = new AgentRegistry({ workspaceRoots: [tree.workspace], homeDir: tree.home });
    const { agents, problems } = await reg.list();
    const names = agents.map((a) => `${a.info.scope}:${a.info.name}`);
    assert.deepEqual(names, [
      'workspace:planner', 'workspace:Reviewer', 'workspace:tester',
      'workspace:code-reviewer', 'workspace:git-helper', 'workspace:safe-editor', 'workspace:web-researcher',
      'user:helper',
    ]);
    const bad = problems.find((p) => p.path === '.claude/agents/broken.md');
    assert.ok(bad, JSON.stringify(problems));
    assert.match(bad.message, /invalid YAML front matter/);
    assert.ok(!problems.some((p) => p.path.endsWith('README.md')), 'README.md in .github/agents is not an agent file');
  });

  void test('name clash: the workspace wins over the user, .github over .claude; each hidden file is shown', async () => {
    const reg = new AgentRegistry({ workspaceRoots: [tree.workspace], homeDir: tree.home });
    const { agents, problems } = await reg.list();
    const reviewer = agents.find((a) => a.info.name === 'code-reviewer');
    assert.equal(reviewer?.info.source, '.claude/agents/code-reviewer.md');
    assert.equal(reviewer?.info.scope, 'workspace');
    const hiddenUser = problems.find((p) => p.path === '~/.claude/agents/code-reviewer.md');
    assert.match(hiddenUser?.message ?? '', /Hidden by the workspace agent \.claude\/agents\/code-reviewer\.md/);
    const hiddenClaude = problems.find((p) => p.path === '.claude/agents/reviewer.md');
    assert.match(hiddenClaude?.message ?? '', /Hidden by \.github\/agents\/reviewer\.agent\.md/);
    assert.equal(agents.find((a) => a.info.name === 'Reviewer')?.prompt.startsWith('Review the supplied changes'), true);
    assert.equal((await reg.find('reviewer'))?.info.name, 'Reviewer', 'find falls back to a case-insensitive match');
    assert.equal((await reg.find('helper'))?.info.source, '~/.claude/agents/helper.md');
  });

  void test('tools map from both syntaxes; MCP sets and tools; unknown names are kept out and listed', async () => {
    const reg = new AgentRegistry({ workspaceRoots: [tree.workspace] });
    const by = async (n: string) => (await reg.find(n))!;
    assert.deepEqual((await by('Reviewer')).info.tools, ['find_files', 'list_dir', 'read_file', 'search_text']);
    const planner = await by('planner');
    assert.equal(planner.info.name, 'planner', 'no name: the file name without .agent.md');
    assert.deepEqual(planner.info.tools, ['mcp__github__*', 'mcp__playwright__browser_navigate', 'run_command', 'search_text']);
    assert.deepEqual(planner.info.unknownTools, ['fetch', 'githubRepo', 'usages']);
    assert.equal(planner.info.model, 'Claude Sonnet 4.5 (copilot)');
    assert.deepEqual(planner.models, ['Claude Sonnet 4.5 (copilot)', 'GPT-4.1 (copilot)']);
    assert.match(planner.prompt, /^# Planning instructions/);
    const tester = await by('tester');
    assert.deepEqual(tester.info.tools, ['read_file', 'run_command', 'search_text']);
    assert.deepEqual(tester.info.unknownTools, ['execute/testFailure']);
    const cr = await by('code-reviewer');
    assert.deepEqual(cr.info.tools, ['find_files', 'read_file', 'run_command', 'search_text']);
    assert.equal(cr.info.model, 'sonnet');
    const web = await by('web-researcher');
    assert.deepEqual(web.info.tools, [], 'only unknown tools: no tools at all, never the defaults');
    assert.deepEqual(web.info.unknownTools, ['WebFetch', 'WebSearch']);
    const git = await by('git-helper');
    assert.deepEqual(git.info.tools, ['mcp__github__create_pull_request', 'mcp__linear__*', 'read_file'],
      'Bash with a specifier is not widened to every command');
    assert.deepEqual(git.info.unknownTools, ['Bash(git add:*, git commit:*)']);
    const safe = await by('safe-editor');
    assert.equal(safe.info.tools, undefined, 'no tools field: every tool but the denied ones');
    assert.deepEqual(safe.info.deniedTools, ['run_command', 'write_file']);
    assert.deepEqual(safe.info.unknownTools, ['!Bash(rm:*)']);
    assert.equal(safe.info.model, undefined, 'model: inherit keeps the session model');
  });

  void test('invalidate() re-reads; a workspace without agent folders lists none', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const empty = await mkdtemp(`${tmpdir()}/agents-empty-`);
    const reg = new AgentRegistry({ workspaceRoots: [empty] });
    assert.deepEqual(await reg.list(), { agents: [], problems: [] });
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(`${empty}/.claude/agents`, { recursive: true });
    await writeFile(`${empty}/.claude/agents/a.md`, '---\nname: a\ndescription: A\n---\nBody\n');
    assert.equal((await reg.list()).agents.length, 0, 'cached until invalidated');
    reg.invalidate();
    assert.equal((await reg.list()).agents[0]?.info.name, 'a');
  });
});

void describe('custom agents: parsing and tool mapping', () => {
  const ref = { source: '.claude/agents/x.md', fileName: 'x.md', format: 'claude' as const, scope: 'workspace' as const };
  void test('Claude agents need name and description; the error names the file', () => {
    assert.throws(() => parseAgentFile('---\nname: x\n---\nbody', ref), /Custom agent \.claude\/agents\/x\.md: Claude Code agents need both name and description/);
    assert.throws(() => parseAgentFile('no front matter', ref), /starts with YAML front matter/);
    assert.throws(() => parseAgentFile('---\nname: x\ndescription: d\ntools: 3\n---\n', ref), /invalid front matter field\(s\) tools/);
  });
  void test('a VS Code agent file without front matter is all prompt, named after the file', () => {
    const a = parseAgentFile('Just do it.\n', { source: '.github/agents/doer.agent.md', fileName: 'doer.agent.md', format: 'copilot', scope: 'workspace' });
    assert.equal(a.info.name, 'doer');
    assert.equal(a.prompt, 'Just do it.');
    assert.equal(a.info.tools, undefined);
  });
  void test('comma lists keep parentheses together; * means every tool', () => {
    assert.deepEqual(splitToolList('Read, Bash(git add:*, git commit:*),Grep'), ['Read', 'Bash(git add:*, git commit:*)', 'Grep']);
    assert.deepEqual(mapAgentTools(['*'], 'copilot'), { unknown: [] });
    assert.deepEqual(mapAgentTools(['read/readFile', 'edit', 'todos', 'agent'], 'copilot').tools, ['edit_file', 'read_file', 'spawn_session', 'update_tasks', 'write_file']);
    assert.deepEqual(mapAgentTools(['Edit', 'MultiEdit', 'TodoWrite', 'mcp__my.server__*'], 'claude').tools, ['edit_file', 'mcp__my_server__*', 'update_tasks']);
  });
  void test('allowlists intersect, never widen', () => {
    assert.deepEqual(intersectAllowlists(['read_file', 'mcp__github__*'], ['read_file', 'run_command', 'mcp__github__get_issue']), ['mcp__github__get_issue', 'read_file']);
    assert.deepEqual(intersectAllowlists(['read_file'], ['mcp__*']), []);
    assert.deepEqual(intersectAllowlists(['mcp__github__get_issue'], ['mcp__github__*']), ['mcp__github__get_issue']);
    assert.equal(intersectAllowlists(undefined, undefined), undefined);
  });
});

/**
 * Sessions running as custom agents, end to end through the real manager and the fake LLM: the
 * agent's prompt and only its tools reach the model; spawn_session's `agent` narrows the child;
 * a reopened session (its log folded again) keeps the agent.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, lastToolResult, startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, makeManager, type Harness } from '../session/harness';
import { AgentRegistry } from '../../../src/core/agents/registry';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import { MemorySessionStore } from '../../../src/core/store/memory-store';
import { AgentError } from '../../../src/core/base/errors';
import type { SessionManagerDeps } from '../../../src/core/session/manager';
import { agentTree, type AgentTree } from './fixtures';

let fake: FakeLlm;
let tree: AgentTree;
before(async () => { fake = await startFakeLlm(); tree = await agentTree(); });
after(async () => { await fake.close(); await tree.dispose(); });

function deps(extra: Partial<SessionManagerDeps> = {}): Partial<SessionManagerDeps> {
  return {
    tools: new ToolRegistry(createBuiltinTools()),
    agents: new AgentRegistry({ workspaceRoots: [tree.workspace], homeDir: tree.home }),
    providerProfiles: {
      openai: { kind: 'openai', baseUrl: fake.openaiBaseUrl, models: ['gpt-4o-mini', 'gpt-4.1'] },
      anthropic: { kind: 'anthropic', baseUrl: fake.anthropicBaseUrl, models: ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5'] },
    },
    ...extra,
  };
}

async function harness(extra: Partial<SessionManagerDeps> = {}): Promise<Harness> {
  fake.reset();
  return startHarness({ fake, deps: deps(extra) });
}

const systemOf = (req: RecordedRequest): string => {
  const b = req.body as { system?: unknown; messages?: Array<{ role: string; content: unknown }> };
  if (b.system !== undefined) return JSON.stringify(b.system);
  return JSON.stringify((b.messages ?? []).filter((m) => m.role === 'system').map((m) => m.content));
};
const isChild = (req: RecordedRequest): boolean => req.rawBody.includes('You are a child session');

void describe('sessions running as custom agents', () => {
  void test('create({ agent }): the model gets the agent prompt in the system prompt and only its tools; an unoffered model is a warning', async () => {
    const h = await harness();
    const s = await h.manager.create({ title: 'Review', agent: 'code-reviewer' });
    assert.deepEqual(s.config.agent, {
      name: 'code-reviewer', source: '.claude/agents/code-reviewer.md',
      prompt: 'You are a senior code reviewer ensuring high standards of code quality and security.\n\nWhen invoked:\n1. Run git diff to see recent changes\n2. Focus on modified files\n3. Begin review immediately',
    });
    await h.manager.send(s.id, 'review my change');
    await h.waitFor('turn.completed', (e) => e.sessionId === s.id);
    const req = fake.requests[0]!;
    assert.match(systemOf(req), /# Agent: code-reviewer\\nYou are a senior code reviewer/);
    assert.deepEqual(toolNames(req).sort(), ['find_files', 'read_file', 'run_command', 'search_text']);
    assert.equal((req.body as { model: string }).model, 'gpt-4o-mini', '"sonnet" is not offered by openai: the session keeps its model');
    const warn = h.of(s.id).find((e) => e.type === 'warning' && e.code === 'agent_note');
    assert.ok(warn && warn.type === 'warning');
    assert.match(warn.message, /asks for the model "sonnet", which provider "openai" does not offer; the session uses gpt-4o-mini/);
    await h.close();
  });

  void test('the agent\'s model is used when the provider offers it (Claude alias on anthropic, a VS Code display name)', async () => {
    const h = await harness();
    const a = await h.manager.create({ agent: 'code-reviewer', config: { providerId: 'anthropic', providerKind: 'anthropic', model: 'claude-haiku-4-5' } });
    assert.equal(a.config.model, 'claude-sonnet-4-5-20250929');
    const p = await h.manager.create({ agent: 'planner' }); // ['Claude Sonnet 4.5 (copilot)', 'GPT-4.1 (copilot)'] on openai
    assert.equal(p.config.model, 'gpt-4.1');
    assert.ok(!h.of(p.id).some((e) => e.type === 'warning' && /model/.test(e.message)));
    await h.manager.send(a.id, 'hi');
    await h.waitFor('turn.completed', (e) => e.sessionId === a.id);
    const req = fake.requests[0]!;
    assert.equal((req.body as { model: string }).model, 'claude-sonnet-4-5-20250929');
    assert.match(systemOf(req), /# Agent: code-reviewer/);
    await h.close();
  });

  void test('unknown tools are reported; an agent with only unknown tools gets none; an existing allowlist narrows further', async () => {
    const h = await harness({ defaults: { providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', mode: 'ask', allowedTools: ['read_file', 'run_command'] } });
    const web = await h.manager.create({ agent: 'web-researcher' });
    assert.deepEqual(web.config.allowedTools, []);
    const note = h.of(web.id).find((e) => e.type === 'warning' && e.code === 'agent_note');
    assert.match(note && note.type === 'warning' ? note.message : '', /WebFetch, WebSearch\. It runs with no tools\./);
    const rev = await h.manager.create({ agent: 'Reviewer' });
    assert.deepEqual(rev.config.allowedTools, ['read_file'], 'Reviewer\'s read+search ∩ the allowlist');
    const safe = await h.manager.create({ agent: 'safe-editor' });
    assert.deepEqual(safe.config.allowedTools, ['read_file'], 'disallowedTools removes run_command from the allowlist');
    await h.manager.send(web.id, 'look it up');
    await h.waitFor('turn.completed', (e) => e.sessionId === web.id);
    assert.deepEqual(toolNames(fake.requests[0]!), []);
    await assert.rejects(h.manager.create({ agent: 'nobody' }), (e: unknown) => e instanceof AgentError && e.code === 'not_found' && /Agents: planner, Reviewer/.test(e.message));
    await h.close();
  });

  void test('a reopened session (its log folded again) keeps the agent: same prompt, same tools', async () => {
    fake.reset();
    const store = new MemorySessionStore();
    const m1 = await makeManager(fake, store, deps());
    const s = await m1.create({ agent: 'Reviewer' });
    await m1.dispose();
    // The agent file may be gone by now: the session recorded what it runs as.
    const m2 = await makeManager(fake, store, deps({ agents: new AgentRegistry({ workspaceRoots: [] }) }));
    const reopened = await m2.open(s.id);
    assert.equal(reopened.config.agent?.name, 'Reviewer');
    assert.deepEqual(reopened.config.allowedTools, ['find_files', 'list_dir', 'read_file', 'search_text']);
    await m2.send(s.id, 'again');
    await m2.whenIdle(s.id);
    const req = fake.requests.at(-1)!;
    assert.match(systemOf(req), /# Agent: Reviewer\\nReview the supplied changes/);
    assert.deepEqual(toolNames(req).sort(), ['find_files', 'list_dir', 'read_file', 'search_text']);
    await m2.dispose();
  });

  void test('spawn_session lists the agents; with `agent` the child runs as it, tools narrowed and never wider than the parent\'s', async () => {
    const h = await harness();
    fake.setResponder((req) => {
      if (isChild(req)) return script.text('child review done');
      if (lastToolResult(req)) return script.text('parent done');
      return script.of(
        script.toolCall('spawn_session', { goal: 'review src', title: 'Rev', agent: 'Reviewer' }),
        script.toolCall('spawn_session', { goal: 'plan it', title: 'Plan', agent: 'planner' }),
      );
    });
    // The parent may not run commands: the planner's run_command stays out of its child.
    const parent = await h.manager.create({ title: 'Lead', config: { allowedTools: ['read_file', 'find_files', 'list_dir', 'search_text', 'spawn_session', 'mcp__github__*'] } });
    await h.manager.send(parent.id, 'get it reviewed');
    await h.waitFor('turn.completed', (e) => e.sessionId === parent.id);
    const first = fake.requests.find((r) => !isChild(r))!;
    const spawn = (first.body as { tools: Array<{ function: { name: string; description: string } }> }).tools.find((t) => t.function.name === 'spawn_session');
    assert.match(spawn?.function.description ?? '', /- Reviewer — Review changes without editing files/);
    assert.match(spawn?.function.description ?? '', /- code-reviewer — Expert code review specialist/);
    const childReqs = fake.requests.filter(isChild);
    const rev = childReqs.find((r) => /# Agent: Reviewer/.test(systemOf(r)));
    assert.ok(rev, 'the Reviewer child carries its prompt');
    assert.deepEqual(toolNames(rev).sort(), ['find_files', 'list_dir', 'read_file', 'search_text']);
    const plan = childReqs.find((r) => /# Agent: planner/.test(systemOf(r)));
    assert.ok(plan);
    assert.deepEqual(toolNames(plan).sort(), ['search_text'], 'planner ∩ parent: no run_command, and no MCP tool is connected');
    const results = h.of(parent.id).filter((e) => e.type === 'tool.completed');
    assert.ok(results.every((r) => r.type === 'tool.completed' && !r.isError), JSON.stringify(results));
    await h.close();
  });

  void test('spawn_session with an unknown agent is an error result naming the agents there are', async () => {
    const h = await harness();
    fake.setResponder((req) => (lastToolResult(req) ? script.text('ok') : script.toolCall('spawn_session', { goal: 'x', agent: 'ghost' })));
    const parent = await h.manager.create({});
    await h.manager.send(parent.id, 'go');
    await h.waitFor('turn.completed', (e) => e.sessionId === parent.id);
    const r = h.of(parent.id).find((e) => e.type === 'tool.completed');
    assert.ok(r && r.type === 'tool.completed' && r.isError);
    assert.match(r.content, /There is no custom agent "ghost"\. Agents: .*Reviewer.*Start the child without "agent"/);
    await h.close();
  });
});

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { createMcpTool, type McpToolCaller, type McpToolListing } from '../../../src/core/mcp/tool';
import { MAX_TOOL_BUDGET_TOKENS, toolBudgetFor } from '../../../src/core/session/tool-budget';
import type { AnyTool } from '../../../src/core/tools/types';
import type { SessionConfig } from '../../../src/shared/session';

let fake: FakeLlm;
let dir: string;
before(async () => { fake = await startFakeLlm(); dir = await mkdtemp(join(tmpdir(), 'as-tool-budget-')); });
after(async () => { await fake.close(); await rm(dir, { recursive: true, force: true }); });

/** Calls that reached the "servers": [tool, args]. */
const served: [string, unknown][] = [];
const caller: McpToolCaller = { callTool: async (server, tool, args) => { served.push([`${server}/${tool}`, args]); return { content: `${tool} ran` }; } };

/** A GitHub-like tool: long description, a schema with a `$ref` into its own properties and `$schema` (as zod-to-json-schema writes it). */
function githubLike(name: string): McpToolListing {
  return {
    name,
    description: `${name.replace(/_/g, ' ')} in a GitHub repository. Works on the repository named by owner and repo; the branch names are checked by the server. `
      + 'Returns the created or updated resource as JSON, including its URL, number and state. Requires a token with the repo scope.',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false,
      properties: {
        owner: { type: 'string', description: 'Repository owner (username or organization)' },
        repo: { type: 'string', description: 'Repository name' },
        head: { type: 'string', description: 'The name of the branch where your changes are implemented' },
        base: { $ref: '#/properties/head', description: 'The branch you want the changes pulled into' },
        body: { type: 'string', description: 'Markdown body; mention issues with #number to link them' },
        labels: { type: 'array', items: { type: 'string' }, description: 'Labels to add' },
      },
      required: ['owner', 'repo'],
    },
  };
}

/** 40 GitHub-like tools (about 10k tokens), 15 Notion-like ones, 5 tiny ones: 60 in all, over the 8k budget. */
function servers(): AnyTool[] {
  const gh = Array.from({ length: 40 }, (_, i) => createMcpTool('github', githubLike(i === 0 ? 'create_pull_request' : `op_${i}`), caller));
  const notion = Array.from({ length: 15 }, (_, i) => createMcpTool('notion', { name: `page_${i}`, description: 'Read or update a Notion page by its id; returns blocks as Markdown.', inputSchema: { type: 'object', properties: { page_id: { type: 'string' }, text: { type: 'string' } } } }, caller));
  const tiny = Array.from({ length: 5 }, (_, i) => createMcpTool('tiny', { name: `t${i}`, description: 'tiny', inputSchema: { type: 'object' } }, caller));
  return [...tiny, ...gh, ...notion];
}

const mcpNames = (req: RecordedRequest): string[] => toolNames(req).filter((n) => n.startsWith('mcp__'));
/** The tool definitions as the provider received them (OpenAI format). */
const definitions = (req: RecordedRequest): { function: { name: string; parameters: Record<string, unknown> } }[] =>
  (req.body?.tools ?? []) as { function: { name: string; parameters: Record<string, unknown> } }[];

async function open(tools: AnyTool[], storeDir?: string): Promise<Harness> {
  return startHarness({ fake, deps: { mcp: { tools: () => tools }, ...(storeDir ? { store: new JsonlSessionStore({ directory: storeDir }) } : {}) } });
}
const full: Partial<SessionConfig> = { mode: 'full', rules: [{ action: 'allow', pattern: 'mcp__*', scope: 'session' }] };

void describe('tool budget: costs, on-demand loading, switched-off tools', () => {
  void test('the budget: a tenth of the window, at most 8k tokens', () => {
    assert.equal(toolBudgetFor(200_000), MAX_TOOL_BUDGET_TOKENS);
    assert.equal(toolBudgetFor(32_000), 3_200);
    assert.equal(toolBudgetFor(undefined), MAX_TOOL_BUDGET_TOKENS);
  });

  void test('under the budget: every definition sent, $schema stripped, costs listed; a wrong call is refused with the prefix once', async () => {
    fake.reset();
    served.length = 0;
    const tools = servers().filter((t) => t.mcp?.server === 'github').slice(0, 3);
    const h = await open(tools);
    const s = await h.manager.create({ config: full });
    let step = 0;
    fake.setResponder(() => (step++ === 0 ? script.toolCall('mcp__github__create_pull_request', { owner: 'o', repo: 'r', head: 'x', base: 5 }) : script.text('done')));
    await h.manager.send(s.id, 'open a PR');
    await h.manager.whenIdle(s.id);
    const [r1, r2] = fake.requests;
    assert.deepEqual(mcpNames(r1), tools.map((t) => t.name));
    assert.ok(!toolNames(r1).includes('search_tools'));
    const pr = definitions(r1).find((d) => d.function.name === 'mcp__github__create_pull_request');
    assert.ok(pr && !('$schema' in pr.function.parameters), 'no $schema in what the provider got');
    assert.ok(!r1.rawBody.includes('json-schema.org'), 'no $schema anywhere in the request');
    const result = lastToolResult(r2)?.content ?? '';
    assert.match(result, /^Invalid arguments for mcp__github__create_pull_request: \/base: must be string/);
    assert.equal(result.split('Invalid arguments').length - 1, 1, 'prefix once');
    assert.deepEqual(served, [], 'the refused call never reached the server');
    const info = h.manager.get(s.id)?.knowledge?.tools;
    assert.ok(info && !info.onDemand && info.budget === MAX_TOOL_BUDGET_TOKENS);
    assert.equal(info.sentTokens, info.allTokens);
    const row = info.tools.find((t) => t.name === 'mcp__github__create_pull_request');
    assert.ok(row && row.server === 'github' && row.tokens > 50 && !row.deferred);
    assert.ok(info.tools.some((t) => t.name === 'echo' && t.server === undefined), 'built-ins listed too');
    await h.close();
  });

  void test('60 tools over the budget: deferred behind search_tools, loaded on request, appended, kept across a reload', async () => {
    fake.reset();
    served.length = 0;
    const storeDir = join(dir, 'store-budget');
    const tools = servers();
    const h = await open(tools, storeDir);
    const s = await h.manager.create({ config: full });
    fake.enqueue(
      script.toolCall('search_tools', { query: 'pull request' }),
      script.toolCall('search_tools', { load: ['mcp__github__create_pull_request', 'mcp__nope'] }),
      script.toolCall('mcp__github__create_pull_request', { owner: 'o', repo: 'r' }),
      script.text('done'),
    );
    await h.manager.send(s.id, 'open a PR');
    await h.manager.whenIdle(s.id);
    const [r1, r2, r3, r4] = fake.requests;
    // First request: search_tools instead of the 40 GitHub definitions; the cheaper servers still sent.
    assert.ok(toolNames(r1).includes('search_tools'));
    assert.deepEqual(mcpNames(r1), tools.filter((t) => t.mcp?.server !== 'github').map((t) => t.name));
    assert.ok(!r1.rawBody.includes('mcp__github__'), 'no deferred definition in the request');
    const found = lastToolResult(r2)?.content ?? '';
    assert.match(found, /^\d+ matching deferred tools?.*:\n- mcp__github__create_pull_request: create pull request in a GitHub repository/);
    assert.match(lastToolResult(r3)?.content ?? '', /Loaded: mcp__github__create_pull_request\. .*\nNot deferred tools .*mcp__nope/);
    // From the next request on: its definition is sent, appended at the end (the prefix stays the same).
    assert.equal(toolNames(r3).at(-1), 'mcp__github__create_pull_request');
    assert.deepEqual(toolNames(r3).slice(0, -1), toolNames(r1), 'stable order: the earlier list is a prefix');
    assert.equal(r3.rawBody.indexOf('"tools"') > 0 && JSON.stringify(r3.body?.tools).startsWith(JSON.stringify(r1.body?.tools).slice(0, -1)), true, 'same bytes before the appended tool');
    assert.equal(lastToolResult(r4)?.content, 'create_pull_request ran');
    assert.deepEqual(served, [['github/create_pull_request', { owner: 'o', repo: 'r' }]]);
    const snap = h.manager.get(s.id);
    assert.deepEqual(snap?.loadedTools, ['mcp__github__create_pull_request']);
    // The listing the Context panel asks for (the recorded one is from the turn's start).
    const info = (await h.manager.knowledge(s.id)).tools;
    assert.ok(info?.onDemand);
    assert.ok(info.allTokens > info.budget && info.sentTokens < info.allTokens);
    assert.equal(info.tools.filter((t) => t.deferred).length, 40);
    assert.deepEqual(info.tools.filter((t) => t.loaded).map((t) => t.name), ['mcp__github__create_pull_request']);
    await h.close();
    // Reload: the fold of the log gives the loaded tools back, and the next request carries it again.
    fake.reset();
    const h2 = await open(tools, storeDir);
    assert.deepEqual((await h2.manager.open(s.id)).loadedTools, ['mcp__github__create_pull_request']);
    fake.setResponder(() => script.text('ok'));
    await h2.manager.send(s.id, 'again');
    await h2.manager.whenIdle(s.id);
    assert.equal(toolNames(fake.requests[0]).at(-1), 'mcp__github__create_pull_request');
    await h2.close();
  });

  void test('a deferred tool called by name before it was loaded runs and is loaded from then on', async () => {
    fake.reset();
    served.length = 0;
    const h = await open(servers());
    const s = await h.manager.create({ config: full });
    fake.enqueue(script.toolCall('mcp__github__op_7', { owner: 'o', repo: 'r' }), script.text('done'));
    await h.manager.send(s.id, 'go');
    await h.manager.whenIdle(s.id);
    assert.equal(lastToolResult(fake.requests[1])?.content, 'op_7 ran');
    assert.equal(toolNames(fake.requests[1]).at(-1), 'mcp__github__op_7');
    assert.deepEqual(h.manager.get(s.id)?.loadedTools, ['mcp__github__op_7']);
    await h.close();
  });

  void test('disabledTools: a switched-off tool is neither sent nor callable, and listed as off', async () => {
    fake.reset();
    served.length = 0;
    const tools = servers().filter((t) => t.mcp?.server === 'notion');
    const h = await open(tools);
    const s = await h.manager.create({ config: full });
    await h.manager.updateConfig(s.id, { disabledTools: ['mcp__notion__page_3', 'echo'] });
    fake.enqueue(script.toolCall('mcp__notion__page_3', { page_id: 'p' }), script.text('done'));
    await h.manager.send(s.id, 'go');
    await h.manager.whenIdle(s.id);
    const [r1, r2] = fake.requests;
    assert.ok(!toolNames(r1).includes('mcp__notion__page_3') && !toolNames(r1).includes('echo'));
    assert.ok(toolNames(r1).includes('mcp__notion__page_4'));
    assert.match(lastToolResult(r2)?.content ?? '', /Unknown tool "mcp__notion__page_3"/);
    assert.deepEqual(served, []);
    const rows = h.manager.get(s.id)?.knowledge?.tools?.tools ?? [];
    assert.deepEqual(rows.filter((t) => t.disabled).map((t) => t.name).sort(), ['echo', 'mcp__notion__page_3']);
    await h.close();
  });

  void test('an uncompilable schema: offered, listed with its problem, every call fails saying so', async () => {
    fake.reset();
    served.length = 0;
    const broken = createMcpTool('b', { name: 'q', inputSchema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } } }, caller);
    const h = await open([broken]);
    const s = await h.manager.create({ config: full });
    fake.enqueue(script.toolCall('mcp__b__q', { a: 1 }), script.text('done'));
    await h.manager.send(s.id, 'go');
    await h.manager.whenIdle(s.id);
    assert.ok(toolNames(fake.requests[0]).includes('mcp__b__q'));
    assert.match(lastToolResult(fake.requests[1])?.content ?? '', /^mcp__b__q cannot be called: the input schema server "b" gives for it is invalid \(can't resolve reference #\/\$defs\/missing/);
    assert.deepEqual(served, []);
    const row = h.manager.get(s.id)?.knowledge?.tools?.tools.find((t) => t.name === 'mcp__b__q');
    assert.match(row?.schemaProblem ?? '', /can't resolve reference/);
    await h.close();
  });
});

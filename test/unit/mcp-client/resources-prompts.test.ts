/** Resources (list_mcp_resources / read_mcp_resource) and prompts against the real server-everything. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpManager } from '../../../src/core/mcp/manager';
import type { AnyTool, ToolContext } from '../../../src/core/tools/types';
import { nullLogger } from '../../../src/core/ports';
import { resourceContentsText } from '../../../src/core/mcp/resources';
import { startEverything } from './everything';

function ctx(): ToolContext {
  return { sessionId: 's', callId: 'c', workspaceRoots: ['/tmp'], signal: new AbortController().signal, onOutput: () => undefined, tasks: { get: () => [], set: () => undefined }, logger: nullLogger };
}

async function run(tool: AnyTool, args: unknown): Promise<{ content: string; isError?: boolean }> {
  const v = tool.validate(args);
  assert.ok(v.ok, v.ok ? '' : v.error);
  return tool.execute(v.value, ctx());
}

void describe('MCP resources and prompts (server-everything)', () => {
  let mgr: McpManager;
  before(async () => { mgr = await startEverything({ tools: ['mcp__everything__echo'] }); });
  after(async () => { await mgr.shutdown(); });

  const tool = (name: string): AnyTool => {
    const t = mgr.tools().find((x) => x.name === name);
    assert.ok(t, `${name} offered`);
    return t;
  };

  void test('the resource tools are offered while a server has resources, not when it is switched off for the session', () => {
    assert.ok(mgr.tools().some((t) => t.name === 'list_mcp_resources'));
    assert.ok(mgr.tools().some((t) => t.name === 'read_mcp_resource'));
    assert.ok(!mgr.tools(new Set(['everything'])).some((t) => t.name === 'list_mcp_resources'));
  });

  void test('list_mcp_resources lists URIs, names and types; paging goes on with nextCursor', async () => {
    const out = await run(tool('list_mcp_resources'), {});
    assert.equal(out.isError, undefined);
    assert.match(out.content, /^Server everything:/);
    assert.match(out.content, /- demo:\/\/resource\/static\/document\/\S+ \| name: \S+ \| type: \S+/);
    const one = await run(tool('list_mcp_resources'), { server: 'everything' });
    assert.equal(one.content, out.content);
    const missing = await run(tool('list_mcp_resources'), { server: 'nope' });
    assert.equal(missing.isError, true);
    assert.match(missing.content, /No connected MCP server named "nope".*everything/);
    const cursorAlone = await run(tool('list_mcp_resources'), { cursor: 'x' });
    assert.equal(cursorAlone.isError, true);
  });

  void test('read_mcp_resource returns a listed text resource\'s text', async () => {
    const listed = await run(tool('list_mcp_resources'), {});
    const uri = /- (demo:\/\/resource\/static\/document\/\S+)/.exec(listed.content)![1];
    const out = await run(tool('read_mcp_resource'), { server: 'everything', uri });
    assert.equal(out.isError, undefined);
    assert.ok(out.content.startsWith(`[${uri}`));
    assert.ok(out.content.length > uri.length + 20, 'the document\'s text is there');
    const bad = await run(tool('read_mcp_resource'), { server: 'everything', uri: 'demo://resource/dynamic/text/0' });
    assert.equal(bad.isError, true);
    assert.match(bad.content, /failed/);
  });

  void test('blobs are summarised by type and size; long text is capped', () => {
    const text = resourceContentsText([{ uri: 'x://b', mimeType: 'image/png', blob: Buffer.alloc(1000).toString('base64') }, { uri: 'x://t', text: 'a'.repeat(100) }], 40);
    assert.match(text, /\[x:\/\/b \(image\/png\)\]\nbinary content, 1000 bytes/);
    assert.match(text, /\[x:\/\/t\]\na{40}\n\[… 60 more characters not shown\]/);
  });

  void test('prompts: listed with their arguments; one with arguments and an embedded resource becomes text', async () => {
    const prompts = await mgr.prompts();
    const names = prompts.map((p) => p.name);
    for (const n of ['simple-prompt', 'args-prompt', 'resource-prompt']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const args = prompts.find((p) => p.name === 'args-prompt')!;
    assert.deepEqual(args.arguments.map((a) => [a.name, a.required]), [['city', true], ['state', false]]);
    assert.equal(args.server, 'everything');
    assert.match(await mgr.prompt('everything', 'args-prompt', { city: 'Lyon' }), /weather in Lyon/);
    const embedded = await mgr.prompt('everything', 'resource-prompt', { resourceType: 'Text', resourceId: '3' });
    assert.match(embedded, /Please analyze the following resource:\n\n\[demo:\/\/resource\/dynamic\/text\/3 \(text\/plain\)\]\n\S/);
    await assert.rejects(mgr.prompt('nope', 'x', {}), (e: Error & { code?: string }) => e.code === 'not_found');
    await assert.rejects(mgr.prompt('everything', 'no-such-prompt', {}), (e: Error & { code?: string }) => e.code === 'tool_failed');
  });
});

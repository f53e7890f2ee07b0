import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Emitter } from '../../../src/core/base/emitter';
import { parseConfigText, resolveServerConfig } from '../../../src/core/mcp/config';
import { ctx, manager, SERVER, stdioConfig, waitStatus } from './helpers';

async function startHttpServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const http: HttpServer = createServer((req, res) => {
    // Stateless: a fresh server + transport per request (the SDK's documented stateless pattern).
    const server = new Server({ name: 'http-test', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'shout', description: 'Upper-case.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] }));
    server.setRequestHandler(CallToolRequestSchema, async (r) => ({ content: [{ type: 'text', text: String(r.params.arguments?.text).toUpperCase() }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => { void transport.close(); void server.close(); });
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => new Promise((r) => { http.closeAllConnections(); http.close(() => r()); }) };
}

void describe('MCP: HTTP transport, trust, approval, config', () => {
  void test('Streamable HTTP server: tools listed and called', async () => {
    const srv = await startHttpServer();
    const { mgr } = manager();
    await mgr.add({ name: 'web', type: 'http', url: srv.url, headers: { Authorization: 'Bearer sk-test-123' }, source: { kind: 'settings', scope: 'user' } });
    assert.equal(mgr.status('web')!.state, 'connected');
    const shout = mgr.tools().find((t) => t.name === 'mcp__web__shout')!;
    assert.equal((await shout.execute({ text: 'hi' }, ctx())).content, 'HI');
    await mgr.shutdown();
    await srv.close();
  });

  void test('untrusted workspace: workspace servers are blocked, user servers start; trusting starts them', async () => {
    let trusted = false;
    const trustEvents = new Emitter<boolean>();
    const { mgr, asked } = manager({ trust: { isTrusted: () => trusted, onDidChangeTrust: trustEvents.event } });
    await mgr.add(stdioConfig('ws', [], 'workspace'));
    await mgr.add(stdioConfig('usr', [], 'user'));
    assert.deepEqual(mgr.status('ws'), { state: 'blocked', reason: 'untrusted', message: 'Workspace MCP servers do not start in an untrusted workspace.' });
    assert.equal(mgr.status('usr')!.state, 'connected');
    assert.deepEqual(asked, [], 'never asks while untrusted');
    trusted = true;
    trustEvents.fire(true);
    await waitStatus(mgr, 'ws', (s) => s.state === 'connected');
    assert.equal(asked.length, 1);
    await mgr.shutdown();
  });

  void test('approval is asked once per config, again when args change; a "no" blocks', async () => {
    const answers = [true, false];
    const asked: string[] = [];
    const { mgr, store } = manager({ approval: { confirmStart: async (r) => { asked.push(r.summary); return answers.shift()!; } } });
    await mgr.add(stdioConfig('ws', [], 'workspace'));
    assert.equal(mgr.status('ws')!.state, 'connected');
    await mgr.restart('ws');
    await mgr.add(stdioConfig('ws', [], 'workspace'));
    assert.equal(asked.length, 1, 'same command: asked once');
    await mgr.add(stdioConfig('ws', ['--stderr=x'], 'workspace'));
    assert.equal(asked.length, 2, 'args changed: asked again');
    assert.match(asked[1]!, /test-server\.mjs --stderr=x$/);
    assert.equal(mgr.status('ws')!.state, 'blocked');
    assert.equal(store.values.size, 2);
    await mgr.shutdown();
  });

  void test('config files: both formats, variables, source remembered', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mcpcfg-'));
    mkdirSync(join(root, '.vscode'));
    writeFileSync(join(root, '.vscode', 'mcp.json'), `{
      // JSONC comment
      "inputs": [{ "type": "promptString", "id": "token", "password": true }],
      "servers": {
        "a": { "type": "stdio", "command": "${process.execPath.replace(/\\/g, '\\\\')}", "args": ["${SERVER}", "--stderr=\${input:token}"], "cwd": "\${workspaceFolder}" },
        "bad": { "type": "stdio" },
      }
    }`);
    writeFileSync(join(root, '.mcp.json'), JSON.stringify({ mcpServers: { b: { url: 'http://127.0.0.1:1/mcp', headers: { X: '${env:MCP_TEST_X}' } } } }));
    const inputsAsked: string[] = [];
    const { mgr } = manager({
      workspaceRoot: root, env: { ...process.env, MCP_TEST_X: 'from-env' }, connectTimeoutMs: 2000, backoff: { maxAttempts: 0 },
      inputs: { resolve: async (_s, def, id) => { inputsAsked.push(`${id}:${String(def?.password)}`); return 'secret'; } },
    });
    const diags = await mgr.loadWorkspaceConfig();
    assert.equal(diags.length, 1);
    assert.match(diags[0]!.message, /"bad".*command/);
    const list = mgr.list();
    assert.deepEqual(list.map((s) => [s.name, s.source.kind, s.source.path]), [
      ['a', 'vscode-mcp-json', join(root, '.vscode', 'mcp.json')], ['b', 'mcp-json', join(root, '.mcp.json')],
    ]);
    assert.equal(mgr.status('a')!.state, 'connected');
    assert.deepEqual(inputsAsked, ['token:true']);
    assert.equal(mgr.status('b')!.state, 'failed');
    const parsed = parseConfigText(JSON.stringify({ mcpServers: { b: { url: 'http://h/${env:MCP_TEST_X}' } } }), { kind: 'mcp-json', scope: 'workspace' });
    const resolved = await resolveServerConfig(parsed.servers[0]!, { workspaceRoot: root, env: { MCP_TEST_X: 'v' }, inputs: [] });
    assert.ok(resolved.type === 'http' && resolved.url === 'http://h/v');
    await mgr.shutdown();
  });
});

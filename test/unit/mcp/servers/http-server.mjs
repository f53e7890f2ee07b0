// A real MCP server over HTTP for the tests, written with the SDK, run as a child process so the
// test process can measure its own memory without the server's 50 MB strings in the way.
// Prints "PORT <n>" on stdout once listening on 127.0.0.1 (--port=N to reuse a port after a restart),
// and "CALL <tool>" when a tool call arrives.
//   POST/GET/DELETE /mcp        Streamable HTTP, stateless (SSE responses; JSON with --json)
//   GET /sse + POST /messages   the old HTTP+SSE transport (SSEServerTransport); POST /sse → 404,
//                               as an old Express server without a route for it answers
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const json = process.argv.includes('--json');
const port = Number(process.argv.find((a) => a.startsWith('--port='))?.slice(7) ?? 0);
const tools = [
  { name: 'echo', description: 'Echo the text back.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  { name: 'big', description: 'Return a huge text.', inputSchema: { type: 'object', properties: { mb: { type: 'number' } }, required: ['mb'] } },
  { name: 'slow', description: 'Wait ms milliseconds.', inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] } },
  { name: 'add_tool', description: 'Register a new tool at runtime and announce it.', inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
];
/** Live legacy-SSE servers, so add_tool can notify every connected client. */
const legacy = new Map();

function makeServer() {
  const server = new Server({ name: 'http-test', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const a = req.params.arguments ?? {};
    const text = (t) => ({ content: [{ type: 'text', text: t }] });
    // Tests wait for this line (startHttpChild().output) instead of sleeping until a call arrived.
    process.stdout.write(`CALL ${req.params.name}\n`);
    switch (req.params.name) {
      case 'echo': return text(`echo: ${a.text}`);
      case 'slow': await new Promise((r) => setTimeout(r, a.ms)); return text(`waited ${a.ms}`);
      case 'big': return text('x'.repeat(Math.floor(a.mb * 1024 * 1024)));
      case 'add_tool':
        tools.push({ name: String(a.name), description: 'Added at runtime.', inputSchema: { type: 'object', properties: {} } });
        for (const { server: s } of legacy.values()) void s.sendToolListChanged();
        return text('added');
      default: return { content: [{ type: 'text', text: `unknown tool ${req.params.name}` }], isError: true };
    }
  });
  return server;
}

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/mcp') {
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
    res.on('close', () => { void transport.close(); void server.close(); });
    void server.connect(transport).then(() => transport.handleRequest(req, res));
    return;
  }
  if (url.pathname === '/sse' && req.method === 'GET') {
    const server = makeServer();
    const transport = new SSEServerTransport('/messages', res);
    legacy.set(transport.sessionId, { server, transport });
    res.on('close', () => { legacy.delete(transport.sessionId); void server.close(); });
    void server.connect(transport);
    return;
  }
  if (url.pathname === '/messages' && req.method === 'POST') {
    const entry = legacy.get(url.searchParams.get('sessionId'));
    if (!entry) { res.writeHead(404).end('Unknown session'); return; }
    void entry.transport.handlePostMessage(req, res).catch(() => undefined);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/html' }).end(`Cannot ${req.method} ${url.pathname}`);
});
http.listen(port, '127.0.0.1', () => process.stdout.write(`PORT ${http.address().port}\n`));
process.stdin.on('end', () => process.exit(0)); // the test closed our stdin: leave
process.stdin.resume();

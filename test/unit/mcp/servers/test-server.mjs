// A real MCP server over stdio for the tests, written with the SDK's low-level Server.
// Modes: node test-server.mjs [--hang-init] [--stderr=TEXT]
import { spawn } from 'node:child_process';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const stderrText = args.find((a) => a.startsWith('--stderr='))?.slice(9);
if (stderrText) for (let i = 0; i < 60; i++) console.error(`${stderrText} line ${i}`);
if (args.includes('--hang-init')) {
  process.stdin.resume(); // read forever, never answer
} else {
  const server = new Server({ name: 'test-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  const tools = [
    { name: 'echo', description: 'Echo the text back.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
    { name: 'add', description: 'Add two numbers.', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false } },
    { name: 'slow', description: 'Wait ms milliseconds.', inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] } },
    { name: 'crash', description: 'Exit mid-call.', inputSchema: { type: 'object', properties: {} } },
    { name: 'big', description: 'Return a huge text.', inputSchema: { type: 'object', properties: { mb: { type: 'number' } }, required: ['mb'] } },
    { name: 'image', description: 'Return an image.', inputSchema: { type: 'object', properties: {} } },
    { name: 'grandchild', description: 'Spawn a long-lived grandchild; returns its pid.', inputSchema: { type: 'object', properties: {} } },
    { name: 'weird name!', description: 'Needs sanitising.', inputSchema: { type: 'object', properties: {} } },
    { name: 'list_calls', description: 'How many tools/list requests this server answered.', inputSchema: { type: 'object', properties: {} } },
    { name: 'add_tool', description: 'Register new tools at runtime; announce each (notifications/tools/list_changed).', inputSchema: { type: 'object', properties: { names: { type: 'array', items: { type: 'string' } } }, required: ['names'] } },
  ];
  let listCalls = 0;
  server.setRequestHandler(ListToolsRequestSchema, async () => { listCalls++; return { tools }; });
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const a = req.params.arguments ?? {};
    const text = (t) => ({ content: [{ type: 'text', text: t }] });
    switch (req.params.name) {
      case 'echo': return text(`echo: ${a.text}`);
      case 'add': return text(String(a.a + a.b));
      case 'slow':
        await new Promise((resolve) => {
          const t = setTimeout(resolve, a.ms);
          extra.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); });
        });
        return text(`waited ${a.ms}`);
      case 'crash':
        console.error('about to crash');
        setTimeout(() => process.exit(3), 50);
        return new Promise(() => undefined);
      case 'big': return text('x'.repeat(Math.floor(a.mb * 1024 * 1024)));
      case 'image': return { content: [{ type: 'image', data: Buffer.alloc(3000).toString('base64'), mimeType: 'image/png' }, { type: 'text', text: 'caption' }] };
      case 'grandchild': {
        const c = spawn('sleep', ['300'], { stdio: 'ignore' });
        return text(String(c.pid));
      }
      case 'weird name!': return text('ok');
      case 'add_tool':
        for (const name of a.names) {
          tools.push({ name, description: `Added at runtime: ${name}.`, inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } });
          await server.sendToolListChanged();
        }
        return text(`added ${a.names.length}`);
      case 'list_calls': return text(String(listCalls));
      default:
        if (tools.some((t) => t.name === req.params.name)) return text(`${req.params.name}(${a.n})`);
        return { content: [{ type: 'text', text: 'unknown tool' }], isError: true };
    }
  });
  await server.connect(new StdioServerTransport());
}

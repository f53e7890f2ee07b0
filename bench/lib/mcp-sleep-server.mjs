// A real MCP server over stdio for B11 (bench/cases/b11-lanes.ts), written with the SDK's
// low-level Server: one tool, `sleep`, that waits `ms` milliseconds (default 50) and is annotated
// read-only (`readOnlyHint: true`), the hint that lets a session run such calls concurrently.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const server = new Server({ name: 'bench-sleep', version: '1.0.0' }, { capabilities: { tools: {} } });
const tools = [{
  name: 'sleep',
  description: 'Waits ms milliseconds (default 50), then answers; reads and changes nothing.',
  inputSchema: { type: 'object', properties: { ms: { type: 'number' } } },
  annotations: { title: 'Sleep', readOnlyHint: true },
}];
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
  if (req.params.name !== 'sleep') return { content: [{ type: 'text', text: `no tool ${req.params.name}` }], isError: true };
  const ms = typeof req.params.arguments?.ms === 'number' ? req.params.arguments.ms : 50;
  const started = Date.now();
  await new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    extra.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); });
  });
  return { content: [{ type: 'text', text: `slept ${ms} ms (from ${started})` }] };
});
await server.connect(new StdioServerTransport());

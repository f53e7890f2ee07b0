// A tiny real MCP server over stdio for the root-knowledge tests: one tool, `where`, answering
// with the folder the server runs in, its pid and its arguments (so a test can tell which
// folder a server was started for, and which process answered).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const server = new Server({ name: 'where-server', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: 'where', description: 'Where this server runs.', inputSchema: { type: 'object', properties: {} } }],
}));
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  if (req.params.name !== 'where') return { content: [{ type: 'text', text: 'unknown tool' }], isError: true };
  const text = JSON.stringify({ cwd: process.cwd(), pid: process.pid, args: process.argv.slice(2) });
  return { content: [{ type: 'text', text }] };
});
await server.connect(new StdioServerTransport());

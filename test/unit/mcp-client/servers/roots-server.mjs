// A real MCP server over stdio (the SDK's low-level Server) whose one tool asks the client for
// roots/list while it runs, as servers that work on "the project" do (e.g. the filesystem server).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const server = new Server({ name: 'roots-server', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: 'where', description: 'Lists the client\'s roots (asked during the call).', inputSchema: { type: 'object', properties: {} } }],
}));
server.setRequestHandler(CallToolRequestSchema, async () => {
  const { roots } = await server.listRoots();
  return { content: [{ type: 'text', text: JSON.stringify(roots) }] };
});
await server.connect(new StdioServerTransport());

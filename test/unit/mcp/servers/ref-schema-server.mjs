// A real MCP server over stdio whose tools have the schemas popular servers ship (written for the
// tests): a `$ref` into its own properties with `$schema` draft-07 (zod-to-json-schema's output),
// `$defs` refs under 2020-12 (zod 4 / pydantic), and one schema that cannot compile. Calls echo
// their arguments, so a test sees exactly what reached the server.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const tools = [
  {
    name: 'create_pull_request', description: 'Create a new pull request in a GitHub repository',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false,
      properties: {
        owner: { type: 'string' }, repo: { type: 'string' }, head: { type: 'string' },
        base: { $ref: '#/properties/head' }, reviewers: { type: 'array', items: { $ref: '#/properties/owner' } },
      },
      required: ['owner', 'repo', 'head', 'base'],
    },
  },
  {
    name: 'query', description: 'Query a database with filters',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
      $defs: { Filter: { type: 'object', properties: { field: { type: 'string' }, op: { enum: ['eq', 'lt', 'gt'] } }, required: ['field', 'op'] } },
      properties: { filters: { type: 'array', items: { $ref: '#/$defs/Filter' } } },
      required: ['filters'],
    },
  },
  { name: 'broken', description: 'A tool whose schema points nowhere', inputSchema: { type: 'object', properties: { x: { $ref: '#/$defs/Missing' } } } },
];

const server = new Server({ name: 'ref-schema-server', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (req) => ({ content: [{ type: 'text', text: `${req.params.name} got ${JSON.stringify(req.params.arguments ?? {})}` }] }));
await server.connect(new StdioServerTransport());

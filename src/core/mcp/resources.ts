/**
 * MCP resources for the model: `list_mcp_resources` (every server that has the resources
 * capability, or one; paginated with the server's cursor) and `read_mcp_resource` (one resource's
 * text; binary contents summarised by type and size), the pair Claude Code offers too. Offered
 * only while a connected server has the resources capability.
 */
import { z } from 'zod';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { defineTool } from '../tools/define';
import type { AnyTool } from '../tools/types';

/** A connected server whose client the resource tools may use. */
export interface ResourceServer {
  name: string;
  client: Client;
}

/** What the resource tools need from the manager: the connected servers with the resources capability. */
export interface ResourceServers {
  resourceServers(): ResourceServer[];
  callTimeoutMs(server: string): number;
}

/** Most characters of resource text returned by one read. */
export const MAX_RESOURCE_CHARS = 50_000;
/** Most resources listed per server and page. */
const MAX_LISTED = 200;

const listSchema = z.object({
  server: z.string().min(1).max(200).optional().describe('Only this MCP server (its configured name). Default: every server with resources.'),
  cursor: z.string().max(2000).optional().describe('The nextCursor of a previous page (needs server).'),
});
const readSchema = z.object({
  server: z.string().min(1).max(200).describe('The MCP server that lists the resource.'),
  uri: z.string().min(1).max(4000).describe('The resource URI, as listed.'),
});

function pick(source: ResourceServers, server: string | undefined): ResourceServer[] {
  const all = source.resourceServers();
  if (server === undefined) return all;
  const one = all.filter((s) => s.name === server);
  if (one.length === 0) {
    throw new Error(`No connected MCP server named "${server}" offers resources (servers with resources: ${all.map((s) => s.name).join(', ') || 'none'}).`);
  }
  return one;
}

/** One page of a server's resources as lines for the model. */
async function listPage(s: ResourceServer, cursor: string | undefined, signal: AbortSignal, timeout: number): Promise<string> {
  const page = await s.client.listResources(cursor ? { cursor } : {}, { signal, timeout });
  const rows = page.resources.slice(0, MAX_LISTED).map((r) => {
    const bits = [`- ${r.uri}`, r.name ? `name: ${r.name}` : '', r.mimeType ? `type: ${r.mimeType}` : ''].filter(Boolean).join(' | ');
    return r.description ? `${bits}\n  ${r.description.replace(/\s+/g, ' ').slice(0, 300)}` : bits;
  });
  const more = page.resources.length > MAX_LISTED ? [`(${page.resources.length - MAX_LISTED} more on this page not shown)`] : [];
  const next = page.nextCursor ? [`nextCursor: ${page.nextCursor} (call again with server "${s.name}" and this cursor for more)`] : [];
  return [`Server ${s.name}:`, ...(rows.length > 0 ? rows : ['(no resources)']), ...more, ...next].join('\n');
}

/** A read result as text: text contents whole (capped), blobs by type and size. */
export function resourceContentsText(contents: readonly { uri: string; mimeType?: string; text?: string; blob?: string }[], maxChars = MAX_RESOURCE_CHARS): string {
  let left = maxChars;
  const parts = contents.map((c) => {
    const head = `[${c.uri}${c.mimeType ? ` (${c.mimeType})` : ''}]`;
    if (typeof c.text === 'string') {
      const text = c.text.length > left ? `${c.text.slice(0, Math.max(0, left))}\n[… ${c.text.length - Math.max(0, left)} more characters not shown]` : c.text;
      left -= Math.min(left, c.text.length);
      return `${head}\n${text}`;
    }
    const bytes = typeof c.blob === 'string' ? Math.floor((c.blob.length * 3) / 4) - (c.blob.endsWith('==') ? 2 : c.blob.endsWith('=') ? 1 : 0) : 0;
    return `${head}\nbinary content, ${bytes} bytes (not shown)`;
  });
  return parts.length > 0 ? parts.join('\n\n') : '(the resource is empty)';
}

/** The two resource tools, reading the manager's connected servers at each call. */
export function createResourceTools(source: ResourceServers): AnyTool[] {
  const list = defineTool({
    name: 'list_mcp_resources',
    description: 'List the resources (files, documents, data) that connected MCP servers offer: URI, name, type and description. Read one with read_mcp_resource.',
    schema: listSchema,
    kind: 'read',
    readOnly: true,
    async describe(args) { return { summary: `list MCP resources${args.server ? ` of ${args.server}` : ''}`, target: args.server ?? 'all servers' }; },
    async execute(args, ctx) {
      if (args.cursor && !args.server) return { content: 'A cursor belongs to one server: give server too.', isError: true };
      try {
        const servers = pick(source, args.server);
        const pages = await Promise.all(servers.map((s) => listPage(s, args.cursor, ctx.signal, source.callTimeoutMs(s.name))
          .catch((e: unknown) => `Server ${s.name}: listing failed: ${e instanceof Error ? e.message : String(e)}`)));
        return { content: pages.join('\n\n') || 'No connected MCP server offers resources.' };
      } catch (e) {
        return { content: e instanceof Error ? e.message : String(e), isError: true };
      }
    },
  });
  const read = defineTool({
    name: 'read_mcp_resource',
    description: 'Read one resource of an MCP server by its URI (from list_mcp_resources). Text is returned; binary content is described by type and size.',
    schema: readSchema,
    kind: 'read',
    readOnly: true,
    async describe(args) { return { summary: `read ${args.uri} from ${args.server}`, target: args.uri }; },
    async execute(args, ctx) {
      try {
        const [s] = pick(source, args.server);
        const result = await s.client.readResource({ uri: args.uri }, { signal: ctx.signal, timeout: source.callTimeoutMs(s.name) });
        return { content: resourceContentsText(result.contents as { uri: string; mimeType?: string; text?: string; blob?: string }[]) };
      } catch (e) {
        return { content: `Reading ${args.uri} from ${args.server} failed: ${e instanceof Error ? e.message : String(e)}`, isError: true };
      }
    },
  });
  return [list, read];
}

/** `mcp.*`: the MCP server overview (and from then on `mcp` pushes) and global server actions. */
import { AgentError } from '../../../core/base/errors';
import type { HandlerMap } from './types';

export const mcpHandlers: HandlerMap<'mcp.list' | 'mcp.action'> = {
  'mcp.list': async (_p, ctx) => {
    ctx.connection.watchMcp();
    return ctx.knowledge ? ctx.knowledge.mcpOverview() : { servers: [], problems: [] };
  },

  'mcp.action': async (p, ctx) => {
    if (!ctx.knowledge) throw new AgentError('not_found', `No MCP server named "${p.name}".`);
    await ctx.knowledge.mcpAction(p.name, p.action);
    return {};
  },
};

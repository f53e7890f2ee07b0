/**
 * `questions.answer` (an MCP server's elicitation or sampling question, answered from its card)
 * and `mcp.prompts` / `mcp.prompt` (server prompts offered as slash commands in the composer).
 */
import { AgentError } from '../../../core/base/errors';
import type { HandlerMap } from './types';

export const mcpClientHandlers: HandlerMap<'questions.answer' | 'mcp.prompts' | 'mcp.prompt'> = {
  'questions.answer': async (p, ctx) => {
    if (!ctx.manager.answerQuestion) throw new AgentError('invalid_state', 'This host does not answer MCP server questions.');
    await ctx.manager.answerQuestion(p.sessionId, p.questionId, p.action, p.content);
    return {};
  },

  'mcp.prompts': async (p, ctx) => {
    const snapshot = ctx.manager.get(p.sessionId) ?? await ctx.manager.open(p.sessionId);
    const prompts = await ctx.knowledge?.mcpPrompts?.(snapshot.config.disabledMcpServers ?? []) ?? [];
    return { prompts };
  },

  'mcp.prompt': async (p, ctx) => {
    const snapshot = ctx.manager.get(p.sessionId) ?? await ctx.manager.open(p.sessionId);
    if (snapshot.config.disabledMcpServers?.includes(p.server)) throw new AgentError('not_found', `MCP server "${p.server}" is switched off for this session.`);
    if (!ctx.knowledge?.mcpPrompt) throw new AgentError('not_found', `MCP server "${p.server}" offers no prompts here.`);
    return { text: await ctx.knowledge.mcpPrompt(p.server, p.name, p.args) };
  },
};

/** `worktrees.*` and `sessions.terminal`: sessions' own git worktrees and terminals, delegated to core's WorktreeApi and the host's dialogs. */
import { AgentError } from '../../../core/base/errors';
import type { WorktreeApi } from '../../../core/worktree/types';
import type { HandlerContext, HandlerMap } from './types';

type WorktreeMethods = 'worktrees.support' | 'worktrees.status' | 'worktrees.action' | 'sessions.terminal';

function worktreesOf(ctx: HandlerContext): WorktreeApi {
  const w = ctx.manager.worktrees;
  if (!w) throw new AgentError('invalid_state', 'This host cannot give sessions worktrees.');
  return w;
}

export const worktreeHandlers: HandlerMap<WorktreeMethods> = {
  'worktrees.support': async (_p, ctx) => {
    const w = ctx.manager.worktrees;
    return { support: w ? await w.support() : { available: false as const, reason: 'this host cannot give sessions worktrees' } };
  },
  'worktrees.status': async (p, ctx) => ({ status: await worktreesOf(ctx).status(p.sessionId) }),
  'worktrees.action': async (p, ctx) => {
    if (!ctx.services.worktreeAction) throw new AgentError('invalid_state', 'This host has no worktree actions.');
    const out = await ctx.services.worktreeAction(p.sessionId, p.action, p.mode);
    ctx.sessionsChanged();
    return out;
  },
  'sessions.terminal': async (p, ctx) => {
    if (!ctx.services.openTerminal) throw new AgentError('invalid_state', 'This host has no terminals.');
    await ctx.services.openTerminal(p.sessionId, p.follow ?? false);
    return {};
  },
};

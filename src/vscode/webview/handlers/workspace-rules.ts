/** `workspaceRules.*`: workspace-settings allow rules waiting for the user's confirmation, and rules saved for this workspace. */
import { AgentError } from '../../../core/base/errors';
import type { WorkspaceRulesInfo } from '../../../shared/protocol';
import type { WorkspaceRulesPort } from '../ports';
import type { HandlerContext, HandlerMap } from './types';

function port(ctx: HandlerContext): WorkspaceRulesPort {
  const p = ctx.knowledge?.workspaceRules;
  if (!p) throw new AgentError('invalid_state', 'Workspace permission rules are not available in this window.');
  return p;
}

export const workspaceRulesHandlers: HandlerMap<'workspaceRules.get' | 'workspaceRules.decide' | 'workspaceRules.forget'> = {
  'workspaceRules.get': async (_p, ctx): Promise<WorkspaceRulesInfo> => {
    const p = ctx.knowledge?.workspaceRules;
    if (p) return p.info();
    return { suggested: [], hash: '', state: 'none', restricting: [], saved: [], workspaceTrusted: ctx.services.hostInfo().workspaceTrusted };
  },
  'workspaceRules.decide': async (p, ctx) => port(ctx).decide(p.hash, p.decision),
  'workspaceRules.forget': async (p, ctx) => port(ctx).forget(p.action, p.pattern),
};

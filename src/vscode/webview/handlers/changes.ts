/** `changes.*` and `sessions.fork`: the change ledger's review, restore, redo and fork, delegated to core's ChangesApi. */
import { AgentError } from '../../../core/base/errors';
import type { ChangesApi } from '../../../core/changes/types';
import type { HandlerContext, HandlerMap } from './types';

type ChangeMethods = 'changes.preview' | 'changes.restore' | 'changes.redo' | 'changes.show' | 'sessions.fork';

function changesOf(ctx: HandlerContext): ChangesApi {
  const changes = ctx.manager.changes;
  if (!changes) throw new AgentError('invalid_state', 'This host keeps no change ledger: checkpoints cannot be restored here.');
  return changes;
}

export const changeHandlers: HandlerMap<ChangeMethods> = {
  'changes.preview': async (p, ctx) => ({ preview: await changesOf(ctx).preview(p.sessionId, p.key, p.scope) }),
  'changes.restore': async (p, ctx) => ({ result: await changesOf(ctx).restore(p.sessionId, p.key, p.scope, { overwrite: p.overwrite }) }),
  'changes.redo': async (p, ctx) => ({ result: await changesOf(ctx).redo(p.sessionId, p.restoreId, { overwrite: p.overwrite }) }),
  'changes.show': async (p, ctx) => {
    if (!ctx.services.showChanges) throw new AgentError('invalid_state', 'This host has no Changes view.');
    await ctx.services.showChanges(p.sessionId, p.path);
    return {};
  },
  'sessions.fork': async (p, ctx) => {
    const snapshot = await changesOf(ctx).fork(p.sessionId, p.key);
    ctx.sessionsChanged();
    return { snapshot };
  },
};

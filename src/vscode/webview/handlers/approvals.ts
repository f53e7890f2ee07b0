/** `approvals.*`: resolve a pending approval (approve / deny / always allow) and open its diff. */
import { AgentError } from '../../../core/base/errors';
import type { HandlerMap } from './types';

export const approvalHandlers: HandlerMap<'approvals.resolve' | 'approvals.viewDiff'> = {
  'approvals.resolve': async (p, { manager }) => {
    await manager.resolveApproval(p.sessionId, p.approvalId, {
      decision: p.decision,
      by: 'user',
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      ...(p.alwaysAllow !== undefined ? { alwaysAllow: p.alwaysAllow } : {}),
    });
    return {};
  },

  'approvals.viewDiff': async (p, { manager, services }) => {
    const snapshot = manager.get(p.sessionId) ?? await manager.open(p.sessionId);
    const approval = snapshot.pendingApprovals.find((a) => a.id === p.approvalId);
    if (!approval) throw new AgentError('not_found', `No pending approval ${p.approvalId} in this session.`);
    await services.viewDiff(approval);
    return {};
  },
};

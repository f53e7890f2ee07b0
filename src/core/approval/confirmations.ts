import type { ApprovalResolution, PendingApprovalInfo, PermissionRule } from '../../shared/session';
import { AgentError } from '../base/errors';
import { broaderThanApproved } from './rule-breadth';

/** Saves an "always allow" rule (session scope → the session's config; workspace/user → RuleSink). */
export type SaveRule = (sessionId: string, rule: PermissionRule) => Promise<void>;

interface Pending {
  info: PendingApprovalInfo;
  resolve(resolution: ApprovalResolution): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Pending approvals: one promise per approval id, owned by one session. An approval is answered
 * only in its own session (a foreign or unknown id is `not_found`); a timeout denies it with
 * reason "timed out"; `cancelAll` denies every approval of a session with `by: 'cancel'`.
 */
export class ConfirmationManager {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly saveRule: SaveRule) {}

  /**
   * Registers an approval and waits for its answer. Never rejects: timeouts and cancellation
   * resolve to a deny with `by` set accordingly.
   */
  request(info: PendingApprovalInfo, timeoutMs?: number | null): Promise<ApprovalResolution> {
    if (this.pending.has(info.id)) throw new AgentError('invalid_state', `Approval ${info.id} is already pending.`);
    return new Promise<ApprovalResolution>((resolve) => {
      const entry: Pending = { info, resolve };
      if (timeoutMs != null && timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.settle(info.id, { decision: 'deny', reason: 'timed out', by: 'timeout' });
        }, timeoutMs);
      }
      this.pending.set(info.id, entry);
    });
  }

  /**
   * Answers an approval of `sessionId`. "Always allow" first saves the rule (a failure to save
   * is thrown and the approval stays pending), then approves. It is refused for an approval that
   * cannot be remembered, and a rule broader than the approved call needs `confirmBroad`
   * (`needs_confirmation` otherwise, naming what the rule allows).
   */
  async resolve(sessionId: string, approvalId: string, resolution: ApprovalResolution): Promise<void> {
    const entry = this.pending.get(approvalId);
    if (!entry || entry.info.sessionId !== sessionId) {
      throw new AgentError('not_found', `No pending approval ${approvalId} in session ${sessionId}.`);
    }
    let final: ApprovalResolution = { ...resolution, by: resolution.by ?? 'user' };
    if (resolution.alwaysAllow) {
      const pattern = resolution.alwaysAllow.pattern.trim();
      if (!pattern) throw new AgentError('bad_request', 'An "always allow" rule needs a pattern.');
      if (entry.info.rememberable === false) {
        throw new AgentError('bad_request', `This approval cannot be remembered as a rule (${entry.info.reason}). Approve it once instead.`);
      }
      const broader = broaderThanApproved(entry.info, pattern);
      if (broader && resolution.alwaysAllow.confirmBroad !== true) {
        throw new AgentError('needs_confirmation', `The rule "${pattern}" allows ${broader} — more than the call you are approving. Confirm to save it anyway.`);
      }
      await this.saveRule(sessionId, { action: 'allow', pattern, scope: resolution.alwaysAllow.scope });
      final = { ...final, decision: 'approve', alwaysAllow: { pattern, scope: resolution.alwaysAllow.scope } };
    }
    // It may have timed out or been cancelled while the rule was being saved.
    if (this.pending.get(approvalId) !== entry) {
      throw new AgentError('not_found', `Approval ${approvalId} was already resolved.`);
    }
    this.settle(approvalId, final);
  }

  /** Denies every pending approval of a session (cancel, dispose). Returns their ids. */
  cancelAll(sessionId: string, by: 'cancel' | 'interrupted' = 'cancel'): string[] {
    const ids = [...this.pending.values()].filter((p) => p.info.sessionId === sessionId).map((p) => p.info.id);
    for (const id of ids) this.settle(id, { decision: 'deny', reason: by === 'cancel' ? 'cancelled' : 'interrupted', by });
    return ids;
  }

  /** Pending approvals of one session, oldest first. */
  list(sessionId: string): PendingApprovalInfo[] {
    return [...this.pending.values()].filter((p) => p.info.sessionId === sessionId).map((p) => p.info);
  }

  has(approvalId: string): boolean {
    return this.pending.has(approvalId);
  }

  private settle(approvalId: string, resolution: ApprovalResolution): void {
    const entry = this.pending.get(approvalId);
    if (!entry) return;
    this.pending.delete(approvalId);
    if (entry.timer) clearTimeout(entry.timer);
    entry.resolve(resolution);
  }
}

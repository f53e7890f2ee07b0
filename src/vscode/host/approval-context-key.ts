/**
 * The `agentSessions.approvalPending` context key (enables the approve/deny keybindings): true
 * while the focused session or any session waits for an approval. Follows the manager's events
 * and the focused session; `setContext` is VS Code's `setContext` command, passed in.
 */
import { Disposable } from '../../core/base/disposable';
import type { SessionManagerApi } from '../../core/session/api';
import type { FocusTracker } from '../focus';

export const APPROVAL_CONTEXT_KEY = 'agentSessions.approvalPending';

export class ApprovalContextKey extends Disposable {
  constructor(
    private readonly manager: SessionManagerApi,
    private readonly focus: FocusTracker,
    private readonly setContext: (key: string, value: boolean) => void,
  ) {
    super();
    this._register(manager.onEvent((e) => {
      if (e.type === 'approval.requested' || e.type === 'approval.resolved' || e.type === 'session.state') this.update();
    }));
    this._register(focus.onDidChange(() => this.update()));
  }

  private update(): void {
    const id = this.focus.focused;
    const snap = id ? this.manager.get(id) : undefined;
    const pending = (snap?.pendingApprovals.length ?? 0) > 0 || this.manager.list().some((s) => s.state === 'awaiting_approval');
    this.setContext(APPROVAL_CONTEXT_KEY, pending);
  }
}

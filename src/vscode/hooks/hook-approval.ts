/**
 * Asking before a workspace hook command first runs, and remembering the answer per content
 * hash (event, matcher, command, source: src/core/hooks/config.ts hookHash), so a changed command
 * asks again. "Allow" / "Don't allow" are kept in `workspaceState`; a dismissed dialog (Escape)
 * holds for this window only. No 'vscode' import: the host passes the modal and the memento.
 */
import type { HookApprovalPort, HookCommand } from '../../core/hooks/types';
import { ALLOW, DONT_ALLOW, type MementoLike, type ShowModalWarning } from '../knowledge/mcp-approval';

/** The workspaceState key holding every answer: `{ [hash]: boolean }`. */
export const HOOK_APPROVALS_KEY = 'agentSessions.hookApprovals';

export class HookApprovalDialog implements HookApprovalPort {
  /** Answers for this window only (dismissed dialogs). */
  private readonly window = new Map<string, boolean>();

  constructor(private readonly show: ShowModalWarning, private readonly memento: MementoLike) {}

  approved(hook: HookCommand): boolean | undefined {
    const v = this.all()[hook.hash];
    return typeof v === 'boolean' ? v : this.window.get(hook.hash);
  }

  async approve(hook: HookCommand): Promise<boolean> {
    const what = hook.matcher !== undefined && hook.matcher !== '' && hook.matcher !== '*' ? `${hook.event} hook (for ${hook.matcher})` : `${hook.event} hook`;
    const pick = await this.show(
      `Run the ${what} from ${hook.source}?`,
      {
        modal: true,
        detail: `It runs: ${hook.command}\n\nIn: ${hook.root}\n\nHooks run with your permissions (inside the sandbox when commands are sandboxed). You are asked again if the command, its event, matcher or file changes.`,
      },
      ALLOW, DONT_ALLOW,
    );
    if (pick === undefined) {
      this.window.set(hook.hash, false);
      return false;
    }
    await this.memento.update(HOOK_APPROVALS_KEY, { ...this.all(), [hook.hash]: pick === ALLOW });
    return pick === ALLOW;
  }

  /** Forgets every answer (a command to review the hooks again). */
  async forgetAll(): Promise<void> {
    this.window.clear();
    await this.memento.update(HOOK_APPROVALS_KEY, {});
  }

  private all(): Record<string, unknown> {
    const v = this.memento.get<unknown>(HOOK_APPROVALS_KEY);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {};
  }
}

/**
 * Where a new session works when nobody said (`agentSessions.worktrees.default`), handed to the
 * session manager (`defaultWorkspace`): `shared`, or `worktree`. Core checks that the workspace
 * can give one when it creates the session (else it works in the shared tree, with a note in its
 * transcript); the host checks once when the manager starts and whenever the setting turns to
 * `worktree`, and tells the user once per window, with git's reason (not a repository, git missing
 * or too old). No vscode import (unit-tested).
 */
import type { WorkspaceChoice, WorktreeSupport } from '../../shared/worktree';

export interface DefaultWorkspaceDeps {
  setting(): 'shared' | 'worktree';
  /** Whether worktrees work here (absent: this host has none). */
  support?(): Promise<WorktreeSupport>;
  /** Shown once per window. */
  notify(message: string): void;
}

export class DefaultWorkspace {
  private told = false;

  constructor(private readonly deps: DefaultWorkspaceDeps) {}

  /** The manager's `defaultWorkspace`. */
  choice(): WorkspaceChoice {
    return this.deps.setting() === 'worktree' ? { kind: 'worktree' } : { kind: 'shared' };
  }

  /** When the setting asks for worktrees and this workspace cannot give them: the one-time notice. Resolves with what it found. */
  async check(): Promise<WorkspaceChoice> {
    if (this.deps.setting() !== 'worktree') return { kind: 'shared' };
    let reason: string;
    try {
      const support = this.deps.support ? await this.deps.support() : { available: false as const, reason: 'this window cannot give sessions worktrees' };
      if (support.available) return { kind: 'worktree' };
      reason = support.reason;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    if (!this.told) {
      this.told = true;
      this.deps.notify(`"agentSessions.worktrees.default" asks for a worktree per session, but ${reason.replace(/[.\s]+$/, '')}. New sessions share the workspace.`);
    }
    return { kind: 'shared' };
  }
}

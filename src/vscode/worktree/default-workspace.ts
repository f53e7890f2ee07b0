/**
 * Where a new session works when nobody said (`agentSessions.worktrees.default`): `shared`, or
 * `worktree` when this workspace can give sessions worktrees. When the setting asks for a
 * worktree and git says no (not a repository, git missing or too old), new sessions share the
 * workspace and the user is told once, with git's reason. No vscode import (unit-tested).
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

  async choice(): Promise<WorkspaceChoice> {
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

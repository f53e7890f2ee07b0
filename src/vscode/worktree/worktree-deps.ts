/**
 * What the session manager needs to give sessions worktrees, from VS Code: git over the CLI
 * (GitWorktrees; the binary from `git.path`'s user value, else `git` on the PATH) and the folder
 * new worktrees go in (`agentSessions.worktrees.folder`, checked on each use; a bad value is
 * reported once and the extension's storage is used).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { GitWorktrees } from '../../core/worktree/git-worktrees';
import type { WorktreeDeps } from '../../core/worktree/types';
import { gitPathFrom, worktreesFolder } from './worktree-settings';

export interface WorktreeDepsOptions {
  /** The default folder's parent (the extension's global storage). */
  storage: vscode.Uri;
  /** The `agentSessions.worktrees.folder` setting, validated by its schema. */
  folderSetting(): string;
  workspaceRoots(): string[];
  logger: Logger;
}

export function createWorktreeDeps(o: WorktreeDepsOptions): WorktreeDeps {
  // User settings only: a repository's .vscode/settings.json must not choose which program runs as git.
  const gitPath = gitPathFrom(vscode.workspace.getConfiguration('git').inspect<unknown>('path')?.globalValue, existsSync);
  if (gitPath) o.logger.info(`Worktrees: git is ${gitPath} (the git.path setting).`);
  const fallback = vscode.Uri.joinPath(o.storage, 'worktrees').fsPath;
  let reported: string | undefined;
  return {
    git: new GitWorktrees(gitPath ? { gitPath } : {}),
    worktreesDir: () => {
      const folder = worktreesFolder(o.folderSetting(), o.workspaceRoots(), fallback);
      if (folder.problem && folder.problem !== reported) {
        reported = folder.problem;
        o.logger.warn(folder.problem);
        void vscode.window.showWarningMessage(`Agent Sessions: ${folder.problem}`, 'Open Settings').then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'agentSessions.worktrees.folder');
        });
      }
      return folder.dir;
    },
  };
}

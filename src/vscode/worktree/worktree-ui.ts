/**
 * The worktree side of the host, built once the session manager exists and can give sessions
 * worktrees: the merge editor's side documents and the Bring-back flows with VS Code's dialogs.
 * Released with the host's `ui` store.
 */
import { Disposable } from '../../core/base/disposable';
import type { Logger } from '../../core/ports';
import type { SessionManagerApi } from '../../core/session/api';
import type { WorktreeApi } from '../../core/worktree/types';
import { WorktreeFlows } from './flows';
import { MergeSideContent } from './merge-content';
import { createVsCodeWorktreeDialogs } from './vscode-dialogs';

export interface WorktreeUiDeps {
  manager: SessionManagerApi;
  worktrees: WorktreeApi;
  logger: Logger;
}

export class WorktreeUi extends Disposable {
  readonly flows: WorktreeFlows;

  constructor(deps: WorktreeUiDeps) {
    super();
    const { manager, worktrees, logger } = deps;
    this._register(new MergeSideContent(worktrees, logger));
    this.flows = new WorktreeFlows({
      worktrees, dialogs: createVsCodeWorktreeDialogs(logger),
      snapshot: async (id) => manager.get(id) ?? manager.open(id),
    });
  }
}

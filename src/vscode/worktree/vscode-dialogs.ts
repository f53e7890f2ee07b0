/**
 * The worktree flows' dialogs in VS Code: QuickPick, modal messages, the input box, a
 * cancellable progress notification, the merge editor (`_open.mergeEditor`, VS Code's internal
 * command: `{ base, input1: { uri, title, description }, input2, output }`, as validated by
 * IRelaxedOpenArgs in src/vs/workbench/contrib/mergeEditor/browser/commands/commands.ts) and the
 * built-in git extension (`vscode.git`, API version 1: `openRepository`).
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { WorktreeApplyMode, WorktreeDeleteChoice } from '../../shared/worktree';
import type { WorktreeDialogs } from './flows';
import { MERGE_SCHEME, type MergeEditorPlan, type MergeSideAddress } from './merge-plan';

const PREFIX = 'Agent Sessions: ';

export function mergeSideUri(a: MergeSideAddress): vscode.Uri {
  return vscode.Uri.from({ scheme: MERGE_SCHEME, path: a.path, query: a.query });
}

/** The `_open.mergeEditor` argument of a plan. */
export function mergeEditorArgs(plan: MergeEditorPlan): Record<string, unknown> {
  return {
    base: mergeSideUri(plan.base),
    input1: { uri: mergeSideUri(plan.input1.address), title: plan.input1.title, description: plan.input1.description },
    input2: { uri: mergeSideUri(plan.input2.address), title: plan.input2.title, description: plan.input2.description },
    output: vscode.Uri.file(plan.output),
  };
}

/** The slice of the git extension's API (extensions/git/src/api/git.d.ts) we use. */
interface GitApi { openRepository(root: vscode.Uri): Promise<unknown> }  // resolves null when the folder is not a repository
interface GitExtension { readonly enabled: boolean; getAPI(version: 1): GitApi }

async function gitApi(logger: Logger): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.enabled ? exports.getAPI(1) : undefined;
  } catch (err) {
    logger.warn(`The git extension could not be used: ${String(err)}`);
    return undefined;
  }
}

export function createVsCodeWorktreeDialogs(logger: Logger): WorktreeDialogs {
  return {
    async pickApplyMode({ sessionBranch, mainBranch, preselect }) {
      const items: Array<vscode.QuickPickItem & { mode: WorktreeApplyMode }> = [
        { mode: 'merge', label: `$(git-merge) Merge the branch into ${mainBranch}`, detail: `git merge --no-ff ${sessionBranch}: a merge commit; conflicts open in the merge editor.` },
        { mode: 'patch', label: '$(diff) Apply as uncommitted changes', detail: 'Writes the worktree\'s changes into your working files, uncommitted; your own edits stay (three-way merge per file).' },
      ];
      const qp = vscode.window.createQuickPick<(typeof items)[number]>();
      qp.title = `Apply ${sessionBranch} to the workspace`;
      qp.placeholder = 'How to bring the work back';
      qp.items = items;
      const first = items.find((i) => i.mode === preselect);
      if (first) qp.activeItems = [first];
      const picked = await new Promise<WorktreeApplyMode | undefined>((resolve) => {
        qp.onDidAccept(() => { resolve(qp.selectedItems[0]?.mode ?? qp.activeItems[0]?.mode); qp.hide(); });
        qp.onDidHide(() => resolve(undefined));
        qp.show();
      });
      qp.dispose();
      return picked;
    },

    async askCommitFirst({ sessionBranch, uncommitted }) {
      const listed = uncommitted.slice(0, 10).join('\n') + (uncommitted.length > 10 ? `\n… and ${uncommitted.length - 10} more` : '');
      const pick = await vscode.window.showWarningMessage(
        `The worktree of ${sessionBranch} has ${uncommitted.length} uncommitted file(s). A merge takes commits only.`,
        { modal: true, detail: `${listed}\n\nCommit them first, or apply everything as uncommitted changes instead.` },
        'Commit first', 'Apply as uncommitted changes',
      );
      return pick === 'Commit first' ? 'commit' : pick === 'Apply as uncommitted changes' ? 'patch' : undefined;
    },

    progress(title, task) {
      return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        return task(controller.signal).finally(() => sub.dispose());
      }));
    },

    async editCommitMessage({ sessionBranch, draft, note }) {
      return vscode.window.showInputBox({
        title: `Commit on ${sessionBranch}`,
        prompt: note ?? 'Drafted by the session\'s model: edit it as you like (empty cancels).',
        value: draft, ignoreFocusOut: true,
      });
    },

    async confirmDiscard({ title, sessionBranch, status }) {
      const lost = status ? ` (${status.uncommitted.length} uncommitted file(s), ${status.ahead} commit(s) on the branch)` : '';
      const pick = await vscode.window.showWarningMessage(
        `Discard the worktree and branch ${sessionBranch} of "${title}"?`,
        { modal: true, detail: `Its uncommitted and unmerged work is lost${lost}. The session keeps its history but can no longer run.` },
        'Discard worktree and branch',
      );
      return pick === 'Discard worktree and branch';
    },

    async askDeleteWorktree({ title, sessionBranch }) {
      const choices: Record<string, WorktreeDeleteChoice> = {
        'Keep worktree and branch': 'keep', 'Remove worktree, keep branch': 'remove-worktree', 'Remove both': 'remove-all',
      };
      const pick = await vscode.window.showWarningMessage(
        `Delete session "${title}" and its history?`,
        { modal: true, detail: `It works in its own worktree on branch ${sessionBranch}. Removing the branch loses its commits that are not merged.` },
        ...Object.keys(choices),
      );
      return pick ? choices[pick] : undefined;
    },

    info(message) { void vscode.window.showInformationMessage(PREFIX + message); },
    warn(message) { void vscode.window.showWarningMessage(PREFIX + message); },

    async openMergeEditor(plan) {
      await vscode.commands.executeCommand('_open.mergeEditor', mergeEditorArgs(plan));
    },

    async openRepository(folder) {
      const api = await gitApi(logger);
      if (!api) return false;
      return (await api.openRepository(vscode.Uri.file(folder))) !== null;
    },

    async focusScm() { await vscode.commands.executeCommand('workbench.view.scm'); },
    async revealFolder(folder) { await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder)); },
  };
}

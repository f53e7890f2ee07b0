/**
 * The Bring-back flows of a session's worktree, as the host runs them: which dialogs ask what,
 * what goes to core (`WorktreeApi`) and what opens afterwards (merge editors for conflicts, the
 * Source Control view). The dialogs are a port (vscode-dialogs.ts in VS Code, a script in tests);
 * nothing here imports vscode. Nothing in the main tree changes unless the user picked Apply.
 */
import { AgentError, toAgentError } from '../../core/base/errors';
import type { WorktreeApi } from '../../core/worktree/types';
import type { SessionSnapshot } from '../../shared/session';
import type { SessionWorktree, WorktreeApplyMode, WorktreeApplyResult, WorktreeDeleteChoice, WorktreeStatus } from '../../shared/worktree';
import { appliedMessage, conflictsMessage, mergePlansFor, type MergeEditorPlan } from './merge-plan';

export type WorktreeAction = 'apply' | 'commit' | 'openScm' | 'discard';
export interface WorktreeActionResult { done: boolean; apply?: WorktreeApplyResult; commit?: string }

/** Every question and notice of the flows (VS Code: QuickPick, modal messages, input box, progress). */
export interface WorktreeDialogs {
  /** "Merge the branch into <main>" / "Apply as uncommitted changes"; `preselect` is highlighted. */
  pickApplyMode(o: { sessionBranch: string; mainBranch: string; preselect?: WorktreeApplyMode }): Promise<WorktreeApplyMode | undefined>;
  /** Merging needs the worktree's changes committed: "Commit first" or "Apply as uncommitted changes". */
  askCommitFirst(o: { sessionBranch: string; uncommitted: string[] }): Promise<'commit' | 'patch' | undefined>;
  /** Runs `task` under a cancellable progress notification; cancelling aborts its signal. */
  progress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** The commit message, prefilled with the draft (editable); `note`: why the draft is empty. Undefined: cancelled. */
  editCommitMessage(o: { sessionBranch: string; draft: string; note?: string }): Promise<string | undefined>;
  /** Modal: discarding loses uncommitted and unmerged work. True: "Discard worktree and branch". */
  confirmDiscard(o: { title: string; sessionBranch: string; status?: WorktreeStatus }): Promise<boolean>;
  /** Modal of a delete of a session with a worktree. Undefined: cancelled (nothing is deleted). */
  askDeleteWorktree(o: { title: string; sessionBranch: string }): Promise<WorktreeDeleteChoice | undefined>;
  info(message: string): void;
  warn(message: string): void;
  /** Opens one conflicted file in the merge editor. */
  openMergeEditor(plan: MergeEditorPlan): Promise<void>;
  /** Opens `folder` as a repository in the built-in git extension; false when there is none. */
  openRepository(folder: string): Promise<boolean>;
  /** Shows the Source Control view. */
  focusScm(): Promise<void>;
  /** Reveals `folder` in the OS file manager (no git extension). */
  revealFolder(folder: string): Promise<void>;
}

export interface WorktreeFlowsDeps {
  worktrees: WorktreeApi;
  /** The session's snapshot (opened on demand). */
  snapshot(sessionId: string): Promise<SessionSnapshot>;
  dialogs: WorktreeDialogs;
}

export class WorktreeFlows {
  /** Tells the merge sides of two applies apart (their documents are cached by URI). */
  private generation = 0;

  constructor(private readonly deps: WorktreeFlowsDeps) {}

  /** The webview's `worktrees.action` and the commands. */
  run(sessionId: string, action: WorktreeAction, mode?: WorktreeApplyMode): Promise<WorktreeActionResult> {
    switch (action) {
      case 'apply': return this.apply(sessionId, mode);
      case 'commit': return this.commit(sessionId);
      case 'openScm': return this.openScm(sessionId);
      case 'discard': return this.discard(sessionId);
    }
  }

  /** The session's own worktree, or a clear refusal (none, discarded, or its parent's). */
  private async owned(sessionId: string): Promise<{ snapshot: SessionSnapshot; worktree: SessionWorktree }> {
    const snapshot = await this.deps.snapshot(sessionId);
    const worktree = snapshot.worktree;
    if (!worktree) throw new AgentError('invalid_state', `"${snapshot.title}" works in the shared workspace: it has no worktree of its own.`);
    if (worktree.state === 'discarded') throw new AgentError('invalid_state', `The worktree of "${snapshot.title}" was discarded; only its history is left.`);
    if (worktree.inheritedFrom) {
      throw new AgentError('invalid_state', `"${snapshot.title}" works in its parent's worktree (${worktree.branch}): apply, commit or discard it from the parent session.`);
    }
    return { snapshot, worktree };
  }

  private async mainBranch(): Promise<string> {
    const support = await this.deps.worktrees.support().catch(() => undefined);
    if (support?.available) return support.head.branch ?? `the main tree (detached at ${support.head.commit.slice(0, 8)})`;
    return 'the main tree';
  }

  async apply(sessionId: string, preselect?: WorktreeApplyMode): Promise<WorktreeActionResult> {
    const { worktree } = await this.owned(sessionId);
    const mainBranch = await this.mainBranch();
    let mode = await this.deps.dialogs.pickApplyMode({ sessionBranch: worktree.branch, mainBranch, ...(preselect ? { preselect } : {}) });
    if (!mode) return { done: false };
    let commit: string | undefined;
    if (mode === 'merge') {
      const status = await this.deps.worktrees.status(sessionId);
      if (status.uncommitted.length > 0) {
        const choice = await this.deps.dialogs.askCommitFirst({ sessionBranch: worktree.branch, uncommitted: status.uncommitted });
        if (!choice) return { done: false };
        if (choice === 'patch') mode = 'patch';
        else {
          const committed = await this.commit(sessionId);
          if (!committed.done) return { done: false };
          commit = committed.commit;
        }
      }
    }
    const result = await this.deps.worktrees.apply(sessionId, mode);
    await this.showApplied(sessionId, result, { mainBranch, sessionBranch: worktree.branch });
    return { done: true, apply: result, ...(commit ? { commit } : {}) };
  }

  private async showApplied(sessionId: string, result: WorktreeApplyResult, names: { mainBranch: string; sessionBranch: string }): Promise<void> {
    if (result.outcome !== 'conflicts') { this.deps.dialogs.info(appliedMessage(result)); return; }
    const plans = mergePlansFor(sessionId, result, names, ++this.generation);
    const failed: string[] = [];
    for (const plan of plans.open) {
      try {
        await this.deps.dialogs.openMergeEditor(plan);
      } catch (err) {
        failed.push(`${plan.conflict.label} (${toAgentError(err).message})`);
      }
    }
    this.deps.dialogs.warn(conflictsMessage(result, plans) + (failed.length ? ` The merge editor did not open for ${failed.join(', ')}: open the file and resolve its conflict markers.` : ''));
  }

  async commit(sessionId: string): Promise<WorktreeActionResult> {
    const { worktree } = await this.owned(sessionId);
    const status = await this.deps.worktrees.status(sessionId);
    if (status.uncommitted.length === 0) {
      this.deps.dialogs.info(`Nothing to commit: the worktree of ${worktree.branch} has no uncommitted changes.`);
      return { done: false };
    }
    let draft = '';
    let note: string | undefined;
    try {
      draft = await this.deps.dialogs.progress('Drafting a commit message…', (signal) => this.deps.worktrees.draftCommitMessage(sessionId, signal));
    } catch (err) {
      const e = toAgentError(err);
      note = e.code === 'cancelled' ? 'Drafting was cancelled: write the message yourself.' : `No draft (${e.message}): write the message yourself.`;
    }
    const message = await this.deps.dialogs.editCommitMessage({ sessionBranch: worktree.branch, draft: draft.trim(), ...(note ? { note } : {}) });
    if (!message?.trim()) return { done: false };
    const r = await this.deps.worktrees.commit(sessionId, message.trim());
    this.deps.dialogs.info(`Committed ${r.files} file(s) on ${worktree.branch}: ${r.commit.slice(0, 8)}.`);
    return { done: true, commit: r.commit };
  }

  async openScm(sessionId: string): Promise<WorktreeActionResult> {
    const { worktree } = await this.owned(sessionId);
    if (await this.deps.dialogs.openRepository(worktree.path)) await this.deps.dialogs.focusScm();
    else await this.deps.dialogs.revealFolder(worktree.path);
    return { done: true };
  }

  async discard(sessionId: string): Promise<WorktreeActionResult> {
    const { snapshot, worktree } = await this.owned(sessionId);
    // The dialog says what would be lost when it can; a broken worktree can still be discarded.
    const status = await this.deps.worktrees.status(sessionId).catch(() => undefined);
    const ok = await this.deps.dialogs.confirmDiscard({ title: snapshot.title, sessionBranch: worktree.branch, ...(status ? { status } : {}) });
    if (!ok) return { done: false };
    await this.deps.worktrees.discard(sessionId);
    this.deps.dialogs.info(`Discarded the worktree and branch ${worktree.branch} of "${snapshot.title}"; the session keeps its history.`);
    return { done: true };
  }

  /**
   * What to do with the worktree when the session is deleted (the command path; the webview asks
   * itself). `{ worktree: undefined }`: the session has none of its own (plain delete, still confirmed
   * by the caller); undefined: the user cancelled.
   */
  async deleteChoice(sessionId: string, entry: { title: string; worktree?: { branch: string; state: string } }): Promise<{ worktree?: WorktreeDeleteChoice } | undefined> {
    const w = entry.worktree;
    if (!w || w.state === 'discarded') return {};
    const snapshot = await this.deps.snapshot(sessionId).catch(() => undefined);
    if (snapshot?.worktree?.inheritedFrom) return {};
    const choice = await this.deps.dialogs.askDeleteWorktree({ title: entry.title, sessionBranch: w.branch });
    return choice ? { worktree: choice } : undefined;
  }
}

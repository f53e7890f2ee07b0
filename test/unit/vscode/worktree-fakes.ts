/** Fakes for the worktree flows: a WorktreeApi with scripted answers and dialogs that answer from a script and note what they were asked. */
import { AgentError } from '../../../src/core/base/errors';
import type { ConflictSides, WorktreeApi } from '../../../src/core/worktree/types';
import type { SessionWorktree, WorktreeApplyMode, WorktreeApplyResult, WorktreeDeleteChoice, WorktreeStatus, WorktreeSupport } from '../../../src/shared/worktree';
import type { WorktreeDialogs } from '../../../src/vscode/worktree/flows';
import type { MergeEditorPlan } from '../../../src/vscode/worktree/merge-plan';

export function worktreeOf(over: Partial<SessionWorktree> = {}): SessionWorktree {
  return {
    path: '/wt/agent-fix-1a2b3c', branch: 'agent/fix-1a2b3c', repoRoot: '/repo',
    base: { ref: 'HEAD', commit: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', branch: 'main' }, state: 'ok', checkedAt: 1, ...over,
  };
}

/** A WorktreeApi whose git side is a script: what it was asked is in `calls`. */
export class FakeWorktrees implements WorktreeApi {
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  supportResult: WorktreeSupport = { available: true, repoRoot: '/repo', head: { branch: 'main', commit: 'abc1234500000000', detached: false }, dirtyFiles: 0, gitVersion: '2.43.0', submodules: false, refs: ['main'] };
  statusResult: WorktreeStatus = { ahead: 1, uncommitted: [], headCommit: 'h1' };
  applyResult: WorktreeApplyResult = { mode: 'merge', outcome: 'clean', files: ['src/a.ts'], conflicts: [], commit: 'm1', message: 'Merged agent/fix-1a2b3c into main: 1 file' };
  /** What drafting answers, or throws; `draftGate` is awaited first (a test can cancel meanwhile). */
  draft: string | Error = 'Fix the login check';
  draftGate: Promise<void> | undefined;
  committed = 0;

  private record(method: string, ...args: unknown[]): void { this.calls.push({ method, args }); }
  /** The methods called, in order. */
  get methods(): string[] { return this.calls.map((c) => c.method); }

  async support(): Promise<WorktreeSupport> { this.record('support'); return this.supportResult; }
  async check(sessionId: string): Promise<SessionWorktree> { this.record('check', sessionId); return worktreeOf(); }
  async status(sessionId: string): Promise<WorktreeStatus> {
    this.record('status', sessionId);
    return structuredClone(this.committed > 0 ? { ...this.statusResult, uncommitted: [] } : this.statusResult);
  }
  async draftCommitMessage(sessionId: string, signal?: AbortSignal): Promise<string> {
    this.record('draftCommitMessage', sessionId);
    if (this.draftGate) {
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new AgentError('cancelled', 'Drafting was cancelled.')), { once: true });
        void this.draftGate?.then(resolve);
      });
    }
    if (this.draft instanceof Error) throw this.draft;
    return this.draft;
  }
  async commit(sessionId: string, message: string): Promise<{ commit: string; files: number }> {
    this.record('commit', sessionId, message);
    this.committed++;
    return { commit: 'f00dfeed12345678', files: this.statusResult.uncommitted.length };
  }
  async apply(sessionId: string, mode: WorktreeApplyMode): Promise<WorktreeApplyResult> {
    this.record('apply', sessionId, mode);
    return { ...structuredClone(this.applyResult), mode };
  }
  async conflictSides(sessionId: string, path: string): Promise<ConflictSides> {
    this.record('conflictSides', sessionId, path);
    return { path, label: path, base: 'base', ours: 'ours', theirs: 'theirs' };
  }
  async discard(sessionId: string): Promise<void> { this.record('discard', sessionId); }
}

export interface DialogScript {
  applyMode?: WorktreeApplyMode;
  commitFirst?: 'commit' | 'patch';
  /** The message the user leaves in the input box: a function of the draft (default: keeps it). */
  message?: (draft: string) => string | undefined;
  discard?: boolean;
  deleteChoice?: WorktreeDeleteChoice;
  /** Cancel the progress (drafting) right away. */
  cancelProgress?: boolean;
  gitExtension?: boolean;
  /** Labels whose merge editor fails to open. */
  mergeEditorFails?: string[];
}

/** Dialogs that answer from a script; `asked` lists each question in order, with what it showed. */
export class ScriptedDialogs implements WorktreeDialogs {
  readonly asked: Array<{ dialog: string; shown: Record<string, unknown> }> = [];
  readonly infos: string[] = [];
  readonly warnings: string[] = [];
  readonly mergeEditors: MergeEditorPlan[] = [];
  readonly opened: string[] = [];

  constructor(public script: DialogScript = {}) {}

  private ask(dialog: string, shown: object): void { this.asked.push({ dialog, shown: { ...shown } }); }
  /** The dialogs shown, in order. */
  get dialogs(): string[] { return this.asked.map((a) => a.dialog); }
  shown(dialog: string): Record<string, unknown> | undefined { return this.asked.find((a) => a.dialog === dialog)?.shown; }

  async pickApplyMode(o: Parameters<WorktreeDialogs['pickApplyMode']>[0]) { this.ask('pickApplyMode', o); return this.script.applyMode; }
  async askCommitFirst(o: Parameters<WorktreeDialogs['askCommitFirst']>[0]) { this.ask('askCommitFirst', o); return this.script.commitFirst; }
  async progress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.ask('progress', { title });
    const controller = new AbortController();
    const running = task(controller.signal);
    if (this.script.cancelProgress) controller.abort();
    return running;
  }
  async editCommitMessage(o: Parameters<WorktreeDialogs['editCommitMessage']>[0]) {
    this.ask('editCommitMessage', o);
    return this.script.message ? this.script.message(o.draft) : o.draft;
  }
  async confirmDiscard(o: Parameters<WorktreeDialogs['confirmDiscard']>[0]) { this.ask('confirmDiscard', o); return this.script.discard ?? false; }
  async askDeleteWorktree(o: Parameters<WorktreeDialogs['askDeleteWorktree']>[0]) { this.ask('askDeleteWorktree', o); return this.script.deleteChoice; }
  info(message: string): void { this.infos.push(message); }
  warn(message: string): void { this.warnings.push(message); }
  async openMergeEditor(plan: MergeEditorPlan): Promise<void> {
    if (this.script.mergeEditorFails?.includes(plan.conflict.label)) throw new Error('no merge editor');
    this.mergeEditors.push(plan);
  }
  async openRepository(folder: string): Promise<boolean> { this.opened.push(`repo:${folder}`); return this.script.gitExtension ?? true; }
  async focusScm(): Promise<void> { this.opened.push('scm'); }
  async revealFolder(folder: string): Promise<void> { this.opened.push(`reveal:${folder}`); }
}

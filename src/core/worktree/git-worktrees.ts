/**
 * The WorktreeGit port over the real git CLI (≥ 2.30), run through execFile with argument arrays,
 * never a shell. Each method validates what it is given (refs, branch names, worktree records)
 * before git runs, and fails with an AgentError that names the problem and the way out. One
 * responsibility per file: support.ts, create.ts (+ carry.ts, disk-space.ts), check.ts, status.ts,
 * commit.ts, merge.ts, patch.ts (+ patch-files.ts), conflicts.ts, remove.ts; git-cli.ts runs git,
 * repo.ts asks a repository small questions, inputs.ts checks what comes in, git-output.ts reads
 * what git prints.
 */
import type { WorktreeApplyMode, WorktreeApplyResult, WorktreeStatus, WorktreeSupport } from '../../shared/worktree';
import { AgentError } from '../base/errors';
import { checkWorktree } from './check';
import { commitWorktree } from './commit';
import { conflictSides } from './conflicts';
import { createWorktree } from './create';
import { GitCli } from './git-cli';
import { checkWorktreeRef } from './inputs';
import { applyMerge } from './merge';
import { applyPatch } from './patch';
import { removeWorktree } from './remove';
import { describeChanges, worktreeStatus } from './status';
import { probeSupport, requireGit } from './support';
import type { ConflictSides, CreatedWorktree, WorktreeGit, WorktreeHealth, WorktreeRef } from './types';

/** Session worktrees with the git found at `gitPath` (default `git` on PATH); `env` is added to git's environment. */
export class GitWorktrees implements WorktreeGit {
  private readonly cli: GitCli;
  /** One apply or commit at a time per main tree: two applies into the same files must not interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: { gitPath?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.cli = new GitCli(options);
  }

  support(root: string): Promise<WorktreeSupport> {
    return probeSupport(this.cli, root);
  }

  async subdirOf(root: string): Promise<string> {
    if (typeof root !== 'string' || !root) throw new AgentError('bad_request', 'a workspace folder is needed');
    await requireGit(this.cli);
    return (await this.cli.text(['rev-parse', '--show-prefix'], { cwd: root })).trim().replace(/\/+$/, '');
  }

  create(o: { repoRoot: string; dir: string; branch: string; base?: string; carry: 'copy' | 'clean'; signal?: AbortSignal }): Promise<CreatedWorktree> {
    // One create at a time per repository: two picking the same free branch name would collide.
    return this.serial(`create:${String(o?.repoRoot)}`, () => createWorktree(this.cli, o));
  }

  async check(w: WorktreeRef): Promise<WorktreeHealth> {
    const ref = await this.ready(w);
    return this.serial(ref.repoRoot, () => checkWorktree(this.cli, ref));
  }

  async status(w: WorktreeRef): Promise<WorktreeStatus> {
    return worktreeStatus(this.cli, await this.ready(w));
  }

  async describeChanges(w: WorktreeRef, maxChars: number): Promise<string> {
    return describeChanges(this.cli, await this.ready(w), maxChars);
  }

  async commit(w: WorktreeRef, message: string): Promise<{ commit: string; files: number }> {
    const ref = await this.ready(w);
    return this.serial(ref.path, () => commitWorktree(this.cli, ref, message));
  }

  async apply(w: WorktreeRef, mode: WorktreeApplyMode): Promise<WorktreeApplyResult> {
    const ref = await this.ready(w);
    if (mode !== 'merge' && mode !== 'patch') throw new AgentError('bad_request', `apply mode must be "merge" or "patch" (got ${JSON.stringify(mode)})`);
    return this.serial(ref.repoRoot, () => (mode === 'merge' ? applyMerge(this.cli, ref) : applyPatch(this.cli, ref)));
  }

  async conflictSides(w: WorktreeRef, path: string): Promise<ConflictSides> {
    return conflictSides(this.cli, await this.ready(w), path);
  }

  async remove(w: WorktreeRef, o: { deleteBranch: boolean }): Promise<void> {
    const ref = await this.ready(w);
    return this.serial(ref.repoRoot, () => removeWorktree(this.cli, ref, { deleteBranch: o?.deleteBranch === true }));
  }

  /** The record validated, and git there and new enough. */
  private async ready(w: WorktreeRef): Promise<WorktreeRef> {
    const ref = checkWorktreeRef(w);
    await requireGit(this.cli);
    return ref;
  }

  /** Runs `fn` after every earlier call queued on `key` has settled. */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined); // the queue only waits; the caller gets the failure
    this.queues.set(key, tail);
    void tail.then(() => { if (this.queues.get(key) === tail) this.queues.delete(key); });
    return run;
  }
}

/**
 * Removing a session's worktree: `git worktree remove --force` (its uncommitted changes go with
 * it; that is what discarding means), or a `prune` when the folder is already gone; then, when
 * asked, its branch. A locked worktree is refused with the way out. The main tree's files are
 * never touched.
 */
import { AgentError } from '../base/errors';
import { complaint, type GitCli } from './git-cli';
import { exists, realPath, samePlace } from './git-output';
import { branchExists, worktreeList } from './repo';
import type { WorktreeRef } from './types';

/** See WorktreeGit.remove. */
export async function removeWorktree(cli: GitCli, w: WorktreeRef, o: { deleteBranch: boolean }): Promise<void> {
  if (!exists(w.repoRoot)) throw new AgentError('not_found', `the repository folder ${w.repoRoot} is gone: nothing can be removed from it`);
  const repoRoot = realPath(w.repoRoot);
  if (samePlace(repoRoot, w.path)) throw new AgentError('bad_request', `${w.path} is the main tree, not a session's worktree: it is never removed`);
  const entries = await worktreeList(cli, repoRoot);
  const entry = entries.find((e) => samePlace(e.path, w.path));
  if (entries[0] && entry === entries[0]) throw new AgentError('bad_request', `${w.path} is the repository's main worktree: it is never removed`);
  if (entry?.locked !== undefined) {
    throw new AgentError('invalid_state', `the worktree ${w.path} is locked${entry.locked ? ` (${entry.locked})` : ''}: run git worktree unlock ${w.path}, then remove it again`);
  }
  if (entry && exists(w.path)) {
    const r = await cli.run(['worktree', 'remove', '--force', '--', realPath(w.path)], { cwd: repoRoot, timeoutMs: 600_000 });
    if (r.code !== 0) {
      if (/locked/.test(r.stderr)) throw new AgentError('invalid_state', `the worktree ${w.path} is locked: run git worktree unlock ${w.path}, then remove it again`);
      throw new AgentError('unknown', `git worktree remove failed for ${w.path}: ${complaint(r)}`);
    }
  } else if (exists(w.path) && !entry) {
    // Not a worktree git knows (any more): deleting a folder git does not vouch for is not ours to do.
    throw new AgentError('invalid_state', `${w.path} is not a worktree of ${repoRoot} (git does not list it), so it was not deleted: delete the folder yourself if you no longer need it`);
  } else {
    await cli.ok(['worktree', 'prune'], { cwd: repoRoot }); // the folder is gone: drop git's record of it
  }
  if (!o.deleteBranch || !await branchExists(cli, repoRoot, w.branch)) return;
  const r = await cli.run(['branch', '-D', '--end-of-options', w.branch], { cwd: repoRoot });
  if (r.code !== 0) {
    const at = /checked out at '([^']+)'/.exec(r.stderr);
    if (at) throw new AgentError('invalid_state', `the branch ${w.branch} is checked out in ${at[1]}, so it was not deleted: switch that worktree to another branch, then delete it with git branch -D ${w.branch}`);
    throw new AgentError('unknown', `git branch -D ${w.branch} failed: ${complaint(r)}`);
  }
}

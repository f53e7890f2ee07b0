/**
 * Bringing a session's work back as a merge: `git merge --no-ff` of the session branch into what
 * the main tree has checked out. Conflicts leave the merge in progress (MERGE_HEAD, conflicted
 * index stages) so VS Code's Source Control view and merge editor take over; a merge git refuses
 * (local changes it would overwrite) changes nothing and says what to do.
 */
import * as path from 'node:path';
import type { WorktreeApplyResult, WorktreeConflict } from '../../shared/worktree';
import { AgentError } from '../base/errors';
import { complaint, nulRecords, type GitCli } from './git-cli';
import { exists, porcelainPaths, realPath } from './git-output';
import { branchExists, headOf, identityError, isIdentityComplaint, operationInProgress, requireIdentity, resolveCommit } from './repo';
import type { WorktreeRef } from './types';

/** Fails with not_found when the main tree is gone; its real path otherwise. */
export function requireRepo(w: WorktreeRef): string {
  if (!exists(w.repoRoot)) throw new AgentError('not_found', `the repository folder ${w.repoRoot} is gone: open the repository where it is now`);
  return realPath(w.repoRoot);
}

function list(paths: string[], max = 5): string {
  return paths.slice(0, max).join(', ') + (paths.length > max ? ` and ${paths.length - max} more` : '');
}

/** See WorktreeGit.apply (mode `merge`). */
export async function applyMerge(cli: GitCli, w: WorktreeRef): Promise<WorktreeApplyResult> {
  const repoRoot = requireRepo(w);
  if (!await branchExists(cli, repoRoot, w.branch)) {
    throw new AgentError('not_found', `the session branch ${w.branch} no longer exists in ${repoRoot}: nothing can be merged from it`);
  }
  if (exists(w.path)) {
    const dirty = porcelainPaths(await cli.ok(['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: w.path }));
    if (dirty.length > 0) {
      throw new AgentError('invalid_state', `the worktree has ${dirty.length} uncommitted file${dirty.length === 1 ? '' : 's'} (${list(dirty)}): commit them on the session branch first, or apply as uncommitted changes`);
    }
  }
  const busy = await operationInProgress(cli, repoRoot);
  if (busy) throw new AgentError('invalid_state', `${busy} is already in progress in the main tree ${repoRoot}: finish it (commit) or abort it (e.g. git merge --abort) first, then apply again`);
  const head = await headOf(cli, repoRoot);
  if (!head.commit) throw new AgentError('invalid_state', `the main tree ${repoRoot} has no commit yet`);
  const into = head.branch ?? 'the detached HEAD';
  const ref = `refs/heads/${w.branch}`;
  const ancestor = await cli.run(['merge-base', '--is-ancestor', ref, 'HEAD'], { cwd: repoRoot });
  if (ancestor.code === 0) {
    return { mode: 'merge', outcome: 'nothing', files: [], conflicts: [], message: `${into} already has everything on ${w.branch}: nothing to merge` };
  }
  await requireIdentity(cli, repoRoot);
  const tip = (await resolveCommit(cli, repoRoot, ref))!;
  const subject = `Merge branch '${w.branch}'${head.branch && !/^(main|master)$/.test(head.branch) ? ` into ${head.branch}` : ''}`;
  const r = await cli.run(['merge', '--no-ff', '--no-edit', '-m', subject, '--end-of-options', tip], { cwd: repoRoot, timeoutMs: 600_000 });
  if (r.code === 0) {
    const files = nulRecords(await cli.ok(['diff', '--name-only', '-z', head.commit, 'HEAD', '--'], { cwd: repoRoot }));
    const commit = await cli.text(['rev-parse', 'HEAD'], { cwd: repoRoot });
    return { mode: 'merge', outcome: 'clean', files, conflicts: [], commit, message: `Merged ${w.branch} into ${into}: ${files.length} file${files.length === 1 ? '' : 's'}` };
  }
  if (await operationInProgress(cli, repoRoot) === 'a merge') {
    const conflicted = nulRecords(await cli.ok(['diff', '--name-only', '-z', '--diff-filter=U', '--'], { cwd: repoRoot }));
    const files = nulRecords(await cli.ok(['diff', '--name-only', '-z', `${head.commit}...${tip}`, '--'], { cwd: repoRoot }));
    const conflicts: WorktreeConflict[] = conflicted.map((label) => ({ path: path.join(repoRoot, ...label.split('/')), label }));
    if (conflicts.length === 0) {
      throw new AgentError('unknown', `git merge stopped in ${repoRoot} without conflicted files: ${complaint(r)} (finish it with git commit, or undo it with git merge --abort)`);
    }
    return {
      mode: 'merge', outcome: 'conflicts', files, conflicts,
      message: `Merging ${w.branch} into ${into} left conflicts in ${conflicts.length} file${conflicts.length === 1 ? '' : 's'}: resolve them (Source Control, merge editor), then commit — or undo with git merge --abort`,
    };
  }
  throw refusal(r, repoRoot);
}

/** Why git refused to start the merge (nothing changed in the main tree). */
function refusal(r: { stderr: string; code: number }, repoRoot: string): AgentError {
  if (isIdentityComplaint(r.stderr)) return identityError(repoRoot);
  const overwritten = /would be overwritten by merge|untracked working tree files would be (overwritten|removed)/.test(r.stderr);
  if (overwritten) {
    const files = r.stderr.split('\n').filter((l) => /^\t/.test(l)).map((l) => l.trim());
    return new AgentError('conflict', `the merge would overwrite uncommitted changes in the main tree${files.length > 0 ? ` (${list(files)})` : ''}: commit or stash them in the main tree first, then apply again — nothing was changed`);
  }
  if (/resolve your current index first|unmerged files/i.test(r.stderr)) {
    return new AgentError('invalid_state', `the main tree ${repoRoot} has unresolved conflicts: resolve and commit them first, then apply again — nothing was changed`);
  }
  return new AgentError('unknown', `git merge failed in ${repoRoot}: ${complaint(r)}`);
}

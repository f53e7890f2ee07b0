/**
 * Checking a session's worktree and repairing what git can: a folder whose `.git` link broke
 * (`git worktree repair`), a folder deleted outside VS Code while its branch is still there
 * (pruned, then re-added from the branch), a worktree moved with `git worktree move` (found at
 * its new place). What cannot be repaired is reported with the way out; nothing in the main
 * tree changes.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { complaint, PARALLEL_CHECKOUT, type GitCli } from './git-cli';
import { exists, realPath, samePlace, type WorktreeEntry } from './git-output';
import { branchExists, commonDir, worktreeList } from './repo';
import type { WorktreeHealth, WorktreeRef } from './types';

const DISCARD = "discard the session's worktree (its history stays)";

/** Checks (and repairs) the worktree `w`; see WorktreeGit.check. */
export async function checkWorktree(cli: GitCli, w: WorktreeRef): Promise<WorktreeHealth> {
  if (!exists(w.repoRoot)) return missing(w.path, `the repository folder ${w.repoRoot} is gone: open the repository where it is now, or ${DISCARD}`);
  const repoRoot = realPath(w.repoRoot);
  let common: string;
  try {
    common = await commonDir(cli, repoRoot);
  } catch (e) {
    return missing(w.path, `${repoRoot} is no longer a git repository (${(e as Error).message}): ${DISCARD}`);
  }
  const ref = `refs/heads/${w.branch}`;
  const list = await worktreeList(cli, repoRoot);
  const byBranch = list.find((e) => e.branch === ref);
  const wanted = exists(w.path) ? realPath(w.path) : w.path;

  if (byBranch && !samePlace(byBranch.path, wanted) && exists(byBranch.path) && await works(cli, byBranch.path, common)) {
    const now = realPath(byBranch.path);
    return { state: 'moved', path: now, problem: `the worktree was moved to ${now} (git worktree move): the session works there now${lockNote(byBranch, now)}` };
  }
  if (exists(wanted)) return checkPresent(cli, { repoRoot, common, wanted, branch: w.branch, entry: byBranch });

  if (byBranch?.locked !== undefined && samePlace(byBranch.path, wanted)) {
    return missing(wanted, `the worktree folder ${wanted} is gone, and git has it locked${byBranch.locked ? ` (${byBranch.locked})` : ''}: run git worktree unlock ${wanted}, then check again to re-add it from the branch ${w.branch}`);
  }
  await cli.run(['worktree', 'prune'], { cwd: repoRoot });
  if (!await branchExists(cli, repoRoot, w.branch)) {
    return missing(wanted, `the worktree folder ${wanted} and its branch ${w.branch} are gone: ${DISCARD}`);
  }
  return readd(cli, repoRoot, wanted, w.branch);
}

interface Present {
  repoRoot: string;
  common: string;
  wanted: string;
  branch: string;
  entry: WorktreeEntry | undefined;
}

/** The folder is there: it works, or `git worktree repair` makes it work, or it is broken. */
async function checkPresent(cli: GitCli, p: Present): Promise<WorktreeHealth> {
  const ref = `refs/heads/${p.branch}`;
  if (p.entry && samePlace(p.entry.path, p.wanted) && await works(cli, p.wanted, p.common)) return healthy(p.entry, p.wanted);
  const repair = await cli.run(['worktree', 'repair', '--', p.wanted], { cwd: p.repoRoot });
  const after = await worktreeList(cli, p.repoRoot);
  const entry = after.find((e) => e.branch === ref && samePlace(e.path, p.wanted));
  if (entry && await works(cli, p.wanted, p.common)) {
    return healthy(entry, p.wanted, `git worktree repair fixed the link between ${p.wanted} and the repository ${p.repoRoot}`);
  }
  const at = after.find((e) => samePlace(e.path, p.wanted));
  if (at && await works(cli, p.wanted, p.common)) {
    const has = at.branch ? `the branch ${at.branch.replace(/^refs\/heads\//, '')}` : 'a detached HEAD';
    return { state: 'broken', path: p.wanted, problem: `the worktree ${p.wanted} has ${has} checked out instead of ${p.branch}: run git switch ${p.branch} in it, then check again` };
  }
  const why = repair.code === 0 ? 'git does not list it as a worktree' : complaint(repair);
  return {
    state: 'broken', path: p.wanted,
    problem: `the folder ${p.wanted} is there, but git does not take it as a worktree of ${p.repoRoot} (${why}): move the folder away and check again to re-add it from the branch ${p.branch}, or ${DISCARD}`,
  };
}

/** Re-adds a deleted worktree folder from its branch (what it had uncommitted is lost; the branch has the rest). */
async function readd(cli: GitCli, repoRoot: string, wanted: string, branch: string): Promise<WorktreeHealth> {
  try {
    await mkdir(path.dirname(wanted), { recursive: true });
  } catch (e) {
    return missing(wanted, `the worktree folder ${wanted} is gone and its parent folder could not be made (${(e as Error).message}): ${DISCARD}`);
  }
  const add = await cli.run([...PARALLEL_CHECKOUT, 'worktree', 'add', '--', wanted, branch], { cwd: repoRoot, timeoutMs: 600_000 });
  if (add.code !== 0) {
    return missing(wanted, `the worktree folder ${wanted} is gone and could not be re-added from the branch ${branch} (${complaint(add)}): run git worktree add ${wanted} ${branch} yourself, or ${DISCARD}`);
  }
  return { state: 'ok', path: realPath(wanted), repaired: `re-added the folder from branch ${branch}; uncommitted changes that were only in the deleted folder are lost` };
}

/** True when git, run in `folder`, finds `folder` as its work tree's top and the repository's common folder `common`. */
async function works(cli: GitCli, folder: string, common: string): Promise<boolean> {
  const r = await cli.run(['rev-parse', '--show-toplevel', '--git-common-dir'], { cwd: folder, ceiling: true }).catch(() => undefined);
  if (!r || r.code !== 0) return false;
  const [top, cd] = r.stdout.toString('utf8').trim().split('\n');
  return !!top && !!cd && samePlace(top, folder) && realPath(path.resolve(folder, cd)) === common;
}

function healthy(entry: WorktreeEntry, at: string, repaired?: string): WorktreeHealth {
  const extra = repaired ? { repaired } : {};
  if (entry.locked === undefined) return { state: 'ok', path: at, ...extra };
  return { state: 'locked', path: at, problem: `git has the worktree locked${entry.locked ? ` (${entry.locked})` : ''}: it works, but cannot be removed until you run git worktree unlock ${at}`, ...extra };
}

function lockNote(entry: WorktreeEntry, at: string): string {
  return entry.locked === undefined ? '' : `; it is locked (run git worktree unlock ${at} before removing it)`;
}

function missing(at: string, problem: string): WorktreeHealth {
  return { state: 'missing', path: at, problem };
}

/**
 * Making a session's worktree: `git worktree add -b <branch> -- <dir> <base commit>`, then (when
 * asked) the main tree's uncommitted changes carried in and the submodules initialised. A failure
 * at any step — a hook, a full disk, a cancel — removes the half-made worktree, its folder and
 * its new branch again: nothing is left registered.
 */
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { WorktreeBase } from '../../shared/worktree';
import { AgentError } from '../base/errors';
import { carryChanges } from './carry';
import { checkoutWontFit, WRITE_FAILED } from './disk-space';
import { complaint, diskFullError, isDiskFull, PARALLEL_CHECKOUT, type GitCli } from './git-cli';
import { exists, labelOf, realPath, samePlace, short } from './git-output';
import { checkAbsolute, checkBranchName, checkRefInput } from './inputs';
import { branchExists, commonDir, headOf, resolveCommit, worktreeList } from './repo';
import { requireGit } from './support';
import type { CreatedWorktree } from './types';

/** What create() is asked (WorktreeGit.create's argument). */
export interface CreateRequest {
  repoRoot: string;
  dir: string;
  branch: string;
  base?: string;
  carry: 'copy' | 'clean';
  signal?: AbortSignal;
}

/** Most numeric suffixes tried for a branch name that exists (`-2` … `-100`). */
const MAX_SUFFIX = 100;
const LONG_MS = 600_000;

/** Creates the worktree; see WorktreeGit.create. */
export async function createWorktree(cli: GitCli, o: CreateRequest): Promise<CreatedWorktree> {
  const repoIn = checkAbsolute(o.repoRoot, 'repository folder');
  const dirIn = checkAbsolute(o.dir, 'worktree folder');
  const wanted = checkBranchName(o.branch);
  const baseRef = checkRefInput(o.base ?? 'HEAD');
  if (o.carry !== 'copy' && o.carry !== 'clean') throw new AgentError('bad_request', `carry must be "copy" or "clean" (got ${JSON.stringify(o.carry)})`);
  await requireGit(cli);
  if (!exists(repoIn)) throw new AgentError('not_found', `the repository folder ${repoIn} does not exist`);
  const repoRoot = realPath(repoIn);
  const head = await headOf(cli, repoRoot);
  if (!head.commit) throw new AgentError('invalid_state', 'the repository has no commit yet: commit once, then start a session with a worktree');
  const commit = await resolveCommit(cli, repoRoot, baseRef);
  if (!commit) throw new AgentError('not_found', `the base "${baseRef}" is not a branch, tag or commit of ${repoRoot}: pick one of the repository's branches or tags, or start from HEAD`);
  if (o.carry === 'copy' && commit !== head.commit) {
    throw new AgentError('invalid_state', `uncommitted changes can only be carried into a worktree that starts from HEAD (${short(head.commit)}), and "${baseRef}" is ${short(commit)}: start from HEAD, or start clean from ${baseRef}`);
  }
  const { dir, existed } = await prepareFolder(dirIn, await commonDir(cli, repoRoot));
  const branch = await freeBranch(cli, repoRoot, wanted);
  const base: WorktreeBase = { ref: baseRef, commit, ...(baseRef === 'HEAD' && head.branch ? { branch: head.branch } : {}) };
  const notes: string[] = branch === wanted ? [] : [`the branch ${wanted} already exists: the worktree is on ${branch}`];
  let carried: { files: number } | undefined;
  try {
    await addWorktree(cli, repoRoot, dir, branch, commit, o.signal);
    if (o.carry === 'copy') {
      const c = await carryChanges(cli, repoRoot, dir, o.signal);
      notes.push(...c.notes);
      if (c.files > 0) carried = { files: c.files };
    }
    notes.push(...await initSubmodules(cli, repoRoot, dir, o.signal));
  } catch (e) {
    const left = await rollback(cli, { repoRoot, dir, branch, commit, existed, ownBranch: !(e instanceof AddFailed && e.branchTaken) });
    throw creationError(e, dir, left);
  }
  return { path: dir, branch, repoRoot, base, ...(carried ? { carried } : {}), notes };
}

/** The folder to create the worktree in: its parent made and resolved, the folder itself absent or empty. */
async function prepareFolder(dirIn: string, gitCommonDir: string): Promise<{ dir: string; existed: boolean }> {
  const parent = path.dirname(dirIn);
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    if (isDiskFull(e)) throw diskFullError(parent, e);
    throw new AgentError('storage', `could not create the folder ${parent} for the worktree: ${(e as Error).message}`, { cause: e });
  }
  const dir = path.join(realPath(parent), path.basename(dirIn));
  const inGit = labelOf(gitCommonDir, dir);
  if (inGit === '' || (!inGit.startsWith('..') && !path.isAbsolute(inGit))) {
    throw new AgentError('bad_request', `the worktree folder ${dir} is inside the repository's .git folder: choose a folder outside it`);
  }
  const st = await lstat(dir).catch(() => undefined);
  if (!st) return { dir, existed: false };
  if (!st.isDirectory() || (await readdir(dir)).length > 0) {
    throw new AgentError('invalid_state', `the folder ${dir} already exists and is not empty: choose another folder, or remove it first`);
  }
  return { dir, existed: true };
}

/** `wanted`, or `wanted-2`, `wanted-3`, … : the first name no local branch has. */
async function freeBranch(cli: GitCli, repoRoot: string, wanted: string): Promise<string> {
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    if (!await branchExists(cli, repoRoot, name)) return name;
  }
  throw new AgentError('invalid_state', `the branches ${wanted} to ${wanted}-${MAX_SUFFIX} all exist: delete old session branches (git branch -D …) or pick another title`);
}

/** `git worktree add`; a stale registration of the same (deleted) folder is pruned first, as git suggests. */
async function addWorktree(cli: GitCli, repoRoot: string, dir: string, branch: string, commit: string, signal?: AbortSignal): Promise<void> {
  const args = [...PARALLEL_CHECKOUT, 'worktree', 'add', '-b', branch, '--', dir, commit];
  let r = await cli.run(args, { cwd: repoRoot, signal, timeoutMs: LONG_MS });
  if (r.code !== 0 && /missing but already registered worktree/.test(r.stderr)) {
    await cli.run(['worktree', 'prune'], { cwd: repoRoot });
    r = await cli.run(args, { cwd: repoRoot, signal, timeoutMs: LONG_MS });
  }
  if (r.code === 0) return;
  if (WRITE_FAILED.test(r.stderr) && await checkoutWontFit(cli, repoRoot, commit, dir)) throw diskFullError(dir, new Error(complaint(r)));
  throw new AddFailed(complaint(r), /a branch named .* already exists/.test(r.stderr));
}

/** `git worktree add` failed; `branchTaken`: someone else made the branch meanwhile (it is not ours to delete). */
class AddFailed extends AgentError {
  constructor(reason: string, readonly branchTaken: boolean) {
    super('unknown', `git worktree add failed: ${reason}`);
  }
}

/**
 * Initialises the submodules in the new worktree when the main tree has them initialised. Being
 * offline (or a refused local URL) is a note, not a failure: the worktree works without them.
 */
async function initSubmodules(cli: GitCli, repoRoot: string, dir: string, signal?: AbortSignal): Promise<string[]> {
  if (!exists(path.join(repoRoot, '.gitmodules'))) return [];
  const way = 'run git submodule update --init --recursive in the worktree if the session needs them';
  try {
    const st = await cli.run(['submodule', 'status'], { cwd: repoRoot, signal });
    if (st.code !== 0) return [`the submodules' state could not be read (${complaint(st)}): ${way}`];
    const lines = st.stdout.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) return [];
    if (lines.every((l) => l.startsWith('-'))) return ['the submodules are not initialised in the main tree, so they are not in the worktree either'];
    const r = await cli.run(['submodule', 'update', '--init', '--recursive'], { cwd: dir, signal, timeoutMs: LONG_MS });
    if (r.code !== 0) return [`the submodules could not be initialised (${complaint(r)}): ${way}`];
    return ['submodules initialised'];
  } catch (e) {
    if (e instanceof AgentError && (e.code === 'cancelled' || e.code === 'storage')) throw e;
    return [`the submodules could not be initialised (${(e as Error).message}): ${way}`];
  }
}

interface Made {
  repoRoot: string;
  dir: string;
  branch: string;
  commit: string;
  /** The folder was there (empty) before: it is left there, empty. */
  existed: boolean;
  /** The branch, if it exists now, was made by this attempt. */
  ownBranch: boolean;
}

/** Removes what a failed create made; returns what could not be removed (empty: nothing left behind). */
async function rollback(cli: GitCli, m: Made): Promise<string[]> {
  const left: string[] = [];
  const quiet = async (args: string[]): Promise<void> => {
    await cli.run(args, { cwd: m.repoRoot, timeoutMs: 120_000 }).catch(() => undefined); // checked below
  };
  await quiet(['worktree', 'remove', '--force', '--force', '--', m.dir]);
  try {
    await rm(m.dir, { recursive: true, force: true });
    if (m.existed) await mkdir(m.dir, { recursive: true });
  } catch (e) {
    left.push(`the folder ${m.dir} (${(e as Error).message})`);
  }
  await quiet(['worktree', 'prune']);
  // The branch did not exist before (freeBranch): if it is there now, this attempt made it, at the base.
  if (m.ownBranch && await branchExists(cli, m.repoRoot, m.branch).catch(() => false)) {
    const r = await cli.run(['update-ref', '-d', `refs/heads/${m.branch}`, m.commit], { cwd: m.repoRoot }).catch(() => undefined);
    if (!r || r.code !== 0) left.push(`the branch ${m.branch} (delete it with git branch -D ${m.branch})`);
  }
  const still = await worktreeList(cli, m.repoRoot).catch(() => []);
  if (still.some((e) => samePlace(e.path, m.dir))) left.push(`the worktree registration of ${m.dir} (run git worktree prune in ${m.repoRoot})`);
  return left;
}

/** The error of a failed create: what went wrong, and whether anything was left behind. */
function creationError(e: unknown, dir: string, left: string[]): AgentError {
  const after = left.length === 0 ? 'nothing was left behind' : `could not remove ${left.join(' and ')}`;
  if (e instanceof AgentError && e.code === 'cancelled') return new AgentError('cancelled', `Cancelled: the worktree ${dir} was not created (${after}).`, { cause: e });
  if (isDiskFull(e)) return new AgentError('storage', `the disk is full: the worktree ${dir} could not be created (${after}); free some space, then try again`, { cause: e });
  const err = e instanceof AgentError ? e : new AgentError('unknown', (e as Error)?.message ?? String(e), { cause: e });
  return new AgentError(err.code, `could not create the worktree ${dir}: ${err.message} (${after})`, { cause: e, retryable: err.retryable });
}

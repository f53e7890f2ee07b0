/**
 * Whether a workspace folder can give sessions worktrees: git found and new enough, the folder
 * inside a repository's working tree (not bare, not inside `.git`), with at least one commit.
 * When it can: the main worktree's top, HEAD, how many files are uncommitted, and the refs a
 * base can be picked from.
 */
import * as path from 'node:path';
import type { WorktreeSupport } from '../../shared/worktree';
import { AgentError } from '../base/errors';
import { complaint, GitMissingError, type GitCli } from './git-cli';
import { exists, porcelainPaths, realPath } from './git-output';
import { headOf, worktreeList } from './repo';

/** The oldest git the port works with (`rev-parse --end-of-options`, `worktree repair`). */
export const MIN_GIT = [2, 30] as const;
/** Most refs offered as a base. */
const MAX_REFS = 200;

function unavailable(reason: string): WorktreeSupport {
  return { available: false, reason };
}

/** True when version text `v` ("2.39.5") is at least MIN_GIT. */
export function versionOk(v: string): boolean {
  const [major = 0, minor = 0] = v.split('.').map(Number);
  return major > MIN_GIT[0] || (major === MIN_GIT[0] && minor >= MIN_GIT[1]);
}

/** Fails with the reason support() would give when git is missing or too old. */
export async function requireGit(cli: GitCli): Promise<string> {
  const v = await cli.version();
  if (!versionOk(v)) throw new AgentError('invalid_state', tooOld(v));
  return v;
}

function tooOld(v: string): string {
  return `git ${v} is too old for session worktrees: ${MIN_GIT.join('.')} or newer is needed (update git)`;
}

/** What support() answers for `root` (never throws for an unusable folder: it says why). */
export async function probeSupport(cli: GitCli, root: string): Promise<WorktreeSupport> {
  let version: string;
  try {
    version = await cli.version();
  } catch (e) {
    if (e instanceof GitMissingError) return unavailable(e.message);
    return unavailable(e instanceof Error ? e.message : String(e));
  }
  if (!versionOk(version)) return unavailable(tooOld(version));
  if (typeof root !== 'string' || !path.isAbsolute(root)) return unavailable('the workspace folder is not an absolute path');
  if (!exists(root)) return unavailable(`${root} does not exist`);
  try {
    return await probeRepository(cli, realPath(root), root, version);
  } catch (e) {
    // git failed on a question every repository answers: say what it said, the form shows it.
    return unavailable(e instanceof Error ? e.message : String(e));
  }
}

async function probeRepository(cli: GitCli, where: string, root: string, version: string): Promise<WorktreeSupport> {
  const kind = await cli.run(['rev-parse', '--is-bare-repository', '--is-inside-git-dir', '--is-inside-work-tree'], { cwd: where });
  if (kind.code !== 0) {
    if (/not a git repository/i.test(kind.stderr)) return unavailable(`${root} is not a git repository: run git init there and commit once to give sessions worktrees`);
    return unavailable(`git cannot read the repository at ${root}: ${complaint(kind)}`);
  }
  const [bare, insideGitDir, insideWorkTree] = kind.stdout.toString('utf8').trim().split('\n');
  if (bare === 'true') return unavailable(`${root} is a bare repository: sessions need a working tree (open a clone with files checked out)`);
  if (insideGitDir === 'true' || insideWorkTree !== 'true') return unavailable(`${root} is inside a .git folder: open the repository's working tree instead`);

  const repoRoot = await mainWorktreeTop(cli, where);
  if (typeof repoRoot !== 'string') return repoRoot;
  const head = await headOf(cli, repoRoot);
  if (!head.commit) return unavailable('the repository has no commit yet: commit once, then start a session with a worktree');
  const [status, refs] = await Promise.all([
    cli.ok(['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: repoRoot }),
    cli.ok(['for-each-ref', '--sort=-creatordate', `--count=${MAX_REFS}`, '--format=%(refname:short)', 'refs/heads', 'refs/tags'], { cwd: repoRoot }),
  ]);
  return {
    available: true,
    repoRoot,
    head: { ...(head.branch ? { branch: head.branch } : {}), commit: head.commit, detached: head.branch === undefined },
    dirtyFiles: porcelainPaths(status).length,
    gitVersion: version,
    submodules: exists(path.join(repoRoot, '.gitmodules')),
    refs: refs.toString('utf8').split('\n').filter((r) => r !== '').slice(0, MAX_REFS),
  };
}

/**
 * The top of the repository's main worktree, seen from `cwd` (a folder in some work tree of it):
 * `rev-parse --show-toplevel`, or, when that is a linked worktree, the main worktree git lists
 * first. An unusable main worktree is the support answer instead.
 */
async function mainWorktreeTop(cli: GitCli, cwd: string): Promise<string | WorktreeSupport> {
  const out = (await cli.text(['rev-parse', '--show-toplevel', '--git-dir', '--git-common-dir'], { cwd })).split('\n');
  const [top, gitDir, common] = out;
  if (!top || !gitDir || !common) return unavailable(`git did not say where the working tree of ${cwd} is`);
  if (realPath(path.resolve(cwd, gitDir)) === realPath(path.resolve(cwd, common))) return realPath(top);
  const main = (await worktreeList(cli, cwd))[0];
  if (!main || main.bare) return unavailable(`${realPath(top)} is a worktree of a bare repository: sessions need the repository's main working tree`);
  if (!exists(main.path)) return unavailable(`the main worktree of this repository (${main.path}) is missing: run git worktree repair there, or open the main worktree`);
  return realPath(main.path);
}

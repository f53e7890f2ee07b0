/**
 * Small questions to a repository that several worktree operations ask: what a ref resolves to,
 * where HEAD is, whether a branch exists, the registered worktrees, whether git knows who commits,
 * and whether a merge (or rebase, cherry-pick, revert) is under way in a work tree.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AgentError } from '../base/errors';
import { complaint, type GitCli } from './git-cli';
import { parseWorktreeList, realPath, type WorktreeEntry } from './git-output';

/** The full commit id `ref` names in `cwd`, or undefined when it names none. `ref` must be validated (checkRefInput). */
export async function resolveCommit(cli: GitCli, cwd: string, ref: string): Promise<string | undefined> {
  const r = await cli.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd });
  const oid = r.stdout.toString('utf8').trim();
  return r.code === 0 && oid !== '' ? oid : undefined;
}

/** HEAD of the work tree at `cwd`: its branch (short name; absent when detached) and commit (absent before the first commit). */
export async function headOf(cli: GitCli, cwd: string): Promise<{ branch?: string; commit?: string }> {
  const [sym, commit] = await Promise.all([
    cli.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd }),
    resolveCommit(cli, cwd, 'HEAD'),
  ]);
  const branch = sym.code === 0 ? sym.stdout.toString('utf8').trim() : undefined;
  return { ...(branch ? { branch } : {}), ...(commit ? { commit } : {}) };
}

/** Whether `refs/heads/<branch>` exists. */
export async function branchExists(cli: GitCli, cwd: string, branch: string): Promise<boolean> {
  const r = await cli.run(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { cwd });
  return r.code === 0;
}

/** The worktrees git has registered for the repository of `cwd` (the main one first). */
export async function worktreeList(cli: GitCli, cwd: string): Promise<WorktreeEntry[]> {
  return parseWorktreeList(await cli.ok(['worktree', 'list', '--porcelain'], { cwd }));
}

/** The repository's common git folder (`.git` of the main worktree), real path. */
export async function commonDir(cli: GitCli, cwd: string, ceiling = false): Promise<string> {
  const out = await cli.text(['rev-parse', '--git-common-dir'], { cwd, ceiling });
  return realPath(path.resolve(cwd, out));
}

/** A path inside the git folder of the work tree at `cwd` (`rev-parse --git-path`), absolute. */
export async function gitPath(cli: GitCli, cwd: string, name: string): Promise<string> {
  const out = await cli.text(['rev-parse', '--git-path', name], { cwd });
  return path.resolve(cwd, out);
}

/** The error for a repository where git does not know who commits. */
export function identityError(cwd: string): AgentError {
  return new AgentError('invalid_state', `git does not know who you are in ${cwd}: set git config user.name "Your Name" and git config user.email "you@example.com" (add --global for every repository), then try again`);
}

/** True when git's complaint is about a missing user.name / user.email. */
export function isIdentityComplaint(stderr: string): boolean {
  return /Please tell me who you are|Author identity unknown|Committer identity unknown|empty ident name|unable to auto-detect email address|no email was given/i.test(stderr);
}

/** Fails with identityError when a commit in `cwd` would fail for want of user.name / user.email. */
export async function requireIdentity(cli: GitCli, cwd: string): Promise<void> {
  for (const v of ['GIT_AUTHOR_IDENT', 'GIT_COMMITTER_IDENT']) {
    const r = await cli.run(['var', v], { cwd });
    if (r.code !== 0) {
      if (isIdentityComplaint(r.stderr) || r.stderr === '') throw identityError(cwd);
      throw new AgentError('unknown', `git could not tell who commits in ${cwd}: ${complaint(r)}`);
    }
  }
}

/** What the work tree at `cwd` is in the middle of (a merge, rebase, cherry-pick, revert), if anything. */
export async function operationInProgress(cli: GitCli, cwd: string): Promise<string | undefined> {
  const checks: Array<[string, string]> = [['MERGE_HEAD', 'a merge'], ['rebase-merge', 'a rebase'], ['rebase-apply', 'a rebase or git am'], ['CHERRY_PICK_HEAD', 'a cherry-pick'], ['REVERT_HEAD', 'a revert']];
  const out = await cli.text(['rev-parse', ...checks.flatMap(([name]) => ['--git-path', name])], { cwd });
  const paths = out.split('\n');
  return checks.find((_, i) => paths[i] !== undefined && existsSync(path.resolve(cwd, paths[i]!)))?.[1];
}

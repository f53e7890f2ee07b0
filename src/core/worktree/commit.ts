/**
 * Committing a worktree's changes on its session branch: `git add -A`, then `git commit -F -`
 * (the message on stdin, so no length or quoting limit of a command line applies). Touches only
 * the worktree and its own index.
 */
import { AgentError } from '../base/errors';
import { complaint, nulRecords, type GitCli } from './git-cli';
import { checkCommitMessage } from './inputs';
import { identityError, isIdentityComplaint, requireIdentity } from './repo';
import { requireFolder } from './status';
import type { WorktreeRef } from './types';

/** See WorktreeGit.commit. */
export async function commitWorktree(cli: GitCli, w: WorktreeRef, message: unknown): Promise<{ commit: string; files: number }> {
  const text = checkCommitMessage(message);
  requireFolder(w);
  await cli.ok(['add', '-A'], { cwd: w.path, timeoutMs: 300_000 });
  const staged = nulRecords(await cli.ok(['diff', '--cached', '--name-only', '-z', '--no-renames', 'HEAD', '--'], { cwd: w.path }));
  if (staged.length === 0) {
    throw new AgentError('invalid_state', `there is nothing to commit in the worktree ${w.path}: the session branch ${w.branch} already has every change`);
  }
  await requireIdentity(cli, w.path);
  const r = await cli.run(['commit', '--quiet', '--no-edit', '-F', '-'], { cwd: w.path, input: text, timeoutMs: 300_000 });
  if (r.code !== 0) {
    if (isIdentityComplaint(r.stderr)) throw identityError(w.path);
    if (/nothing (added )?to commit/.test(r.stderr + r.stdout.toString('utf8'))) {
      throw new AgentError('invalid_state', `there is nothing to commit in the worktree ${w.path}`);
    }
    throw new AgentError('unknown', `git commit failed in ${w.path}: ${complaint(r)} (a commit hook may have refused it)`);
  }
  const commit = await cli.text(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: w.path });
  return { commit, files: staged.length };
}
